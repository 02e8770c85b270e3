/**
 * Personal-data scrubbing at the gateway (R12): OTTL statements for the
 * transform processor, run right after memory_limiter so nothing downstream
 * (sampler, Tempo, Grafana) ever sees the data.
 *
 * Order of preference (DESIGN.md): delete whole attributes (auth headers,
 * cookies, client IPs, user profile fields, SQL parameters), keep request and
 * response headers only from an allow-list, blank free-text messages
 * (exception and status messages), and only then rewrite values with a few
 * narrow patterns (e-mails, card numbers, phone numbers, personal query
 * parameters, SQL literals). Patterns are RE2 (Go) and written so they mean
 * the same in JavaScript, where tests evaluate them against a corpus.
 *
 * Every function used here exists in the v0.148.0 distribution (its validate
 * accepts the rendered files):
 * delete_key, delete_matching_keys, replace_all_patterns, replace_pattern, set.
 */
import { ottlString as q } from "./collectorCommon";

export const REDACTED = "[redacted]";

/** Request headers kept as http.request.header.* attributes; every other request header attribute is deleted. */
export const DEFAULT_REQUEST_HEADER_ALLOW_LIST = ["accept", "content-length", "content-type", "x-correlation-id", "x-request-id"] as const;
/** Response headers kept as http.response.header.* attributes. */
export const DEFAULT_RESPONSE_HEADER_ALLOW_LIST = ["content-length", "content-type"] as const;

/** Query parameters whose values are personal or secret; their values are replaced in url.query, url.full, http.target and http.url. */
export const DEFAULT_PERSONAL_QUERY_PARAMETERS = [
  "email", "e-mail", "mail", "phone", "tel", "telephone", "mobile", "msisdn",
  "name", "first_name", "firstname", "last_name", "lastname", "middle_name", "full_name", "fullname", "surname", "patronymic",
  "user", "username", "login", "address", "street", "city", "zip", "zipcode", "postcode", "postal_code",
  "birthdate", "birth_date", "dob", "passport", "ssn", "inn", "snils",
  "card", "card_number", "cardnumber", "pan", "cvv", "cvc", "iban", "account",
  "token", "access_token", "id_token", "refresh_token", "api_key", "apikey", "key", "password", "pass", "pwd", "secret",
  "session", "sessionid", "sid", "code", "auth", "signature", "sig", "ip",
] as const;

/** Value patterns (RE2 syntax, JavaScript-compatible) and what replaces a match. Applied in this order. */
export const VALUE_PATTERNS = {
  email: { pattern: "[A-Za-z0-9._%+-]+(?:@|%40)[A-Za-z0-9.-]+\\.[A-Za-z]{2,}", replacement: "[email]" },
  // 13 to 19 digits, optionally grouped by single spaces or dashes (PAN formats).
  card: { pattern: "\\b\\d(?:[ -]?\\d){12,18}\\b", replacement: "[card]" },
  // Russian numbers: +7 or a leading 8, then 3-3-2-2 digits with optional brackets, spaces or dashes.
  phoneRu: { pattern: "(?:\\+7|\\b8)[\\s(-]*\\d{3}[\\s)-]*\\d{3}[\\s-]?\\d{2}[\\s-]?\\d{2}\\b", replacement: "[phone]" },
  // Any other international number: + and 7 to 15 digits with common separators.
  phoneIntl: { pattern: "\\+\\d(?:[\\s().-]{0,2}\\d){6,14}", replacement: "[phone]" },
} as const;

/** Attribute keys deleted wherever they appear (substring match, case-insensitive): credentials and session material. */
export const SECRET_KEY_PATTERN =
  "(?i)(password|passwd|secret|token|api[-_.]?key|credential|cookie|authorization|session[-_.]?id|private[-_.]?key)";
/** Keys that identify the end user or their device. */
export const PERSONAL_KEY_PATTERN =
  "^(client\\.|source\\.|enduser\\.|geo\\.|http\\.client_ip$|net\\.peer\\.ip$|user\\.(email|name|full_name|hash|roles)$|user_agent\\.original$|http\\.user_agent$|process\\.(command_line|command_args|owner)$|messaging\\.url$|messaging\\.(message\\.)?(body|payload)$|db\\.query\\.parameter\\.|db\\.user$)";
/** On SERVER spans the peer is the caller: its address and host name identify the client. */
export const SERVER_PEER_KEY_PATTERN = "^(network\\.peer\\.|net\\.sock\\.peer\\.|net\\.peer\\.)";
/** Personal query parameters: group 1 keeps the separator, group 2 the parameter name. */
export function queryParameterPattern(names: readonly string[]): string {
  const alternatives = names.map(escapeRegex).join("|");
  return `(?i)(^|[?&;])(${alternatives})=[^&#;]*`;
}
export const QUERY_PARAMETER_REPLACEMENT = `\${1}\${2}=${REDACTED}`;
/** user:password@ in URLs. */
export const URL_USERINFO = { pattern: "//[^/?#@\\s]+@", replacement: `//${REDACTED}@` } as const;
/** SQL string literals ('…' with '' escapes) and numeric literals (not $1 placeholders, not inside identifiers). */
export const SQL_STRING_LITERAL = { pattern: "'(?:[^']|'')*'", replacement: "?" } as const;
export const SQL_NUMERIC_LITERAL = { pattern: "(^|[^\\w$:.])\\d+(?:\\.\\d+)?", replacement: "${1}?" } as const;
/** The first line of a stack trace carries the exception message: keep its type, drop the message. */
export const STACKTRACE_MESSAGE = { pattern: "^([^:\\n]*):[^\\n]*", replacement: `\${1}: ${REDACTED}` } as const;

/** Attributes the instrumentation contract defines as opaque, non-personal ids; parked during value rewriting. */
export const EXEMPT_FROM_VALUE_PATTERNS = ["order.id", "user.id"] as const;

export interface ScrubbingOptions {
  /** Request headers kept (lowercase). @default DEFAULT_REQUEST_HEADER_ALLOW_LIST */
  readonly requestHeaderAllowList?: readonly string[];
  /** Response headers kept (lowercase). @default DEFAULT_RESPONSE_HEADER_ALLOW_LIST */
  readonly responseHeaderAllowList?: readonly string[];
  /** Query parameter names whose values are redacted. @default DEFAULT_PERSONAL_QUERY_PARAMETERS */
  readonly personalQueryParameters?: readonly string[];
}

/** One transform-processor statement group. */
export interface StatementGroup {
  readonly context: "resource" | "span" | "spanevent";
  readonly statements: string[];
}

const URL_ATTRIBUTES = ["url.query", "url.full", "http.target", "http.url"] as const;
const FULL_URL_ATTRIBUTES = ["url.full", "http.url"] as const;
const SQL_ATTRIBUTES = ["db.query.text", "db.statement"] as const;
const KEEP_PREFIX = "tracing.keep.";
const PARK_PREFIX = "tracing.exempt.";

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

const attr = (ctx: string, key: string) => `${ctx}.attributes[${q(key)}]`;

function valuePatternStatements(ctx: "resource" | "span" | "spanevent"): string[] {
  return Object.values(VALUE_PATTERNS).map(
    (p) => `replace_all_patterns(${ctx}.attributes, "value", ${q(p.pattern)}, ${q(p.replacement)})`,
  );
}

/** Keeps only allow-listed header attributes: rename them aside, delete every header attribute, rename back. */
function headerAllowListStatements(request: readonly string[], response: readonly string[]): string[] {
  const keep = (direction: string, names: readonly string[]) =>
    names.length === 0
      ? []
      : [
          `replace_all_patterns(span.attributes, "key", ${q(`^(http\\.${direction}\\.header\\.(?:${names.map(escapeRegex).join("|")}))$`)}, ${q(`${KEEP_PREFIX}\${1}`)})`,
        ];
  return [
    ...keep("request", request),
    ...keep("response", response),
    `delete_matching_keys(span.attributes, ${q("^http\\.(request|response)\\.header\\.")})`,
    `replace_all_patterns(span.attributes, "key", ${q(`^${escapeRegex(KEEP_PREFIX)}`)}, "")`,
  ];
}

/**
 * HTTP instrumentations record header values as string lists, which the value
 * patterns would skip: turn each kept header into its (JSON) string first.
 */
function headerValuesAsStrings(request: readonly string[], response: readonly string[]): string[] {
  const keys = [...request.map((n) => `http.request.header.${n}`), ...response.map((n) => `http.response.header.${n}`)];
  return keys.map((key) => `set(${attr("span", key)}, String(${attr("span", key)})) where ${attr("span", key)} != nil`);
}

/**
 * replace_all_patterns rewrites only top-level string values, so wrapping an
 * exempt id in a map shields it; it is restored right after.
 */
function parkExempt(): string[] {
  return EXEMPT_FROM_VALUE_PATTERNS.map(
    (key) => `set(${attr("span", PARK_PREFIX + key)}, {"v": ${attr("span", key)}}) where ${attr("span", key)} != nil`,
  );
}
function restoreExempt(): string[] {
  return EXEMPT_FROM_VALUE_PATTERNS.flatMap((key) => [
    `set(${attr("span", key)}, ${attr("span", PARK_PREFIX + key)}["v"]) where ${attr("span", PARK_PREFIX + key)} != nil`,
    `delete_key(span.attributes, ${q(PARK_PREFIX + key)})`,
  ]);
}

/** The scrubbing statement groups, in execution order. */
export function scrubbingStatementGroups(options: ScrubbingOptions = {}): StatementGroup[] {
  const requestHeaders = options.requestHeaderAllowList ?? DEFAULT_REQUEST_HEADER_ALLOW_LIST;
  const responseHeaders = options.responseHeaderAllowList ?? DEFAULT_RESPONSE_HEADER_ALLOW_LIST;
  const queryPattern = queryParameterPattern(options.personalQueryParameters ?? DEFAULT_PERSONAL_QUERY_PARAMETERS);

  const deletions = (ctx: string) => [
    `delete_matching_keys(${ctx}.attributes, ${q(SECRET_KEY_PATTERN)})`,
    `delete_matching_keys(${ctx}.attributes, ${q(PERSONAL_KEY_PATTERN)})`,
  ];

  const resource: string[] = [...deletions("resource"), ...valuePatternStatements("resource")];

  const span: string[] = [
    ...headerAllowListStatements(requestHeaders, responseHeaders),
    ...headerValuesAsStrings(requestHeaders, responseHeaders),
    ...deletions("span"),
    `delete_matching_keys(span.attributes, ${q(SERVER_PEER_KEY_PATTERN)}) where span.kind == SPAN_KIND_SERVER`,
    ...URL_ATTRIBUTES.map((key) => `replace_pattern(${attr("span", key)}, ${q(queryPattern)}, ${q(QUERY_PARAMETER_REPLACEMENT)})`),
    ...FULL_URL_ATTRIBUTES.map((key) => `replace_pattern(${attr("span", key)}, ${q(URL_USERINFO.pattern)}, ${q(URL_USERINFO.replacement)})`),
    ...SQL_ATTRIBUTES.flatMap((key) => [
      `replace_pattern(${attr("span", key)}, ${q(SQL_STRING_LITERAL.pattern)}, ${q(SQL_STRING_LITERAL.replacement)})`,
      `replace_pattern(${attr("span", key)}, ${q(SQL_NUMERIC_LITERAL.pattern)}, ${q(SQL_NUMERIC_LITERAL.replacement)})`,
    ]),
    `set(${attr("span", "exception.message")}, ${q(REDACTED)}) where ${attr("span", "exception.message")} != nil`,
    `replace_pattern(${attr("span", "exception.stacktrace")}, ${q(STACKTRACE_MESSAGE.pattern)}, ${q(STACKTRACE_MESSAGE.replacement)})`,
    `set(span.status.message, ${q(REDACTED)}) where span.status.message != ""`,
    ...parkExempt(),
    ...valuePatternStatements("span"),
    ...restoreExempt(),
    ...Object.values(VALUE_PATTERNS).map((p) => `replace_pattern(span.name, ${q(p.pattern)}, ${q(p.replacement)})`),
  ];

  const spanevent: string[] = [
    ...deletions("spanevent"),
    `set(${attr("spanevent", "exception.message")}, ${q(REDACTED)}) where ${attr("spanevent", "exception.message")} != nil`,
    `replace_pattern(${attr("spanevent", "exception.stacktrace")}, ${q(STACKTRACE_MESSAGE.pattern)}, ${q(STACKTRACE_MESSAGE.replacement)})`,
    ...valuePatternStatements("spanevent"),
    ...Object.values(VALUE_PATTERNS).map((p) => `replace_pattern(spanevent.name, ${q(p.pattern)}, ${q(p.replacement)})`),
  ];

  return [
    { context: "resource", statements: resource },
    { context: "span", statements: span },
    { context: "spanevent", statements: spanevent },
  ];
}
