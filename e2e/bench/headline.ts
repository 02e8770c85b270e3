/**
 * The headline ratios, measured against drift (R7, issue 15). This machine's
 * speed moves during a run: in one 12-minute run the same gateway config cost
 * 4.0 and 5.4 CPU s per 100k spans eight minutes apart, so a ratio of two
 * rows measured minutes apart carries that drift. Here the fair baseline and
 * each full pipeline are measured back to back, BENCH_HEADLINE_PAIRS times
 * (default 3), and each headline is the median of the per-pair ratios.
 */
import { median, ratio, VariantResult } from "./report";

export const HEADLINE_PAIRS = Number(process.env.BENCH_HEADLINE_PAIRS ?? 3);

export interface HeadlineRatios {
  /** stack id -> the ratio (median CPU per 100k spans, pipeline / baseline) of each pair, in measurement order. */
  readonly ratios: Readonly<Record<string, readonly number[]>>;
}

/** Runs `baseline`, then each of `pipelines` (each call measures one variant), `pairs` times. */
export async function interleavedHeadline(
  baseline: () => Promise<VariantResult>,
  pipelines: Readonly<Record<string, () => Promise<VariantResult>>>,
  pairs = HEADLINE_PAIRS,
): Promise<HeadlineRatios> {
  const ratios: Record<string, number[]> = Object.fromEntries(Object.keys(pipelines).map((id) => [id, []]));
  for (let i = 0; i < pairs; i++) {
    const base = await baseline();
    for (const [id, run] of Object.entries(pipelines)) ratios[id].push(ratio(await run(), base));
  }
  return { ratios };
}

/** "prod / fair baseline = **2.10x** (median of 3 back-to-back pairs: 2.05, 2.10, 2.31)". */
export function headlineText(h: HeadlineRatios, id: string): string {
  const xs = h.ratios[id];
  if (!xs || xs.length === 0) return `${id}: not measured`;
  return `${id} / fair baseline = **${median(xs).toFixed(2)}x** (median of ${xs.length} back-to-back pairs: ${xs.map((x) => x.toFixed(2)).join(", ")})`;
}
