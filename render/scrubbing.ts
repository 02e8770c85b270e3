/**
 * Personal-data scrubbing at the gateway (R12), in two transform processors
 * so a benchmark can toggle each:
 *
 * 1. `transform/allowlist`: `keep_keys` on resource, scope, span and span
 *    event attributes with the allow-list of render/attributeAllowList.ts. A
 *    literal key list is a hash set built once (pkg/ottl/ottlfuncs/
 *    func_keep_keys.go at v0.148.0), so deleting costs one lookup per key and
 *    no regex. The trace_state (free-form vendor text) is cleared.
 * 2. `transform/scrub`: every kept value is checked by its kind: ids against
 *    their formats, numbers against ranges, URLs rebuilt by structure (query
 *    parameters from an allow-list, no userinfo, no fragment, the route
 *    instead of the raw path), HTTP span names rebuilt as method + route, SQL
 *    literals replaced, free text replaced whole, stack traces reduced to
 *    frames, and the personal-data patterns of render/personalDataPatterns.ts
 *    (one combined regex per value). Families of statements run only when
 *    their attributes are present (group `conditions`).
 *
 * Span links cannot be reached: v0.148.0 has no span-link OTTL context and
 * `span.links` can only be replaced by another link slice, so the gateway
 * drops spans that carry links (render/collectorGateway.ts, filter/links).
 *
 * Every function used exists in v0.148.0 (the binary's validate accepts the
 * rendered file): keep_keys, delete_key, set, replace_pattern,
 * replace_all_patterns, Concat, IsMatch, IsString, IsList, IsInt, IsBool.
 */
import { escapeRegex, ottlString as q } from "./collectorCommon";
import {
  AllowList,
  AttributeKind,
  EVENT_ATTRIBUTES,
  EVENT_NAMES,
  ID_FORMATS,
  QUERY_PARAMETERS,
  REQUEST_HEADERS,
  RESOURCE_ATTRIBUTES,
  RESPONSE_HEADERS,
  SCOPE_ATTRIBUTES,
  SPAN_ATTRIBUTES,
} from "./attributeAllowList";
import {
  HTTP_METHOD,
  ID_PATTERN,
  INFRA_PATTERN,
  NAME_GUARD,
  NAME_IN_SPAN_NAME,
  PATTERN_REPLACEMENT,
  PLAIN_TOKEN,
  REDACTED,
  SAFE_HEADER_LIST,
  safeQuery,
  SQL_LITERALS,
  SQL_COMMENT_GUARD,
  SQL_LITERAL_CHARACTER,
  SQL_SUSPECT,
  STACKTRACE,
  STRICT_PATTERN,
  SUSPECT,
  TOKEN_SHAPE,
  URL_PATTERN,
  VERSION_SHAPE,
} from "./personalDataPatterns";

export { REDACTED } from "./personalDataPatterns";

/** Per-stack additions to the allow-lists (tracing:scrubbing); nothing can be removed. */
export interface ScrubbingOptions {
  /** Span attribute keys added (checked as `name` values). @default none */
  readonly spanAttributes?: readonly string[];
  /** Span event attribute keys added. @default none */
  readonly eventAttributes?: readonly string[];
  /** Resource attribute keys added. @default none */
  readonly resourceAttributes?: readonly string[];
  /** Instrumentation scope attribute keys added. @default none */
  readonly scopeAttributes?: readonly string[];
  /** Request headers added (lowercase). @default none (REQUEST_HEADERS are always kept) */
  readonly requestHeaders?: readonly string[];
  /** Response headers added (lowercase). @default none (RESPONSE_HEADERS are always kept) */
  readonly responseHeaders?: readonly string[];
  /** Query parameters added. @default none (QUERY_PARAMETERS are always kept) */
  readonly queryParameters?: readonly string[];
  /** Span event names added. @default none (EVENT_NAMES are always kept) */
  readonly eventNames?: readonly string[];
  /** Format of order.id (RE2, anchored). @default ID_FORMATS.orderId */
  readonly orderIdPattern?: string;
  /** Format of user.id (RE2, anchored). @default ID_FORMATS.userId */
  readonly userIdPattern?: string;
}

export type OttlContext = "resource" | "scope" | "span" | "spanevent";

/** One transform-processor statement group. */
export interface StatementGroup {
  readonly context: OttlContext;
  /** The group runs only where one of these holds. @default always */
  readonly conditions?: string[];
  readonly statements: string[];
}

/** The effective allow-lists of one stack: defaults plus its additions. */
export interface EffectiveAllowLists {
  readonly resource: AllowList;
  readonly scope: AllowList;
  readonly span: AllowList;
  readonly spanevent: AllowList;
  readonly queryParameters: readonly string[];
  readonly eventNames: readonly string[];
  readonly idFormats: { readonly orderId: string; readonly userId: string };
}

const asNames = (keys: readonly string[] | undefined): AllowList => Object.fromEntries((keys ?? []).map((k) => [k, "name" as const]));

export function effectiveAllowLists(options: ScrubbingOptions = {}): EffectiveAllowLists {
  const headers = (direction: "request" | "response", names: readonly string[]): AllowList =>
    Object.fromEntries(names.map((n) => [`http.${direction}.header.${n}`, "header" as const]));
  return {
    resource: { ...asNames(options.resourceAttributes), ...RESOURCE_ATTRIBUTES },
    scope: { ...asNames(options.scopeAttributes), ...SCOPE_ATTRIBUTES },
    span: {
      ...asNames(options.spanAttributes),
      ...headers("request", [...REQUEST_HEADERS, ...(options.requestHeaders ?? [])]),
      ...headers("response", [...RESPONSE_HEADERS, ...(options.responseHeaders ?? [])]),
      ...SPAN_ATTRIBUTES,
    },
    spanevent: { ...asNames(options.eventAttributes), ...EVENT_ATTRIBUTES },
    queryParameters: [...new Set([...QUERY_PARAMETERS, ...(options.queryParameters ?? [])])],
    eventNames: [...new Set([...EVENT_NAMES, ...(options.eventNames ?? [])])],
    idFormats: { orderId: options.orderIdPattern ?? ID_FORMATS.orderId, userId: options.userIdPattern ?? ID_FORMATS.userId },
  };
}

const attr = (ctx: OttlContext, key: string) => `${ctx}.attributes[${q(key)}]`;

/** Attribute families and their anchor attribute. */
const FAMILIES = [
  { anchor: "http.request.method", members: (k: string) => k.startsWith("http.") || k.startsWith("url.") },
  { anchor: "db.system.name", members: (k: string) => k.startsWith("db.") },
  { anchor: "messaging.system", members: (k: string) => k.startsWith("messaging.") },
] as const;
const without = (list: AllowList, drop: (k: string) => boolean): AllowList => Object.fromEntries(Object.entries(list).filter(([k]) => !drop(k)));

/** Statements of the allow-list processor. */
export function allowListStatementGroups(lists: EffectiveAllowLists): StatementGroup[] {
  const keep = (ctx: OttlContext, list: AllowList): string => `keep_keys(${ctx}.attributes, [${Object.keys(list).sort().map(q).join(", ")}])`;
  return [
    { context: "resource", statements: [keep("resource", lists.resource)] },
    { context: "scope", statements: [keep("scope", lists.scope)] },
    {
      context: "span",
      statements: [
        // A family's attributes stay only with its anchor (required by the semantic conventions), so the
        // scrub processor's checks of a family run only on spans of that family. Each list below is the
        // allow-list without one family: a span runs the lists of the anchors it lacks, so it keeps the
        // allow-listed keys of the families it has (one pass per span less than the whole list first, R7).
        ...FAMILIES.map((f) => `${keep("span", without(lists.span, f.members))} where ${attr("span", f.anchor)} == nil`),
        `${keep("span", lists.span)} where ${FAMILIES.map((f) => `${attr("span", f.anchor)} != nil`).join(" and ")}`,
        // On SERVER spans the peer is the caller (the customer's address).
        ...["network.peer.address", "network.peer.port"].map((k) => `delete_key(span.attributes, ${q(k)}) where span.kind == SPAN_KIND_SERVER`),
        `set(span.trace_state, "") where span.trace_state != ""`,
      ],
    },
    { context: "spanevent", statements: [keep("spanevent", lists.spanevent)] },
  ];
}

const NUMBER_RANGES: Partial<Record<AttributeKind, [number, number]>> = { statusCode: [100, 599], port: [0, 65535], count: [0, 2147483647] };

/** replace_pattern where `guard` holds; `null` for no where clause (the group's condition is enough). */
function replace(target: string, p: { pattern: string; replacement: string }, guard: string | null = `${target} != nil`): string {
  const statement = `replace_pattern(${target}, ${q(p.pattern)}, ${q(p.replacement)})`;
  return guard === null ? statement : `${statement} where ${guard}`;
}
const isMatch = (target: string, pattern: string) => `IsMatch(${target}, ${q(pattern)})`;
/** Any of the patterns, each its own IsMatch (see the guards in personalDataPatterns.ts). */
const anyMatch = (target: string, patterns: readonly string[]) => `(${patterns.map((p) => isMatch(target, p)).join(" or ")})`;
const patterns = (target: string, pattern: string, guard?: string) => replace(target, { pattern, replacement: PATTERN_REPLACEMENT }, guard);

const MARK = "\u00a7";

/**
 * Keeps the allow-listed parameters of a query string (url.query). Every
 * pattern starts with a literal (`&`, the sentinel) or is anchored, so Go's
 * regexp jumps from separator to separator instead of trying every position
 * (replace_pattern matches once, then replaces: two scans per statement).
 * `;` separates pairs as `&` does and becomes `&`; a leading `&` makes every
 * pair start with one. A kept pair's `&` becomes a sentinel the input cannot
 * contain (it is stripped first), so every `&` left starts a pair to drop,
 * up to the next separator; the sentinels then become `&` again and the
 * first is cut. Seven statements instead of nine (a mark, then a separate
 * collapse of separators): R7, about 30% less on a typical query; generated
 * queries are checked against a plain filter in tests/collector/scrubbing.test.ts.
 */
function queryStringStatements(target: string, names: readonly string[]): string[] {
  const alternatives = names.map(escapeRegex).join("|");
  return [
    replace(target, { pattern: MARK, replacement: "" }),
    replace(target, { pattern: ";", replacement: "&" }),
    `set(${target}, Concat(["&", ${target}], ""))`,
    replace(target, { pattern: `&((?:${alternatives})=)`, replacement: `${MARK}\${1}` }),
    replace(target, { pattern: `&[^&${MARK}]*`, replacement: "" }),
    replace(target, { pattern: MARK, replacement: "&" }),
    replace(target, { pattern: "^&", replacement: "" }),
  ];
}

/** Keeps the allow-listed parameters of the query in a URL (url.full), where `guard` holds: as queryStringStatements, for the part after `?`. */
function urlQueryStatements(target: string, names: readonly string[], guard: string): string[] {
  const alternatives = names.map(escapeRegex).join("|");
  return [
    replace(target, { pattern: MARK, replacement: "" }, guard),
    replace(target, { pattern: `([?&;])((?:${alternatives})=)`, replacement: `\${1}${MARK}\${2}` }, guard),
    replace(target, { pattern: `([?&;])[^${MARK}&;][^&;]*`, replacement: "${1}" }, guard),
    replace(target, { pattern: "[&;]{2,}", replacement: "&" }, guard),
    replace(target, { pattern: "\\?[&;]+|[?&;]+$", replacement: "?" }, guard),
    replace(target, { pattern: "[?]$", replacement: "" }, guard),
    replace(target, { pattern: MARK, replacement: "" }, guard),
  ];
}

/**
 * SQL literals replaced, inside a group that runs only where `target` is
 * present. A guard runs only where it is cheaper than the pattern's own first
 * scan (replace_pattern matches before it replaces): the literal `$`, `'`,
 * `--` and `/*` tests are, a digit class is not.
 */
function sqlStatements(target: string): string[] {
  const { dollarQuoted, quoted, comment, numberAtStart, number } = SQL_LITERALS;
  return [
    replace(target, dollarQuoted, isMatch(target, "\\$")),
    replace(target, quoted, isMatch(target, "'")),
    replace(target, comment, anyMatch(target, SQL_COMMENT_GUARD)),
    replace(target, numberAtStart, null),
    replace(target, number, null),
  ];
}

/**
 * The checks of one kept attribute, by its kind (see AttributeKind): one
 * statement group that runs only where the attribute is present (one lookup
 * per span otherwise), with the slow patterns behind cheap guards.
 */
export function valueGroups(ctx: OttlContext, key: string, kind: AttributeKind, lists: EffectiveAllowLists): StatementGroup[] {
  const a = attr(ctx, key);
  const present = `${a} != nil`;
  const group = (statements: string[], extra?: string): StatementGroup[] => [{ context: ctx, conditions: [extra ? `${present} and ${extra}` : present], statements }];
  const del = (condition: string) => `delete_key(${ctx}.attributes, ${q(key)}) where ${condition}`;
  // A shape check and the string check are one statement: `or` stops at a non-string.
  const notString = `not IsString(${a})`;
  const mustBeString = del(notString);
  const suspect = isMatch(a, SUSPECT);
  const guarded = (pattern: string, guard = suspect) => patterns(a, pattern, guard);
  const range = NUMBER_RANGES[kind];
  switch (kind) {
    case "id":
      return group([del(`${notString} or not ${isMatch(a, key === "order.id" ? lists.idFormats.orderId : lists.idFormats.userId)}`)]);
    case "method":
      return group([`set(${a}, "_OTHER") where not ${isMatch(a, HTTP_METHOD)}`]);
    case "token":
      // One statement, one regex for a plain token; a token with digits must have the shape and match no pattern, or goes whole
      // (a pattern hit means the value is no enumerated token; redacting part of it kept nothing useful).
      return group([del(`${notString} or (not ${isMatch(a, PLAIN_TOKEN)} and (not ${isMatch(a, TOKEN_SHAPE)} or ${isMatch(a, STRICT_PATTERN)}))`)]);
    case "version":
      return group([del(`${notString} or not ${isMatch(a, VERSION_SHAPE)}`)]);
    case "statusCode":
    case "port":
    case "count":
      return group([del(`not IsInt(${a}) or ${a} < ${range![0]} or ${a} > ${range![1]}`)]);
    case "bool":
      return group([del(`not IsBool(${a})`)]);
    case "text":
      return group([`set(${a}, ${q(REDACTED)})`]);
    case "infra":
      return group([mustBeString, guarded(INFRA_PATTERN)]);
    case "opaque":
      return group([mustBeString, guarded(ID_PATTERN)]);
    case "name":
    case "route":
      return group([mustBeString, guarded(STRICT_PATTERN)]);
    case "query": {
      // The anchored safe shape (every parameter allow-listed, short plain values) skips the filter in the common case,
      // and so do the patterns once the filter has left only such parameters: no pattern's match fits in one value of at
      // most 9 plain characters; the one that can span two (a passport: 4 digits, up to 20 others, 6 digits) the input
      // check admits in the same way.
      const safe = isMatch(a, safeQuery(lists.queryParameters.map(escapeRegex).join("|")));
      return [
        ...group([mustBeString]),
        ...group([...queryStringStatements(a, lists.queryParameters), guarded(STRICT_PATTERN, `${suspect} and not ${safe}`)], `not ${safe}`),
      ];
    }
    case "url": {
      const hasQuery = isMatch(a, "\\?");
      return group([
        mustBeString,
        replace(a, { pattern: "#[\\s\\S]*$", replacement: "" }, isMatch(a, "#")),
        replace(a, { pattern: "^([A-Za-z][A-Za-z0-9+.\\-]*://)[^/?#]*@", replacement: "${1}" }, isMatch(a, "@")),
        ...urlQueryStatements(a, lists.queryParameters, hasQuery),
        guarded(URL_PATTERN),
      ]);
    }
    case "sql":
      // Literals first: a literal e-mail then no longer trips the guard of the slow patterns.
      return group([mustBeString, ...sqlStatements(a), guarded(STRICT_PATTERN, anyMatch(a, SQL_SUSPECT))]);
    case "stacktrace": {
      const s = STACKTRACE;
      return group([mustBeString, ...[s.strip, s.markFrames, s.markTypes, s.redactOthers, s.unmark].map((p) => replace(a, p)), patterns(a, STRICT_PATTERN)]);
    }
    case "header":
      // Lists keep their type: a list with any match is replaced whole. Plain id, MIME-type and number lists skip the patterns.
      return group([
        del(`not IsString(${a}) and not IsList(${a})`),
        `set(${a}, [${q(REDACTED)}]) where IsList(${a}) and not ${isMatch(a, SAFE_HEADER_LIST)} and ${suspect} and ${isMatch(a, ID_PATTERN)}`,
        replace(a, { pattern: ID_PATTERN, replacement: PATTERN_REPLACEMENT }, `IsString(${a}) and ${suspect}`),
      ]);
    case "path": {
      // The route template replaces the raw path with its ids and tokens, where the instrumentation knows it;
      // without one, a server span keeps only the first segment (the rest may name the customer).
      const route = attr(ctx, "http.route");
      return group([
        mustBeString,
        `set(${a}, ${route}) where ${route} != nil`,
        replace(a, { pattern: "^(/[^/?#]*)/.+$", replacement: `\${1}/${REDACTED}` }, `${route} == nil and span.kind == SPAN_KIND_SERVER`),
        guarded(STRICT_PATTERN, `${route} == nil and ${suspect}`),
      ]);
    }
  }
}

/** Status messages are free text: redacted whole. In the HTTP group and in the group of spans without a method, so every span once, in no group of its own. */
const STATUS_MESSAGE_STATEMENT = `set(span.status.message, ${q(REDACTED)}) where span.status.message != ""`;

/** HTTP span names are rebuilt as method + route (or the method alone), at the end of the HTTP group (after the route's checks). */
function httpSpanNameStatements(): string[] {
  const method = attr("span", "http.request.method");
  const route = attr("span", "http.route");
  return [`set(span.name, Concat([${method}, ${route}], " ")) where ${route} != nil`, `set(span.name, ${method}) where ${route} == nil`];
}

/** Other span names are checked by patterns (and SQL rules on database spans). */
function spanNameGroups(): StatementGroup[] {
  const method = attr("span", "http.request.method");
  const isDb = `${attr("span", "db.system.name")} != nil`;
  return [
    // SQL rules on a database span's name, only where it has a character some literal needs (most names have none).
    { context: "span", conditions: [`${method} == nil and ${isDb} and ${isMatch("span.name", SQL_LITERAL_CHARACTER)}`], statements: sqlStatements("span.name") },
    {
      context: "span",
      conditions: [`${method} == nil`],
      statements: [
        patterns("span.name", STRICT_PATTERN, isMatch("span.name", SUSPECT)),
        replace("span.name", { pattern: NAME_IN_SPAN_NAME, replacement: ` ${REDACTED}\${1}` }, isMatch("span.name", NAME_GUARD)),
        STATUS_MESSAGE_STATEMENT,
      ],
    },
  ];
}

/** A statement's body and its `where` clause (the first ` where ` outside a string literal). */
function splitWhere(statement: string): { body: string; where?: string } {
  let quoted = false;
  for (let i = 0; i < statement.length; i++) {
    const c = statement[i];
    if (quoted && c === "\\") i++;
    else if (c === '"') quoted = !quoted;
    else if (!quoted && statement.startsWith(" where ", i)) return { body: statement.slice(0, i), where: statement.slice(i + 7) };
  }
  return { body: statement };
}

/** The statement, run only where `condition` also holds. */
export function withCondition(statement: string, condition: string): string {
  const { body, where } = splitWhere(statement);
  return where ? `${body} where ${condition} and (${where})` : `${body} where ${condition}`;
}

const PRESENCE_TEST = /^span\.attributes\["[^"\\]+"\] != nil$/;

/** Groups as the statements of one group: each statement keeps its group's condition (a presence test). */
function inlined(groups: readonly StatementGroup[]): string[] {
  return groups.flatMap((g) => g.statements.map((st) => withCondition(st, g.conditions![0])));
}

/**
 * Groups as one group: it runs where one of their conditions (presence
 * tests) holds, each statement keeping its own, then `last` (statements that
 * need the members' checks done). Groups whose condition is more than a
 * presence test (url.query's safe shape, a regex) stay apart, so that their
 * condition is evaluated once.
 */
function merged(groups: readonly StatementGroup[], conditions: (members: StatementGroup[]) => string[], last: readonly string[] = []): StatementGroup[] {
  const presenceOnly = groups.filter((g) => g.conditions?.length === 1 && PRESENCE_TEST.test(g.conditions[0]));
  const apart = groups.filter((g) => !presenceOnly.includes(g));
  if (presenceOnly.length <= 1 && last.length === 0) return [...presenceOnly, ...apart];
  return [{ context: "span", conditions: conditions(presenceOnly), statements: [...inlined(presenceOnly), ...last] }, ...apart];
}

/**
 * The span checks. The transform processor walks every span once per group
 * (a transform context and the group's condition), so one group per kept key
 * made every span pay for every key. A family's checks (HTTP, database,
 * messaging) are one group that runs only where the family's anchor is
 * present: the allow-list processor has already deleted a family's attributes
 * from spans without the anchor, so there the checks could do nothing. The
 * other keys are grouped by their first name segment (`exception.*`,
 * `network.*`): one group per segment, run where one of its keys is present.
 */
function spanCheckGroups(list: AllowList, checks: (ctx: OttlContext, list: AllowList) => StatementGroup[], lastInFamily: Record<string, string[]>): StatementGroup[] {
  const members = (test: (k: string) => boolean): AllowList => Object.fromEntries(Object.entries(list).filter(([k]) => test(k)));
  const segment = (k: string) => k.split(".")[0];
  const others = members((k) => !FAMILIES.some((f) => f.members(k)));
  const common = [...new Set(Object.keys(others).map(segment))]
    .sort()
    .flatMap((seg) => merged(checks("span", members((k) => k in others && segment(k) === seg)), (gs) => gs.map((g) => g.conditions![0])));
  // Statements that need a family's checks done run last in its group (one group less per span).
  const families = FAMILIES.flatMap((f) => merged(checks("span", members(f.members)), () => [`${attr("span", f.anchor)} != nil`], lastInFamily[f.anchor]));
  return [...common, ...families];
}

/** Statements of the value-checking processor. */
export function scrubStatementGroups(lists: EffectiveAllowLists): StatementGroup[] {
  const eventNameCondition = lists.eventNames.map((n) => `spanevent.name != ${q(n)}`).join(" and ");
  const checks = (ctx: OttlContext, list: AllowList) =>
    Object.entries(list)
      .sort(([a], [b]) => a.localeCompare(b))
      // HTTP: the route before the path (the path takes the route's checked value).
      .sort(([, a], [, b]) => Number(a === "path") - Number(b === "path"))
      .flatMap(([k, kind]) => valueGroups(ctx, k, kind, lists));
  return [
    ...checks("resource", lists.resource),
    ...checks("scope", lists.scope),
    ...spanCheckGroups(lists.span, checks, { "http.request.method": [...httpSpanNameStatements(), STATUS_MESSAGE_STATEMENT] }),
    ...spanNameGroups(),
    { context: "spanevent", statements: [`set(spanevent.name, ${q(REDACTED)}) where ${eventNameCondition}`] },
    ...checks("spanevent", lists.spanevent),
  ];
}

/** Both processors' statement groups, for a stack's additions. */
export function scrubbingProcessors(options: ScrubbingOptions = {}): { allowList: StatementGroup[]; scrub: StatementGroup[] } {
  const lists = effectiveAllowLists(options);
  return { allowList: allowListStatementGroups(lists), scrub: scrubStatementGroups(lists) };
}
