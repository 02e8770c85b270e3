/**
 * npm run synth -- --stack <name> [--out <dir>]
 *
 * Runs index.ts under the Pulumi mock runtime with Pulumi.<name>.yaml (no
 * cloud, no Pulumi CLI) and writes out/<name>/: resources.json, config/ and
 * policy-report.json. Exits 2 on invalid configuration, 1 on a mandatory
 * policy violation.
 *
 * `npm run synth` runs this file compiled (scripts/synth-run.cjs keeps a
 * bundle in .cache/synth/); `npx tsx scripts/synth.ts` runs it from source
 * with the same result.
 */
import * as fs from "fs";
import * as path from "path";
import { ConfigError } from "../config/fields";
import { runPolicies } from "../policies/runner";
import { PhaseTimer } from "../synth/phaseTimer";
import { listStacks } from "../synth/stackFile";
import { synthesize } from "../synth/synthesize";
import { canonicalJson } from "../synth/canonicalJson";

const PROJECT_DIR = path.resolve(__dirname, "..");

function parseArgs(projectDir: string, argv: string[]): { stack: string; out: string; timing: boolean } {
  let stack: string | undefined;
  let out: string | undefined;
  let timing = false;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === "--stack") stack = argv[++i];
    else if (argv[i].startsWith("--stack=")) stack = argv[i].slice("--stack=".length);
    else if (argv[i] === "--out") out = argv[++i];
    else if (argv[i] === "--timing") timing = true;
    else throw new Error(`unknown argument ${argv[i]}; usage: npm run synth -- --stack <${listStacks(projectDir).join("|")}> [--out <dir>] [--timing]`);
  }
  if (!stack) throw new Error(`--stack is required; usage: npm run synth -- --stack <${listStacks(projectDir).join("|")}>`);
  return { stack, out: out ?? path.join(projectDir, "out", stack), timing };
}

async function main(projectDir: string, argv: string[]): Promise<number> {
  const timer = new PhaseTimer();
  timer.end("start: node, packages, synth modules");
  const { stack, out, timing } = parseArgs(projectDir, argv);
  console.log(`[synth] stack ${stack}: running index.ts under the Pulumi mock runtime`);
  const synthesis = await synthesize(projectDir, stack, () => {
    // A literal require: the bundler includes the program, and it still loads only here, inside the mock stack.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const program: unknown = require("../index");
    timer.end("program: load index.ts and its modules, declare resources");
    return program;
  });
  timer.end("mock engine: register resources, resolve outputs");
  const violations = await runPolicies(synthesis.resources);
  timer.end("policy pack");

  fs.rmSync(out, { recursive: true, force: true });
  fs.mkdirSync(path.join(out, "config"), { recursive: true });
  fs.writeFileSync(path.join(out, "resources.json"), canonicalJson(synthesis.resources));
  for (const [file, content] of Object.entries(synthesis.configFiles)) fs.writeFileSync(path.join(out, "config", file), content);
  fs.writeFileSync(path.join(out, "policy-report.json"), canonicalJson(violations));

  const byType = new Map<string, number>();
  for (const r of synthesis.resources) byType.set(r.type, (byType.get(r.type) ?? 0) + 1);
  console.log(`[synth] ${synthesis.resources.length} resources:`);
  for (const [type, count] of [...byType].sort()) console.log(`  ${String(count).padStart(4)}  ${type}`);
  console.log(`[synth] config files: ${Object.keys(synthesis.configFiles).sort().join(", ") || "(none)"}`);
  const mandatory = violations.filter((v) => v.enforcementLevel === "mandatory");
  console.log(`[synth] policy violations: ${violations.length} (${mandatory.length} mandatory)`);
  for (const v of violations) console.log(`  [${v.enforcementLevel}] ${v.policy} ${v.urn}: ${v.message}`);
  console.log(`[synth] wrote ${path.relative(process.cwd(), out) || out}/`);
  timer.end("write files and summary");
  if (timing) console.error(`[synth] timing ${JSON.stringify(timer.phases)}`);
  return mandatory.length > 0 ? 1 : 0;
}

/** Runs the synth with the project's stack files; resolves to the exit code (2: invalid configuration, 1: failure or mandatory violation). */
export function runSynthCli(projectDir: string, argv: string[]): Promise<number> {
  // An error in a Pulumi apply callback surfaces as an unhandled rejection.
  process.on("unhandledRejection", (err) => {
    console.error(`[synth] failed: ${err instanceof Error ? err.stack : String(err)}`);
    process.exit(1);
  });
  return main(projectDir, argv).catch((err: unknown) => {
    const configError = findConfigError(err);
    if (configError) {
      console.error(`[synth] ${configError.message}`);
      return 2;
    }
    console.error(`[synth] failed: ${err instanceof Error ? err.stack ?? err.message : String(err)}`);
    return 1;
  });
}

if (require.main === module) void runSynthCli(PROJECT_DIR, process.argv.slice(2)).then((code) => process.exit(code));

/** Pulumi wraps errors thrown while the program loads; find our ConfigError inside. */
function findConfigError(err: unknown): ConfigError | undefined {
  for (let e: unknown = err; e; e = (e as { cause?: unknown }).cause) {
    if (e instanceof ConfigError || (e instanceof Error && e.name === "ConfigError")) return e as ConfigError;
    if (e instanceof Error && /invalid stack configuration/.test(e.message)) return e as ConfigError;
  }
  return undefined;
}
