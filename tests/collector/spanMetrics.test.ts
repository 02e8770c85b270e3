/**
 * Span metrics at the gateway (R5, R12): every key the renderer writes is a
 * field of the v0.148.0 config structs, read in
 * open-telemetry/opentelemetry-collector-contrib at tag v0.148.0:
 *   connector/spanmetricsconnector/config.go (Config, HistogramConfig,
 *   ExplicitHistogramConfig, Dimension, ExemplarsConfig)
 *   exporter/prometheusremotewriteexporter/config.go (Config with squashed
 *   exporterhelper.TimeoutConfig and confighttp.ClientConfig, RemoteWriteQueue,
 *   TargetInfo, resourcetotelemetry.Settings, configretry.BackOffConfig).
 * The e2e tier validates the rendered files in the real binary. Labels come
 * only from the allow-list below, written by hand: a dimension not on it fails.
 */
import { parse } from "yaml";
import { renderCollectorGateway } from "../../render/collectorGateway";
import { CONNECTOR_DIMENSIONS, EXPORTED_LABELS, METRIC_DIMENSIONS, metricLabelsTransform, remoteWriteExporter, spanMetricsConfig, spanMetricsConnector } from "../../render/spanMetrics";
import { metricsStoreTargets } from "../../specs/metricsStores";
import { gatewayOptions, TEST_TLS } from "./support";

const SPANMETRICS_KEYS = {
  "": ["dimensions", "calls_dimensions", "exclude_dimensions", "dimensions_cache_size", "resource_metrics_cache_size", "resource_metrics_key_attributes", "aggregation_temporality", "histogram", "metrics_flush_interval", "metrics_expiration", "metric_timestamp_cache_size", "namespace", "exemplars", "events", "include_instrumentation_scope", "aggregation_cardinality_limit", "add_resource_attributes", "enable_metrics_sampling_method"],
  histogram: ["disable", "unit", "exponential", "explicit", "dimensions"],
  "histogram.explicit": ["buckets"],
  exemplars: ["enabled", "max_per_data_point"],
  "dimensions[]": ["name", "default"],
};
const REMOTE_WRITE_KEYS = {
  // Config, plus squashed TimeoutConfig (timeout) and confighttp.ClientConfig (endpoint, tls, headers, compression, ...).
  "": ["timeout", "retry_on_failure", "namespace", "remote_write_queue", "external_labels", "endpoint", "tls", "headers", "compression", "read_buffer_size", "write_buffer_size", "max_batch_size_bytes", "max_batch_request_parallelism", "resource_to_telemetry_conversion", "wal", "target_info", "disable_scope_info", "add_metric_suffixes", "send_metadata", "protobuf_message", "auth", "proxy_url"],
  retry_on_failure: ["enabled", "initial_interval", "randomization_factor", "multiplier", "max_interval", "max_elapsed_time"],
  remote_write_queue: ["enabled", "queue_size", "num_consumers"],
  target_info: ["enabled"],
  resource_to_telemetry_conversion: ["enabled", "exclude_service_attributes"],
  tls: ["ca_file", "cert_file", "key_file", "min_version", "server_name_override", "insecure", "insecure_skip_verify"],
};

/** The approved labels, by hand (R12): no order.id, user.id, URL, query, free text. */
const APPROVED = ["service.name", "span.kind", "status.code", "http.route", "http.request.method", "http.response.status_code", "messaging.destination.name", "messaging.operation.type", "db.system.name", "db.operation.name"];

function unknownKeys(value: Record<string, unknown>, allowed: Record<string, readonly string[]>, path = ""): string[] {
  const problems: string[] = [];
  for (const [k, v] of Object.entries(value)) {
    if (!(allowed[path] ?? []).includes(k)) problems.push(path ? `${path}.${k}` : k);
    const child = path ? `${path}.${k}` : k;
    if (Array.isArray(v)) for (const item of v) if (item && typeof item === "object") problems.push(...unknownKeys(item as Record<string, unknown>, allowed, `${child}[]`));
    if (v && typeof v === "object" && !Array.isArray(v) && allowed[child]) problems.push(...unknownKeys(v as Record<string, unknown>, allowed, child));
  }
  return problems;
}

const stores = metricsStoreTargets("tracing");
const rendered = parse(renderCollectorGateway(gatewayOptions({ spanMetrics: { stores, tls: TEST_TLS, tlsMinVersion: "1.3" } })));

describe("span metrics connector and remote-write exporter keys (v0.148.0 structs)", () => {
  it("uses only fields of the upstream config structs", () => {
    expect(unknownKeys(spanMetricsConnector(15), SPANMETRICS_KEYS)).toEqual([]);
    expect(unknownKeys(remoteWriteExporter(stores[0], TEST_TLS, "1.3"), REMOTE_WRITE_KEYS)).toEqual([]);
  });
  it("the key check can fail", () => {
    expect(unknownKeys({ ...spanMetricsConnector(15), dimension: [] }, SPANMETRICS_KEYS)).toEqual(["dimension"]);
    expect(unknownKeys({ ...remoteWriteExporter(stores[0], TEST_TLS, "1.3"), target_info: { enable: true } }, REMOTE_WRITE_KEYS)).toEqual(["target_info.enable"]);
  });
});

describe("metric labels come only from the allow-list (R12)", () => {
  const dimensions = (rendered.connectors.spanmetrics.dimensions as { name: string }[]).map((d) => d.name);
  it("every configured dimension and exported label is approved", () => {
    expect(dimensions.filter((d) => !APPROVED.includes(d))).toEqual([]);
    expect([...EXPORTED_LABELS].filter((l) => !APPROVED.includes(l))).toEqual([]);
    expect([...CONNECTOR_DIMENSIONS, ...METRIC_DIMENSIONS].filter((l) => /order|user|email|phone|url|query|name$/.test(l) && !["service.name", "messaging.destination.name", "db.system.name", "db.operation.name"].includes(l))).toEqual([]);
  });
  it("a personal dimension would fail the check", () => {
    expect(["order.id", "user.id"].filter((d) => !APPROVED.includes(d))).toEqual(["order.id", "user.id"]);
  });
  it("deletes every other datapoint attribute (span.name included) and every resource attribute but service.name", () => {
    const statements = (metricLabelsTransform().metric_statements as { context: string; statements: string[] }[]).flatMap((g) => g.statements);
    const keep = statements.find((s) => s.startsWith("keep_keys(datapoint.attributes")) as string;
    expect(JSON.parse(keep.slice(keep.indexOf("["), keep.lastIndexOf("]") + 1))).toEqual(APPROVED.filter((l) => EXPORTED_LABELS.includes(l)));
    expect(keep).not.toContain("span.name");
    expect(statements).toContain('keep_keys(resource.attributes, ["service.name"])');
    expect(rendered.exporters["prometheusremotewrite/all"].target_info).toEqual({ enabled: false });
  });
  it("counts every span before sampling: the connector is an exporter of the traces pipeline, after scrubbing", () => {
    const traces = rendered.service.pipelines.traces;
    expect(traces.exporters).toEqual(["loadbalancing", "spanmetrics"]);
    expect(traces.processors).toContain("transform/scrub");
    expect(rendered.service.pipelines["metrics/orders"]).toEqual({ receivers: ["spanmetrics"], processors: ["transform/metric-labels", "filter/orders-only"], exporters: ["prometheusremotewrite/orders"] });
    expect(rendered.service.pipelines["metrics/all"]).toEqual({ receivers: ["spanmetrics"], processors: ["transform/metric-labels"], exporters: ["prometheusremotewrite/all"] });
  });
  it("writes over mutual TLS only, verifying the store's name (R10)", () => {
    for (const s of stores) {
      const e = rendered.exporters[`prometheusremotewrite/${s.name}`];
      expect(e.endpoint).toMatch(/^https:\/\/metrics-(orders|all)\.tracing\.svc\.cluster\.local:9090\/api\/v1\/write$/);
      expect(e.tls).toEqual({ ca_file: TEST_TLS.caFile, cert_file: TEST_TLS.certFile, key_file: TEST_TLS.keyFile, min_version: "1.3", server_name_override: s.serverName });
    }
    expect(() => spanMetricsConfig({ stores: [{ ...stores[0], url: "http://metrics:9090/api/v1/write" }], tls: TEST_TLS, tlsMinVersion: "1.3" })).toThrow(/https/);
  });
});
