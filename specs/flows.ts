/**
 * Every network flow the platform needs (DESIGN.md section 1, plus DNS, AWS
 * API and IdP egress), as data. The namespace denies all ingress and egress;
 * each flow here becomes explicit allow rules and nothing else is allowed.
 * Pure: the networking component turns flows into NetworkPolicies, and tests
 * read the same list.
 */
import { PORTS, Workload } from "./topology";

export type Protocol = "TCP" | "UDP";
export interface FlowPort {
  readonly port: number;
  readonly protocol: Protocol;
}

/** One end of a flow. */
export type Peer =
  | { readonly kind: "workload"; readonly workload: Workload }
  /** Every pod of the platform namespace (only as a source). */
  | { readonly kind: "all-platform-pods" }
  /** Pods in other namespaces, selected by namespace name. */
  | { readonly kind: "namespaces"; readonly names: readonly string[] }
  | { readonly kind: "cidrs"; readonly cidrs: readonly string[] }
  | { readonly kind: "kube-dns" };

export interface Flow {
  /** Stable name, used in the NetworkPolicy names. */
  readonly name: string;
  /** Why the flow exists. */
  readonly purpose: string;
  readonly from: readonly Peer[];
  readonly to: readonly Peer[];
  readonly ports: readonly FlowPort[];
}

export interface FlowInputs {
  readonly applicationNamespaces: readonly string[];
  readonly applicationCidrs: readonly string[];
  readonly corporateCidrs: readonly string[];
  readonly idpEgressCidrs: readonly string[];
  readonly awsApiEgressCidrs: readonly string[];
  /** Where `pulumi up` runs: the Grafana provider calls Grafana's API from there. */
  readonly deployerCidrs: readonly string[];
  /** The VPC's CIDR: internal load balancer health checks and the Grafana database come from/live there. */
  readonly vpcCidr: string;
  readonly exposeCollector: boolean;
  readonly grafanaDatabase: "sqlite" | "postgres";
  /** The mail relay for alert e-mails (tracing:smtp): Grafana's only egress for it. @default undefined (no e-mail) */
  readonly smtp?: { readonly egressCidrs: readonly string[]; readonly port: number };
}

const tcp = (...ports: number[]): FlowPort[] => ports.map((port) => ({ port, protocol: "TCP" }));
const workload = (w: Workload): Peer => ({ kind: "workload", workload: w });
const cidrs = (list: readonly string[]): Peer => ({ kind: "cidrs", cidrs: list });

export function platformFlows(inputs: FlowInputs): Flow[] {
  const applicationSources: Peer[] = [];
  if (inputs.applicationNamespaces.length > 0) applicationSources.push({ kind: "namespaces", names: inputs.applicationNamespaces });
  if (inputs.exposeCollector) applicationSources.push(cidrs(inputs.applicationCidrs), cidrs([inputs.vpcCidr]));

  const flows: Flow[] = [
    {
      name: "dns",
      purpose: "Name resolution for every platform pod (cluster DNS only).",
      from: [{ kind: "all-platform-pods" }],
      to: [{ kind: "kube-dns" }],
      ports: [
        { port: PORTS.dns, protocol: "UDP" },
        { port: PORTS.dns, protocol: "TCP" },
      ],
    },
    {
      name: "apps-to-gateway",
      purpose: "Shop, CRM and MES APIs send OTLP over mutual TLS to the collector gateway (R1, R3, R10).",
      from: applicationSources,
      to: [workload("collector-gateway")],
      ports: tcp(PORTS.otlpGrpc, PORTS.otlpHttp),
    },
    {
      name: "gateway-to-sampler",
      purpose: "The gateway's loadbalancing exporter sends each trace to one sampler pod (mTLS).",
      from: [workload("collector-gateway")],
      to: [workload("collector-sampler")],
      ports: tcp(PORTS.otlpGrpc),
    },
    {
      name: "sampler-to-tempo",
      purpose: "Sampled traces are written to Tempo with the tenant header (mTLS).",
      from: [workload("collector-sampler")],
      to: [workload("tempo")],
      ports: tcp(PORTS.otlpGrpc),
    },
    {
      name: "grafana-to-tempo",
      purpose: "Grafana's Tempo data sources query Tempo's HTTP API (mTLS).",
      from: [workload("grafana")],
      to: [workload("tempo")],
      ports: tcp(PORTS.tempoHttp),
    },
    {
      name: "corporate-to-grafana",
      purpose: "Corporate users reach Grafana through the internal load balancer, which preserves client IPs (R13); the VPC range admits its health checks.",
      from: [cidrs(inputs.corporateCidrs), cidrs([inputs.vpcCidr])],
      to: [workload("grafana")],
      ports: tcp(PORTS.grafanaHttps),
    },
    {
      name: "deployers-to-grafana",
      purpose: "The deploy runners' Grafana provider provisions organisations, data sources and dashboards through the internal load balancer.",
      from: inputs.deployerCidrs.length > 0 ? [cidrs(inputs.deployerCidrs)] : [],
      to: [workload("grafana")],
      ports: tcp(PORTS.grafanaHttps),
    },
    {
      name: "grafana-to-idp",
      purpose: "Grafana exchanges OAuth codes and reads userinfo at the IdP (R8).",
      from: [workload("grafana")],
      to: [cidrs(inputs.idpEgressCidrs)],
      ports: tcp(PORTS.https),
    },
    {
      name: "tempo-to-aws",
      purpose: "Tempo reads and writes blocks in S3 and gets IRSA credentials from STS.",
      from: [workload("tempo")],
      to: [cidrs(inputs.awsApiEgressCidrs)],
      ports: tcp(PORTS.https),
    },
    {
      name: "grafana-to-aws",
      purpose: "Grafana's audit shipper writes audit records to the Object Lock bucket in S3 and gets IRSA credentials from STS (R11).",
      from: [workload("grafana")],
      to: [cidrs(inputs.awsApiEgressCidrs)],
      ports: tcp(PORTS.https),
    },
    {
      name: "collectors-to-gateway-self-metrics",
      purpose: "Both Collector tiers push their own otelcol_* metrics to the gateway's self-metrics receiver (OTLP, mTLS), which writes them to metrics-all: the pipeline alerts (R5). Only Collector pods reach this port.",
      from: [workload("collector-gateway"), workload("collector-sampler")],
      to: [workload("collector-gateway")],
      ports: tcp(PORTS.collectorSelfMetrics),
    },
    {
      name: "gateway-to-metrics",
      purpose: "The gateway writes span metrics to the private metrics stores (Prometheus remote write, mTLS, R5).",
      from: [workload("collector-gateway")],
      to: [workload("metrics-orders"), workload("metrics-all")],
      ports: tcp(PORTS.prometheus),
    },
    {
      name: "grafana-to-metrics",
      purpose: "Grafana's Prometheus data sources and alert rules query the metrics stores (mTLS, R5).",
      from: [workload("grafana")],
      to: [workload("metrics-orders"), workload("metrics-all")],
      ports: tcp(PORTS.prometheus),
    },
    {
      name: "metrics-to-tempo",
      purpose: "The platform metrics store scrapes Tempo's metrics endpoint (mTLS): the Tempo-not-ready alert.",
      from: [workload("metrics-all")],
      to: [workload("tempo")],
      ports: tcp(PORTS.tempoHttp),
    },
  ];
  if (inputs.grafanaDatabase === "postgres") {
    flows.push({
      name: "grafana-to-database",
      purpose: "Grafana's shared PostgreSQL (RDS in the VPC's private subnets), TLS required.",
      from: [workload("grafana")],
      to: [cidrs([inputs.vpcCidr])],
      ports: tcp(PORTS.postgres),
    });
  }
  if (inputs.smtp) {
    flows.push({
      name: "grafana-to-smtp",
      purpose: "Grafana sends alert e-mails through the corporate mail relay, over TLS (R5, R10).",
      from: [workload("grafana")],
      to: [cidrs(inputs.smtp.egressCidrs)],
      ports: tcp(inputs.smtp.port),
    });
  }
  return flows.filter((flow) => flow.from.length > 0);
}
