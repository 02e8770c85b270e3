/**
 * Tenant routing (R9) and the RabbitMQ acknowledgement (R2): spans with
 * order.id land in tenant `orders`, everything else in `platform`; Support's
 * tenant returns no platform traces, Engineering's `orders|platform` returns
 * both. A publish the broker nacks is an error span, and the error keeps the
 * trace.
 */
import { progress } from "./harness/log";
import { producer } from "./harness/orderTrace";
import { attachStack } from "./harness/stack";
import { SpanMatch, StoredTrace } from "./harness/tempoClient";
import { openTraceStore } from "./harness/traceStore";
import { placeOrder, shopGet, runMarker } from "./harness/traffic";
import { waitFor } from "./harness/supervisor";

const state = attachStack();
const tempo = openTraceStore(state);

describe("tenants (R9)", () => {
  const marker = runMarker("tenantcheck");
  const query: SpanMatch = { attribute: "url.query", contains: `marker=${marker}` };
  let orderTraceId: string;
  let platformTraceIds: string[];

  beforeAll(async () => {
    const order = await placeOrder(state, { query: { marker } });
    expect(order.status).toBe(201);
    orderTraceId = order.traceId;
    // A non-order trace that is always kept (an error): tenant platform.
    expect(await shopGet(state, `/error?marker=${marker}`)).toBe(500);
    progress(`tenants: waiting for the order and the error trace in the trace store (${tempo.mode})`);
    platformTraceIds = await waitFor(
      "the error trace in tenant platform",
      async () => {
        const hits = await tempo.find("platform", query);
        return hits.length > 0 ? hits.map((h) => h.traceID) : undefined;
      },
      { timeoutMs: 90_000, intervalMs: 1000 },
    );
    await waitFor("the order trace in tenant orders", async () => (await tempo.find("orders", query)).length > 0, { timeoutMs: 90_000, intervalMs: 1000 });
  });

  it("tenant orders returns the order trace and no platform trace", async () => {
    expect((await tempo.find("orders", query)).map((h) => h.traceID)).toEqual([orderTraceId]);
    for (const id of platformTraceIds) expect(await tempo.trace("orders", id)).toBeUndefined();
  });

  it("tenant platform returns the non-order trace only", async () => {
    const hits = await tempo.find("platform", query);
    expect(hits.map((h) => h.traceID)).toEqual(platformTraceIds);
    expect(platformTraceIds).not.toContain(orderTraceId);
  });

  it("orders|platform returns both", async () => {
    const hits = await tempo.find("orders|platform", query);
    expect(new Set(hits.map((h) => h.traceID))).toEqual(new Set([orderTraceId, ...platformTraceIds]));
  });

  it("every span in tenant orders carries order.id (recent traces)", async () => {
    const recent = await tempo.find("orders", undefined, { limit: 40, sinceSeconds: 900 });
    expect(recent.length).toBeGreaterThan(0);
    for (const hit of recent) {
      const t = (await tempo.trace("orders", hit.traceID)) as StoredTrace;
      expect(t.spans.filter((s) => typeof s.attributes["order.id"] !== "string").map((s) => `${s.service} ${s.name}`)).toEqual([]);
    }
  });
});

describe("RabbitMQ acknowledgement (R2)", () => {
  it("a publish the broker nacks is an error span, and the trace is kept", async () => {
    const order = await placeOrder(state, { simulateNack: true });
    // CRM reports the refused message; the Shop API answers 502.
    expect(order.status).toBe(502);
    const t = await tempo.waitForTrace("orders", order.traceId, (x) => producer(x) !== undefined && x.spans.some((s) => s.service === "shop-api" && s.kind === "SPAN_KIND_SERVER"), 90_000);
    const publish = producer(t);
    expect(publish?.status).toBe("STATUS_CODE_ERROR");
    expect(publish?.attributes["error.type"]).toBe("nack");
    expect(publish?.attributes["messaging.rabbitmq.destination.routing_key"]).toBe("orders.rejecting");
    const shop = t.spans.find((s) => s.service === "shop-api" && s.kind === "SPAN_KIND_SERVER");
    expect(shop?.attributes["http.response.status_code"]).toBe(502);
    expect(shop?.status).toBe("STATUS_CODE_ERROR");
    // Nothing reached MES.
    expect(t.spans.some((s) => s.service === "mes-api")).toBe(false);
  });
});
