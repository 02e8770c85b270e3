/**
 * Names, labels and ports of the platform's workloads: the one place that the
 * PKI (certificate SANs), the network policies, the workloads and the
 * renderers agree on. Pure data, no Pulumi.
 */

export type Workload = "collector-gateway" | "collector-sampler" | "tempo" | "grafana" | "metrics-orders" | "metrics-all";
export const WORKLOADS: readonly Workload[] = ["collector-gateway", "collector-sampler", "tempo", "grafana", "metrics-orders", "metrics-all"];

/** Applications that send traces (R1) and get client certificates for mutual TLS to the gateway. */
export const APPLICATIONS = ["shop-api", "crm-api", "mes-api"] as const;
export type Application = (typeof APPLICATIONS)[number];

export const PART_OF = "tracing-platform";

/** Pod labels that select a workload; NetworkPolicies and Services use exactly these. */
export function workloadLabels(workload: Workload): Record<string, string> {
  return { "app.kubernetes.io/name": workload, "app.kubernetes.io/part-of": PART_OF };
}

/** Ports each workload serves. */
export const PORTS = {
  otlpGrpc: 4317,
  otlpHttp: 4318,
  healthCheck: 13133,
  tempoHttp: 3200,
  tempoGrpc: 9095,
  grafanaHttps: 3000,
  dns: 53,
  https: 443,
  postgres: 5432,
  prometheus: 9090,
  /** The gateway's OTLP gRPC receiver for the Collectors' own metrics (Collector pods only, specs/flows.ts). */
  collectorSelfMetrics: 4319,
} as const;

/** The in-cluster DNS names of a Service, shortest first. */
export function serviceDnsNames(service: string, namespace: string): string[] {
  return [service, `${service}.${namespace}`, `${service}.${namespace}.svc`, `${service}.${namespace}.svc.cluster.local`];
}

/**
 * The sampler runs behind a headless Service: the gateway's loadbalancing
 * exporter resolves it and dials each pod by IP, and the StatefulSet's pods
 * also have stable names under the headless domain.
 */
export function headlessPodDnsNames(service: string, namespace: string): string[] {
  return [`*.${service}.${namespace}.svc`, `*.${service}.${namespace}.svc.cluster.local`];
}

/** Where TLS material is mounted in every container (cert, key and CA of the stack). */
export const TLS_MOUNT = {
  dir: "/etc/tracing/tls",
  cert: "/etc/tracing/tls/tls.crt",
  key: "/etc/tracing/tls/tls.key",
  ca: "/etc/tracing/tls/ca.crt",
} as const;

/** Tempo tenants (X-Scope-OrgID). Order-lifecycle spans carry order.id and go to `orders`. */
export const TENANTS = { orders: "orders", platform: "platform" } as const;
