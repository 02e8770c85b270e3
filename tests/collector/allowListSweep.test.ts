/**
 * R12, by class rather than by example: every personal-data format of the
 * corpus classes, bare, inside text and inside a list, under EVERY kept
 * attribute key (span, event, resource), through the rendered gateway in the
 * OTTL simulator. A key added to the allow-list is swept automatically.
 */
import { EVENT_ATTRIBUTES, RESOURCE_ATTRIBUTES, SPAN_ATTRIBUTES } from "../../render/attributeAllowList";
import { scrubCorpusTrace } from "./gatewaySim";
import { Attributes, CorpusTrace, Value } from "./privacyCorpus";
import { leakedSecrets } from "./privacyCorpusCheck";
import { gateway } from "./support";

const config = gateway();
/** [value, what must not survive]; none of these appears in privacyCorpus.ts. */
const FORMATS: [string, string][] = [
  ["+7 (903) 765-43-21", "9037654321"], ["89037654321", "9037654321"], ["9037654321", "9037654321"], ["8.903.765.43.21", "9037654321"], ["%2B79037654321", "9037654321"],
  ["anna.k@yandex.ru", "anna.k"], ["anna.k%40yandex.ru", "anna.k"], ["анна@почта.рф", "анна"], ["5469 3800 1234 5678", "5469380012345678"], ["5469\u00a03800\u00a01234\u00a05678", "5469380012345678"],
  ["4510 654321", "4510654321"], ["123-456-789 01", "12345678901"], ["7743013902", "7743013902"], ["198.51.100.99", "198.51.100.99"], ["Светлана Иванова", "Светлана"],
  ["eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJlX2hlcmU", "c2lnbmF0dXJl"],
];
const WRAPS: ((v: string) => Value)[] = [(v) => v, (v) => `x ${v} y`, (v) => [v]];

function anchor(key: string): Attributes {
  if (key.startsWith("db.")) return { "db.system.name": "postgresql" };
  if (key.startsWith("messaging.")) return { "messaging.system": "rabbitmq" };
  return { "http.request.method": "GET", "http.route": "/x" };
}

function sweep(where: "span" | "event" | "resource", keys: readonly string[]): string[] {
  const leaks: string[] = [];
  for (const key of keys)
    for (const [v, secret] of FORMATS)
      for (const wrap of WRAPS) {
        const value = key === "db.query.text" && typeof wrap(v) === "string" ? `SELECT * FROM t WHERE a = ${wrap(v) as string}` : wrap(v);
        const t: CorpusTrace = { resource: { "service.name": "s" }, scope: {}, span: { name: "GET", kind: "SPAN_KIND_CLIENT", statusMessage: "", traceState: "", attributes: anchor(key), events: [], links: [] } };
        if (where === "span") t.span.attributes[key] = value;
        if (where === "event") t.span.events.push({ name: "exception", attributes: { [key]: value } });
        if (where === "resource") t.resource[key] = value;
        if (leakedSecrets([secret], scrubCorpusTrace(config, t)).length > 0) leaks.push(`${where} ${key} ${JSON.stringify(value)}`);
      }
  return leaks;
}

describe("every personal-data format under every kept key", () => {
  it("span attributes", () => expect(sweep("span", Object.keys(SPAN_ATTRIBUTES))).toEqual([]));
  it("span event attributes", () => expect(sweep("event", Object.keys(EVENT_ATTRIBUTES))).toEqual([]));
  it("resource attributes", () => expect(sweep("resource", Object.keys(RESOURCE_ATTRIBUTES))).toEqual([]));
});
