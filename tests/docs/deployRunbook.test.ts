/**
 * docs/deploy.md is the first-deploy runbook: its steps come in order, every
 * config key it names is read by the parser, every command and file it names
 * exists, and it matches .github/workflows/ (runner labels, variables,
 * secrets; deploy and preview jobs on the deploy runner, fork code never).
 */
import * as fs from "fs";
import * as path from "path";
import * as YAML from "yaml";
import { PLAIN_KEYS, SECRET_KEYS } from "../../config/stackConfig";
import { PROJECT_DIR } from "../support/synth";

type Json = Record<string, any>;

const runbook = fs.readFileSync(path.join(PROJECT_DIR, "docs", "deploy.md"), "utf8");
const workflowDir = path.join(PROJECT_DIR, ".github", "workflows");
const workflowFiles = fs.readdirSync(workflowDir).filter((f) => f.endsWith(".yml"));
const workflowText = (file: string) => fs.readFileSync(path.join(workflowDir, file), "utf8");
const workflows = new Map(workflowFiles.map((f) => [f, YAML.parse(workflowText(f)) as Json]));
const packageJson = JSON.parse(fs.readFileSync(path.join(PROJECT_DIR, "package.json"), "utf8")) as { scripts: Record<string, string> };

/** The documented default runner labels. */
const DEFAULT_RUNNER = '["self-hosted","linux","tracing-deployer"]';

/** Shell lines of the fenced code blocks. */
function commandLines(markdown: string): string[] {
  const lines: string[] = [];
  let inFence = false;
  for (const line of markdown.split("\n")) {
    if (/^\s*```/.test(line)) inFence = !inFence;
    else if (inFence) lines.push(line.trim());
  }
  return lines;
}

describe("docs/deploy.md, the first-deploy runbook", () => {
  it("has the runbook's steps in order", () => {
    const headings = [...runbook.matchAll(/^## (\d+)\. (.+)$/gm)].map((m) => `${m[1]}. ${m[2]}`);
    expect(headings).toEqual([
      "1. Prerequisites",
      "2. The IdP client",
      "3. Secrets",
      "4. The Collector image",
      "5. The deploy runner",
      "6. DNS for Grafana",
      "7. The first `pulumi up`",
      "8. Checks after it",
      "9. Rolling back",
    ]);
  });

  it("names only config keys the parser reads, and sets secrets only for secret keys", () => {
    const known = new Set<string>([...PLAIN_KEYS, ...SECRET_KEYS]);
    const named = [...runbook.matchAll(/tracing:([A-Za-z][A-Za-z0-9]*)/g)].map((m) => m[1]);
    expect(named.length).toBeGreaterThan(10);
    expect(named.filter((key) => !known.has(key))).toEqual([]);
    const secretSets = [...runbook.matchAll(/pulumi config set --secret tracing:([A-Za-z0-9]+)/g)].map((m) => m[1]);
    expect(new Set(secretSets)).toEqual(new Set(SECRET_KEYS));
  });

  it("uses only npm scripts that package.json defines", () => {
    const runs = [...runbook.matchAll(/npm run ([a-z0-9:-]+)/g)].map((m) => m[1]);
    expect(runs.length).toBeGreaterThan(1);
    expect(runs.filter((script) => !(script in packageJson.scripts))).toEqual([]);
    for (const line of commandLines(runbook).filter((l) => /^npm /.test(l))) expect(line).toMatch(/^npm (ci|test|run [a-z0-9:-]+)( |$)/);
  });

  it("names only repository files that exist (or that the named build script writes)", () => {
    const paths = [...runbook.matchAll(/`((?:\.?[\w-]+\/)+[\w.-]*)`/g)].map((m) => m[1]).filter((p) => !p.startsWith("arn:"));
    expect(paths).toContain("collector/builder-config.yaml");
    const buildScript = fs.readFileSync(path.join(PROJECT_DIR, "scripts", "e2e-build.sh"), "utf8");
    const missing = paths.filter((p) => !fs.existsSync(path.join(PROJECT_DIR, p)) && !(p.startsWith(".e2e/") && buildScript.includes(path.basename(p))));
    expect(missing).toEqual([]);
  });

  it("documents every repository variable and secret the workflows read, and no other", () => {
    const used = new Set<string>();
    for (const file of workflowFiles) {
      for (const m of workflowText(file).matchAll(/\b(vars|secrets)\.([A-Z0-9_]+)/g)) if (m[2] !== "GITHUB_TOKEN") used.add(m[2]);
    }
    expect(used).toContain("DEPLOY_RUNNER_LABELS");
    const table = runbook.slice(runbook.indexOf("Repository settings the workflows expect"), runbook.indexOf("## 6."));
    const documented = new Set([...table.matchAll(/`([A-Z][A-Z0-9_]+)`/g)].map((m) => m[1]));
    expect([...used].filter((name) => !documented.has(name))).toEqual([]);
    expect([...documented].filter((name) => !used.has(name))).toEqual([]);
  });

  it("gives the runner labels default the workflows use", () => {
    expect(runbook).toContain(DEFAULT_RUNNER);
    for (const [file, text] of workflowFiles.map((f) => [f, workflowText(f)])) {
      for (const m of text.matchAll(/DEPLOY_RUNNER_LABELS[^\n]*\|\| '([^']*)'/g)) expect({ file, fallback: m[1] }).toEqual({ file, fallback: DEFAULT_RUNNER });
    }
  });
});

describe(".github/workflows: who runs Pulumi where", () => {
  const jobs = [...workflows].flatMap(([file, wf]) => Object.entries(wf.jobs as Record<string, Json>).map(([id, job]) => ({ file, id, job })));
  const runsPulumi = (job: Json) => (job.steps as Json[]).some((s) => typeof s.uses === "string" && s.uses.startsWith("pulumi/actions@"));
  const runsOn = (job: Json) => JSON.stringify(job["runs-on"]);

  it("runs every preview and deploy on the deploy runner (labels from the repository variable), with the AWS CLI checked", () => {
    const pulumiJobs = jobs.filter((j) => runsPulumi(j.job));
    expect(pulumiJobs.map((j) => `${j.file}:${j.id}`).sort()).toEqual(["deploy.yml:dev", "deploy.yml:prod", "pull-request.yml:preview"]);
    for (const { job } of pulumiJobs) {
      const labels = runsOn(job) + JSON.stringify(job.strategy ?? {});
      expect(labels).toMatch(/fromJSON\(/);
      expect(labels).toContain("vars.DEPLOY_RUNNER_LABELS");
      expect((job.steps as Json[]).some((s) => /aws --version/.test(s.run ?? ""))).toBe(true);
    }
  });

  it("never gives a fork's code the deploy runner or credentials: PR jobs off GitHub-hosted runners are guarded", () => {
    const pr = workflows.get("pull-request.yml")!;
    expect(Object.keys(pr.on)).toEqual(["pull_request"]);
    for (const [id, job] of Object.entries(pr.jobs as Record<string, Json>)) {
      const hosted = /^"ubuntu-\d+\.\d+"$/.test(runsOn(job));
      const credentials = JSON.stringify(job.permissions ?? {}).includes("id-token");
      if (hosted && !credentials) continue;
      expect({ id, if: job.if }).toEqual({ id, if: expect.stringContaining("github.event.pull_request.head.repo.full_name == github.repository") });
    }
    // The checks that need no credentials run for everyone, forks included.
    expect(pr.jobs.test.if).toBeUndefined();
    expect(pr.jobs["synth-diff"].if).toBeUndefined();
  });

  it("states on the PR comment which checks ran and why the preview was skipped", () => {
    const comment = workflowText("synth-diff-comment.yml");
    const testSteps = (workflows.get("pull-request.yml")!.jobs.test.steps as Json[]).map((s) => s.name).filter(Boolean);
    for (const step of ["lint (tsc --noEmit)", "workflow lint (actionlint + shellcheck)", "tests (jest)"]) {
      expect(testSteps).toContain(step);
      expect(comment).toContain(`step_result "${step}"`);
    }
    expect(comment).toContain('job_result "synth diff (dev, prod)"');
    expect(workflows.get("pull-request.yml")!.jobs["synth-diff"].name).toBe("synth diff (dev, prod)");
    expect(workflows.get("pull-request.yml")!.jobs.preview.name).toBe("pulumi preview (${{ matrix.stack }})");
    expect(comment).toMatch(/job_result "pulumi preview \(\$stack\)"/);
    expect(comment).toMatch(/skipped: the PR comes from a fork/);
    expect(comment).toMatch(/skipped: the repository variable AWS_PREVIEW_ROLE_ARN is not set/);
  });
});
