import * as k8s from "@pulumi/kubernetes";
import * as fs from "fs";
import * as path from "path";
import { loadResourcesFile, resourcesFromJson, ResourceFileError } from "../../policies/loadResources";
import { ALL_POLICIES } from "../../policies/all";
import { resourceRule, stackRule } from "../../policies/lib/rule";
import { runPolicies } from "../../policies/runner";
import { res, stack, STACK_URN } from "./support";

const FIXTURE = path.join(__dirname, "fixtures", "other-team-stack-export.json");

describe("the rule catalogue", () => {
  it("gives every rule a unique name, a requirement, remediation and a level; only exposure-unverifiable is advisory", () => {
    const names = ALL_POLICIES.map((p) => p.name);
    expect(new Set(names).size).toBe(names.length);
    for (const p of ALL_POLICIES) {
      expect(p.description).toMatch(/\(R\d+(, R\d+)*\)\.?$/);
      expect(p.requirements.length).toBeGreaterThan(0);
      expect(p.remediationSteps?.length).toBeGreaterThan(20);
      expect({ name: p.name, level: p.enforcementLevel }).toEqual({ name: p.name, level: p.name === "exposure-unverifiable" ? "advisory" : "mandatory" });
    }
  });

  it("remediations name no helper of this project, so any project can follow them", () => {
    for (const p of ALL_POLICIES) expect({ name: p.name, remediation: p.remediationSteps }).toEqual({ name: p.name, remediation: expect.not.stringMatching(/internalEndpoint|TLS_MOUNT|tracing:[a-z]/) });
  });
});

describe("runPolicies mirrors the engine's arguments", () => {
  it("isType/asType compare the class's __pulumiType", async () => {
    const seen: string[] = [];
    const probe = resourceRule({ name: "probe", description: "d (R13)", requirements: ["R13"], remediation: "r", enforcementLevel: "advisory" }, (args, report) => {
      if (args.isType(k8s.core.v1.Service)) seen.push(`${args.name}:${(args.asType(k8s.core.v1.Service) as { spec?: { type?: string } })?.spec?.type}`);
      if (args.asType(k8s.core.v1.ConfigMap) === undefined && args.type === "kubernetes:core/v1:Service") report("asType of another class is undefined");
    });
    const svc = res("kubernetes:core/v1:Service", "svc", { spec: { type: "ClusterIP" } });
    const cm = res("kubernetes:core/v1:ConfigMap", "cm", {});
    const v = await runPolicies([stack(), svc, cm], { policies: [probe] });
    expect(seen).toEqual(["svc:ClusterIP"]);
    expect(v).toEqual([{ policy: "probe", enforcementLevel: "advisory", urn: svc.urn, message: "asType of another class is undefined Remediation: r" }]);
  });

  it("passes opts.parent, skips notApplicable, applies config levels and reports stack-level violations on the Stack", async () => {
    const parents: (string | undefined)[] = [];
    const rule = resourceRule(
      { name: "r", description: "d (R1)", requirements: ["R1"], remediation: "fix", enforcementLevel: "mandatory", types: ["t:m:A"] },
      (args, report) => {
        parents.push(args.opts.parent);
        report("bad");
      },
    );
    const whole = stackRule({ name: "s", description: "d (R1)", requirements: ["R1"], remediation: "fix", enforcementLevel: "mandatory" }, (_args, report) => report("stack-wide"));
    const a = res("t:m:A", "a", {}, { parent: "urn:parent" });
    const b = res("t:m:B", "b", {});
    let v = await runPolicies([stack(), a, b], { policies: [rule, whole] });
    expect(v.map((x) => [x.policy, x.urn, x.enforcementLevel])).toEqual([
      ["r", a.urn, "mandatory"],
      ["s", STACK_URN, "mandatory"],
    ]);
    expect(parents).toEqual(["urn:parent"]);
    v = await runPolicies([stack(), a], { policies: [rule, whole], config: { r: "advisory", s: { enforcementLevel: "disabled" } } });
    expect(v.map((x) => [x.policy, x.enforcementLevel])).toEqual([["r", "advisory"]]);
  });

  it("surfaces a crashing rule with its name instead of passing silently", async () => {
    const crash = resourceRule({ name: "crash", description: "d (R1)", requirements: ["R1"], remediation: "x", enforcementLevel: "mandatory" }, () => {
      throw new TypeError("boom");
    });
    await expect(runPolicies([res("t:m:A", "a", {})], { policies: [crash] })).rejects.toThrow(/policy crash failed on .*boom/);
  });

  it("no rule crashes on empty or odd property bags of any type a rule names", async () => {
    const types = [...new Set(ALL_POLICIES.flatMap((p) => (p as { types?: readonly string[] }).types ?? []))];
    const bags = [{}, { spec: "x", metadata: [], ingress: "x", policy: 42, values: "x", vpcConfig: [], defaultActions: "x", listeners: {}, data: { "grafana.ini": 5 }, stringData: [], networkInterfaces: {} }, { policy: "{not json", accessPolicies: "[]", assumeRolePolicy: { Statement: "x" }, values: { service: { type: "LoadBalancer", annotations: "x" }, ingress: { enabled: true, annotations: 7 } } }];
    const resources = types.flatMap((t, i) => bags.map((b, j) => res(t, `r${i}-${j}`, b as Record<string, unknown>)));
    expect(types.length).toBeGreaterThan(60);
    await expect(runPolicies([stack(), ...resources])).resolves.toBeInstanceOf(Array);
  });

  it("no rule crashes on empty or odd property bags", async () => {
    const odd = ["kubernetes:core/v1:Service", "kubernetes:apps/v1:Deployment", "aws:s3/bucket:Bucket", "aws:s3/bucketPolicy:BucketPolicy", "aws:ec2/securityGroup:SecurityGroup", "kubernetes:core/v1:ConfigMap"].flatMap((t, i) => [
      res(t, `empty${i}`, {}),
      res(t, `odd${i}`, { spec: "x", metadata: [], ingress: "x", policy: 42, data: { "tempo.yaml": 5 }, bucket: {} }),
    ]);
    await expect(runPolicies([stack(), ...odd])).resolves.toBeInstanceOf(Array);
  });
});

describe("loadResources", () => {
  it("reads a stack export: skips providers, the Stack and pending deletes, prefers outputs, keeps ids and dependencies", () => {
    const resources = loadResourcesFile(FIXTURE);
    expect(resources.some((r) => r.type.startsWith("pulumi:"))).toBe(false);
    expect(resources.filter((r) => r.type === "aws:ec2/securityGroup:SecurityGroup")).toHaveLength(1);
    const bucket = resources.find((r) => r.type === "aws:s3/bucket:Bucket")!;
    expect(bucket.name).toBe("assets");
    expect(bucket.id).toBe("storefront-assets-4f1c2e9");
    expect(bucket.outputs?.arn).toBe("arn:aws:s3:::storefront-assets-4f1c2e9");
    const acl = resources.find((r) => r.name === "assets-acl")!;
    expect(acl.propertyDependencies?.bucket).toEqual([bucket.urn]);
    const db = resources.find((r) => r.name === "orders-db")!;
    expect(db.outputs?.password).toEqual(expect.objectContaining({ ciphertext: expect.any(String) }));
  });

  it("skips resources the program only reads (external) and keeps inputs apart from outputs", () => {
    const doc = {
      version: 3,
      deployment: {
        resources: [
          { urn: "urn:pulumi:p::q::aws:lb/loadBalancer:LoadBalancer::shared", type: "aws:lb/loadBalancer:LoadBalancer", custom: true, external: true, id: "arn:lb", inputs: {}, outputs: { internal: false } },
          { urn: "urn:pulumi:p::q::kubernetes:core/v1:Service::api", type: "kubernetes:core/v1:Service", custom: true, id: "ns/api", inputs: { spec: { ports: [{ port: 443 }] } }, outputs: { spec: { ports: [{ port: 443, nodePort: 31000 }] } } },
        ],
      },
    };
    doc.deployment.resources.push({ urn: "urn:pulumi:p::q::aws:lb/loadBalancer:LoadBalancer::old", type: "aws:lb/loadBalancer:LoadBalancer", custom: true, id: "arn:old", outputs: { internal: false } } as never);
    const resources = resourcesFromJson(doc);
    expect(resources.map((r) => r.name)).toEqual(["api", "old"]);
    expect(resources[1].inputs).toEqual({ internal: false }); // no inputs recorded: the outputs are all there is
    expect(resources[0].inputs).toEqual({ spec: { ports: [{ port: 443 }] } });
    expect(resources[0].outputs).toEqual({ spec: { ports: [{ port: 443, nodePort: 31000 }] } });
  });

  it("reads synth's resources.json array", () => {
    const resources = resourcesFromJson([
      { urn: STACK_URN, type: "pulumi:pulumi:Stack", name: "s", parent: null, inputs: {} },
      { urn: "urn:x::y::t:m:A::a", type: "t:m:A", name: "a", parent: STACK_URN, inputs: { k: 1 } },
    ]);
    expect(resources).toEqual([{ urn: "urn:x::y::t:m:A::a", type: "t:m:A", name: "a", parent: STACK_URN, inputs: { k: 1 } }]);
  });

  it("rejects other JSON with a clear error", () => {
    expect(() => resourcesFromJson({ hello: 1 })).toThrow(ResourceFileError);
    expect(() => resourcesFromJson({ hello: 1 })).toThrow(/pulumi stack export/);
    expect(() => resourcesFromJson([{ nope: 1 }])).toThrow(/entry 0/);
    expect(resourcesFromJson({ version: 3, deployment: { manifest: {} } })).toEqual([]);
    const tmp = path.join(fs.mkdtempSync("/tmp/policy-"), "bad.json");
    fs.writeFileSync(tmp, "{not json");
    expect(() => loadResourcesFile(tmp)).toThrow(/not valid JSON/);
    expect(() => loadResourcesFile(`${tmp}.missing`)).toThrow(/ENOENT/);
  });
});
