/** Policy config: what counts as private, and the level of exposure-unverifiable, as a policy config file sets them. */
import { evaluate, ExportBuilder } from "./exportShapes";

function stackWithRanges() {
  const b = new ExportBuilder();
  const corp = b.aws("aws:ec2/securityGroup:SecurityGroup", "office-sg", { vpcId: "vpc-0a", ingress: [{ protocol: "tcp", fromPort: 443, toPort: 443, cidrBlocks: ["198.51.100.0/24"] }] });
  const cgnat = b.aws("aws:ec2/securityGroup:SecurityGroup", "vpn-sg", { vpcId: "vpc-0a", ingress: [{ protocol: "tcp", fromPort: 443, toPort: 443, cidrBlocks: ["100.64.0.0/16"] }] });
  const release = b.k8s("helm.sh/v3", "Release", "cert-manager", { chart: "cert-manager", values: {} });
  return { b, corp, cgnat, release };
}

const urnsOf = (v: { urn: string; policy: string }[], policy: string) => v.filter((x) => x.policy === policy).map((x) => x.urn);

describe("what counts as private comes from policy config", () => {
  it("defaults: RFC 1918, 100.64/10 and fc00::/7 are private; a public corporate /24 is not", async () => {
    const { b, corp, cgnat } = stackWithRanges();
    const v = await evaluate(b.document(), { policies: ["aws-security-group-no-public-ingress"] });
    expect(urnsOf(v, "aws-security-group-no-public-ingress")).toEqual([corp.urn]);
    expect(v[0].message).toContain("198.51.100.0/24 (outside the private ranges 10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16, 100.64.0.0/10, fc00::/7)");
    void cgnat;
  });

  it("allowedCidrs under \"all\" adds corporate ranges for every rule; privateCidrs replaces the private set", async () => {
    const { b, corp, cgnat } = stackWithRanges();
    let v = await evaluate(b.document(), { policies: ["aws-security-group-no-public-ingress"], config: { all: { allowedCidrs: ["198.51.100.0/24"] } } });
    expect(v).toEqual([]);
    v = await evaluate(b.document(), { policies: ["aws-security-group-no-public-ingress"], config: { "aws-security-group-no-public-ingress": { privateCidrs: ["10.0.0.0/8"] } } });
    expect(urnsOf(v, "aws-security-group-no-public-ingress").sort()).toEqual([corp.urn, cgnat.urn].sort());
  });
});

describe("exposure-unverifiable's level", () => {
  it("is advisory by default and mandatory when configured", async () => {
    const { b, release } = stackWithRanges();
    let v = await evaluate(b.document(), { policies: ["exposure-unverifiable"] });
    expect(v.map((x) => [x.urn, x.enforcementLevel])).toEqual([[release.urn, "advisory"]]);
    v = await evaluate(b.document(), { policies: ["exposure-unverifiable"], config: { "exposure-unverifiable": "mandatory" } });
    expect(v.map((x) => [x.urn, x.enforcementLevel])).toEqual([[release.urn, "mandatory"]]);
  });
});
