/**
 * R12 sweep, by class rather than by example: every personal-data format
 * below, bare, inside text and inside a list, under EVERY kept attribute key
 * (span, span event, resource). A key added to the allow-list is swept
 * automatically. Run in the OTTL simulator (allowListSweep.test.ts) and in the
 * real gateway binary (e2e/privacyCorpus.test.ts).
 */
import { EVENT_ATTRIBUTES, RESOURCE_ATTRIBUTES, SPAN_ATTRIBUTES } from "../../render/attributeAllowList";
import { Attributes, CorpusTrace, Value } from "./privacyCorpus";

/** [value, what must not survive]; none of these appears in privacyCorpus.ts. */
export const SWEEP_FORMATS: readonly [string, string][] = [
  ["+7 (903) 765-43-21", "9037654321"], ["89037654321", "9037654321"], ["9037654321", "9037654321"], ["8.903.765.43.21", "9037654321"], ["%2B79037654321", "9037654321"],
  ["anna.k@yandex.ru", "anna.k"], ["anna.k%40yandex.ru", "anna.k"], ["анна@почта.рф", "анна"], ["5469 3800 1234 5678", "5469380012345678"], ["5469\u00a03800\u00a01234\u00a05678", "5469380012345678"],
  ["4510 654321", "4510654321"], ["123-456-789 01", "12345678901"], ["7743013902", "7743013902"], ["198.51.100.99", "198.51.100.99"], ["Светлана Иванова", "Светлана"],
  ["eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJlX2hlcmU", "c2lnbmF0dXJl"],
];
const WRAPS: ((v: string) => Value)[] = [(v) => v, (v) => `x ${v} y`, (v) => [v]];

export interface SweepCase {
  readonly label: string;
  readonly secret: string;
  readonly trace: CorpusTrace;
}

function anchor(key: string): Attributes {
  if (key.startsWith("db.")) return { "db.system.name": "postgresql" };
  if (key.startsWith("messaging.")) return { "messaging.system": "rabbitmq" };
  return { "http.request.method": "GET", "http.route": "/x" };
}

function cases(where: "span" | "event" | "resource", keys: readonly string[]): SweepCase[] {
  return keys.flatMap((key) =>
    SWEEP_FORMATS.flatMap(([v, secret]) =>
      WRAPS.map((wrap) => {
        const wrapped = wrap(v);
        const value = key === "db.query.text" && typeof wrapped === "string" ? `SELECT * FROM t WHERE a = ${wrapped}` : wrapped;
        const trace: CorpusTrace = { resource: { "service.name": "s" }, scope: {}, span: { name: "GET", kind: "SPAN_KIND_CLIENT", statusMessage: "", traceState: "", attributes: anchor(key), events: [], links: [] } };
        if (where === "span") trace.span.attributes[key] = value;
        if (where === "event") trace.span.events.push({ name: "exception", attributes: { [key]: value } });
        if (where === "resource") trace.resource[key] = value;
        return { label: `${where} ${key} ${JSON.stringify(value)}`, secret, trace };
      }),
    ),
  );
}

export const SWEEP = {
  span: cases("span", Object.keys(SPAN_ATTRIBUTES)),
  event: cases("event", Object.keys(EVENT_ATTRIBUTES)),
  resource: cases("resource", Object.keys(RESOURCE_ATTRIBUTES)),
};
