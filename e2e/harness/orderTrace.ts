/** Finding the parts of an order's trace as Tempo stores it. */
import { StoredSpan, StoredTrace } from "./tempoClient";

export const isServer = (s: StoredSpan, service: string): boolean => s.service === service && s.kind === "SPAN_KIND_SERVER";
/** CRM API -> RabbitMQ: the publish span. */
export const producer = (t: StoredTrace): StoredSpan | undefined => t.spans.find((s) => s.service === "crm-api" && s.kind === "SPAN_KIND_PRODUCER");
/** RabbitMQ -> MES API: the delivery's processing span. */
export const consumer = (t: StoredTrace): StoredSpan | undefined => t.spans.find((s) => s.service === "mes-api" && s.kind === "SPAN_KIND_CONSUMER");
/** MES API -> MES database: query spans. */
export const dbSpans = (t: StoredTrace): StoredSpan[] => t.spans.filter((s) => s.service === "mes-api" && s.kind === "SPAN_KIND_CLIENT" && typeof s.attributes["db.query.text"] === "string");

/** Every part of the order flow has arrived (MES spans come last, after the consumer ran). */
export function orderFlowComplete(t: StoredTrace): boolean {
  return (
    t.spans.some((s) => isServer(s, "shop-api")) &&
    t.spans.some((s) => isServer(s, "crm-api")) &&
    producer(t) !== undefined &&
    consumer(t) !== undefined &&
    dbSpans(t).some((s) => String(s.attributes["db.query.text"]).startsWith("INSERT")) &&
    dbSpans(t).some((s) => String(s.attributes["db.query.text"]).startsWith("SELECT"))
  );
}
