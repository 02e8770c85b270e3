/**
 * The trace store's OTLP receiver rules, pushed to directly (R10, R9): TLS
 * 1.3 only, a client certificate of the stack CA required, one tenant in
 * X-Scope-OrgID. The same checks run against real Tempo (TEMPO_BIN, the prod
 * stack's rendered receiver config) and against the capture store, so they
 * also prove the capture store applies Tempo's rules. With the capture store
 * they then check what the samplers actually sent: every request over the
 * sampler's certificate, to tenant orders or platform, orders spans carrying
 * order.id and platform spans not.
 */
import { randomUUID } from "crypto";
import { CaptureStoreReader } from "./harness/captureStore";
import { PushAttempt, pushSpan } from "./harness/otlpPush";
import { attachStack } from "./harness/stack";
import { waitFor } from "./harness/supervisor";
import { openTraceStore } from "./harness/traceStore";
import { placeOrder, runMarker, shopGet } from "./harness/traffic";

const state = attachStack();
const store = openTraceStore(state);
const run = randomUUID().replace(/-/g, "").slice(0, 16);
const marker = (variant: string) => `RCV-${run}-${variant}`;

const push = (variant: string, a: PushAttempt) => pushSpan(state.traceStore.otlpGrpcPort, state.pki.caFile, a, { "order.id": marker(variant) });

const storedIn = async (tenant: string, variant: string) => (await store.find(tenant, { attribute: "order.id", equals: marker(variant) })).length > 0;
const sampler = () => state.pki.workloads["collector-sampler"];

describe(`trace store receiver rules (${store.mode})`, () => {
  it("refuses a client without a certificate", async () => {
    expect(await push("no-cert", { tenant: "orders" })).toBe(false);
  });

  it("refuses a certificate of another CA", async () => {
    expect(await push("rogue", { client: state.pki.rogueClient, tenant: "orders" })).toBe(false);
  });

  it("refuses TLS 1.2, even with a valid certificate", async () => {
    expect(await push("tls12", { client: sampler(), maxTls: "TLSv1.2", tenant: "orders" })).toBe(false);
  });

  it("refuses a push without X-Scope-OrgID (multitenancy)", async () => {
    expect(await push("no-tenant", { client: sampler() })).toBe(false);
  });

  it("accepts TLS 1.3 with the sampler's certificate and a tenant, and stores the span in that tenant only", async () => {
    expect(await push("ok", { client: sampler(), tenant: "orders" })).toBe(true);
    await waitFor("the accepted span", () => storedIn("orders", "ok"), { timeoutMs: 60_000, intervalMs: 1000 });
    expect(await storedIn("platform", "ok")).toBe(false);
  });

  it("stored none of the refused spans, in any tenant", async () => {
    for (const variant of ["no-cert", "rogue", "tls12", "no-tenant"]) expect({ variant, stored: await storedIn("orders|platform", variant) }).toEqual({ variant, stored: false });
  });
});

if (store instanceof CaptureStoreReader) {
  describe("what the samplers sent (capture store)", () => {
    it("every request came over the sampler's certificate to tenant orders or platform, orders spans with order.id, platform spans without", async () => {
      // Traffic of both tenants through the whole pipeline first.
      // Through the gateway: a letters-only marker, so the allow-listed query parameter survives scrubbing (R12).
      const flow = runMarker("rcvflow");
      const order = await placeOrder(state, { query: { marker: flow } });
      expect(order.status).toBe(201);
      expect(await shopGet(state, `/error?marker=${flow}`)).toBe(500);
      await store.waitForTrace("orders", order.traceId, (t) => t.spans.some((s) => s.service === "crm-api"), 90_000);
      await waitFor("the error trace in platform", async () => (await store.find("platform", { attribute: "url.query", contains: `marker=${flow}` })).length > 0, { timeoutMs: 90_000, intervalMs: 1000 });
      // The checks above pushed over the sampler's certificate too; only the samplers' own requests count here.
      const fromSamplers = store.requests().filter((r) => !r.spans.some((s) => String(s.attributes["order.id"] ?? "").startsWith(`RCV-${run}`)));
      expect(fromSamplers.length).toBeGreaterThan(0);
      expect([...new Set(fromSamplers.map((r) => r.client))]).toEqual([expect.stringMatching(/CN=\*\.collector-sampler\.tracing\.svc/)]);
      expect([...new Set(fromSamplers.map((r) => r.tenant))].sort()).toEqual(expect.arrayContaining(["orders", "platform"]));
      for (const r of fromSamplers) {
        const wrong = r.spans.filter((s) => (r.tenant === "orders") !== (typeof s.attributes["order.id"] === "string"));
        expect({ tenant: r.tenant, wrong: wrong.map((s) => `${s.service} ${s.name}`) }).toEqual({ tenant: r.tenant, wrong: [] });
      }
    });
  });
}
