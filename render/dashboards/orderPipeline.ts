/**
 * "Order pipeline" (R1): errors and latency per hop of the order flow,
 * Shop -> CRM -> RabbitMQ -> MES -> database, from TraceQL metrics queries
 * (Tempo's metrics-generator-free query path: `| rate()`,
 * `| quantile_over_time(duration, .95)`). Engineering only. With a metrics store, exact per-hop RED panels from span metrics (every span, before sampling) come first.
 */
import { hopMetricPanels } from "./hopMetrics";
import { Dashboard, DataSourceRef, layout, MetricsSourceRef, Panel, SCHEMA_VERSION, traceqlMetrics } from "./model";

export const ORDER_PIPELINE_UID = "order-pipeline";

export interface Hop {
  readonly name: string;
  /** TraceQL span selector of the hop's spans. */
  readonly selector: string;
}

/** The hops, each selected by the span that crosses it (semantic conventions names after the gateway's normalisation). */
export const HOPS: readonly Hop[] = [
  { name: "Shop -> CRM", selector: '{ resource.service.name = "shop-api" && kind = client && span.http.request.method != nil }' },
  { name: "CRM -> RabbitMQ publish", selector: '{ resource.service.name = "crm-api" && span.messaging.operation.type = "publish" }' },
  { name: "RabbitMQ -> MES consume", selector: '{ resource.service.name = "mes-api" && kind = consumer }' },
  { name: "MES -> database", selector: '{ resource.service.name = "mes-api" && (span.db.system.name != nil || span.db.system != nil) }' },
];

/** Adds a condition inside a `{ ... }` selector. */
export function withCondition(selector: string, condition: string): string {
  if (!/^\{.*\}$/.test(selector)) throw new Error(`not a TraceQL span selector: ${selector}`);
  return `${selector.slice(0, -1).trimEnd()} && ${condition} }`;
}

export const hopQueries = (hop: Hop) => ({
  rate: `${hop.selector} | rate()`,
  errors: `${withCondition(hop.selector, "status = error")} | rate()`,
  p95: `${hop.selector} | quantile_over_time(duration, .95)`,
});

/** `metrics`: the span-metrics store; its exact per-hop RED panels come first. @default undefined (TraceQL panels only) */
export function orderPipelineDashboard(ds: DataSourceRef, metrics?: MetricsSourceRef): Dashboard {
  const panels: (Omit<Panel, "id" | "gridPos"> & { w: number; h: number })[] = metrics ? hopMetricPanels(metrics) : [];
  for (const hop of HOPS) {
    const q = hopQueries(hop);
    panels.push(
      {
        type: "timeseries",
        title: `${hop.name}: spans and errors per second`,
        description: hop.name.includes("publish") ? "Errors include RabbitMQ nacks (publisher confirms set error status)." : undefined,
        datasource: ds,
        targets: [traceqlMetrics("A", ds, q.rate), traceqlMetrics("B", ds, q.errors)],
        fieldConfig: { defaults: { unit: "reqps" }, overrides: [] },
        w: 12,
        h: 8,
      },
      {
        type: "timeseries",
        title: `${hop.name}: p95 latency`,
        datasource: ds,
        targets: [traceqlMetrics("A", ds, q.p95)],
        fieldConfig: { defaults: { unit: "s" }, overrides: [] },
        w: 12,
        h: 8,
      },
    );
  }
  return {
    uid: ORDER_PIPELINE_UID,
    title: "Order pipeline",
    description: "Errors and latency per hop: Shop -> CRM -> RabbitMQ -> MES -> MES database.",
    tags: ["orders", "tracing", "pipeline"],
    editable: false,
    schemaVersion: SCHEMA_VERSION,
    time: { from: "now-6h", to: "now" },
    refresh: "1m",
    timezone: "utc",
    templating: { list: [] },
    panels: layout(panels),
  };
}
