/**
 * The bench's headline ratios (e2e/bench/headline.ts): baseline and pipelines
 * back to back, one ratio per pair, the median as the headline. Measurements
 * are stand-ins here (plain objects): the real ones need the Collector binary.
 */
import { headlineText, interleavedHeadline } from "../../e2e/bench/headline";
import { VariantResult } from "../../e2e/bench/report";

/** A result whose every round costs `cost` CPU s per 100k spans (1 process, 100k spans accepted). */
function result(id: string, cost: number): VariantResult {
  return { id, label: id, processes: ["p"], rounds: [{ cpu: { p: cost }, accepted: 100_000, delivered: 100_000, refused: 0 }], peakMiB: { p: 1 }, warmupSeconds: 0 };
}

describe("bench headline", () => {
  it("measures the baseline before each pair's pipelines and takes one ratio per pair", async () => {
    const order: string[] = [];
    const speeds = [1, 2, 3]; // the machine slows down from pair to pair: each ratio is still 2.5 and 2.0
    let pair = -1;
    const h = await interleavedHeadline(
      async () => (order.push("baseline"), pair++, result("baseline", 2 * speeds[pair])),
      { prod: async () => (order.push("prod"), result("prod", 5 * speeds[pair])), dev: async () => (order.push("dev"), result("dev", 4 * speeds[pair])) },
      3,
    );
    expect(order).toEqual(["baseline", "prod", "dev", "baseline", "prod", "dev", "baseline", "prod", "dev"]);
    expect(h.ratios.prod.map((x) => Number(x.toFixed(6)))).toEqual([2.5, 2.5, 2.5]);
    expect(h.ratios.dev.map((x) => Number(x.toFixed(6)))).toEqual([2, 2, 2]);
  });

  it("reports the median pair and every pair", () => {
    expect(headlineText({ ratios: { prod: [2.31, 2.05, 2.1] } }, "prod")).toBe("prod / fair baseline = **2.10x** (median of 3 back-to-back pairs: 2.31, 2.05, 2.10)");
    expect(headlineText({ ratios: {} }, "dev")).toBe("dev: not measured");
  });
});
