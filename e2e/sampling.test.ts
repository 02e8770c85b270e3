/**
 * Sampling (R7) with the dev stack's deployed percentages: ordinary traces
 * are kept at defaultSamplePercent within a stated binomial bound; errors,
 * slow traces and orders are all kept; health checks are dropped at the
 * gateway; a RabbitMQ consumer that runs after decision_wait still lands in
 * its order's trace (decision cache).
 */
import { progress } from "./harness/log";
import { consumer, orderFlowComplete } from "./harness/orderTrace";
import { attachStack } from "./harness/stack";
import { sleep, waitFor } from "./harness/supervisor";
import { openTraceStore } from "./harness/traceStore";
import { mapLimit, placeOrder, shopGet, runMarker } from "./harness/traffic";

const state = attachStack();
const tempo = openTraceStore(state);

/** Ordinary requests sent; each is its own trace. */
const N = 400;
const ERRORS = 20;
const SLOW = 5;
const HEALTH = 40;
const ORDERS = 8;

/**
 * Acceptance bound for the kept count of N ordinary traces at p =
 * defaultPercent/100: the binomial mean ± 4 standard deviations (for N=400,
 * p=0.25: 100 ± 34.6, so 66..134). A correct sampler falls outside it with
 * probability < 1e-4; keeping everything (400) or nothing (0) cannot pass.
 */
export function binomialBounds(n: number, p: number, sigmas = 4): { low: number; high: number } {
  const mean = n * p;
  const sd = Math.sqrt(n * p * (1 - p));
  return { low: Math.ceil(mean - sigmas * sd), high: Math.floor(mean + sigmas * sd) };
}

// Each kind of request carries marker=<kind><run>: `marker` is an allow-listed query parameter and the value is letters only, so it survives scrubbing (R12).
const count = async (tenant: string, kind: string, run: string) => (await tempo.find(tenant, { attribute: "url.query", contains: `marker=${kind}${run}` }, { limit: 2000, sinceSeconds: 1800 })).length;

describe("tail sampling (R7)", () => {
  const run = runMarker("");
  let orderTraceIds: string[];

  beforeAll(async () => {
    expect(state.sampling.defaultPercent).toBe(25); // the dev stack's value (Pulumi.dev.yaml)
    progress(`sampling: sending ${N} ordinary, ${ERRORS} error, ${SLOW} slow, ${HEALTH} health requests and ${ORDERS} orders`);
    const slow = mapLimit(Array.from({ length: SLOW }), SLOW, (_, i) => shopGet(state, `/slow?ms=${state.sampling.slowTraceThresholdMs + 400}&marker=slowrun${run}&page=${i}`));
    const ordinary = await mapLimit(Array.from({ length: N }), 16, (_, i) => shopGet(state, `/catalog?marker=catalogrun${run}&page=${i}`));
    const health = await mapLimit(Array.from({ length: HEALTH }), 8, (_, i) => shopGet(state, `/health?marker=healthrun${run}&page=${i}`));
    const orders = await mapLimit(Array.from({ length: ORDERS }), 4, () => placeOrder(state));
    // Errors last: once all of them are stored, every earlier trace has been decided and exported.
    const errors = await mapLimit(Array.from({ length: ERRORS }), 8, (_, i) => shopGet(state, `/error?marker=errorrun${run}&page=${i}`));
    expect(ordinary.every((s) => s === 200)).toBe(true);
    expect(health.every((s) => s === 200)).toBe(true);
    expect(errors.every((s) => s === 500)).toBe(true);
    expect((await slow).every((s) => s === 200)).toBe(true);
    orderTraceIds = orders.map((o) => o.traceId);
    progress("sampling: waiting for the always-kept traces");
    await waitFor("all error traces in the trace store", async () => (await count("platform", "errorrun", run)) >= ERRORS, { timeoutMs: 120_000, intervalMs: 2000 });
    await waitFor("all slow traces in the trace store", async () => (await count("platform", "slowrun", run)) >= SLOW, { timeoutMs: 60_000, intervalMs: 2000 });
  });

  it(`keeps ordinary traffic at defaultSamplePercent within the binomial 4-sigma bound (N=${N})`, async () => {
    const p = state.sampling.defaultPercent / 100;
    const bounds = binomialBounds(N, p);
    // Stable count: two equal readings 3 s apart.
    let previous = -1;
    const kept = await waitFor(
      "a stable count of kept ordinary traces",
      async () => {
        const now = await count("platform", "catalogrun", run);
        const stable = now === previous;
        previous = now;
        if (!stable) await sleep(3000);
        return stable ? now : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 0 },
    );
    progress(`sampling: kept ${kept} of ${N} ordinary traces (expected ${N * p}, accepted ${bounds.low}..${bounds.high})`);
    expect(kept).toBeGreaterThanOrEqual(bounds.low);
    expect(kept).toBeLessThanOrEqual(bounds.high);
    // Ordinary traces are never routed to tenant orders.
    expect(await count("orders", "catalogrun", run)).toBe(0);
  });

  it("keeps every error trace and every slow trace", async () => {
    expect(await count("platform", "errorrun", run)).toBe(ERRORS);
    expect(await count("platform", "slowrun", run)).toBe(SLOW);
  });

  it("keeps every order trace", async () => {
    for (const id of orderTraceIds) await tempo.waitForTrace("orders", id, orderFlowComplete, 60_000);
  });

  it("drops health-check spans at the gateway", async () => {
    expect(await count("platform", "healthrun", run)).toBe(0);
    expect(await count("orders", "healthrun", run)).toBe(0);
  });
});

describe("late RabbitMQ consumer (decision cache)", () => {
  it("a consumer that runs after decision_wait still lands in its order's trace", async () => {
    const delayMs = (state.decisionWaitSeconds + 15) * 1000;
    const order = await placeOrder(state, { consumerDelayMs: delayMs });
    expect(order.status).toBe(201);
    // The synchronous part is decided and stored first...
    const early = await tempo.waitForTrace("orders", order.traceId, (t) => t.spans.some((s) => s.service === "crm-api"), 60_000);
    expect(early.spans.some((s) => s.service === "mes-api")).toBe(false);
    // ...and the consumer's spans, arriving after the decision, join the same trace.
    const t = await tempo.waitForTrace("orders", order.traceId, orderFlowComplete, 90_000);
    const first = t.spans.reduce((min, s) => (s.startNs < min ? s.startNs : min), t.spans[0].startNs);
    const consume = consumer(t);
    expect(consume).toBeDefined();
    expect(Number((consume?.startNs ?? 0n) - first) / 1e9).toBeGreaterThan(state.decisionWaitSeconds);
    expect(t.spans.filter((s) => s.service === "mes-api").every((s) => s.attributes["order.id"] === order.orderId)).toBe(true);
  });
});
