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
import { ottlString as q } from "./collectorCommon";
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
  INFRA_PATTERN,
  NAME_IN_SPAN_NAME,
  PATTERN_REPLACEMENT,
  REDACTED,
  SQL_LITERALS,
  STACKTRACE,
  STRICT_PATTERN,
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

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

const attr = (ctx: OttlContext, key: string) => `${ctx}.attributes[${q(key)}]`;

/** Statements of the allow-list processor. */
export function allowListStatementGroups(lists: EffectiveAllowLists): StatementGroup[] {
  const keep = (ctx: OttlContext, list: AllowList) => `keep_keys(${ctx}.attributes, [${Object.keys(list).sort().map(q).join(", ")}])`;
  return [
    { context: "resource", statements: [keep("resource", lists.resource)] },
    { context: "scope", statements: [keep("scope", lists.scope)] },
    {
      context: "span",
      statements: [
        keep("span", lists.span),
        // On SERVER spans the peer is the caller (the customer's address).
        ...["network.peer.address", "network.peer.port"].map((k) => `delete_key(span.attributes, ${q(k)}) where span.kind == SPAN_KIND_SERVER`),
        `set(span.trace_state, "") where span.trace_state != ""`,
      ],
    },
    { context: "spanevent", statements: [keep("spanevent", lists.spanevent)] },
  ];
}

const NUMBER_RANGES: Partial<Record<AttributeKind, [number, number]>> = { statusCode: [100, 599], port: [0, 65535], count: [0, 2147483647] };
const STRING_KINDS: readonly AttributeKind[] = ["id", "token", "version", "name", "infra", "route", "path", "query", "url", "sql", "stacktrace"];

function replace(target: string, p: { pattern: string; replacement: string }, guard = `${target} != nil`): string {
  return `replace_pattern(${target}, ${q(p.pattern)}, ${q(p.replacement)}) where ${guard}`;
}
const strict = (target: string) => replace(target, { pattern: STRICT_PATTERN, replacement: PATTERN_REPLACEMENT });
const infra = (target: string) => replace(target, { pattern: INFRA_PATTERN, replacement: PATTERN_REPLACEMENT });

/** Keeps query parameters from the allow-list: strip the sentinel, mark kept pairs, drop unmarked pairs, tidy separators, unmark. */
function queryStatements(target: string, names: readonly string[], start: "^" | "\\?"): string[] {
  const mark = "\u00a7";
  const sep = start === "^" ? "(^|[&;])" : "([?&;])";
  const alternatives = names.map(escapeRegex).join("|");
  return [
    replace(target, { pattern: mark, replacement: "" }),
    replace(target, { pattern: `${sep}((?:${alternatives})=)`, replacement: `\${1}${mark}\${2}` }),
    replace(target, { pattern: `${sep}[^${mark}&;][^&;]*`, replacement: "${1}" }),
    replace(target, { pattern: "[&;]{2,}", replacement: "&" }),
    replace(target, { pattern: start === "^" ? "^[&;]+|[&;]+$" : "\\?[&;]+|[?&;]+$", replacement: start === "^" ? "" : "?" }),
    replace(target, { pattern: "[?]$", replacement: "" }),
    replace(target, { pattern: mark, replacement: "" }),
  ];
}

function sqlStatements(target: string): string[] {
  const { dollarQuoted, quoted, comment, number } = SQL_LITERALS;
  return [dollarQuoted, quoted, comment, number].map((p) => replace(target, p));
}

function stacktraceStatements(target: string): string[] {
  const s = STACKTRACE;
  return [s.strip, s.markFrames, s.markTypes, s.redactOthers, s.unmark].map((p) => replace(target, p));
}

/** The checks of one kept attribute, by its kind (see AttributeKind). */
export function valueStatements(ctx: OttlContext, key: string, kind: AttributeKind, lists: EffectiveAllowLists): string[] {
  const a = attr(ctx, key);
  const del = (condition: string) => `delete_key(${ctx}.attributes, ${q(key)}) where ${a} != nil and ${condition}`;
  const typed = STRING_KINDS.includes(kind) ? [del(`not IsString(${a})`)] : [];
  const range = NUMBER_RANGES[kind];
  switch (kind) {
    case "id":
      return [...typed, del(`not IsMatch(${a}, ${q(key === "order.id" ? lists.idFormats.orderId : lists.idFormats.userId)})`)];
    case "method":
      return [`set(${a}, "_OTHER") where ${a} != nil and not IsMatch(${a}, ${q(HTTP_METHOD)})`];
    case "token":
      return [...typed, del(`not IsMatch(${a}, ${q(TOKEN_SHAPE)})`), strict(a)];
    case "version":
      return [...typed, del(`not IsMatch(${a}, ${q(VERSION_SHAPE)})`)];
    case "statusCode":
    case "port":
    case "count":
      return [del(`not IsInt(${a})`), del(`${a} < ${range![0]}`), del(`${a} > ${range![1]}`)];
    case "bool":
      return [del(`not IsBool(${a})`)];
    case "text":
      return [`set(${a}, ${q(REDACTED)}) where ${a} != nil`];
    case "infra":
      return [...typed, infra(a)];
    case "query":
      return [...typed, ...queryStatements(a, lists.queryParameters, "^"), strict(a)];
    case "url":
      return [
        ...typed,
        replace(a, { pattern: "#[\\s\\S]*$", replacement: "" }),
        replace(a, { pattern: "^([A-Za-z][A-Za-z0-9+.\\-]*://)[^/?#]*@", replacement: "${1}" }),
        ...queryStatements(a, lists.queryParameters, "\\?"),
        replace(a, { pattern: URL_PATTERN, replacement: PATTERN_REPLACEMENT }),
      ];
    case "sql":
      return [...typed, ...sqlStatements(a), strict(a)];
    case "stacktrace":
      return [...typed, ...stacktraceStatements(a), strict(a)];
    case "header":
      return [
        del(`not IsString(${a}) and not IsList(${a})`),
        `set(${a}, [${q(REDACTED)}]) where ${a} != nil and IsList(${a}) and IsMatch(${a}, ${q(STRICT_PATTERN)})`,
        replace(a, { pattern: STRICT_PATTERN, replacement: PATTERN_REPLACEMENT }, `${a} != nil and IsString(${a})`),
      ];
    case "path":
      // The route template replaces the raw path with its ids and tokens, where the instrumentation knows it.
      return [...typed, `set(${a}, ${attr(ctx, "http.route")}) where ${a} != nil and ${attr(ctx, "http.route")} != nil`, strict(a)];
    case "name":
    case "route":
      return [...typed, strict(a)];
  }
}

/** Families of span attributes whose checks run only when one of them is present. */
const SPAN_FAMILIES: { readonly name: string; readonly match: (key: string) => boolean }[] = [
  { name: "ids", match: (k) => k === "order.id" || k === "user.id" },
  { name: "http", match: (k) => k.startsWith("http.") || k.startsWith("url.") },
  { name: "db", match: (k) => k.startsWith("db.") },
  { name: "messaging", match: (k) => k.startsWith("messaging.") },
  { name: "errors", match: (k) => k.startsWith("exception.") || k.startsWith("error.") },
  { name: "other", match: () => true },
];

function familyGroups(ctx: OttlContext, list: AllowList, lists: EffectiveAllowLists): StatementGroup[] {
  const remaining = new Map(Object.entries(list).sort(([a], [b]) => a.localeCompare(b)));
  const groups: StatementGroup[] = [];
  for (const family of SPAN_FAMILIES) {
    const members = [...remaining.keys()].filter(family.match);
    if (members.length === 0) continue;
    members.forEach((k) => remaining.delete(k));
    // HTTP checks: the route before the path (the path takes the route's checked value).
    const ordered = [...members.filter((k) => list[k] !== "path"), ...members.filter((k) => list[k] === "path")];
    groups.push({
      context: ctx,
      conditions: members.map((k) => `${attr(ctx, k)} != nil`),
      statements: ordered.flatMap((k) => valueStatements(ctx, k, list[k], lists)),
    });
  }
  return groups;
}

/** HTTP span names are rebuilt as method + route (or the method alone); other names are checked by patterns (and SQL rules on database spans). */
function spanNameStatements(): string[] {
  const method = attr("span", "http.request.method");
  const route = attr("span", "http.route");
  return [
    `set(span.name, Concat([${method}, ${route}], " ")) where ${method} != nil and ${route} != nil`,
    `set(span.name, ${method}) where ${method} != nil and ${route} == nil`,
    ...sqlStatements("span.name").map((s) => s.replace(/ where span\.name != nil$/, ` where ${attr("span", "db.system.name")} != nil`)),
    replace("span.name", { pattern: STRICT_PATTERN, replacement: PATTERN_REPLACEMENT }, `${method} == nil`),
    replace("span.name", { pattern: NAME_IN_SPAN_NAME, replacement: ` ${REDACTED}` }, `${method} == nil`),
    `set(span.status.message, ${q(REDACTED)}) where span.status.message != ""`,
  ];
}

/** Statements of the value-checking processor. */
export function scrubStatementGroups(lists: EffectiveAllowLists): StatementGroup[] {
  const eventNameCondition = lists.eventNames.map((n) => `spanevent.name != ${q(n)}`).join(" and ");
  const flat = (ctx: OttlContext, list: AllowList) =>
    Object.entries(list)
      .sort(([a], [b]) => a.localeCompare(b))
      .flatMap(([k, kind]) => valueStatements(ctx, k, kind, lists));
  const scope = flat("scope", lists.scope);
  return [
    { context: "resource", statements: flat("resource", lists.resource) },
    ...(scope.length > 0 ? [{ context: "scope" as const, statements: scope }] : []),
    ...familyGroups("span", lists.span, lists),
    { context: "span", statements: spanNameStatements() },
    {
      context: "spanevent",
      statements: [`set(spanevent.name, ${q(REDACTED)}) where ${eventNameCondition}`, ...flat("spanevent", lists.spanevent)],
    },
  ];
}

/** Both processors' statement groups, for a stack's additions. */
export function scrubbingProcessors(options: ScrubbingOptions = {}): { allowList: StatementGroup[]; scrub: StatementGroup[] } {
  const lists = effectiveAllowLists(options);
  return { allowList: allowListStatementGroups(lists), scrub: scrubStatementGroups(lists) };
}
