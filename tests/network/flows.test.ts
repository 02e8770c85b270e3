import { platformFlows, FlowInputs } from "../../specs/flows";
import { flowPolicies } from "../../specs/networkPolicies";
import { PORTS, workloadLabels } from "../../specs/topology";

const inputs: FlowInputs = {
  applicationNamespaces: ["shop-api", "crm-api", "mes-api"],
  applicationCidrs: ["10.30.64.0/18"],
  corporateCidrs: ["10.100.0.0/16"],
  idpEgressCidrs: ["10.200.10.0/24"],
  awsApiEgressCidrs: ["10.30.0.0/16"],
  deployerCidrs: [],
  vpcCidr: "10.30.0.0/16",
  exposeCollector: false,
  grafanaDatabase: "sqlite",
};

const byName = (flows: ReturnType<typeof platformFlows>) => new Map(flows.map((f) => [f.name, f]));

describe("platform flows", () => {
  it("covers every flow of DESIGN.md section 1 plus DNS, AWS and IdP egress", () => {
    const names = platformFlows(inputs).map((f) => f.name).sort();
    expect(names).toEqual(["apps-to-gateway", "corporate-to-grafana", "dns", "gateway-to-sampler", "grafana-to-idp", "grafana-to-tempo", "sampler-to-tempo", "tempo-to-aws", "gateway-to-metrics", "grafana-to-metrics", "metrics-to-tempo", "collectors-to-gateway-self-metrics", ...names.filter((n) => n.startsWith("grafana-to-aws"))].sort());
  });

  it("lets only the sampler write to Tempo, Grafana query it and the platform metrics store scrape its HTTP port", () => {
    const tempoIngress = platformFlows(inputs)
      .flatMap(flowPolicies)
      .filter((p) => p.spec.policyTypes.includes("Ingress") && p.spec.podSelector.matchLabels?.["app.kubernetes.io/name"] === "tempo");
    const sources = tempoIngress.flatMap((p) => p.spec.ingress!.flatMap((rule) => rule.from.map((peer) => peer.podSelector?.matchLabels?.["app.kubernetes.io/name"])));
    expect(sources.sort()).toEqual(["collector-sampler", "grafana", "metrics-all"]);
    const ports = tempoIngress.flatMap((p) => p.spec.ingress!.flatMap((rule) => rule.ports.map((port) => port.port))).sort();
    expect(ports).toEqual([PORTS.tempoHttp, PORTS.tempoHttp, PORTS.otlpGrpc].sort());
  });

  it("writes an ingress rule on the destination and an egress rule on the source of an in-namespace flow", () => {
    const policies = flowPolicies(byName(platformFlows(inputs)).get("gateway-to-sampler")!);
    expect(policies.map((p) => p.name).sort()).toEqual(["allow-gateway-to-sampler-egress-collector-gateway", "allow-gateway-to-sampler-ingress-collector-sampler"]);
    const egress = policies.find((p) => p.spec.policyTypes[0] === "Egress")!;
    expect(egress.spec.podSelector).toEqual({ matchLabels: workloadLabels("collector-gateway") });
    expect(egress.spec.egress![0]).toEqual({ to: [{ podSelector: { matchLabels: workloadLabels("collector-sampler") } }], ports: [{ port: 4317, protocol: "TCP" }] });
  });

  it("admits the gateway's self-metrics port only from the Collector pods, and applications to the OTLP ports only (R5, R10)", () => {
    for (const exposeCollector of [false, true]) {
      const flows = platformFlows({ ...inputs, exposeCollector });
      const toSelf = flows.filter((f) => f.ports.some((p) => p.port === PORTS.collectorSelfMetrics));
      expect(toSelf.map((f) => f.name)).toEqual(["collectors-to-gateway-self-metrics"]);
      expect(toSelf[0]!.from).toEqual([
        { kind: "workload", workload: "collector-gateway" },
        { kind: "workload", workload: "collector-sampler" },
      ]);
      expect(toSelf[0]!.to).toEqual([{ kind: "workload", workload: "collector-gateway" }]);
      expect(byName(flows).get("apps-to-gateway")!.ports.map((p) => p.port).sort()).toEqual([PORTS.otlpGrpc, PORTS.otlpHttp]);
    }
  });

  it("admits application networks at the gateway only when the collector is exposed", () => {
    const hidden = byName(platformFlows(inputs)).get("apps-to-gateway")!;
    expect(hidden.from).toEqual([{ kind: "namespaces", names: ["shop-api", "crm-api", "mes-api"] }]);
    const exposed = byName(platformFlows({ ...inputs, exposeCollector: true })).get("apps-to-gateway")!;
    expect(exposed.from).toContainEqual({ kind: "cidrs", cidrs: ["10.30.64.0/18"] });
  });

  it("admits the deployer CIDRs to Grafana's HTTPS port only, and only when some are configured", () => {
    expect(byName(platformFlows(inputs)).has("deployers-to-grafana")).toBe(false);
    const flows = platformFlows({ ...inputs, deployerCidrs: ["10.30.8.0/24"] });
    const withDeployers = flows.filter((f) => JSON.stringify(f.from).includes("10.30.8.0/24") || JSON.stringify(f.to).includes("10.30.8.0/24"));
    expect(withDeployers.map((f) => f.name)).toEqual(["deployers-to-grafana"]);
    expect(flowPolicies(withDeployers[0])).toEqual([
      {
        name: "allow-deployers-to-grafana-ingress-grafana",
        spec: {
          podSelector: { matchLabels: workloadLabels("grafana") },
          policyTypes: ["Ingress"],
          ingress: [{ from: [{ ipBlock: { cidr: "10.30.8.0/24" } }], ports: [{ port: PORTS.grafanaHttps, protocol: "TCP" }] }],
        },
      },
    ]);
  });

  it("opens the database flow only with PostgreSQL", () => {
    expect(byName(platformFlows(inputs)).has("grafana-to-database")).toBe(false);
    expect(byName(platformFlows({ ...inputs, grafanaDatabase: "postgres" })).get("grafana-to-database")!.ports).toEqual([{ port: 5432, protocol: "TCP" }]);
  });

  it("resolves names only through cluster DNS", () => {
    const [egress] = flowPolicies(byName(platformFlows(inputs)).get("dns")!);
    expect(egress.spec.podSelector).toEqual({});
    expect(egress.spec.egress![0].to).toEqual([
      { namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "kube-system" } }, podSelector: { matchLabels: { "k8s-app": "kube-dns" } } },
    ]);
  });

  it("never admits the whole internet in any flow", () => {
    for (const flow of platformFlows({ ...inputs, exposeCollector: true, grafanaDatabase: "postgres" })) {
      for (const peer of [...flow.from, ...flow.to]) {
        if (peer.kind === "cidrs") for (const c of peer.cidrs) expect(c).not.toMatch(/^(0\.0\.0\.0|::)\/0$/);
      }
    }
  });
});

describe("metrics store flows (R5, R13)", () => {
  it("admits only the gateway (remote write) and Grafana (queries) to the metrics stores", () => {
    for (const store of ["metrics-orders", "metrics-all"]) {
      const ingress = platformFlows(inputs)
        .flatMap(flowPolicies)
        .filter((p) => p.spec.policyTypes.includes("Ingress") && p.spec.podSelector.matchLabels?.["app.kubernetes.io/name"] === store);
      const sources = ingress.flatMap((p) => p.spec.ingress!.flatMap((rule) => rule.from.map((peer) => peer.podSelector?.matchLabels?.["app.kubernetes.io/name"])));
      expect(sources.sort()).toEqual(["collector-gateway", "grafana"]);
      expect(ingress.flatMap((p) => p.spec.ingress!.flatMap((rule) => rule.ports.map((port) => port.port)))).toEqual([PORTS.prometheus, PORTS.prometheus]);
    }
  });
});
