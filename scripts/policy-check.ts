/**
 * npm run policy:check -- --file <resources.json | stack-export.json> [--json <report.json>]
 *
 * Runs the tracing-guardrails rules offline over synth's resources.json or the
 * output of `pulumi stack export` of any Pulumi project. Prints one line per
 * violation and a summary; --json writes [{policy, enforcementLevel, urn, message}].
 * Exit codes: 0 no mandatory violation, 1 mandatory violations, 2 usage or input error.
 */
import * as fs from "fs";
import * as path from "path";
import { loadResourcesFile, ResourceFileError } from "../policies/loadResources";
import { runPolicies } from "../policies/runner";

const USAGE = "usage: npm run policy:check -- --file <resources.json|stack-export.json> [--json <report.json>]";

class UsageError extends Error {}

function parseArgs(argv: string[]): { file: string; json?: string } {
  let file: string | undefined;
  let json: string | undefined;
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
    else if (arg === "--help" || arg === "-h") throw new UsageError("");
    else throw new UsageError(`unknown argument ${arg}`);
  }
  if (!file) throw new UsageError("--file is required");
  return { file, json };
}

async function main(argv: string[]): Promise<number> {
  let args: { file: string; json?: string };
  try {
    args = parseArgs(argv);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    if (err.message) console.error(`[policy:check] ${err.message}`);
    console.error(USAGE);
    return 2;
  }
  let resources;
  try {
    resources = loadResourcesFile(args.file);
  } catch (err) {
    if (err instanceof ResourceFileError) {
      console.error(`[policy:check] ${err.message}`);
      return 2;
    }
    throw err;
  }
  const violations = await runPolicies(resources);
  for (const v of violations) console.log(`[${v.enforcementLevel}] ${v.policy} ${v.urn || "(stack)"}: ${v.message}`);
  const mandatory = violations.filter((v) => v.enforcementLevel === "mandatory").length;
  const flagged = new Set(violations.map((v) => v.urn)).size;
  console.log(
    `[policy:check] ${resources.length} resources checked: ${violations.length} violations (${mandatory} mandatory, ${violations.length - mandatory} advisory) on ${flagged} resources`,
  );
  if (args.json) {
    fs.mkdirSync(path.dirname(path.resolve(args.json)), { recursive: true });
    fs.writeFileSync(args.json, `${JSON.stringify(violations, null, 2)}\n`);
    console.log(`[policy:check] wrote ${args.json}`);
  }
  return mandatory > 0 ? 1 : 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(`[policy:check] failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    process.exit(2);
  },
);
