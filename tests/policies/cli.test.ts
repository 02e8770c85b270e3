import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { PROJECT_DIR } from "../support/synth";

const FIXTURE = path.join(__dirname, "fixtures", "other-team-stack-export.json");

function policyCheck(...args: string[]) {
  return spawnSync("npx", ["tsx", "scripts/policy-check.ts", ...args], { cwd: PROJECT_DIR, encoding: "utf8", timeout: 60000 });
}

interface Violation {
  policy: string;
  enforcementLevel: string;
  urn: string;
  message: string;
}

describe("npm run policy:check on another team's stack export", () => {
  const report = path.join(fs.mkdtempSync("/tmp/policy-check-"), "report.json");
  let run: ReturnType<typeof policyCheck>;
  let violations: Violation[];
  beforeAll(() => {
    run = policyCheck("--file", FIXTURE, "--json", report);
    violations = JSON.parse(fs.readFileSync(report, "utf8")) as Violation[];
  });
  const urn = (type: string, name: string) => `urn:pulumi:prod::storefront::${type}::${name}`;
  const policiesOn = (u: string) => violations.filter((v) => v.urn === u).map((v) => v.policy);

  it("exits 1 because mandatory rules are violated", () => {
    expect(run.status).toBe(1);
    expect(run.stdout).toMatch(/\d+ violations \(\d+ mandatory/);
  });

  it("flags every exposed resource by URN with the right rule", () => {
    const expected: [string, string, string[]][] = [
      ["aws:s3/bucket:Bucket", "assets", ["s3-public-access-block", "s3-encryption-kms", "s3-tls-only"]],
      ["aws:s3/bucketAcl:BucketAcl", "assets-acl", ["s3-no-public-acl"]],
      ["aws:s3/bucketPolicy:BucketPolicy", "assets-policy", ["s3-no-public-policy"]],
      ["aws:ec2/securityGroup:SecurityGroup", "web-sg", ["aws-security-group-no-public-ingress"]],
      ["aws:lb/loadBalancer:LoadBalancer", "web-alb", ["aws-load-balancer-internal"]],
      ["kubernetes:core/v1:Service", "web-nodeport", ["k8s-service-no-node-port"]],
      ["kubernetes:core/v1:Service", "web-public", ["k8s-load-balancer-internal", "k8s-load-balancer-source-ranges"]],
      ["kubernetes:networking.k8s.io/v1:Ingress", "web-ingress", ["k8s-ingress-internal", "k8s-ingress-source-restricted", "k8s-ingress-tls-only"]],
      ["aws:rds/instance:Instance", "orders-db", ["aws-rds-not-public", "aws-rds-storage-encrypted"]],
      ["kubernetes:core/v1:Pod", "node-debugger", ["k8s-pod-no-host-access", "k8s-pod-non-root"]],
    ];
    for (const [type, name, policies] of expected) {
      const found = policiesOn(urn(type, name));
      for (const p of policies) expect({ resource: name, found: found.includes(p), policy: p }).toEqual({ resource: name, found: true, policy: p });
    }
    const sg = violations.filter((v) => v.urn === urn("aws:ec2/securityGroup:SecurityGroup", "web-sg")).map((v) => v.message);
    expect(sg.some((m) => m.includes("tcp/22") && m.includes("0.0.0.0/0"))).toBe(true);
    expect(sg.some((m) => m.includes("::/0"))).toBe(true);
  });

  it("leaves clean resources alone, ignores the pending delete and prints one line per violation", () => {
    expect(policiesOn(urn("kubernetes:core/v1:Service", "web"))).toEqual([]);
    expect(policiesOn(urn("aws:iam/role:Role", "web-role"))).toEqual([]);
    expect(violations.some((v) => v.message.includes("3389"))).toBe(false);
    const lines = run.stdout.split("\n").filter((l) => l.startsWith("[mandatory]") || l.startsWith("[advisory]"));
    expect(lines).toHaveLength(violations.length);
    expect(lines[0]).toMatch(/^\[mandatory\] [a-z0-9-]+ urn:pulumi:prod::storefront::\S+: .+ Remediation: /);
    for (const v of violations) expect(Object.keys(v).sort()).toEqual(["enforcementLevel", "message", "policy", "urn"]);
  });
});

describe("policy:check input errors", () => {
  it("exits 2 with usage when --file is missing or an argument is unknown", () => {
    for (const args of [[], ["--file"], ["--bogus"]]) {
      const run = policyCheck(...args);
      expect(run.status).toBe(2);
      expect(run.stderr).toContain("usage: npm run policy:check");
    }
  });

  it("exits 2 on a missing or unrecognised file", () => {
    const missing = policyCheck("--file", "/nonexistent/export.json");
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain("cannot read /nonexistent/export.json");
    const other = path.join(fs.mkdtempSync("/tmp/policy-check-"), "other.json");
    fs.writeFileSync(other, JSON.stringify({ name: "not a stack" }));
    const wrong = policyCheck("--file", other);
    expect(wrong.status).toBe(2);
    expect(wrong.stderr).toContain("unrecognised format");
  });

  it("--config applies a policy config file: a public corporate range listed in allowedCidrs is private", () => {
    const dir = fs.mkdtempSync("/tmp/policy-check-");
    const file = path.join(dir, "export.json");
    const sg = { urn: "urn:pulumi:p::q::aws:ec2/securityGroup:SecurityGroup::office", type: "aws:ec2/securityGroup:SecurityGroup", custom: true, id: "sg-1", inputs: { ingress: [{ protocol: "tcp", fromPort: 443, toPort: 443, cidrBlocks: ["198.51.100.0/24"] }] }, outputs: {} };
    fs.writeFileSync(file, JSON.stringify({ version: 3, deployment: { resources: [sg] } }));
    expect(policyCheck("--file", file).status).toBe(1);
    const config = path.join(dir, "config.json");
    fs.writeFileSync(config, JSON.stringify({ all: { allowedCidrs: ["198.51.100.0/24"] } }));
    const run = policyCheck("--file", file, "--config", config);
    expect(run.status).toBe(0);
    expect(run.stdout).toContain("0 violations");
    fs.writeFileSync(config, "[1]");
    expect(policyCheck("--file", file, "--config", config).stderr).toContain("must be a JSON object");
  });

  it("exits 0 on a clean stack export", () => {
    const clean = path.join(fs.mkdtempSync("/tmp/policy-check-"), "clean.json");
    fs.writeFileSync(clean, JSON.stringify({ version: 3, deployment: { resources: [{ urn: "urn:pulumi:p::q::aws:iam/role:Role::r", type: "aws:iam/role:Role", custom: true, id: "r", inputs: {}, outputs: { name: "r" } }] } }));
    const run = policyCheck("--file", clean);
    expect(run.status).toBe(0);
    expect(run.stdout).toContain("0 violations");
  });
});
