/**
 * Per-hop RED panels from the gateway's span metrics (R5, R1): every span is
 * counted before sampling, so these rates are exact where TraceQL metrics on
 * sampled traces are not. One row of three panels per hop: spans per second,
 * errors per second, p95 duration.
 */
import { SPAN_METRIC_NAMES } from "../spanMetrics";
import { MetricsSourceRef, Panel, promql } from "./model";

export interface MetricsHop {
  readonly name: string;
  /** PromQL label matchers of the hop's spans (span-metric labels). */
  readonly matchers: string;
}

export const METRICS_HOPS: readonly MetricsHop[] = [
  { name: "Shop -> CRM", matchers: 'service_name="shop-api",span_kind="SPAN_KIND_CLIENT"' },
  { name: "CRM -> RabbitMQ publish", matchers: 'service_name="crm-api",span_kind="SPAN_KIND_PRODUCER"' },
  { name: "RabbitMQ -> MES consume", matchers: 'service_name="mes-api",span_kind="SPAN_KIND_CONSUMER"' },
  { name: "MES -> database", matchers: 'service_name="mes-api",db_system_name!=""' },
];

export const hopMetricQueries = (hop: MetricsHop) => ({
  rate: `sum(rate(${SPAN_METRIC_NAMES.calls}{${hop.matchers}}[5m]))`,
  errors: `sum(rate(${SPAN_METRIC_NAMES.calls}{${hop.matchers},status_code="STATUS_CODE_ERROR"}[5m])) or vector(0)`,
  p95: `histogram_quantile(0.95, sum by (le) (rate(${SPAN_METRIC_NAMES.durationBucket}{${hop.matchers}}[5m])))`,
});

export function hopMetricPanels(ds: MetricsSourceRef): (Omit<Panel, "id" | "gridPos"> & { w: number; h: number })[] {
  return METRICS_HOPS.flatMap((hop) => {
    const q = hopMetricQueries(hop);
    const panel = (title: string, expr: string, unit: string, legend: string) => ({
      type: "timeseries" as const,
      title: `${hop.name}: ${title}`,
      description: "From span metrics of every span, before sampling (gateway spanmetrics connector).",
      datasource: ds,
      targets: [promql("A", ds, expr, legend)],
      fieldConfig: { defaults: { unit }, overrides: [] },
      w: 8,
      h: 7,
    });
    return [panel("rate", q.rate, "reqps", "spans/s"), panel("errors", q.errors, "reqps", "errors/s"), panel("p95 duration", q.p95, "s", "p95")];
  });
}
