/**
 * R1, R2, R12 on real traffic: orders placed at the Shop API travel Shop ->
 * CRM -> RabbitMQ -> MES -> PostgreSQL, through the gateway and samplers
 * running the rendered dev configs, into the trace store (real Tempo with
 * TEMPO_BIN, else the capture store: what the samplers send). Every order's
 * trace must arrive in tenant `orders` (and, in real Tempo, be found there by
 * TraceQL on its order id), hold the three services and the three risky hops
 * with every R2 field, and contain none of the personal data planted in the
 * requests.
 */
import { REDACTED } from "../render/scrubbing";
import { attachStack } from "./harness/stack";
import { consumer, dbSpans, isServer, orderFlowComplete, producer } from "./harness/orderTrace";
import { StoredSpan, StoredTrace } from "./harness/tempoClient";
import { itWithRealTempo, openTraceStore, realTempo } from "./harness/traceStore";
import { mapLimit, PlacedOrder, placeOrder, plantedForms, PLANTED, shopGet, runMarker } from "./harness/traffic";
import { progress } from "./harness/log";
import { waitFor } from "./harness/supervisor";

const state = attachStack();
const tempo = openTraceStore(state);
const ORDERS = 6;

describe("order traces (R1, R2, R12)", () => {
  let orders: PlacedOrder[];
  const traces = new Map<string, StoredTrace>();

  beforeAll(async () => {
    orders = await mapLimit(Array.from({ length: ORDERS }), 3, () => placeOrder(state));
    progress(`orders: placed ${orders.length}, waiting for their traces in the trace store (${tempo.mode})`);
    for (const o of orders) traces.set(o.orderId, await tempo.waitForTrace("orders", o.traceId, orderFlowComplete, 120_000));
  });

  it("accepts every order (201 from the Shop API)", () => {
    expect(orders.map((o) => o.status)).toEqual(orders.map(() => 201));
  });

  it("sends every order to tenant orders, with order.id on its spans", async () => {
    for (const o of orders) {
      // Tempo's search sees a trace a few seconds after its trace-by-id lookup does: poll.
      const found = await waitFor(`order ${o.orderId} by order.id`, async () => {
        const hits = await tempo.find("orders", { attribute: "order.id", equals: o.orderId });
        return hits.length > 0 ? hits.map((h) => h.traceID) : undefined;
      }, { timeoutMs: 60_000, intervalMs: 1000 });
      expect(found).toEqual([o.traceId]);
    }
  });

  itWithRealTempo('finds every order in tenant orders by TraceQL { span.order.id = "<id>" }, and not in platform', async () => {
    const tempoApi = realTempo(state);
    for (const o of orders) {
      // Search sees a trace once the live-store has it (after max_trace_idle): poll.
      const found = await waitFor(
        `order ${o.orderId} in search`,
        async () => {
          const hits = await tempoApi.search("orders", `{ span.order.id = "${o.orderId}" }`);
          return hits.length > 0 ? hits.map((h) => h.traceID) : undefined;
        },
        { timeoutMs: 60_000, intervalMs: 1000 },
      );
      expect(found).toEqual([o.traceId]);
      expect(await tempoApi.search("platform", `{ span.order.id = "${o.orderId}" }`)).toEqual([]);
    }
  });

  it("holds one trace per order with spans of all three services and the three risky hops (R1)", () => {
    for (const o of orders) {
      const t = traces.get(o.orderId) as StoredTrace;
      expect(new Set(t.spans.map((s) => s.traceId))).toEqual(new Set([o.traceId]));
      expect(new Set(t.spans.map((s) => s.service))).toEqual(new Set(["shop-api", "crm-api", "mes-api"]));
      // CRM API -> RabbitMQ, RabbitMQ -> MES API, MES API -> MES database.
      const publish = producer(t) as StoredSpan;
      const consume = consumer(t) as StoredSpan;
      expect(publish.attributes["messaging.system"]).toBe("rabbitmq");
      expect(publish.attributes["messaging.rabbitmq.destination.routing_key"]).toBe("orders");
      expect(consume.attributes["messaging.system"]).toBe("rabbitmq");
      expect(consume.parentSpanId).toBe(publish.spanId);
      for (const db of dbSpans(t)) expect(db.attributes["db.system.name"]).toBe("postgresql");
      // The database spans run inside the consumer's processing.
      expect(dbSpans(t).every((db) => db.startNs >= consume.startNs)).toBe(true);
    }
  });

  it("carries every R2 field", () => {
    for (const o of orders) {
      const t = traces.get(o.orderId) as StoredTrace;
      for (const s of t.spans) {
        // order id and user id on every span (baggage copied by the span processor); trace and span ids native.
        expect({ span: `${s.service} ${s.name}`, order: s.attributes["order.id"], user: s.attributes["user.id"] }).toEqual({ span: `${s.service} ${s.name}`, order: o.orderId, user: o.userId });
        expect(s.traceId).toBe(o.traceId);
        expect(s.spanId).toMatch(/^[0-9a-f]{16}$/);
        expect(["shop-api", "crm-api", "mes-api"]).toContain(s.resource["service.name"]);
        // Entry and exit timestamps.
        expect(s.startNs).toBeGreaterThan(0n);
        expect(s.endNs).toBeGreaterThanOrEqual(s.startNs);
      }
      const shop = t.spans.find((s) => isServer(s, "shop-api")) as StoredSpan;
      const crm = t.spans.find((s) => isServer(s, "crm-api")) as StoredSpan;
      // HTTP status codes and request parameters: route, query (scrubbed), allow-listed headers only.
      expect(shop.attributes["http.response.status_code"]).toBe(201);
      expect(crm.attributes["http.response.status_code"]).toBe(202);
      expect(shop.attributes["http.route"]).toBe("/orders");
      // Only allow-listed query parameters stay (email is not one).
      expect(shop.attributes["url.query"]).toBe("source=e2e");
      // Header values arrive as lists and keep their type.
      expect(shop.attributes["http.request.header.x-request-id"]).toEqual([o.requestId]);
      expect(shop.attributes["http.request.header.accept"]).toEqual(["application/json"]);
      expect(Object.keys(shop.attributes).filter((k) => /authorization|cookie/i.test(k))).toEqual([]);
      // RabbitMQ received the message: the confirm-channel publish span ended OK on the broker's ack.
      expect(producer(t)?.status).toBe("STATUS_CODE_OK");
    }
  });

  it("stores none of the personal data planted in the requests (R12)", async () => {
    const forms = plantedForms();
    for (const o of orders) {
      // Read across both tenants: nothing may be stored anywhere.
      const stored = (await tempo.trace("orders|platform", o.traceId)) as StoredTrace;
      expect(stored.spans.length).toBe(traces.get(o.orderId)?.spans.length);
      expect(forms.filter((f) => stored.raw.includes(f))).toEqual([]);
      expect(stored.raw.toLowerCase()).not.toContain(PLANTED.email.toLowerCase());
    }
    // The careless parts were really exercised: scrubbed forms are present where the apps put the data.
    const t = traces.get(orders[0].orderId) as StoredTrace;
    const select = dbSpans(t).find((s) => String(s.attributes["db.query.text"]).startsWith("SELECT")) as StoredSpan;
    expect(select.attributes["db.query.text"]).toBe("SELECT count(*) FROM customer_contacts WHERE email = ? OR phone = ? OR full_name = ? OR card_number = ? OR loyalty_points > ?");
    const shop = t.spans.find((s) => isServer(s, "shop-api")) as StoredSpan;
    // The event name is not on the allow-list (free text) and customer.contact is not a kept key.
    expect(shop.events.map((e) => e.name)).toContain(REDACTED);
    expect(shop.events.flatMap((e) => Object.keys(e.attributes))).not.toContain("customer.contact");
    const crm = t.spans.find((s) => isServer(s, "crm-api")) as StoredSpan;
    expect(crm.events.find((e) => e.name === "exception")?.attributes["exception.message"]).toBe(REDACTED);
  });

  it("stores no personal data sent in an allow-listed header (array-valued attribute)", async () => {
    // x-correlation-id is kept by the gateway's header allow-list; HTTP instrumentations record
    // header values as string arrays, so the value patterns must reach inside arrays too (R12).
    const marker = runMarker("hdr");
    expect(await shopGet(state, `/error?marker=${marker}`, { "x-correlation-id": `${PLANTED.email} ${PLANTED.phone}` })).toBe(500);
    const hits = await waitFor(
      "the error trace in tenant platform",
      async () => {
        const found = await tempo.find("platform", { attribute: "url.query", equals: `marker=${marker}` });
        return found.length > 0 ? found : undefined;
      },
      { timeoutMs: 90_000, intervalMs: 1000 },
    );
    const stored = (await tempo.trace("platform", hits[0].traceID)) as StoredTrace;
    expect(stored.spans[0].attributes["http.request.header.x-correlation-id"]).toBeDefined();
    expect(plantedForms().filter((f) => stored.raw.includes(f))).toEqual([]);
  });

  it("keeps order spans out of tenant platform", async () => {
    for (const o of orders) expect(await tempo.trace("platform", o.traceId)).toBeUndefined();
  });
});
