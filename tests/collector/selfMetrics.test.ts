/**
 * The Collectors' own metrics (R5): both tiers push them over mutual TLS to
 * the gateway's otlp/self receiver, which keeps only otelcol_* of the two
 * Collector jobs and writes them to metrics-all only. Reader keys are the
 * fields of go.opentelemetry.io/contrib/otelconf v0.22.0, package v0.3.0,
 * generated_config.go (PeriodicMetricReader, PushMetricExporter, OTLPMetric),
 * the package go.opentelemetry.io/collector/service v0.148.0 imports
 * (service/telemetry/otelconftelemetry); the e2e tier validates and starts
 * the rendered files in the real binary.
 */
import { GatewaySelfMetricsOptions } from "../../render/collectorGateway";
import { COLLECTOR_JOBS, SELF_METRICS_COMPONENTS, selfMetricsFilter, selfMetricsPush, selfMetricsTelemetry } from "../../render/collectorSelfMetrics";
import { SPAN_METRICS_COMPONENTS } from "../../render/spanMetrics";
import { metricsStoreTargets } from "../../specs/metricsStores";
import { PORTS } from "../../specs/topology";
import { Config, gateway, pipelineProblems, sampler, TEST_TLS } from "./support";

const PERIODIC_KEYS = ["exporter", "interval", "timeout", "cardinality_limits", "producers"];
const OTLP_METRIC_KEYS = ["certificate", "client_certificate", "client_key", "compression", "default_histogram_aggregation", "endpoint", "headers", "headers_list", "insecure", "protocol", "temporality_preference", "timeout"];

const push = selfMetricsPush("tracing");
const spanMetrics = { stores: metricsStoreTargets("tracing"), tls: TEST_TLS, tlsMinVersion: "1.3" as const };
const self: GatewaySelfMetricsOptions = { listen: "127.0.0.1:14319", push, store: "all" };

function reader(config: Config): Config {
  const readers = config.service.telemetry.metrics.readers as Config[];
  expect(readers).toHaveLength(1);
  expect(Object.keys(readers[0]!)).toEqual(["periodic"]);
  return readers[0]!.periodic;
}

describe("Collector self-metrics", () => {
  it("push to the gateway Service's self-metrics port, whose certificate carries the FQDN", () => {
    expect(push).toEqual({ endpoint: `https://collector-gateway.tracing.svc.cluster.local:${PORTS.collectorSelfMetrics}` });
    expect(PORTS.collectorSelfMetrics).not.toBe(PORTS.otlpGrpc);
  });

  it.each([
    ["gateway", () => gateway({ spanMetrics, selfMetrics: self }), COLLECTOR_JOBS.gateway],
    ["sampler", () => sampler({ selfMetrics: push }), COLLECTOR_JOBS.sampler],
  ])("%s: a periodic OTLP/gRPC reader over mutual TLS, keys of otelconf v0.3.0 only, resource naming job and pod", (_name, render, job) => {
    const config = render();
    const periodic = reader(config);
    expect(Object.keys(periodic).filter((k) => !PERIODIC_KEYS.includes(k))).toEqual([]);
    expect(Object.keys(periodic.exporter)).toEqual(["otlp"]);
    const otlp = periodic.exporter.otlp as Config;
    expect(Object.keys(otlp).filter((k) => !OTLP_METRIC_KEYS.includes(k))).toEqual([]);
    expect(otlp).toMatchObject({ protocol: "grpc", endpoint: push.endpoint, certificate: TEST_TLS.caFile, client_certificate: TEST_TLS.certFile, client_key: TEST_TLS.keyFile });
    expect(otlp.insecure).toBeUndefined();
    expect(periodic.interval).toBe(30_000);
    expect(config.service.telemetry.resource).toEqual({ "service.name": job, "service.instance.id": "${env:POD_NAME}" });
  });

  it("refuse a plain-text or path-carrying endpoint (R10)", () => {
    for (const endpoint of ["http://collector-gateway:4319", "collector-gateway:4319", "https://collector-gateway:4319/v1/metrics"]) {
      expect(() => selfMetricsTelemetry(COLLECTOR_JOBS.sampler, { endpoint }, TEST_TLS)).toThrow(/https:\/\/host:port/);
    }
  });

  it("gateway: otlp/self (mTLS) -> memory_limiter -> filter -> metrics-all only, and the applications' receiver feeds traces only", () => {
    const config = gateway({ spanMetrics, selfMetrics: self });
    expect(pipelineProblems(config)).toEqual([]);
    expect(config.receivers[SELF_METRICS_COMPONENTS.receiver]).toEqual({ protocols: { grpc: { endpoint: self.listen, tls: { cert_file: TEST_TLS.certFile, key_file: TEST_TLS.keyFile, client_ca_file: TEST_TLS.caFile, min_version: "1.3" } } } });
    expect(config.service.pipelines[SELF_METRICS_COMPONENTS.pipeline]).toEqual({
      receivers: [SELF_METRICS_COMPONENTS.receiver],
      processors: ["memory_limiter", SELF_METRICS_COMPONENTS.filter],
      exporters: [SPAN_METRICS_COMPONENTS.exporter("all")],
    });
    const fed = Object.entries(config.service.pipelines as Record<string, Config>).filter(([, p]) => p.receivers.includes("otlp")).map(([n]) => n);
    expect(fed).toEqual(["traces"]);
    const toOrders = Object.values(config.service.pipelines as Record<string, Config>).filter((p) => p.receivers.includes(SELF_METRICS_COMPONENTS.receiver) && p.exporters.includes(SPAN_METRICS_COMPONENTS.exporter("orders")));
    expect(toOrders).toEqual([]);
  });

  it("gateway: refuses to write Collector metrics to the orders-only store or to a store it does not have", () => {
    expect(() => gateway({ spanMetrics, selfMetrics: { ...self, store: "orders" } })).toThrow(/orders-only/);
    expect(() => gateway({ spanMetrics, selfMetrics: { ...self, store: "platform" } })).toThrow(/not a span-metrics store/);
    expect(() => gateway({ selfMetrics: self })).toThrow(/not a span-metrics store/);
  });

  it("the filter drops what is not otelcol_* or not from a Collector job (allow-list)", () => {
    const conditions = (selfMetricsFilter() as { metrics: { metric: string[] } }).metrics.metric;
    expect(conditions).toEqual([
      'not IsMatch(metric.name, "^otelcol_")',
      'resource.attributes["service.name"] == nil or (resource.attributes["service.name"] != "collector-gateway" and resource.attributes["service.name"] != "collector-sampler")',
    ]);
  });

  it("are left out unless asked for", () => {
    expect(gateway({ spanMetrics }).service.telemetry).toBeUndefined();
    expect(gateway({ spanMetrics }).receivers[SELF_METRICS_COMPONENTS.receiver]).toBeUndefined();
    expect(sampler().service.telemetry).toBeUndefined();
  });
});
