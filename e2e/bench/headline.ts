/**
 * The headline ratios, measured against drift (R7, issue 15). This machine's
 * speed moves during a run: in one 12-minute run the same gateway config cost
 * 4.0 and 5.4 CPU s per 100k spans eight minutes apart, and single 8-second
 * baseline windows a minute apart differed by half. So each full pipeline is
 * bracketed: the fair baseline is measured right before and right after it
 * (`baseline, prod, baseline, dev, baseline, ...`), each measurement over
 * several windows (run.ts), and the pipeline's ratio is taken against the
 * mean of its two neighbouring baselines. This is done BENCH_HEADLINE_PAIRS
 * times (default 3); each headline is the median of its ratios.
 */
import { median, ratio, VariantResult } from "./report";

export const HEADLINE_PAIRS = Number(process.env.BENCH_HEADLINE_PAIRS ?? 3);
/** Windows per headline measurement (the median of them is its cost). */
export const HEADLINE_ROUNDS = Number(process.env.BENCH_HEADLINE_ROUNDS ?? 3);

export interface HeadlineRatios {
  /** stack id -> the ratio (median CPU per 100k spans, pipeline / its bracketing baselines) of each pass, in measurement order. */
  readonly ratios: Readonly<Record<string, readonly number[]>>;
}

/** `result`'s cost over the mean cost of the baselines measured just before and just after it. */
function bracketedRatio(result: VariantResult, before: VariantResult, after: VariantResult): number {
  return 2 / (1 / ratio(result, before) + 1 / ratio(result, after));
}

/** Runs `baseline`, then each of `pipelines` followed by `baseline` again (each call measures one variant), `pairs` times. */
export async function interleavedHeadline(
  baseline: () => Promise<VariantResult>,
  pipelines: Readonly<Record<string, () => Promise<VariantResult>>>,
  pairs = HEADLINE_PAIRS,
): Promise<HeadlineRatios> {
  const ratios: Record<string, number[]> = Object.fromEntries(Object.keys(pipelines).map((id) => [id, []]));
  let before = await baseline();
  for (let i = 0; i < pairs; i++) {
    for (const [id, run] of Object.entries(pipelines)) {
      const result = await run();
      const after = await baseline();
      ratios[id].push(bracketedRatio(result, before, after));
      before = after;
    }
  }
  return { ratios };
}

/** "prod / fair baseline = **2.10x** (median of 3 runs, each between two baseline runs: 2.05, 2.10, 2.31)". */
export function headlineText(h: HeadlineRatios, id: string): string {
  const xs = h.ratios[id];
  if (!xs || xs.length === 0) return `${id}: not measured`;
  return `${id} / fair baseline = **${median(xs).toFixed(2)}x** (median of ${xs.length} runs, each between two baseline runs: ${xs.map((x) => x.toFixed(2)).join(", ")})`;
}
