/**
 * The Collectors' own metrics (otelcol_*), pushed to the gateway so that
 * metrics-all stores them for the pipeline alerts (R5, R6). Each Collector's
 * service.telemetry gets a periodic OTLP/gRPC reader over mutual TLS to the
 * gateway's self-metrics receiver, a port of its own that the NetworkPolicy
 * admits only from the Collector pods (specs/flows.ts); the gateway keeps
 * only otelcol_* series of the two Collector jobs and remote-writes them to
 * metrics-all, never metrics-orders. Keys: go.opentelemetry.io/contrib/otelconf
 * v0.3.0 (module v0.22.0, used by go.opentelemetry.io/collector/service
 * v0.148.0): PeriodicMetricReader{exporter, interval, timeout} in ms,
 * PushMetricExporter{otlp}, OTLPMetric{protocol, endpoint, certificate,
 * client_certificate, client_key, compression, timeout, temporality_preference}.
 * Pure.
 */
import { PORTS, serviceDnsNames } from "../specs/topology";
import { escapeConfmap, TlsFiles } from "./collectorCommon";

/** The `job` label of each Collector tier (its telemetry resource's service.name; the alert rules select on it). */
export const COLLECTOR_JOBS = { gateway: "collector-gateway", sampler: "collector-sampler" } as const;
export type CollectorJob = (typeof COLLECTOR_JOBS)[keyof typeof COLLECTOR_JOBS];

/** Component ids of the gateway's self-metrics path. */
export const SELF_METRICS_COMPONENTS = {
  receiver: "otlp/self",
  filter: "filter/self-metrics",
  pipeline: "metrics/self",
} as const;

export interface SelfMetricsPush {
  /**
   * `https://host:port` of the gateway's self-metrics receiver. The OTLP SDK has no server-name
   * override, so the host must be a name in the gateway's certificate (the Service DNS name).
   */
  readonly endpoint: string;
  /** Push interval, in milliseconds. @default 30000 */
  readonly intervalMs?: number;
}

/** Where both tiers push their own metrics: the gateway Service's self-metrics port (the gateway certificate carries the FQDN). */
export function selfMetricsPush(namespace: string): SelfMetricsPush {
  return { endpoint: `https://${serviceDnsNames(COLLECTOR_JOBS.gateway, namespace).at(-1) as string}:${PORTS.collectorSelfMetrics}` };
}

/**
 * service.telemetry of one Collector: its resource names the job (service.name) and the pod
 * (service.instance.id from the downward API's POD_NAME), which remote write turns into the
 * `job` and `instance` labels; metrics are pushed over mutual TLS (R10).
 */
export function selfMetricsTelemetry(job: CollectorJob, push: SelfMetricsPush, tls: TlsFiles): Record<string, unknown> {
  if (!/^https:\/\/[^\s/]+:\d+$/.test(push.endpoint)) throw new Error(`self metrics: endpoint ${JSON.stringify(push.endpoint)} must be https://host:port (R10)`);
  const intervalMs = push.intervalMs ?? 30_000;
  return {
    resource: { "service.name": job, "service.instance.id": "${env:POD_NAME}" },
    metrics: {
      level: "normal",
      readers: [
        {
          periodic: {
            interval: intervalMs,
            timeout: Math.min(intervalMs, 10_000),
            exporter: {
              otlp: {
                protocol: "grpc",
                endpoint: push.endpoint,
                certificate: tls.caFile,
                client_certificate: tls.certFile,
                client_key: tls.keyFile,
                compression: "gzip",
                temporality_preference: "cumulative",
              },
            },
          },
        },
      ],
    },
  };
}

const resourceJob = 'resource.attributes["service.name"]';

/**
 * Drops every metric that is not a Collector self-metric: its name must start with otelcol_
 * and its resource must be one of the Collector jobs (allow-list; the receiver is reachable
 * only from Collector pods, this is the second line).
 */
export function selfMetricsFilter(): Record<string, unknown> {
  const jobs = Object.values(COLLECTOR_JOBS).map((j) => `${resourceJob} != ${JSON.stringify(j)}`).join(" and ");
  return {
    error_mode: "ignore",
    metrics: { metric: [escapeConfmap('not IsMatch(metric.name, "^otelcol_")'), `${resourceJob} == nil or (${jobs})`] },
  };
}
