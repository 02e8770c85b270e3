/**
 * RED metrics from every span, before sampling (R5, R7, R12): the gateway's
 * traces pipeline also feeds the spanmetrics connector; a metrics pipeline
 * keeps only allow-listed labels and writes the series over mutual TLS to
 * the metrics stores (Prometheus remote write). Pure: typed options in,
 * Collector config fragments out.
 *
 * Keys are those of the v0.148.0 config structs, read in
 * connector/spanmetricsconnector/config.go and
 * exporter/prometheusremotewriteexporter/config.go of
 * open-telemetry/opentelemetry-collector-contrib (tests/collector/spanMetrics.test.ts
 * fails on any other key); the real binary validates the rendered gateway.
 */
import { escapeConfmap, mutualTlsClient, TlsFiles, TlsMinVersion } from "./collectorCommon";

/**
 * Span attributes that become metric labels: low cardinality, never personal
 * (no order.id, user.id, url, query or free text). The connector adds
 * service.name, span.kind and status.code itself; span.name is aggregated
 * only to derive db.operation.name and is deleted before export.
 */
export const METRIC_DIMENSIONS = [
  "http.route",
  "http.request.method",
  "http.response.status_code",
  "messaging.destination.name",
  "messaging.operation.type",
  "db.system.name",
  "db.operation.name",
] as const;

/** Labels the connector sets without configuration. */
export const CONNECTOR_DIMENSIONS = ["service.name", "span.kind", "status.code"] as const;

/** Every datapoint attribute that may leave the gateway: anything else is deleted (keep_keys). */
export const EXPORTED_LABELS: readonly string[] = [...CONNECTOR_DIMENSIONS, ...METRIC_DIMENSIONS];

/** Resource attributes kept on metrics (they become Prometheus `job`); everything else is dropped. */
export const EXPORTED_RESOURCE_ATTRIBUTES = ["service.name"] as const;

/**
 * Label the remote-write exporter adds to every series: the gateway pod's IP.
 * Each gateway replica has its own cumulative counters, so replicas must not
 * write the same series; the rules sum over it.
 */
export const GATEWAY_LABEL = { name: "gateway", value: "${env:POD_IP}" } as const;

/** SQL verbs accepted as db.operation.name (derived from the pg span name `pg.query:<VERB> <db>`). */
export const SQL_OPERATIONS = ["SELECT", "INSERT", "UPDATE", "DELETE", "MERGE", "CALL", "BEGIN", "COMMIT", "ROLLBACK"] as const;

/** Metric names as Prometheus stores them (namespace `spans`, suffixes added by the exporter). */
export const SPAN_METRIC_NAMES = {
  calls: "spans_calls_total",
  durationBucket: "spans_duration_seconds_bucket",
} as const;

/** Histogram bucket bounds, in seconds: p95 from 5 ms to 30 s. */
export const DURATION_BUCKETS_SECONDS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30] as const;

/** One remote-write destination: a metrics store and which series it receives. */
export interface MetricsStoreTarget {
  /** Component suffix, e.g. "orders" -> `prometheusremotewrite/orders`. */
  readonly name: string;
  /** `https://host:port/api/v1/write` of the store. */
  readonly url: string;
  /** Name the store's certificate carries (verification and SNI). */
  readonly serverName: string;
  /**
   * Only series of the order lifecycle (services and hops of ORDER_LIFECYCLE_SERIES).
   * The Support organisation's store receives nothing else (R9).
   */
  readonly ordersOnly: boolean;
}

export interface SpanMetricsOptions {
  /** Where the metrics go; one exporter and one metrics pipeline per store. */
  readonly stores: readonly MetricsStoreTarget[];
  /** Client certificate presented to the stores, and the CA that verifies them (R10). */
  readonly tls: TlsFiles;
  readonly tlsMinVersion: TlsMinVersion;
  /** How often the connector flushes series, in seconds. @default 15 */
  readonly flushIntervalSeconds?: number;
}

/** The order-lifecycle services; a series belongs to the orders store when its service is one of these. */
export const ORDER_SERVICES = ["shop-api", "crm-api", "mes-api"] as const;

export const SPAN_METRICS_COMPONENTS = {
  connector: "spanmetrics",
  labels: "transform/metric-labels",
  ordersOnly: "filter/orders-only",
  exporter: (store: string) => `prometheusremotewrite/${store}`,
  pipeline: (store: string) => `metrics/${store}`,
} as const;

export function spanMetricsConnector(flushIntervalSeconds: number): Record<string, unknown> {
  return {
    namespace: "spans",
    histogram: { unit: "s", explicit: { buckets: DURATION_BUCKETS_SECONDS.map((b) => `${Math.round(b * 1000)}ms`) } },
    dimensions: METRIC_DIMENSIONS.map((name) => ({ name })),
    // span.name stays in the key only until transform/metric-labels has derived db.operation.name from it.
    exemplars: { enabled: false },
    aggregation_temporality: "AGGREGATION_TEMPORALITY_CUMULATIVE",
    metrics_flush_interval: `${flushIntervalSeconds}s`,
    // Series of routes that stop getting spans are dropped after 10 minutes (no unbounded memory).
    metrics_expiration: "10m",
    // Bounds memory if a bad instrumentation sends high-cardinality span names.
    aggregation_cardinality_limit: 5000,
    resource_metrics_key_attributes: [...EXPORTED_RESOURCE_ATTRIBUTES],
  };
}

const dp = (key: string) => `datapoint.attributes[${JSON.stringify(key)}]`;

/**
 * The label allow-list, enforced on the way out whatever the connector emits
 * (R12): derive db.operation.name from pg span names, keep only known SQL
 * verbs, then keep_keys on datapoints and resources.
 */
export function metricLabelsTransform(): Record<string, unknown> {
  const verbs = `^(${SQL_OPERATIONS.join("|")})$`;
  return {
    error_mode: "ignore",
    metric_statements: [
      {
        context: "datapoint",
        statements: [
          `set(${dp("db.operation.name")}, ${dp("span.name")}) where ${dp("db.system.name")} != nil and ${dp("db.operation.name")} == nil`,
          `replace_pattern(${dp("db.operation.name")}, "^pg\\\\.query:([A-Za-z]+).*$", "$1")`,
          `set(${dp("db.operation.name")}, ConvertCase(${dp("db.operation.name")}, "upper")) where ${dp("db.operation.name")} != nil`,
          `delete_key(datapoint.attributes, "db.operation.name") where ${dp("db.operation.name")} != nil and not IsMatch(${dp("db.operation.name")}, "${verbs}")`,
          `keep_keys(datapoint.attributes, [${EXPORTED_LABELS.map((k) => JSON.stringify(k)).join(", ")}])`,
        ].map(escapeConfmap),
      },
      {
        context: "resource",
        statements: [`keep_keys(resource.attributes, [${EXPORTED_RESOURCE_ATTRIBUTES.map((k) => JSON.stringify(k)).join(", ")}])`],
      },
    ],
  };
}

/** Drops every datapoint whose service is not an order-lifecycle service. */
export function ordersOnlyFilter(): Record<string, unknown> {
  const services = ORDER_SERVICES.map((s) => `${dp("service.name")} != ${JSON.stringify(s)}`).join(" and ");
  return { error_mode: "ignore", metrics: { datapoint: [`${dp("service.name")} == nil or (${services})`] } };
}

export function remoteWriteExporter(store: MetricsStoreTarget, tls: TlsFiles, minVersion: TlsMinVersion): Record<string, unknown> {
  return {
    endpoint: store.url,
    tls: mutualTlsClient(tls, minVersion, store.serverName),
    timeout: "10s",
    add_metric_suffixes: true,
    external_labels: { [GATEWAY_LABEL.name]: GATEWAY_LABEL.value },
    // target_info would copy every resource attribute into a series, scope info adds otel_scope_* labels: both off.
    target_info: { enabled: false },
    disable_scope_info: true,
    resource_to_telemetry_conversion: { enabled: false },
    retry_on_failure: { enabled: true, initial_interval: "1s", max_interval: "30s", max_elapsed_time: "5m" },
    remote_write_queue: { enabled: true, queue_size: 10000 },
  };
}

/** Components and pipelines to merge into the gateway config; `connector` is an extra exporter of its traces pipeline. */
export function spanMetricsConfig(o: SpanMetricsOptions) {
  const c = SPAN_METRICS_COMPONENTS;
  if (o.stores.length === 0) throw new Error("span metrics: at least one metrics store is required");
  if (new Set(o.stores.map((s) => s.name)).size !== o.stores.length) throw new Error("span metrics: store names must differ");
  for (const s of o.stores) {
    if (!/^[a-z][a-z0-9-]*$/.test(s.name)) throw new Error(`span metrics: store name ${JSON.stringify(s.name)} must be a lowercase name`);
    if (!/^https:\/\/[^\s/]+\/api\/v1\/write$/.test(s.url)) throw new Error(`span metrics: store url ${JSON.stringify(s.url)} must be https://host:port/api/v1/write (R10)`);
  }
  const exporters: Record<string, unknown> = {};
  const pipelines: Record<string, unknown> = {};
  for (const store of o.stores) {
    exporters[c.exporter(store.name)] = remoteWriteExporter(store, o.tls, o.tlsMinVersion);
    pipelines[c.pipeline(store.name)] = {
      receivers: [c.connector],
      processors: [c.labels, ...(store.ordersOnly ? [c.ordersOnly] : [])],
      exporters: [c.exporter(store.name)],
    };
  }
  return {
    connectors: { [c.connector]: spanMetricsConnector(o.flushIntervalSeconds ?? 15) },
    processors: { [c.labels]: metricLabelsTransform(), ...(o.stores.some((s) => s.ordersOnly) ? { [c.ordersOnly]: ordersOnlyFilter() } : {}) },
    exporters,
    pipelines,
  };
}
