/**
 * `tracing:scrubbing` (R12): a stack's additions to the gateway's allow-lists
 * (render/attributeAllowList.ts) and its id formats. Additions only: nothing
 * here can remove a default, admit a credential or client-address header, or
 * a key whose name says it holds personal data; id formats must be anchored
 * RE2 without case folding and must reject sample personal values.
 */
import { NEVER_HEADERS, NEVER_KEY_WORDS } from "../render/attributeAllowList";
import { ScrubbingOptions } from "../render/scrubbing";
import { SEMCONV_OLD_NAMES, SEMCONV_RENAMES } from "../render/semconv";
import { FieldReader } from "./fields";

const LIST_FIELDS = ["spanAttributes", "eventAttributes", "resourceAttributes", "scopeAttributes", "requestHeaders", "responseHeaders", "queryParameters", "eventNames"] as const;
const PATTERN_FIELDS = ["orderIdPattern", "userIdPattern"] as const;
type ListField = (typeof LIST_FIELDS)[number];

const ATTRIBUTE_KEY = /^[a-z][a-z0-9_]*(?:[.-][a-z0-9_]+)*$/;
const HEADER = /^[a-z0-9][a-z0-9-]{0,63}$/;
const QUERY_PARAMETER = /^[A-Za-z][A-Za-z0-9_.-]{0,63}$/;
const EVENT_NAME = /^[A-Za-z][A-Za-z0-9_.: -]{0,63}$/;
/** Values an id format must never accept. */
export const PERSONAL_SAMPLES = ["ivan.petrov@example.com", "+79123456789", "79123456789", "89123456789", "4111111111111111", "Иван Петров", "ivan_petrov", "4510 123456"] as const;

function namesPersonalData(name: string): boolean {
  const lower = name.toLowerCase();
  const words = NEVER_KEY_WORDS as readonly string[];
  return lower.split(/[._-]/).some((part) => words.includes(part)) || words.some((w) => /[_-]/.test(w) && lower.includes(w));
}

/** A problem with one added item, or undefined. */
function itemProblem(field: ListField, item: string): string | undefined {
  if (field === "requestHeaders" || field === "responseHeaders") {
    if (!HEADER.test(item)) return "is not a lowercase header name";
    if ((NEVER_HEADERS as readonly string[]).includes(item)) return "carries credentials or client addresses and can never be kept";
    return namesPersonalData(item) ? "names personal data or a secret" : undefined;
  }
  if (field === "eventNames") return EVENT_NAME.test(item) ? undefined : "is not an event name (letters first, at most 64 of A-Z a-z 0-9 _ . : - and spaces)";
  if (field === "queryParameters" && !QUERY_PARAMETER.test(item)) return "is not a query parameter name";
  if (field !== "queryParameters" && !ATTRIBUTE_KEY.test(item)) return "is not a lowercase dotted attribute key";
  if (field === "spanAttributes" && SEMCONV_OLD_NAMES.has(item)) {
    const current = SEMCONV_RENAMES.filter((r) => r.from === item).map((r) => r.to);
    return `is a deprecated semantic-convention name the gateway renames or drops${current.length ? `; add ${current.join(" or ")} instead` : ""}`;
  }
  return namesPersonalData(item) ? "names personal data or a secret (R12): such keys are never admitted" : undefined;
}

/** A problem with an id format, or undefined. */
export function idPatternProblem(pattern: string): string | undefined {
  if (!pattern.startsWith("^") || !pattern.endsWith("$")) return "must be anchored with ^ and $";
  if (/\(\?[a-zA-Z]|\(\?[=!<]|\\[1-9]/.test(pattern)) return "must be RE2 without flags, lookarounds or back-references";
  let re: RegExp;
  try {
    re = new RegExp(pattern, "u");
  } catch (e) {
    return `is not a regular expression: ${(e as Error).message}`;
  }
  const accepted = PERSONAL_SAMPLES.filter((s) => re.test(s));
  return accepted.length > 0 ? `accepts personal data (${accepted.join(", ")})` : undefined;
}

export function parseScrubbingConfig(r: FieldReader): ScrubbingOptions {
  const key = "scrubbing";
  const o = r.object(key, { required: false, allowed: `an object with ${[...LIST_FIELDS, ...PATTERN_FIELDS].join(", ")} (all optional)` });
  if (!o) return {};
  const out: Record<string, unknown> = {};
  for (const field of Object.keys(o)) {
    if (!([...LIST_FIELDS, ...PATTERN_FIELDS] as readonly string[]).includes(field)) r.problem(`tracing:${key}.${field}: unknown field; allowed: ${[...LIST_FIELDS, ...PATTERN_FIELDS].join(", ")}`);
  }
  for (const field of LIST_FIELDS) {
    const value = o[field];
    if (value === undefined) continue;
    if (!Array.isArray(value) || value.some((v) => typeof v !== "string")) {
      r.problem(`tracing:${key}.${field} = ${JSON.stringify(value)}: must be a list of strings`);
      continue;
    }
    for (const item of value as string[]) {
      const problem = itemProblem(field, item);
      if (problem) r.problem(`tracing:${key}.${field} item ${JSON.stringify(item)}: ${problem}`);
    }
    out[field] = value;
  }
  for (const field of PATTERN_FIELDS) {
    const value = o[field];
    if (value === undefined) continue;
    const problem = typeof value === "string" ? idPatternProblem(value) : "must be a string";
    if (problem) r.problem(`tracing:${key}.${field} = ${JSON.stringify(value)}: ${problem}`);
    else out[field] = value;
  }
  return out as ScrubbingOptions;
}
