/**
 * npm run policy:check -- --file <resources.json | stack-export.json> [--json <report.json>] [--config <policy-config.json>]
 *
 * Runs the tracing-guardrails rules offline over synth's resources.json or the
 * output of `pulumi stack export` of any Pulumi project. Prints one line per
 * violation and a summary; --json writes [{policy, enforcementLevel, urn, message}].
 * --config takes the pack's policy config ({"<policy>": level | {enforcementLevel, ...properties}},
 * plus "all" for every policy), e.g. {"all": {"allowedCidrs": ["203.0.113.0/24"]}}.
 * Exit codes: 0 no mandatory violation, 1 mandatory violations, 2 usage or input error.
 */
import * as fs from "fs";
import * as path from "path";
import { loadResourcesFile, ResourceFileError } from "../policies/loadResources";
import { RunConfig, runPolicies } from "../policies/runner";

const USAGE = "usage: npm run policy:check -- --file <resources.json|stack-export.json> [--json <report.json>] [--config <policy-config.json>]";

class UsageError extends Error {}

interface Args {
  readonly file: string;
  readonly json?: string;
  readonly config?: string;
}

function parseArgs(argv: string[]): Args {
  let file: string | undefined;
  let json: string | undefined;
  let config: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = (flag: string) => {
      const v = argv[++i];
      if (v === undefined || v.startsWith("--")) throw new UsageError(`${flag} needs a path`);
      return v;
    };
    if (arg === "--file") file = value(arg);
    else if (arg.startsWith("--file=")) file = arg.slice("--file=".length);
    else if (arg === "--json") json = value(arg);
    else if (arg.startsWith("--json=")) json = arg.slice("--json=".length);
    else if (arg === "--config") config = value(arg);
    else if (arg.startsWith("--config=")) config = arg.slice("--config=".length);
    else if (arg === "--help" || arg === "-h") throw new UsageError("");
    else throw new UsageError(`unknown argument ${arg}`);
  }
  if (!file) throw new UsageError("--file is required");
  return { file, json, config };
}

function readConfig(file: string): RunConfig {
  let parsed: unknown;
  try {
    parsed = JSON.parse(fs.readFileSync(file, "utf8"));
  } catch (err) {
    throw new ResourceFileError(`cannot read policy config ${file}: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) throw new ResourceFileError(`policy config ${file} must be a JSON object keyed by policy name (or "all")`);
  return parsed as RunConfig;
}

async function main(argv: string[]): Promise<number> {
  let args: Args;
  try {
    args = parseArgs(argv);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    if (err.message) console.error(`[policy:check] ${err.message}`);
    console.error(USAGE);
    return 2;
  }
  const started = process.hrtime.bigint();
  let resources;
  let config: RunConfig | undefined;
  try {
    resources = loadResourcesFile(args.file);
    config = args.config ? readConfig(args.config) : undefined;
  } catch (err) {
    if (err instanceof ResourceFileError) {
      console.error(`[policy:check] ${err.message}`);
      return 2;
    }
    throw err;
  }
  const violations = await runPolicies(resources, { config });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  for (const v of violations) console.log(`[${v.enforcementLevel}] ${v.policy} ${v.urn || "(stack)"}: ${v.message}`);
  const mandatory = violations.filter((v) => v.enforcementLevel === "mandatory").length;
  const flagged = new Set(violations.map((v) => v.urn)).size;
  console.log(
    `[policy:check] ${resources.length} resources read and checked in ${ms.toFixed(0)} ms: ${violations.length} violations (${mandatory} mandatory, ${violations.length - mandatory} advisory) on ${flagged} resources`,
  );
  if (args.json) {
    fs.mkdirSync(path.dirname(path.resolve(args.json)), { recursive: true });
    fs.writeFileSync(args.json, `${JSON.stringify(violations, null, 2)}\n`);
    console.log(`[policy:check] wrote ${args.json}`);
  }
  return mandatory > 0 ? 1 : 0;
}

// exitCode, not exit(): exit() would cut off a long report still being written to a pipe.
main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    console.error(`[policy:check] failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    process.exit(2);
  },
);
