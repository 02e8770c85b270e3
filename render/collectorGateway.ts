/**
 * Configuration of the collector gateway tier (R3, R10, R12): OTLP over
 * mutual TLS from the applications -> memory_limiter -> semantic-convention
 * normalisation (renames only, so the allow-list names current keys) ->
 * health/readiness span filter -> span-link filter -> personal-data
 * allow-list -> value scrubbing -> loadbalancing exporter keyed by trace id,
 * over mutual TLS, to the sampler tier. Nothing leaves the process before
 * scrubbing. Pure: typed options in, YAML text out.
 */
import {
  escapeConfmap,
  escapeRegex,
  healthCheckExtension,
  MemoryLimits,
  memoryLimiterConfig,
  mutualTlsClient,
  mutualTlsServer,
  ottlString,
  renderCollectorYaml,
  TlsFiles,
  TlsMinVersion,
} from "./collectorCommon";
import { effectiveAllowLists, ScrubbingOptions, scrubbingProcessors, StatementGroup } from "./scrubbing";
import { semconvProcessors } from "./semconv";
import { COLLECTOR_JOBS, SELF_METRICS_COMPONENTS, selfMetricsFilter, SelfMetricsPush, selfMetricsTelemetry } from "./collectorSelfMetrics";
import { SPAN_METRICS_COMPONENTS, spanMetricsConfig, SpanMetricsOptions } from "./spanMetrics";

/** How the loadbalancing exporter finds sampler pods. */
export type SamplerResolver =
  /** A fixed list of `host:port` backends (tests, single-host runs). */
  | { readonly static: readonly string[] }
  /** A DNS name returning one A record per sampler pod (the headless Service). */
  | { readonly dns: { readonly hostname: string; readonly port: number } };

export interface CollectorGatewayOptions {
  /** Listen addresses (`host:port`) of the OTLP receivers. */
  readonly listen: { readonly grpc: string; readonly http: string };
  /** The gateway's certificate and key, and the CA that signs application client certificates and the sampler's certificate. */
  readonly tls: TlsFiles;
  /** Minimum TLS version on every listener and connection. @default "1.3" */
  readonly tlsMinVersion?: TlsMinVersion;
  /** Where the sampler pods are. */
  readonly samplerResolver: SamplerResolver;
  /** Name the sampler certificates carry: the exporter dials pod IPs, so verification uses this name. */
  readonly samplerServerName: string;
  /** `host:port` of the health_check extension (liveness and readiness probes). */
  readonly healthEndpoint: string;
  /** memory_limiter settings; the container's GOMEMLIMIT must equal `limitMiB`. */
  readonly memory: MemoryLimits;
  /** Per-stack additions to the scrubbing allow-lists and id formats (R12). @default none: the lists of render/attributeAllowList.ts */
  readonly scrubbing?: ScrubbingOptions;
  /** Paths whose server spans are dropped (probes and scrapes). @default HEALTH_PATHS */
  readonly healthPaths?: readonly string[];
  /** RED metrics from every span, before sampling, to the metrics stores (R5). @default undefined (no span metrics) */
  readonly spanMetrics?: SpanMetricsOptions;
  /** Compression of the gateway -> sampler hop. @default "snappy" */
  readonly hopCompression?: "snappy" | "gzip";
  /** The Collectors' own metrics: pushed here by both tiers, written to one metrics store (R5). @default undefined (not collected) */
  readonly selfMetrics?: GatewaySelfMetricsOptions;
}

export interface GatewaySelfMetricsOptions {
  /** Listen address (`host:port`) of the self-metrics OTLP gRPC receiver (a port the NetworkPolicy opens to Collector pods only). */
  readonly listen: string;
  /** Where this gateway pushes its own metrics: its Service, so the receiver above. */
  readonly push: SelfMetricsPush;
  /** Name of the span-metrics store written to (metrics-all: `all`); never an orders-only store. */
  readonly store: string;
}

/** Probe and scrape endpoints: their spans are noise and are dropped at the gateway. */
export const HEALTH_PATHS = ["/health", "/healthz", "/ready", "/readyz", "/live", "/livez", "/metrics"] as const;
/** Attributes that carry the request path, old and current semantic conventions. */
export const PATH_ATTRIBUTES = ["url.path", "http.target", "http.route"] as const;

/** Component ids, so the component and tests refer to the same names. */
export const GATEWAY_COMPONENTS = {
  receiver: "otlp",
  memoryLimiter: "memory_limiter",
  /** The attributes processors of render/semconv.ts, in pipeline order. */
  semconv: Object.keys(semconvProcessors()),
  dropHealth: "filter/health",
  dropLinks: "filter/links",
  allowList: "transform/allowlist",
  scrub: "transform/scrub",
  exporter: "loadbalancing",
  health: "health_check",
} as const;

function transformConfig(groups: (StatementGroup & { readonly conditions?: readonly string[] })[]): Record<string, unknown> {
  return {
    error_mode: "ignore",
    trace_statements: groups.map((g) => ({
      context: g.context,
      ...(g.conditions ? { conditions: g.conditions.map(escapeConfmap) } : {}),
      statements: g.statements.map(escapeConfmap),
    })),
  };
}

const HEALTH_PATH = /^\/[A-Za-z0-9._~\/-]*$/;

/**
 * One anchored IsMatch per path attribute, the paths as one alternation: three
 * lookups per server span instead of one comparison per path and attribute
 * (R7: 21 comparisons cost 0.3 us per span more, measured offline with the
 * v0.148.0 filter processor). IsMatch of an absent attribute is false.
 */
export function healthSpanConditions(paths: readonly string[]): string[] {
  const bad = paths.filter((p) => !HEALTH_PATH.test(p));
  if (paths.length === 0 || bad.length > 0) throw new Error(`health paths must be one or more absolute paths of A-Z a-z 0-9 . _ ~ / -; got ${JSON.stringify(paths)}`);
  const anyPath = `^(?:${paths.map(escapeRegex).join("|")})$`;
  return PATH_ATTRIBUTES.map((attribute) => `IsMatch(span.attributes[${ottlString(attribute)}], ${ottlString(anyPath)})`);
}

/**
 * Span links carry attributes and a trace state that v0.148.0 cannot reach
 * (no span-link OTTL context; `span.links` is replaced only by another link
 * slice), so spans with links are dropped rather than stored unscrubbed (R12).
 */
export const SPAN_WITH_LINKS_CONDITION = "Len(span.links) > 0";

export function renderCollectorGateway(options: CollectorGatewayOptions): string {
  const minVersion = options.tlsMinVersion ?? "1.3";
  const serverTls = mutualTlsServer(options.tls, minVersion);
  const resolver =
    "static" in options.samplerResolver
      ? { static: { hostnames: [...options.samplerResolver.static] } }
      : { dns: { hostname: options.samplerResolver.dns.hostname, port: String(options.samplerResolver.dns.port), interval: "5s", timeout: "1s" } };
  const c = GATEWAY_COMPONENTS;
  const scrubbing = scrubbingProcessors(options.scrubbing);
  const metrics = options.spanMetrics ? spanMetricsConfig(options.spanMetrics) : undefined;
  const self = options.selfMetrics;
  if (self) {
    const store = options.spanMetrics?.stores.find((s) => s.name === self.store);
    if (!store) throw new Error(`self metrics: store ${JSON.stringify(self.store)} is not a span-metrics store of the gateway`);
    if (store.ordersOnly) throw new Error(`self metrics: store ${JSON.stringify(self.store)} is orders-only; Collector metrics go to the platform store`);
  }

  const config = {
    extensions: { [c.health]: healthCheckExtension(options.healthEndpoint, options.tls, minVersion) },
    receivers: {
      [c.receiver]: {
        protocols: {
          grpc: { endpoint: options.listen.grpc, tls: serverTls },
          http: { endpoint: options.listen.http, tls: serverTls },
        },
      },
      ...(self ? { [SELF_METRICS_COMPONENTS.receiver]: { protocols: { grpc: { endpoint: self.listen, tls: serverTls } } } } : {}),
    },
    processors: {
      [c.memoryLimiter]: memoryLimiterConfig(options.memory),
      // Old names are left to the allow-list processor, which deletes every key it does not keep.
      ...semconvProcessors(Object.keys(effectiveAllowLists(options.scrubbing).span)),
      // Probes and scrapes arrive as SERVER spans; checking the kind first spares every other span the path comparisons (R7, docs/e2e.md).
      [c.dropHealth]: { error_mode: "ignore", trace_conditions: [escapeConfmap(`span.kind == SPAN_KIND_SERVER and (${healthSpanConditions(options.healthPaths ?? HEALTH_PATHS).join(" or ")})`)] },
      [c.dropLinks]: { error_mode: "ignore", trace_conditions: [SPAN_WITH_LINKS_CONDITION] },
      [c.allowList]: transformConfig(scrubbing.allowList),
      [c.scrub]: transformConfig(scrubbing.scrub),
      ...metrics?.processors,
      ...(self ? { [SELF_METRICS_COMPONENTS.filter]: selfMetricsFilter() } : {}),
    },
    ...(metrics ? { connectors: metrics.connectors } : {}),
    exporters: {
      [c.exporter]: {
        routing_key: "traceID",
        // Exporter-level queue and retry: if a sampler pod goes away, its data is re-routed to the remaining ones.
        timeout: "10s",
        retry_on_failure: { enabled: true, initial_interval: "1s", max_interval: "30s", max_elapsed_time: "10m" },
        sending_queue: { enabled: true, num_consumers: 10, queue_size: 5000 },
        protocol: {
          otlp: {
            timeout: "5s",
            // In-cluster hop: snappy keeps most of gzip's saving on cross-node traffic for a fraction
            // of its CPU (R7; measured: gzip +0.75 CPU s per 100k spans over snappy, docs/e2e.md).
            compression: options.hopCompression ?? "snappy",
            tls: mutualTlsClient(options.tls, minVersion, options.samplerServerName),
            retry_on_failure: { enabled: true, initial_interval: "1s", max_interval: "5s", max_elapsed_time: "30s" },
          },
        },
        resolver,
      },
      ...metrics?.exporters,
    },
    service: {
      ...(self ? { telemetry: selfMetricsTelemetry(COLLECTOR_JOBS.gateway, self.push, options.tls) } : {}),
      extensions: [c.health],
      pipelines: {
        traces: {
          receivers: [c.receiver],
          // Renames and drops first (the allow-list then names only current keys); nothing leaves before scrubbing (R12).
          processors: [c.memoryLimiter, ...c.semconv, c.dropHealth, c.dropLinks, c.allowList, c.scrub],
          // Span metrics see every span after scrubbing and before sampling (R5, R12).
          exporters: [c.exporter, ...(metrics ? [SPAN_METRICS_COMPONENTS.connector] : [])],
        },
        ...metrics?.pipelines,
        // Collector self-metrics only (R5): applications push traces, never metrics.
        ...(self
          ? {
              [SELF_METRICS_COMPONENTS.pipeline]: {
                receivers: [SELF_METRICS_COMPONENTS.receiver],
                processors: [c.memoryLimiter, SELF_METRICS_COMPONENTS.filter],
                exporters: [SPAN_METRICS_COMPONENTS.exporter(self.store)],
              },
            }
          : {}),
      },
    },
  };

  return renderCollectorYaml(
    [
      "Collector gateway (R3, R10, R12): rendered by render/collectorGateway.ts; do not edit.",
      "OTLP over mutual TLS -> memory_limiter -> normalise semconv -> drop health spans and spans with links",
      "-> keep allow-listed attributes -> check kept values (personal data, R12)",
      "-> loadbalancing by trace id (mutual TLS) to the sampler tier.",
    ],
    config,
  );
}
