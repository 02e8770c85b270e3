/**
 * The prod stack's deploy path (issue 11) under Pulumi's mock runtime (engine
 * and clouds mocked): no private hosted zone is configured, so the DNS team
 * owns the record and the stack only waits for it; the collector's NLB admits
 * the application networks and never the deployers.
 */
import { named, ofType, synthStack } from "../support/synth";
import { grafanaIngressCidrs, loadBalancers, sorted, stackValues } from "./support";

const values = stackValues("prod");

describe("prod stack: deploy path", () => {
  it("creates no DNS record without tracing:privateHostedZoneId, and still waits for Grafana by its name", async () => {
    const s = await synthStack("prod");
    expect(values.privateHostedZoneId).toBeUndefined();
    expect(ofType(s, "aws:route53/record:Record")).toEqual([]);
    const wait = named(s, "tracing-grafana-reachable");
    expect(wait.inputs.hostname).toBe(values.grafanaHostname);
    expect(wait.dependsOn).toEqual([named(s, "tracing-grafana-statefulset").urn]);
    expect(named(s, "tracing-grafana-provider").dependsOn).toContain(wait.urn);
  });

  it("builds its Kubernetes provider from the prod cluster and gives it to every Kubernetes resource", async () => {
    const s = await synthStack("prod");
    const provider = named(s, "tracing-kubernetes");
    const exec = JSON.parse(provider.inputs.kubeconfig as string).users[0].user.exec;
    expect(exec.args).toEqual(["eks", "get-token", "--cluster-name", "orders-prod", "--region", "eu-central-1", "--output", "json"]);
    expect(s.resources.filter((r) => r.type.startsWith("kubernetes:") && r.provider !== provider.urn)).toEqual([]);
  });

  it("admits corporate + deployer CIDRs at Grafana, and only the application CIDRs at the collector's NLB", async () => {
    const s = await synthStack("prod");
    const ranges = loadBalancers(s);
    expect(sorted([...ranges.keys()])).toEqual(["collector-gateway-internal", "grafana"].sort());
    expect(sorted(ranges.get("grafana")!)).toEqual(sorted([...values.corporateCidrs, ...values.deployerCidrs]));
    expect(sorted(ranges.get("collector-gateway-internal")!)).toEqual(sorted(values.applicationCidrs));
    expect(sorted([...new Set(grafanaIngressCidrs(s))])).toEqual(sorted([...values.corporateCidrs, ...values.deployerCidrs, values.cluster.vpcCidr]));
  });
});
