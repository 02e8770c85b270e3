/**
 * npm run bench: what the platform's Collector pipeline costs (R7).
 *
 * One run measures, with the same binary and the same load (LoadBuilder:
 * 5-span traces, 20% orders, 2% errors, BENCH_RATE spans/s, default 4 000,
 * OTLP gRPC with mutual TLS, loopback only):
 *   - a bare single Collector (OTLP in -> OTLP out),
 *   - the fair two-tier baseline and each stage of each tier, derived from
 *     the rendered prod configs (variants.ts),
 *   - the full prod and dev pipelines,
 * each configured as rendered and localised only as e2e/harness/differences.ts
 * allows (decision_wait stays as deployed). Load runs continuously; after a
 * warm-up (decision_wait + 3 s when traces are held) BENCH_ROUNDS windows of
 * BENCH_WINDOW_S seconds each are one round: CPU seconds (utime + stime from
 * /proc) per 100k spans the gateway's receiver accepted in the window.
 * Prints a markdown table (min / median of the rounds), peak memory (VmHWM),
 * the machine's load, and the headline ratio prod / fair baseline.
 * The headline ratios come from BENCH_HEADLINE_PAIRS (default 3) extra
 * passes in which each full pipeline is measured between two baseline runs
 * (headline.ts); the table's rows are the sweep above.
 * BENCH_ONLY=<regex> restricts the variants by id (experiments; no headline runs).
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { generateTestPki, TestPki } from "../harness/certs";
import { SAMPLER_MEMORY_MODEL } from "../../render/samplerSizing";
import { stackConfig } from "../harness/deployedOptions";
import { progress } from "../harness/log";
import { requireBuilt, requireCommand } from "../harness/paths";
import { freePorts } from "../harness/ports";
import { newRunDir } from "../harness/stack";
import { Supervisor } from "../harness/supervisor";
import { ERROR_SHARE, ORDER_SHARE, SPANS_PER_TRACE } from "./load";
import { bareSetup, GATEWAY, localTiers, measure, ONLY, RATE, ROUNDS, SAMPLER, Setup, twoTierSetup, WARMUP_S, WINDOW_S } from "./measure";
import { machineDescription } from "./procStats";
import { HEADLINE_ROUNDS, headlineText, interleavedHeadline } from "./headline";
import { ratio, table, VariantResult } from "./report";
import { OtlpSink } from "./sink";

/** Sampler memory against decision_wait, traffic and trace size: the tail_sampling stage (prod config) with decision_wait varied. */
const MEMORY_GRID: readonly { decisionWait: number; rate: number; spansPerTrace: number }[] = [
  { decisionWait: 10, rate: 4_000, spansPerTrace: 5 },
  { decisionWait: 30, rate: 4_000, spansPerTrace: 5 },
  { decisionWait: 30, rate: 2_000, spansPerTrace: 5 },
  { decisionWait: 30, rate: 4_000, spansPerTrace: 20 },
];

async function memoryStudy(supervisor: Supervisor, pki: TestPki, sinkPort: number, runDir: string, sink: OtlpSink): Promise<string> {
  const base = await measure({ ...(await twoTierSetup("prod", "baseline", pki, sinkPort, runDir)), rounds: 1 }, supervisor, pki, sink);
  const baseMiB = base.peakMiB[SAMPLER];
  const lines = [
    `Sampler memory (VmHWM) with tail_sampling, prod policies; fair-baseline sampler ${baseMiB.toFixed(0)} MiB; load average ${loadAverage()}.`,
    "",
    "| decision_wait | spans/s | spans per trace | held spans (rate x wait) | sampler VmHWM | above baseline per held span | model (render/samplerSizing.ts) |",
    "|---:|---:|---:|---:|---:|---:|---:|",
  ];
  for (const point of MEMORY_GRID) {
    const setup = await twoTierSetup("prod", "sampler+tail_sampling", pki, sinkPort, runDir, (v) => {
      const sampler = structuredClone(v.sampler);
      (sampler.processors?.tail_sampling as Record<string, unknown>).decision_wait = `${point.decisionWait}s`;
      return { ...v, sampler };
    });
    const r = await measure({ ...setup, id: `memory-${point.decisionWait}s-${point.rate}-${point.spansPerTrace}`, warmupSeconds: point.decisionWait + WARMUP_S, rate: point.rate, spansPerTrace: point.spansPerTrace, rounds: 1 }, supervisor, pki, sink);
    const held = point.rate * point.decisionWait;
    const model = SAMPLER_MEMORY_MODEL.baseMiB + (held * SAMPLER_MEMORY_MODEL.bytesPerHeldSpan) / 1024 / 1024;
    lines.push(`| ${point.decisionWait} s | ${point.rate} | ${point.spansPerTrace} | ${held.toLocaleString("en-US")} | ${r.peakMiB[SAMPLER].toFixed(0)} MiB | ${(((r.peakMiB[SAMPLER] - baseMiB) * 1024) / held).toFixed(2)} KiB | ${model.toFixed(0)} MiB |`);
  }
  return lines.join("\n");
}

const loadAverage = () => os.loadavg().map((l) => l.toFixed(2)).join(" / ");

async function main(): Promise<void> {
  requireBuilt("collector");
  requireCommand("openssl", "openssl");
  const runDir = newRunDir();
  const supervisor = new Supervisor(runDir);
  const sink = new OtlpSink();
  const loadBefore = loadAverage();
  const startedAt = Date.now();
  progress(`bench: run directory ${runDir}; load average ${loadBefore}`);
  try {
    const pki = generateTestPki(path.join(runDir, "pki"));
    const [sinkPort] = await freePorts(1);
    await sink.start(sinkPort, { ...pki.workloads.tempo });
    if (process.env.BENCH_MODE === "memory") {
      const out = await memoryStudy(supervisor, pki, sinkPort, runDir, sink);
      process.stdout.write(`\n${out}\n`);
      return;
    }
    const prod = await localTiers("prod", pki, sinkPort, runDir, true);
    const setups: (() => Promise<Setup>)[] = [
      () => bareSetup(pki, sinkPort, prod.memory[0]),
      ...prod.variants.map((v) => () => twoTierSetup("prod", v.id, pki, sinkPort, runDir)),
      () => twoTierSetup("dev", "dev", pki, sinkPort, runDir),
    ];
    const results: VariantResult[] = [];
    for (const make of setups) {
      const setup = await make();
      if (ONLY && !ONLY.test(setup.id)) continue;
      results.push(await measure(setup, supervisor, pki, sink));
    }
    // The headline: prod and dev, each between two baseline runs (headline.ts), unless BENCH_ONLY picked rows.
    const headlineRun = (make: () => Promise<Setup>) => async () => measure({ ...(await make()), rounds: HEADLINE_ROUNDS }, supervisor, pki, sink);
    const headlines = ONLY
      ? { ratios: {} }
      : await interleavedHeadline(headlineRun(() => twoTierSetup("prod", "baseline", pki, sinkPort, runDir)), {
          prod: headlineRun(() => twoTierSetup("prod", "prod", pki, sinkPort, runDir)),
          dev: headlineRun(() => twoTierSetup("dev", "dev", pki, sinkPort, runDir)),
        });
    const loadAfter = loadAverage();
    const find = (id: string) => results.find((r) => r.id === id);
    const headline = (id: string) => {
      if (headlines.ratios[id]) return headlineText(headlines, id);
      const r = find(id);
      const b = find("baseline");
      return r && b ? `${id} / fair baseline = **${ratio(r, b).toFixed(2)}x** (median CPU per 100k spans, the table's rows)` : `${id}: not measured`;
    };
    const prodCfg = stackConfig("prod").sampling;
    const out = [
      `### Collector benchmark (\`npm run bench\`, ${new Date().toISOString().slice(0, 10)})`,
      "",
      `Headline: ${headline("prod")}; ${headline("dev")}.`,
      "",
      `Machine: ${machineDescription()}; nproc ${os.availableParallelism()}; load average (1/5/15 min) ${loadBefore} before, ${loadAfter} after; run took ${Math.round((Date.now() - startedAt) / 1000)} s. ` +
        `Load: traces of ${SPANS_PER_TRACE} spans (${ORDER_SHARE * 100}% orders, ${ERROR_SHARE * 100}% errors), ${RATE.toLocaleString("en-US")} spans/s over OTLP gRPC with mutual TLS, loopback only; ` +
        `prod sampling ${prodCfg.defaultPercent}% / orders ${prodCfg.orderPercent}%. Each cell: CPU seconds (utime+stime) per 100k spans accepted by the gateway, min / median of ${ROUNDS} windows of ${WINDOW_S} s in steady state (after decision_wait + ${WARMUP_S} s when traces are held). Stages: the fair baseline plus one part of one tier as rendered (e2e/bench/variants.ts).`,
      "",
      table(results, "baseline", [GATEWAY, SAMPLER]),
      "",
    ].join("\n");
    process.stdout.write(`\n${out}\n`);
    fs.writeFileSync(path.join(runDir, "bench.md"), out);
    if (process.env.BENCH_JSON) fs.writeFileSync(process.env.BENCH_JSON, JSON.stringify({ loadBefore, loadAfter, results, headlines }, null, 2));
  } finally {
    await supervisor.stopAll();
    await sink.stop();
  }
  if (process.env.E2E_KEEP === "1") progress(`kept ${runDir}`);
  else fs.rmSync(runDir, { recursive: true, force: true });
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(`bench failed: ${(e as Error).stack ?? e}`);
    process.exit(1);
  },
);
