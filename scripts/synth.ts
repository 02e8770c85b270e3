/**
 * npm run synth -- --stack <name> [--out <dir>]
 *
 * Runs index.ts under the Pulumi mock runtime with Pulumi.<name>.yaml (no
 * cloud, no Pulumi CLI) and writes out/<name>/: resources.json, config/ and
 * policy-report.json. Exits 2 on invalid configuration, 1 on a mandatory
 * policy violation.
 */
import * as fs from "fs";
import * as path from "path";
import { ConfigError } from "../config/fields";
import { runPolicies } from "../policies/runner";
import { listStacks } from "../synth/stackFile";
import { synthesize } from "../synth/synthesize";
import { canonicalJson } from "../synth/canonicalJson";

const PROJECT_DIR = path.resolve(__dirname, "..");

function parseArgs(argv: string[]): { stack: string; out: string } {
  let stack: string | undefined;
  let out: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === "--stack") stack = argv[++i];
    else if (argv[i].startsWith("--stack=")) stack = argv[i].slice("--stack=".length);
    else if (argv[i] === "--out") out = argv[++i];
    else throw new Error(`unknown argument ${argv[i]}; usage: npm run synth -- --stack <${listStacks(PROJECT_DIR).join("|")}> [--out <dir>]`);
  }
  if (!stack) throw new Error(`--stack is required; usage: npm run synth -- --stack <${listStacks(PROJECT_DIR).join("|")}>`);
  return { stack, out: out ?? path.join(PROJECT_DIR, "out", stack) };
}

async function main(): Promise<number> {
  const { stack, out } = parseArgs(process.argv.slice(2));
  console.log(`[synth] stack ${stack}: running index.ts under the Pulumi mock runtime`);
  const synthesis = await synthesize(PROJECT_DIR, stack);
  const violations = await runPolicies(synthesis.resources);

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
  return mandatory.length > 0 ? 1 : 0;
}

// An error in a Pulumi apply callback surfaces as an unhandled rejection.
process.on("unhandledRejection", (err) => {
  console.error(`[synth] failed: ${err instanceof Error ? err.stack : String(err)}`);
  process.exit(1);
});

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    const configError = findConfigError(err);
    if (configError) {
      console.error(`[synth] ${configError.message}`);
      process.exit(2);
    }
    console.error(`[synth] failed: ${err instanceof Error ? err.stack ?? err.message : String(err)}`);
    process.exit(1);
  },
);

/** Pulumi wraps errors thrown while the program loads; find our ConfigError inside. */
function findConfigError(err: unknown): ConfigError | undefined {
  for (let e: unknown = err; e; e = (e as { cause?: unknown }).cause) {
    if (e instanceof ConfigError || (e instanceof Error && e.name === "ConfigError")) return e as ConfigError;
    if (e instanceof Error && /invalid stack configuration/.test(e.message)) return e as ConfigError;
  }
  return undefined;
}
