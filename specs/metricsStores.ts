/**
 * The private metrics stores (R5, R9), as data: which store receives which
 * span metrics from the gateway and which Grafana organisations read it.
 * Prometheus OSS has no per-user or per-tenant access control, so Support's
 * isolation is a separate store: `metrics-orders` receives only series of the
 * order-lifecycle services (the gateway's filter/orders-only), and it is the
 * only Prometheus data source in the Support organisation. `metrics-all`
 * holds every span metric plus the pipeline's own health (Engineering only).
 */
import type { MetricsStoreTarget } from "../render/spanMetrics";
import { PORTS, serviceDnsNames, Workload } from "./topology";

export interface MetricsStoreSpec {
  readonly workload: Extract<Workload, "metrics-orders" | "metrics-all">;
  /** Store key used by the alert rules (AlertRule.store) and the exporter names. */
  readonly store: "orders" | "all";
  readonly ordersOnly: boolean;
  /** Organisations that get a data source for this store. */
  readonly orgs: readonly ("support" | "engineering")[];
  /** Data source uid (the same in each organisation). */
  readonly dataSourceUid: string;
  readonly dataSourceName: string;
  /** Scrapes Tempo's metrics endpoint (Tempo-not-ready alert). */
  readonly scrapesTempo: boolean;
}

export const METRICS_STORES: readonly MetricsStoreSpec[] = [
  {
    workload: "metrics-orders",
    store: "orders",
    ordersOnly: true,
    orgs: ["support", "engineering"],
    dataSourceUid: "metrics-orders",
    dataSourceName: "Order metrics",
    scrapesTempo: false,
  },
  {
    workload: "metrics-all",
    store: "all",
    ordersOnly: false,
    orgs: ["engineering"],
    dataSourceUid: "metrics-all",
    dataSourceName: "Platform metrics",
    scrapesTempo: true,
  },
];

export const metricsStoreFqdn = (spec: MetricsStoreSpec, namespace: string) => serviceDnsNames(spec.workload, namespace).at(-1) as string;

/** The gateway's remote-write targets in a namespace. */
export function metricsStoreTargets(namespace: string): MetricsStoreTarget[] {
  return METRICS_STORES.map((spec) => {
    const host = metricsStoreFqdn(spec, namespace);
    return { name: spec.store, url: `https://${host}:${PORTS.prometheus}/api/v1/write`, serverName: host, ordersOnly: spec.ordersOnly };
  });
}
