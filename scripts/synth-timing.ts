/**
 * npx tsx scripts/synth-timing.ts [--stack prod] [--rounds 5]
 *
 * Measures, in one run on this machine, the synth against its floor: a fresh
 * node that only imports the Pulumi packages the synth loads. Each variant
 * runs once per round (rounds interleave, so load from other processes
 * spreads over all of them); wall time and CPU (user + system of the child,
 * from the kernel's accounting of reaped children) as min / median. Then the
 * synth's own phase marks (`--timing`) as medians. A diagnostic variant
 * replaces Pulumi's closure serialization (of the dynamic provider, which the
 * synth's output replaces by a marker anyway) with a stub, to show its cost;
 * it is not a mode of the synth. Method and figures: docs/synth.md.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { Phase } from "../synth/phaseTimer";

const PROJECT_DIR = path.resolve(__dirname, "..");
/** What the synth imports from node_modules (index.ts, components/, policies/). */
export const FLOOR_PACKAGES = ["@pulumi/pulumi", "@pulumi/aws", "@pulumi/kubernetes", "@pulumi/tls", "@pulumiverse/grafana", "@pulumi/policy"];

interface Variant {
  readonly name: string;
  readonly args: (out: string) => string[];
  readonly env?: NodeJS.ProcessEnv;
  /** Runs before each measured run (not measured). */
  readonly before?: () => void;
  /** Whether the run prints `--timing` phase marks. */
  readonly phases?: boolean;
}

interface Sample {
  readonly wallMs: number;
  readonly cpuMs: number;
  readonly phases?: Phase[];
}

/** User + system CPU of this process's reaped children, ms (fields 16 and 17 of /proc/self/stat, in clock ticks). */
function childrenCpuMs(): number {
  const stat = fs.readFileSync("/proc/self/stat", "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  const ticksPerSecond = 100; // USER_HZ on Linux
  return ((Number(fields[13]) + Number(fields[14])) * 1000) / ticksPerSecond;
}

function measure(variant: Variant, out: string): Sample {
  variant.before?.();
  const cpuBefore = childrenCpuMs();
  const started = process.hrtime.bigint();
  const run = spawnSync(process.execPath, variant.args(out), { cwd: PROJECT_DIR, encoding: "utf8", env: { ...process.env, ...variant.env }, maxBuffer: 16 * 1024 * 1024 });
  const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
  const cpuMs = childrenCpuMs() - cpuBefore;
  if (run.status !== 0) throw new Error(`${variant.name} exited ${run.status}: ${run.stderr}`);
  const marks = /\[synth\] timing (.*)/.exec(run.stderr)?.[1];
  return { wallMs, cpuMs, phases: variant.phases && marks ? (JSON.parse(marks) as Phase[]) : undefined };
}

const min = (xs: number[]) => Math.min(...xs);
function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}
const seconds = (ms: number) => (ms / 1000).toFixed(2);

function parseArgs(argv: string[]): { stack: string; rounds: number } {
  let stack = "prod";
  let rounds = 5;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === "--stack") stack = argv[++i];
    else if (argv[i] === "--rounds") rounds = Number(argv[++i]);
    else throw new Error(`unknown argument ${argv[i]}; usage: npx tsx scripts/synth-timing.ts [--stack prod] [--rounds 5]`);
  }
  if (!Number.isInteger(rounds) || rounds < 1) throw new Error("--rounds must be a positive integer");
  return { stack, rounds };
}

function variants(stack: string, scratch: string): Variant[] {
  const importOnly = FLOOR_PACKAGES.map((p) => `require(${JSON.stringify(p)});`).join("");
  const floorCodeCache = path.join(scratch, "floor-v8");
  const cacheDir = path.join(PROJECT_DIR, ".cache", "synth");
  const synthArgs = (out: string) => ["--stack", stack, "--out", out, "--timing"];
  const stub = path.join(scratch, "no-closure-serialization.js");
  const serializeClosure = require.resolve("@pulumi/pulumi/runtime/closure/serializeClosure", { paths: [PROJECT_DIR] });
  fs.writeFileSync(stub, `require(${JSON.stringify(serializeClosure)}).serializeFunction = async () => ({ text: "stub", containsSecrets: false });\n`);
  return [
    { name: "floor: node importing the packages", args: () => ["-e", importOnly] },
    { name: "floor, V8 code cache warm", args: () => ["-e", importOnly], env: { NODE_COMPILE_CACHE: floorCodeCache } },
    { name: "old: tsx scripts/synth.ts", args: (out) => [require.resolve("tsx/cli"), "scripts/synth.ts", ...synthArgs(out)], phases: true },
    { name: "new: synth-run.cjs, cache warm", args: (out) => ["scripts/synth-run.cjs", ...synthArgs(out)], phases: true },
    { name: "diagnostic: new, closure serialization stubbed", args: (out) => ["-r", stub, "scripts/synth-run.cjs", ...synthArgs(out)], phases: true },
    {
      name: "new: first run (no .cache/synth)",
      args: (out) => ["scripts/synth-run.cjs", ...synthArgs(out)],
      before: () => fs.rmSync(cacheDir, { recursive: true, force: true }),
    },
  ];
}

function main(): void {
  const { stack, rounds } = parseArgs(process.argv.slice(2));
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "synth-timing-"));
  const list = variants(stack, scratch);
  const warm = list.find((v) => v.name.startsWith("new: synth-run.cjs"))!;
  const samples = new Map<string, Sample[]>(list.map((v) => [v.name, []]));
  console.log(`[synth-timing] stack ${stack}, ${rounds} rounds, node ${process.version}, ${os.cpus().length} CPUs, load ${os.loadavg().map((l) => l.toFixed(2)).join(" ")}`);
  // Warm-up (not measured): the page cache, the floor's code cache, the synth's bundle and code cache.
  for (const v of list) measure(v, path.join(scratch, "out"));
  measure(warm, path.join(scratch, "out"));
  for (let round = 0; round < rounds; round++) {
    for (const v of list) samples.get(v.name)!.push(measure(v, path.join(scratch, "out")));
  }
  // The first-run variant removed the cache: leave it warm for the next `npm run synth`.
  measure(warm, path.join(scratch, "out"));
  fs.rmSync(scratch, { recursive: true, force: true });

  const floor = samples.get(list[0].name)!;
  const floorWall = median(floor.map((s) => s.wallMs));
  const floorCpu = median(floor.map((s) => s.cpuMs));
  console.log(`load after: ${os.loadavg().map((l) => l.toFixed(2)).join(" ")}\n`);
  console.log("| variant | wall s min / median | CPU s min / median | median wall / floor | median CPU / floor |");
  console.log("|---|---|---|---|---|");
  for (const v of list) {
    const wall = samples.get(v.name)!.map((s) => s.wallMs);
    const cpu = samples.get(v.name)!.map((s) => s.cpuMs);
    console.log(`| ${v.name} | ${seconds(min(wall))} / ${seconds(median(wall))} | ${seconds(min(cpu))} / ${seconds(median(cpu))} | ${(median(wall) / floorWall).toFixed(2)} | ${(median(cpu) / floorCpu).toFixed(2)} |`);
  }
  for (const v of list.filter((x) => x.phases)) {
    const runs = samples.get(v.name)!.map((s) => s.phases ?? []);
    console.log(`\n${v.name}: phases, median wall / CPU ms`);
    for (const [i, phase] of runs[0].entries()) {
      console.log(`  ${String(median(runs.map((r) => r[i].wallMs))).padStart(5)} / ${String(median(runs.map((r) => r[i].cpuMs))).padStart(5)}  ${phase.name}`);
    }
  }
}

main();
