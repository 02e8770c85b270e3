/**
 * `npm run policy:check` on a realistic mixed stack export of another team
 * (52 exposed and 45 private resources, fixtures/mixedExport.ts) and on its
 * all-private variant. Runs the real CLI; the cloud and engine are not involved.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { PROJECT_DIR } from "../support/synth";
import { mixedExport, privateExport } from "./fixtures/mixedExport";
import { exportText, MIXED_FILE, PRIVATE_FILE } from "./fixtures/writeExports";

interface Violation {
  policy: string;
  enforcementLevel: string;
  urn: string;
  message: string;
}

function policyCheck(file: string): { status: number | null; stdout: string; violations: Violation[] } {
  const report = path.join(fs.mkdtempSync("/tmp/policy-mixed-"), "report.json");
  const run = spawnSync("npx", ["tsx", "scripts/policy-check.ts", "--file", file, "--json", report], { cwd: PROJECT_DIR, encoding: "utf8", timeout: 60000 });
  return { status: run.status, stdout: run.stdout, violations: JSON.parse(fs.readFileSync(report, "utf8")) as Violation[] };
}

it("the committed fixtures are what mixedExport.ts builds (regenerate with npx tsx tests/policies/fixtures/writeExports.ts)", () => {
  expect(fs.readFileSync(MIXED_FILE, "utf8")).toBe(exportText(mixedExport().document));
  expect(fs.readFileSync(PRIVATE_FILE, "utf8")).toBe(exportText(privateExport().document));
});

describe("policy:check on the mixed export", () => {
  const mixed = mixedExport();
  let run: ReturnType<typeof policyCheck>;
  beforeAll(() => {
    run = policyCheck(MIXED_FILE);
  });

  it("holds at least 40 exposed and 20 private resources", () => {
    expect(mixed.exposed.length).toBeGreaterThanOrEqual(40);
    expect(mixed.private.length).toBeGreaterThanOrEqual(20);
  });

  it("exits 1 and names every exposed resource with a mandatory violation", () => {
    expect(run.status).toBe(1);
    const named = new Set(run.violations.filter((v) => v.enforcementLevel === "mandatory").map((v) => v.urn));
    const missed = mixed.exposed.map((r) => r.urn).filter((urn) => !named.has(urn));
    expect(missed).toEqual([]);
    for (const r of mixed.exposed) expect(run.stdout).toContain(r.urn);
  });

  it("names no private resource", () => {
    const privateUrns = new Set(mixed.private.map((r) => r.urn));
    expect(run.violations.filter((v) => privateUrns.has(v.urn))).toEqual([]);
  });

  it("reports the Helm releases it cannot see into as advisory, with the reason", () => {
    const advisory = run.violations.filter((v) => v.enforcementLevel === "advisory");
    expect(advisory.map((v) => v.urn.split("::").pop()).sort()).toEqual(["argocd", "ingress-nginx"]);
    for (const v of advisory) expect(v.message).toMatch(/rendered objects are not visible/);
  });
});

describe("policy:check on the all-private variant", () => {
  it("exits 0 with zero violations", () => {
    const run = policyCheck(PRIVATE_FILE);
    expect(run.status).toBe(0);
    expect(run.violations).toEqual([]);
    expect(run.stdout).toMatch(/45 resources read and checked in \d+ ms: 0 violations/);
  });
});
