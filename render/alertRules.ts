/**
 * The order-lifecycle and pipeline alerts (R5, R1, R7) as typed data, in one
 * place: render/prometheusRules.ts turns them into a Prometheus rule file
 * (promtool tests it), components/grafana/alerting.ts into Grafana-managed
 * rule groups per organisation. Both compare the same PromQL query with the
 * same threshold. Pure: thresholds in, rules out.
 *
 * Span-metric series (render/spanMetrics.ts) carry service_name, span_kind,
 * status_code, http_route, http_response_status_code,
 * messaging_destination_name, messaging_operation_type, db_system_name and
 * db_operation_name; pipeline series are the Collector's own otelcol_*
 * metrics and Prometheus's `up` of the Tempo scrape.
 */
import { ORDER_LOOKUP_UID } from "./dashboards/orderLookup";
import { ORDER_PIPELINE_UID } from "./dashboards/orderPipeline";
import { SPAN_METRIC_NAMES } from "./spanMetrics";

/** Per-stack thresholds (tracing:alerting), in seconds and counts. */
export interface AlertThresholds {
  /** Window over which errors are counted, in seconds. @default 300 */
  readonly windowSeconds: number;
  /** Unconfirmed (nacked or failed) CRM publishes tolerated per window. @default 0 */
  readonly publishFailures: number;
  /** MES consumer errors tolerated per window. @default 0 */
  readonly consumerErrors: number;
  /** A published message must be consumed within this many seconds. @default 300 */
  readonly consumeWithinSeconds: number;
  /** MES database query errors tolerated per window. @default 0 */
  readonly dbErrors: number;
  /** p95 latency of MES database queries, in milliseconds. @default 500 */
  readonly dbP95Ms: number;
  /** An accepted order must reach its MES database write within this many seconds. @default 600 */
  readonly lostOrderSeconds: number;
  /** Lost orders tolerated. @default 0 */
  readonly lostOrders: number;
  /** No accepted order for this many seconds while spans still arrive is a traffic drop. @default 900 */
  readonly trafficDropSeconds: number;
  /** Fill level of the sampler's sending queue, in percent, that raises the alert. @default 80 */
  readonly samplerQueuePercent: number;
  /** How long a condition must hold before the alert fires, in seconds. @default 60 */
  readonly pendingSeconds: number;
}

export const DEFAULT_THRESHOLDS: AlertThresholds = {
  windowSeconds: 300,
  publishFailures: 0,
  consumerErrors: 0,
  consumeWithinSeconds: 300,
  dbErrors: 0,
  dbP95Ms: 500,
  lostOrderSeconds: 600,
  lostOrders: 0,
  trafficDropSeconds: 900,
  samplerQueuePercent: 80,
  pendingSeconds: 60,
};

/** Which metrics store a rule reads: `orders` holds order-lifecycle span metrics only; `all` everything. */
export type MetricsStore = "orders" | "all";
export type Audience = "support" | "engineering";

export interface AlertRule {
  /** Stable id: Prometheus alert name and Grafana rule uid suffix. */
  readonly id: string;
  readonly title: string;
  /** The hop or component the alert is about, named in the alert. */
  readonly hop: string;
  /** PromQL giving one number (no labels), compared with `threshold`. */
  readonly query: string;
  readonly op: ">" | "<";
  readonly threshold: number;
  readonly forSeconds: number;
  readonly severity: "critical" | "warning";
  /** Summary with `{{ $value | humanize }}`: the measured number. */
  readonly summary: string;
  /** The first thing to do (docs/alerting.md has the whole runbook). */
  readonly runbook: string;
  readonly dashboard: typeof ORDER_LOOKUP_UID | typeof ORDER_PIPELINE_UID;
  readonly store: MetricsStore;
  /** Organisations whose rule groups hold this rule (Support only sees order-lifecycle alerts, R9). */
  readonly audience: readonly Audience[];
}

const { calls, durationBucket } = SPAN_METRIC_NAMES;
const sel = (labels: Record<string, string>) =>
  `{${Object.entries(labels)
    .map(([k, v]) => (/^(!=|=~)/.test(v) ? `${k}${v.slice(0, 2)}${JSON.stringify(v.slice(2))}` : `${k}=${JSON.stringify(v)}`))
    .join(",")}}`;
const seconds = (s: number) => `${Math.round(s)}s`;

/**
 * Exact count added to a counter in [now-offset-window, now-offset]: the raw
 * difference of cumulative values (no extrapolation), plus the whole value of
 * series that appeared inside the window (the connector creates a series at
 * its first span, so it started from 0). Counter resets count as 0.
 */
export function countIn(series: string, windowSeconds: number, offsetSeconds = 0): string {
  const at = offsetSeconds > 0 ? ` offset ${seconds(offsetSeconds)}` : "";
  const before = ` offset ${seconds(offsetSeconds + windowSeconds)}`;
  return `(sum(clamp_min(${series}${at} - ${series}${before}, 0) or (${series}${at} unless ${series}${before})) or vector(0))`;
}

export const SERIES = {
  ordersAccepted: `${calls}${sel({ service_name: "shop-api", span_kind: "SPAN_KIND_SERVER", http_route: "/orders", http_response_status_code: "=~2.." })}`,
  publishFailed: `${calls}${sel({ service_name: "crm-api", span_kind: "SPAN_KIND_PRODUCER", status_code: "STATUS_CODE_ERROR" })}`,
  published: `${calls}${sel({ service_name: "crm-api", span_kind: "SPAN_KIND_PRODUCER", status_code: "!=STATUS_CODE_ERROR" })}`,
  consumed: `${calls}${sel({ service_name: "mes-api", span_kind: "SPAN_KIND_CONSUMER" })}`,
  consumerErrors: `${calls}${sel({ service_name: "mes-api", span_kind: "SPAN_KIND_CONSUMER", status_code: "STATUS_CODE_ERROR" })}`,
  dbErrors: `${calls}${sel({ service_name: "mes-api", db_system_name: "!=", status_code: "STATUS_CODE_ERROR" })}`,
  orderWrites: `${calls}${sel({ service_name: "mes-api", db_operation_name: "INSERT", status_code: "!=STATUS_CODE_ERROR" })}`,
  anySpan: `${calls}`,
} as const;

const pipeline = ORDER_PIPELINE_UID;
const lookup = ORDER_LOOKUP_UID;
const both: readonly Audience[] = ["support", "engineering"];
const engineering: readonly Audience[] = ["engineering"];

export function alertRules(t: AlertThresholds): AlertRule[] {
  const w = t.windowSeconds;
  const pending = t.pendingSeconds;
  return [
    {
      id: "CrmPublishUnconfirmed",
      title: "CRM API -> RabbitMQ: publishes not confirmed",
      hop: "CRM API -> RabbitMQ",
      query: countIn(SERIES.publishFailed, w),
      op: ">",
      threshold: t.publishFailures,
      forSeconds: 0,
      severity: "critical",
      summary: `{{ $value | humanize }} order publishes from CRM API were nacked or failed in the last ${seconds(w)}`,
      runbook: "Check RabbitMQ (queue limits, disk/memory alarms, connection); the failed orders are in 'Recent failed orders'.",
      dashboard: lookup,
      store: "orders",
      audience: both,
    },
    {
      id: "MesConsumerErrors",
      title: "RabbitMQ -> MES API: consumer errors",
      hop: "RabbitMQ -> MES API",
      query: countIn(SERIES.consumerErrors, w),
      op: ">",
      threshold: t.consumerErrors,
      forSeconds: 0,
      severity: "critical",
      summary: `{{ $value | humanize }} messages failed in the MES API consumer in the last ${seconds(w)}`,
      runbook: "Open the failing consume spans in Order pipeline; check MES API logs and the dead-letter queue.",
      dashboard: pipeline,
      store: "orders",
      audience: both,
    },
    {
      id: "OrdersNotConsumed",
      title: "RabbitMQ -> MES API: messages published but not consumed",
      hop: "RabbitMQ -> MES API",
      query: `${countIn(SERIES.published, w, t.consumeWithinSeconds)} - ${countIn(SERIES.consumed, w + t.consumeWithinSeconds)}`,
      op: ">",
      threshold: 0,
      forSeconds: pending,
      severity: "critical",
      summary: `at least {{ $value | humanize }} order messages were not consumed by MES API within ${seconds(t.consumeWithinSeconds)}`,
      runbook: "Check that MES API consumers run and are connected (RabbitMQ management: consumers on queue 'orders').",
      dashboard: pipeline,
      store: "orders",
      audience: both,
    },
    {
      id: "MesDatabaseErrors",
      title: "MES API -> MES database: query errors",
      hop: "MES API -> MES database",
      query: countIn(SERIES.dbErrors, w),
      op: ">",
      threshold: t.dbErrors,
      forSeconds: 0,
      severity: "critical",
      summary: `{{ $value | humanize }} MES database queries failed in the last ${seconds(w)}`,
      runbook: "Check the MES database (availability, locks, schema migrations, disk); failed orders are in 'Recent failed orders'.",
      dashboard: lookup,
      store: "orders",
      audience: both,
    },
    {
      id: "MesDatabaseSlow",
      title: "MES API -> MES database: p95 latency high",
      hop: "MES API -> MES database",
      query: `(histogram_quantile(0.95, sum by (le) (rate(${durationBucket}${sel({ service_name: "mes-api", db_system_name: "!=" })}[${seconds(w)}]))) * 1000) or vector(0)`,
      op: ">",
      threshold: t.dbP95Ms,
      forSeconds: pending,
      severity: "warning",
      summary: `p95 of MES database queries is {{ $value | humanize }} ms (threshold ${t.dbP95Ms} ms)`,
      runbook: "Look for slow statements and lock waits in the MES database; compare with deploys and load.",
      dashboard: pipeline,
      store: "orders",
      audience: engineering,
    },
    {
      id: "LostOrders",
      title: "Lost orders: accepted by Shop API, no MES database write",
      hop: "Shop API -> MES database",
      query: `${countIn(SERIES.ordersAccepted, w, t.lostOrderSeconds)} - ${countIn(SERIES.orderWrites, w + t.lostOrderSeconds)}`,
      op: ">",
      threshold: t.lostOrders,
      forSeconds: 0,
      severity: "critical",
      summary: `at least {{ $value | humanize }} orders accepted by Shop API reached no MES database write within ${seconds(t.lostOrderSeconds)}`,
      runbook: "Open 'Lost orders' on Order lookup: it lists the order ids; follow each trace to the hop where it stops.",
      dashboard: lookup,
      store: "orders",
      audience: both,
    },
    {
      id: "OrderTrafficDrop",
      title: "No orders while the pipeline is up",
      hop: "Shop API",
      query: `${countIn(SERIES.ordersAccepted, t.trafficDropSeconds)} and on() (${countIn(SERIES.anySpan, t.trafficDropSeconds)} > 0)`,
      op: "<",
      threshold: 1,
      forSeconds: pending,
      severity: "warning",
      summary: `no order accepted by Shop API in the last ${seconds(t.trafficDropSeconds)} while other spans arrive`,
      runbook: "Check Shop API and the checkout front end (errors, deploys); compare with the usual traffic for this hour.",
      dashboard: pipeline,
      store: "all",
      audience: engineering,
    },
    {
      id: "GatewayRefusingSpans",
      title: "Tracing pipeline: gateway refusing or dropping spans",
      hop: "applications -> collector gateway",
      query: `(sum(increase(otelcol_receiver_refused_spans_total{job="collector-gateway"}[${seconds(w)}])) or vector(0)) + (sum(increase(otelcol_exporter_send_failed_spans_total{job="collector-gateway"}[${seconds(w)}])) or vector(0)) + (sum(increase(otelcol_exporter_enqueue_failed_spans_total{job="collector-gateway"}[${seconds(w)}])) or vector(0))`,
      op: ">",
      threshold: 0,
      forSeconds: 0,
      severity: "critical",
      summary: `the collector gateway refused or dropped {{ $value | humanize }} spans in the last ${seconds(w)}`,
      runbook: "Check gateway memory (memory_limiter), replicas and HPA, and the sampler tier it exports to.",
      dashboard: pipeline,
      store: "all",
      audience: engineering,
    },
    {
      id: "SamplerQueueNearFull",
      title: "Tracing pipeline: sampler sending queue near full",
      hop: "collector sampler -> Tempo",
      query: `(max(otelcol_exporter_queue_size{job="collector-sampler"} / otelcol_exporter_queue_capacity{job="collector-sampler"}) * 100) or vector(0)`,
      op: ">",
      threshold: t.samplerQueuePercent,
      forSeconds: pending,
      severity: "warning",
      summary: `a sampler's sending queue to Tempo is {{ $value | humanize }}% full`,
      runbook: "Tempo is slow or refusing writes: check Tempo ingestion limits and health; the queue survives restarts on its volume.",
      dashboard: pipeline,
      store: "all",
      audience: engineering,
    },
    {
      id: "TempoExportFailing",
      title: "Tracing pipeline: exports to Tempo failing",
      hop: "collector sampler -> Tempo",
      query: `(sum(increase(otelcol_exporter_send_failed_spans_total{job="collector-sampler"}[${seconds(w)}])) or vector(0))`,
      op: ">",
      threshold: 0,
      forSeconds: 0,
      severity: "critical",
      summary: `{{ $value | humanize }} spans failed to export from the samplers to Tempo in the last ${seconds(w)}`,
      runbook: "Check Tempo's readiness, certificates and tenant limits; sampler logs name the refusal.",
      dashboard: pipeline,
      store: "all",
      audience: engineering,
    },
    {
      id: "TempoNotReady",
      title: "Tracing pipeline: Tempo not ready",
      hop: "Tempo",
      query: `(min(up{job="tempo"}) or vector(0))`,
      op: "<",
      threshold: 1,
      forSeconds: pending,
      severity: "critical",
      summary: "Tempo does not answer its metrics endpoint (up = {{ $value | humanize }})",
      runbook: "Check the Tempo pod (events, WAL volume, S3 access via IRSA); samplers queue spans meanwhile.",
      dashboard: pipeline,
      store: "all",
      audience: engineering,
    },
  ];
}

/** The hops each alert names, for docs and tests. */
export const ALERT_IDS = alertRules(DEFAULT_THRESHOLDS).map((r) => r.id);
