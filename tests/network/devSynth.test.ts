import { platformFlows } from "../../specs/flows";
import { flowPolicies } from "../../specs/networkPolicies";
import { ofType, synthStack } from "../support/synth";

describe("private network in the dev stack", () => {
  it("creates the namespace with restricted pod security", async () => {
    const [ns] = ofType(await synthStack("dev"), "kubernetes:core/v1:Namespace");
    expect(ns.inputs.metadata).toMatchObject({ name: "tracing", labels: { "pod-security.kubernetes.io/enforce": "restricted" } });
  });

  it("denies all ingress and egress by default", async () => {
    const policies = ofType(await synthStack("dev"), "kubernetes:networking.k8s.io/v1:NetworkPolicy");
    const deny = policies.find((p) => (p.inputs.metadata as { name: string }).name === "default-deny-all");
    expect(deny?.inputs.spec).toEqual({ podSelector: {}, policyTypes: ["Ingress", "Egress"] });
  });

  it("declares exactly one policy per flow direction and nothing else", async () => {
    const s = await synthStack("dev");
    const declared = ofType(s, "kubernetes:networking.k8s.io/v1:NetworkPolicy").map((p) => (p.inputs.metadata as { name: string }).name).sort();
    const expected = platformFlows({
      applicationNamespaces: ["shop-api", "crm-api", "mes-api"],
      applicationCidrs: [],
      corporateCidrs: ["10.100.0.0/16", "10.101.0.0/16"],
      idpEgressCidrs: ["10.200.10.0/24"],
      awsApiEgressCidrs: ["10.20.0.0/16"],
      deployerCidrs: ["10.20.8.0/24"],
      vpcCidr: "10.20.0.0/16",
      exposeCollector: false,
      grafanaDatabase: "sqlite",
      smtp: { egressCidrs: ["10.20.200.25/32"], port: 587 },
    })
      .flatMap(flowPolicies)
      .map((p) => p.name);
    expect(declared).toEqual(["default-deny-all", ...expected].sort());
  });

  it("creates the S3 gateway endpoint on the private route tables when configured", async () => {
    const [endpoint] = ofType(await synthStack("dev"), "aws:ec2/vpcEndpoint:VpcEndpoint");
    expect(endpoint.inputs).toMatchObject({ vpcEndpointType: "Gateway", serviceName: "com.amazonaws.eu-central-1.s3", routeTableIds: ["rtb-0a1b2c3d4e5f60021"] });
  });
});

describe("alert e-mail egress in the dev stack (R5)", () => {
  it("opens the mail relay to Grafana alone, on the relay's port", async () => {
    const s = await synthStack("dev");
    const smtp = ofType(s, "kubernetes:networking.k8s.io/v1:NetworkPolicy").filter((p) => (p.inputs.metadata as { name: string }).name.includes("grafana-to-smtp"));
    expect(smtp.length).toBe(1);
    const spec = smtp[0].inputs.spec as { podSelector: { matchLabels: Record<string, string> }; egress: { to: { ipBlock?: { cidr: string } }[]; ports: { port: number }[] }[] };
    expect(spec.podSelector.matchLabels["app.kubernetes.io/name"]).toBe("grafana");
    expect(spec.egress.flatMap((e) => e.to.map((t) => t.ipBlock?.cidr))).toEqual(["10.20.200.25/32"]);
    expect(spec.egress.flatMap((e) => e.ports.map((p) => p.port))).toEqual([587]);
  });
});
