/**
 * What the first `pulumi up` of the dev stack depends on (issue 11), on the
 * real program under Pulumi's mock runtime (the engine and AWS/Kubernetes/
 * Grafana are mocked; synth/mocks.ts answers DescribeCluster with a fake
 * endpoint and CA): the explicit Kubernetes provider, who may reach Grafana,
 * its DNS record, the wait before the Grafana provider, and the organisations'
 * ignored membership.
 */
import * as fs from "fs";
import * as path from "path";
import { ORGANIZATION_MEMBERSHIP_FIELDS } from "../../components/grafana/provisioning";
import { DYNAMIC_PROVIDER_MARK } from "../../synth/synthesize";
import { named, ofType, PROJECT_DIR, synthStack } from "../support/synth";
import { grafanaIngressCidrs, loadBalancers, networkPolicyCidrs, sorted, stackValues } from "./support";

const values = stackValues("dev");

describe("dev stack: Kubernetes provider", () => {
  it("builds the kubeconfig from the EKS cluster: endpoint, CA and an `aws eks get-token` exec plugin", async () => {
    const provider = named(await synthStack("dev"), "tracing-kubernetes");
    expect(provider.type).toBe("pulumi:providers:kubernetes");
    expect(provider.inputs.clusterIdentifier).toBe("orders-dev");
    const kubeconfig = JSON.parse(provider.inputs.kubeconfig as string);
    expect(kubeconfig.clusters).toEqual([
      {
        name: "orders-dev",
        cluster: {
          server: "https://MOCK0ORDERS0DEV.gr7.eu-central-1.eks.amazonaws.com",
          "certificate-authority-data": Buffer.from("mock CA bundle of orders-dev").toString("base64"),
        },
      },
    ]);
    expect(kubeconfig.users).toEqual([
      {
        name: "orders-dev",
        user: {
          exec: {
            apiVersion: "client.authentication.k8s.io/v1beta1",
            command: "aws",
            args: ["eks", "get-token", "--cluster-name", "orders-dev", "--region", "eu-central-1", "--output", "json"],
            interactiveMode: "Never",
          },
        },
      },
    ]);
    expect(kubeconfig["current-context"]).toBe("orders-dev");
    expect(kubeconfig.contexts).toEqual([{ name: "orders-dev", context: { cluster: "orders-dev", user: "orders-dev" } }]);
  });

  it("is the provider of every Kubernetes resource, so no ambient kubeconfig is ever used", async () => {
    const s = await synthStack("dev");
    const provider = named(s, "tracing-kubernetes");
    const kubernetes = s.resources.filter((r) => r.type.startsWith("kubernetes:"));
    expect(kubernetes.length).toBeGreaterThan(30);
    expect(kubernetes.filter((r) => r.provider !== provider.urn).map((r) => r.name)).toEqual([]);
    expect(ofType(s, "pulumi:providers:kubernetes")).toHaveLength(1);
  });
});

describe("dev stack: who reaches Grafana", () => {
  it("admits exactly the corporate and deployer CIDRs at Grafana's load balancer", async () => {
    expect(values.deployerCidrs.length).toBeGreaterThan(0);
    const ranges = loadBalancers(await synthStack("dev"));
    expect(sorted(ranges.get("grafana")!)).toEqual(sorted([...values.corporateCidrs, ...values.deployerCidrs]));
  });

  it("admits exactly the corporate and deployer CIDRs (plus the VPC's NLB health checks) in Grafana's NetworkPolicies", async () => {
    const cidrs = grafanaIngressCidrs(await synthStack("dev"));
    expect(sorted([...new Set(cidrs)])).toEqual(sorted([...values.corporateCidrs, ...values.deployerCidrs, values.cluster.vpcCidr]));
  });

  it("names the deployer CIDRs in no other NetworkPolicy or load balancer", async () => {
    const s = await synthStack("dev");
    for (const [policy, cidrs] of networkPolicyCidrs(s)) {
      if (policy === "allow-deployers-to-grafana-ingress-grafana") expect(cidrs).toEqual(values.deployerCidrs);
      else for (const cidr of values.deployerCidrs) expect({ policy, cidrs }).toEqual({ policy, cidrs: expect.not.arrayContaining([cidr]) });
    }
    for (const [service, ranges] of loadBalancers(s)) {
      if (service !== "grafana") for (const cidr of values.deployerCidrs) expect(ranges).not.toContain(cidr);
    }
  });
});

describe("dev stack: Grafana by its name before the Grafana provider", () => {
  it("points tracing:grafanaHostname at the NLB from the Service status in the private hosted zone", async () => {
    const s = await synthStack("dev");
    const [record] = ofType(s, "aws:route53/record:Record");
    expect(record.inputs).toEqual({
      zoneId: values.privateHostedZoneId,
      name: values.grafanaHostname,
      type: "CNAME",
      ttl: 60,
      records: ["k8s-mock-tracing-grafana-service.elb.eu-central-1.amazonaws.com"],
    });
  });

  it("waits for https://<hostname>/api/health with the stack CA after the record and the StatefulSet, and the Grafana provider waits for that", async () => {
    const s = await synthStack("dev");
    const wait = named(s, "tracing-grafana-reachable");
    expect(wait.type).toBe("pulumi-nodejs:dynamic/grafana:Reachable");
    expect(wait.inputs).toEqual({
      __provider: DYNAMIC_PROVIDER_MARK,
      hostname: values.grafanaHostname,
      caCertPem: "mock-cert-pem-tracing-pki-ca",
      timeoutSeconds: 900,
      loadBalancerHostname: "k8s-mock-tracing-grafana-service.elb.eu-central-1.amazonaws.com",
    });
    expect(wait.dependsOn).toEqual(sorted([named(s, "tracing-grafana-dns").urn, named(s, "tracing-grafana-statefulset").urn]));
    const grafanaProvider = named(s, "tracing-grafana-provider");
    expect(grafanaProvider.inputs.url).toBe(`https://${values.grafanaHostname}`);
    expect(grafanaProvider.dependsOn).toContain(wait.urn);
    // Every Grafana API resource goes through that provider.
    const viaApi = s.resources.filter((r) => r.type.startsWith("grafana:"));
    expect(viaApi.length).toBeGreaterThan(4);
    expect(viaApi.filter((r) => r.provider !== grafanaProvider.urn).map((r) => r.name)).toEqual([]);
  });
});

describe("dev stack: organisations", () => {
  it("ignores membership changes on both organisations", async () => {
    const orgs = ofType(await synthStack("dev"), "grafana:oss/organization:Organization");
    expect(orgs.map((o) => o.name).sort()).toEqual(["tracing-grafana-org-engineering", "tracing-grafana-org-support"]);
    for (const org of orgs) expect(org.ignoreChanges).toEqual(["admins", "editors", "usersWithoutAccesses", "viewers"]);
  });

  it("covers every user-list field the provider's Organization has (@pulumiverse/grafana's OrganizationArgs)", () => {
    const typings = fs.readFileSync(path.join(PROJECT_DIR, "node_modules", "@pulumiverse", "grafana", "oss", "organization.d.ts"), "utf8");
    const args = typings.slice(typings.indexOf("export interface OrganizationArgs {"));
    const body = args.slice(0, args.indexOf("\n}"));
    const userLists = [...body.matchAll(/^\s+(\w+)\?: pulumi\.Input<pulumi\.Input<string>\[\]>;/gm)].map((m) => m[1]);
    expect(userLists.length).toBeGreaterThan(0);
    expect(sorted(userLists)).toEqual(sorted(ORGANIZATION_MEMBERSHIP_FIELDS));
  });
});
