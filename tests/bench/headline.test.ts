/**
 * The bench's headline ratios (e2e/bench/headline.ts): each pipeline between
 * two baseline runs, its ratio against their mean, the median as the headline. Measurements
 * are stand-ins here (plain objects): the real ones need the Collector binary.
 */
import { headlineText, interleavedHeadline } from "../../e2e/bench/headline";
import { VariantResult } from "../../e2e/bench/report";

/** A result whose every round costs `cost` CPU s per 100k spans (1 process, 100k spans accepted). */
function result(id: string, cost: number): VariantResult {
  return { id, label: id, processes: ["p"], rounds: [{ cpu: { p: cost }, accepted: 100_000, delivered: 100_000, refused: 0 }], peakMiB: { p: 1 }, warmupSeconds: 0 };
}

describe("bench headline", () => {
  it("measures the baseline before and after each pipeline and takes its ratio against their mean", async () => {
    const order: string[] = [];
    // The machine slows down with every measurement: the first prod run costs 10 between baselines of 2 and 6 (mean 4),
    // so 2.5; against the baseline before it alone it would read 5.
    let step = 0;
    const speed = () => 1 + step++;
    const h = await interleavedHeadline(
      async () => (order.push("baseline"), result("baseline", 2 * speed())),
      { prod: async () => (order.push("prod"), result("prod", 5 * speed())), dev: async () => (order.push("dev"), result("dev", 4 * speed())) },
      2,
    );
    expect(order).toEqual(["baseline", "prod", "baseline", "dev", "baseline", "prod", "baseline", "dev", "baseline"]);
    expect(h.ratios.prod.map((x) => Number(x.toFixed(6)))).toEqual([2.5, 2.5]);
    expect(h.ratios.dev.map((x) => Number(x.toFixed(6)))).toEqual([2, 2]);
  });

  it("reports the median pair and every pair", () => {
    expect(headlineText({ ratios: { prod: [2.31, 2.05, 2.1] } }, "prod")).toBe("prod / fair baseline = **2.10x** (median of 3 runs, each between two baseline runs: 2.31, 2.05, 2.10)");
    expect(headlineText({ ratios: {} }, "dev")).toBe("dev: not measured");
  });
});
