/**
 * `npm run synth` runs the sources bundled (scripts/synth-run.cjs, plain
 * node); it must write byte for byte what the source path
 * `tsx scripts/synth.ts` writes, for both stacks, with the same log and exit
 * code, and refuse invalid configuration the same way (exit 2 naming the
 * key). The Pulumi engine and the clouds are mocked (synth/mocks.ts), as in
 * every synth.
 */
import { spawnSync, SpawnSyncReturns } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as YAML from "yaml";
import { PROJECT_DIR } from "../support/synth";

jest.setTimeout(180000);

const TSX_CLI = require.resolve("tsx/cli");
let scratch: string;

beforeAll(() => {
  scratch = fs.mkdtempSync(path.join(os.tmpdir(), "compiled-synth-"));
});
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

function node(args: string[]): SpawnSyncReturns<string> {
  return spawnSync(process.execPath, args, { cwd: PROJECT_DIR, encoding: "utf8", timeout: 120000, maxBuffer: 16 * 1024 * 1024 });
}

/** Every file under dir, by relative path. */
function tree(dir: string): Record<string, string> {
  const files: Record<string, string> = {};
  for (const entry of fs.readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const file = path.join(entry.parentPath, entry.name);
    files[path.relative(dir, file)] = fs.readFileSync(file, "utf8");
  }
  return files;
}

/** The log with the output directory and the cache's one rebuild line taken out. */
const normalised = (text: string, out: string) =>
  text
    .split(path.relative(PROJECT_DIR, out))
    .join("<out>")
    .replace(/^\[synth\] compiled scripts\/synth\.ts into .*\n/m, "");

describe.each(["dev", "prod"])("npm run synth -- --stack %s", (stack) => {
  it("writes exactly what tsx scripts/synth.ts writes, with the same log and exit code", () => {
    const fromSource = path.join(scratch, "tsx", stack);
    const compiled = path.join(scratch, "bundle", stack);
    const a = node([TSX_CLI, "scripts/synth.ts", "--stack", stack, "--out", fromSource]);
    const b = node(["scripts/synth-run.cjs", "--stack", stack, "--out", compiled]);
    expect(b.status).toBe(0);
    expect(a.status).toBe(0);
    const files = tree(compiled);
    expect(Object.keys(files)).toEqual(expect.arrayContaining(["resources.json", "policy-report.json"]));
    expect(Object.keys(files).filter((f) => f.startsWith("config")).length).toBeGreaterThan(0);
    expect(files).toEqual(tree(fromSource));
    expect(normalised(b.stdout, compiled)).toBe(normalised(a.stdout, fromSource));
    expect(normalised(b.stderr, compiled)).toBe(normalised(a.stderr, fromSource));
  });
});

describe("invalid configuration", () => {
  it("exits 2 naming tracing:retentionDays on both paths, with the same messages", () => {
    // A scratch project: the committed prod stack with retentionDays 45 (allowed: 7..30).
    const project = path.join(scratch, "bad-project");
    fs.mkdirSync(project);
    fs.copyFileSync(path.join(PROJECT_DIR, "Pulumi.yaml"), path.join(project, "Pulumi.yaml"));
    const prod = YAML.parse(fs.readFileSync(path.join(PROJECT_DIR, "Pulumi.prod.yaml"), "utf8")) as { config: Record<string, unknown> };
    prod.config["tracing:retentionDays"] = "45";
    fs.writeFileSync(path.join(project, "Pulumi.bad.yaml"), YAML.stringify(prod));
    const argv = JSON.stringify(["--stack", "bad", "--out", path.join(scratch, "bad-out")]);
    const exit = ".then((code) => process.exit(code))";
    const fromSource = node([TSX_CLI, "-e", `require("./scripts/synth.ts").runSynthCli(${JSON.stringify(project)}, ${argv})${exit}`]);
    const compiled = node(["-e", `require("./scripts/synth-run.cjs").synthBundle(process.cwd()).then((b) => require(b).runSynthCli(${JSON.stringify(project)}, ${argv}))${exit}`]);
    expect(compiled.status).toBe(2);
    expect(fromSource.status).toBe(2);
    expect(compiled.stderr).toMatch(/tracing:retentionDays/);
    expect(compiled.stderr).toMatch(/45/);
    expect(normalised(compiled.stderr, project)).toBe(normalised(fromSource.stderr, project));
    expect(compiled.stdout).toBe(fromSource.stdout);
    expect(fs.existsSync(path.join(scratch, "bad-out"))).toBe(false);
  });
});
