/** The benchmark's statistics and markdown table. Pure. */

/** One measured round (a steady-state window) of one variant. */
export interface Round {
  /** CPU seconds (utime + stime) per process in the window, by process name. */
  readonly cpu: Readonly<Record<string, number>>;
  /** Spans the entry Collector's receiver accepted in the window. */
  readonly accepted: number;
  /** Spans the sink received in the window. */
  readonly delivered: number;
  /** Spans refused by a receiver (memory_limiter) or failed at the client, plus traces a full tail sampler dropped undecided, in the window. */
  readonly refused: number;
}

export interface VariantResult {
  readonly id: string;
  readonly label: string;
  /** Process names in pipeline order. */
  readonly processes: readonly string[];
  readonly rounds: readonly Round[];
  /** VmHWM of each process at the end of the variant, in MiB. */
  readonly peakMiB: Readonly<Record<string, number>>;
  /** Seconds of load before the first round (decision_wait + a margin for tail-sampling variants). */
  readonly warmupSeconds: number;
}

export const min = (xs: readonly number[]) => Math.min(...xs);
export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** CPU seconds per 100k accepted spans of one process (or all, when `process` is undefined), per round. */
export function costPer100k(r: VariantResult, process?: string): number[] {
  return r.rounds.map((round) => {
    const cpu = process ? round.cpu[process] ?? 0 : Object.values(round.cpu).reduce((s, c) => s + c, 0);
    return round.accepted > 0 ? (cpu / round.accepted) * 100_000 : NaN;
  });
}

const fmt = (n: number, digits = 2) => (Number.isFinite(n) ? n.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits }) : "–");
const minMed = (xs: number[]) => `${fmt(min(xs))} / ${fmt(median(xs))}`;

/** Median total cost of `numerator` over that of `denominator`. */
export function ratio(numerator: VariantResult, denominator: VariantResult): number {
  return median(costPer100k(numerator)) / median(costPer100k(denominator));
}

export function table(results: readonly VariantResult[], baselineId: string, tiers: readonly [string, string]): string {
  const baseline = results.find((r) => r.id === baselineId);
  const baseMedian = baseline ? median(costPer100k(baseline)) : NaN;
  const lines = [
    `| variant | ${tiers[0]} | ${tiers[1]} | total | × fair baseline | own cost (total − baseline) | peak RSS ${tiers[0]} / ${tiers[1]} | delivered / accepted | refused or dropped |`,
    "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
  ];
  for (const r of results) {
    const total = costPer100k(r);
    const tierCell = (name: string) => (r.processes.includes(name) ? minMed(costPer100k(r, name)) : "–");
    const accepted = r.rounds.reduce((s, x) => s + x.accepted, 0);
    const delivered = r.rounds.reduce((s, x) => s + x.delivered, 0);
    const refused = r.rounds.reduce((s, x) => s + x.refused, 0);
    const peak = (name: string) => (r.peakMiB[name] === undefined ? "–" : `${fmt(r.peakMiB[name], 0)}`);
    lines.push(
      `| ${r.label} | ${tierCell(tiers[0])} | ${tierCell(tiers[1])} | ${minMed(total)} | ${fmt(median(total) / baseMedian)} | ${r.id === baselineId ? "–" : fmt(median(total) - baseMedian)} | ${peak(tiers[0])} / ${peak(tiers[1])} MiB | ${fmt((100 * delivered) / accepted, 1)}% | ${refused.toLocaleString("en-US")} |`,
    );
  }
  return lines.join("\n");
}
