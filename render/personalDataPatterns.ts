/**
 * Value patterns for personal data and secrets (R12), RE2 syntax written so
 * that tests/collector/ottlSim.ts can run the same text in JavaScript (`u`
 * flag; `\x{…}` becomes `\u{…}`). Each pattern is case-sensitive where it can
 * be (no `(?i)`: RE2 runs case folding on every rune) and combined into few
 * alternations, so the gateway runs one regex pass per checked value.
 */

/** What replaces any match, and any value redacted whole. */
export const REDACTED = "[redacted]";

/**
 * Separators people and forms put between digit groups: space, tab, NBSP and
 * other Unicode spaces, zero-width characters, dot, underscore, dashes (ASCII,
 * Unicode, minus), brackets, №, their percent-encodings and JSON escapes.
 */
const DIGIT_SEPARATOR =
  "(?:[ ._()\\-\\t\\x{a0}\\x{2000}-\\x{200d}\\x{2010}-\\x{2015}\\x{202f}\\x{2060}\\x{2212}\\x{3000}№]|%20|%28|%29|%2[Dd]|%C2%A0|\\\\[tnr]|\\\\u00a0)";

/**
 * 10 or more digits in one run, optionally grouped: Russian phones in every
 * writing (+7 / 8 / 7 / none, brackets, dots, dashes, NBSP, %2B7, %252B7),
 * cards (13..19 digits, any whitespace), INN (10/12), SNILS (11), passports
 * (4+6, also with words between series and number: "серия 4510 номер 123456").
 * Group 1 keeps the character before the run: a run glued to a letter, digit
 * or dash on its left (`ORD-2024-000123`, hex ids) is not personal, except a
 * Russian mobile number (9 and nine digits, optionally after 7, 8 or +7),
 * which is caught glued too (`tel89123456789`, `user79123456789`).
 */
export const DIGIT_RUN = `(^|[^0-9A-Za-z_\\-]|%(?:25)?2[Bb])(?:\\+?\\d(?:${DIGIT_SEPARATOR}{0,3}\\d){9,}|\\d{2} ?\\d{2}[^0-9\\n]{1,20}\\d{6})\\b|(?:\\+7|[78])?9\\d{9}\\b`;

/** E-mails: Unicode local parts and domains (IDN, punycode), @ also as %40, %2540 or a full-width ＠. */
export const EMAIL = "[\\p{L}\\p{N}._%+\\-]+(?:@|%40|%2540|＠|\\(at\\)|\\[at\\])[\\p{L}\\p{N}%\\-]+(?:\\.[\\p{L}\\p{N}%\\-]+)+";

/** JWTs (header.payload.signature) and well-known secret prefixes (Stripe, AWS access keys, GitHub, Slack, Google, Yandex OAuth, Telegram bots). */
export const KNOWN_TOKENS =
  "eyJ[A-Za-z0-9_\\-]{4,}(?:\\.[A-Za-z0-9_\\-]*){0,2}|\\b(?:sk|pk|rk)_(?:live|test)_[0-9A-Za-z]{4,}|\\b(?:AKIA|ASIA)[0-9A-Z]{16}\\b|\\bgh[pousr]_[0-9A-Za-z]{20,}|\\bxox[abpr]-[0-9A-Za-z\\-]{8,}|\\bya29\\.[0-9A-Za-z_\\-]+|\\bAIza[0-9A-Za-z_\\-]{30,}|\\by0_[0-9A-Za-z_\\-]{20,}|\\b\\d{8,10}:[0-9A-Za-z_\\-]{30,}";

/** Long opaque tokens: a word with at least 4 digits in its first part and 8 more characters (reset links, API keys, signatures). */
export const OPAQUE_TOKEN = "\\b(?:[A-Za-z_]{0,32}\\d){4}[A-Za-z0-9_]{8,}";

/** IPv4 and IPv6 (at least three colons, so clock times are not addresses). */
export const IP_ADDRESS = "\\b(?:\\d{1,3}\\.){3}\\d{1,3}\\b|\\b[0-9A-Fa-f]{1,4}(?::[0-9A-Fa-f]{0,4}){3,7}\\b";
/** In URLs only addresses in the path or query count (group 2 = what precedes them): `http://10.0.3.7/` names a server, not a person. */
const IP_IN_URL = `([^/]/|[=&?,;: ])(?:${IP_ADDRESS})`;

/** Russian text (names, addresses, notes), also percent-encoded (UTF-8 D0..D3 xx), once or twice. */
export const CYRILLIC = "[\\x{0400}-\\x{04FF}]+(?:[ .,\\-]*[\\x{0400}-\\x{04FF}]+)*|(?:%(?:25)?[Dd][0-3]%(?:25)?[89ABab][0-9A-Fa-f])+";

/** Capitalised words after the first word of a span name ("order for Ivan Petrov"): names of people; group 1 keeps what follows. */
export const NAME_IN_SPAN_NAME = "(?: [A-Z][a-z]{1,30})+( |$)";

const group = (...patterns: string[]) => patterns.map((p) => `(?:${p})`).join("|");

/**
 * Every pattern for values people can influence (URLs, routes, names, headers).
 * DIGIT_RUN comes first and owns group 1; the replacement puts it back.
 */
export const STRICT_PATTERN = `${DIGIT_RUN}|${group(EMAIL, KNOWN_TOKENS, OPAQUE_TOKEN, IP_ADDRESS, CYRILLIC)}`;
/** For opaque ids (header values, message ids): as STRICT_PATTERN without OPAQUE_TOKEN, which would hit hex request ids. */
export const ID_PATTERN = `${DIGIT_RUN}|${group(EMAIL, KNOWN_TOKENS, IP_ADDRESS, CYRILLIC)}`;
/** For URLs: as STRICT_PATTERN, but an address right after `//` is the server's. */
export const URL_PATTERN = `${DIGIT_RUN}|${IP_IN_URL}|${group(EMAIL, KNOWN_TOKENS, OPAQUE_TOKEN, CYRILLIC)}`;
/** For platform-set strings (k8s names, container ids, SDK versions, peer addresses): no token or IP patterns, which would hit ids and node addresses. */
export const INFRA_PATTERN = `${DIGIT_RUN}|${group(EMAIL, KNOWN_TOKENS, CYRILLIC)}`;
/** The replacement for the patterns above (group 1 = what preceded a digit run, group 2 = what preceded an address in a URL). */
export const PATTERN_REPLACEMENT = `\${1}\${2}${REDACTED}`;

/** A SQL number: hex, or decimal with an optional fraction and exponent. */
const SQL_NUMBER = "(?:0[xX][0-9A-Fa-f]+|\\d+(?:\\.\\d+)?(?:[eE][+-]?\\d+)?)";

/** SQL literals: comments, dollar-quoted and quoted strings (also E/U&/N/X-prefixed), hex and decimal numbers; not $1 placeholders, identifiers or percent-escapes. */
export const SQL_LITERALS = {
  comment: { pattern: "--[^\\n]*|/\\*[\\s\\S]*?\\*/", replacement: "" },
  dollarQuoted: { pattern: "\\$(?:[A-Za-z_][A-Za-z0-9_]*)?\\$[\\s\\S]*?\\$(?:[A-Za-z_][A-Za-z0-9_]*)?\\$", replacement: "?" },
  // Starts with the quote, a literal: Go's regexp then jumps from quote to quote instead of trying every position
  // (5.4 -> 1.0 us on a typical query). An E/N/X/B/U& prefix stays before the "?"; it holds nothing.
  quoted: { pattern: "'(?:[^'\\\\]|''|\\\\.)*'", replacement: "?" },
  // A number at the start, then one after any character but a word character, $, :, ., " or %: two patterns, since
  // "(^|[...])" first is a top-level alternation Go's regexp retries at every position (5.3 -> 0.3 + 3.6 us).
  numberAtStart: { pattern: `^${SQL_NUMBER}`, replacement: "?" },
  number: { pattern: `([^\\w$:."%])${SQL_NUMBER}`, replacement: "${1}?" },
} as const;

/**
 * Stack traces: frame lines (indented `at …`, `File "…"`, Go `\t/path:line`,
 * `... N more`) are kept; an exception type at the start of a line is kept;
 * every other line (messages, their continuations, source lines) is replaced.
 * Frames are first marked with a sentinel the input cannot contain (it is stripped).
 */
export const STACKTRACE_SENTINEL = "\u00a7";
export const STACKTRACE = {
  strip: { pattern: STACKTRACE_SENTINEL, replacement: "" },
  markFrames: { pattern: "(?m)^([ \\t]+(?:at [^\\n]*|File \"[^\\n]*|\\.\\.\\. \\d+ (?:more|common frames omitted))|\\t/[^\\n]*)$", replacement: `${STACKTRACE_SENTINEL}\${1}` },
  markTypes: {
    pattern: "(?m)^(?:Caused by: )?((?:[A-Za-z_$][A-Za-z0-9_$]*\\.)*(?:[A-Z][A-Za-z0-9_$]*)?(?:Error|Exception|Warning|Fault))(?::[^\\n]*)?$",
    replacement: `${STACKTRACE_SENTINEL}\${1}: ${REDACTED}`,
  },
  redactOthers: { pattern: `(?m)^[^${STACKTRACE_SENTINEL}\\n][^\\n]*$`, replacement: REDACTED },
  unmark: { pattern: STACKTRACE_SENTINEL, replacement: "" },
} as const;

/** HTTP methods kept as sent (semantic conventions); any other value becomes _OTHER. */
export const HTTP_METHOD = "^(?:GET|HEAD|POST|PUT|DELETE|CONNECT|OPTIONS|TRACE|PATCH|QUERY|_OTHER)$";
/** `token` values: identifier-like, starting with a letter, no spaces, at most 128 characters; or a code of up to 5 digits (error.type "500", SQLSTATE "23505"). */
export const TOKEN_SHAPE = "^(?:[A-Za-z_][A-Za-z0-9_.:$/\\-]{0,127}|[0-9]{1,5})$";
/** A token of TOKEN_SHAPE without a digit: no character a pattern needs (see SUSPECT), so one regex passes the common case. */
export const PLAIN_TOKEN = "^[A-Za-z_][A-Za-z_.:$/\\-]{0,127}$";
/** `version` values: 1 to 3 dotted numbers of at most 3 digits (four would be an IPv4 address). */
export const VERSION_SHAPE = "^\\d{1,3}(?:\\.\\d{1,3}){0,2}$";

/**
 * Guards, so that the slow patterns run only where they can match (Go's regexp
 * scans unanchored alternations slowly; a one-class scan, a literal or an
 * anchored shape is cheap). Every pattern above needs a digit, `@`, `%`, `(`,
 * a full-width at or a Cyrillic letter somewhere in the value.
 */
export const SUSPECT = "[0-9@＠%(\\x{0400}-\\x{04FF}]";
/** Header lists that are plainly ids, MIME types or small numbers: no pattern can match them, and hex ids must not be taken for tokens. */
export const SAFE_HEADER_LIST =
  '^\\["(?:[a-z]{1,8}-)?(?:[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}|[0-9a-f]{32}|[0-9a-f]{64}|[0-9]{1,9}|[a-z]+/[a-z0-9.+*\\-]+(?:; ?[a-z]+=[A-Za-z0-9.\\-]+)?)"(?:,"[a-z*]+/[a-z0-9.+*\\-]+(?:; ?[a-z]+=[A-Za-z0-9.\\-]+)?")*\\]$';
/** A query whose parameters are all allow-listed with short plain values (group 0 of the names is filled in by render/scrubbing.ts). */
export const safeQuery = (namesAlternation: string) => `^(?:(?:${namesAlternation})=[A-Za-z0-9_,\\-]{0,9}(?:&|$))+$`;
/*
 * Guards given as lists are ORed as separate IsMatch calls: Go's regexp has a
 * fast path for a literal prefix or a single class, none for a top-level
 * alternation, which it retries at every position (measured on a typical
 * query: "--|/\*" 4.1 us, "--" and "/\*" 0.1 us together).
 */
/** SQL comments. */
export const SQL_COMMENT_GUARD = ["--", "/\\*"] as const;
/** What the patterns can still match in a query once its literals are gone: `@`, `%`, Cyrillic, a JWT. */
export const SQL_SUSPECT = ["[@%\\x{0400}-\\x{04FF}]", "eyJ"] as const;
/** A character some SQL literal or comment needs ($, quote, digit, the - of --, the / of /*): a span name without one has nothing for the SQL rules. */
export const SQL_LITERAL_CHARACTER = "[0-9'$/-]";
/** A span name with a capitalised word after the first (a literal-prefixed scan). */
export const NAME_GUARD = " [A-Z]";
