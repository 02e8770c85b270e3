/**
 * Configuration of the collector sampler tier (R7, R10): OTLP over mutual TLS
 * from the gateways -> memory_limiter -> order-aware tail sampling -> routing
 * connector by tenant -> batch -> otlp_grpc to Tempo with X-Scope-OrgID, over
 * mutual TLS, with a persistent sending queue. Pure: typed options in, YAML
 * text out.
 */
import { TENANTS } from "../specs/topology";
import {
  healthCheckExtension,
  MemoryLimits,
  memoryLimiterConfig,
  mutualTlsClient,
  mutualTlsServer,
  renderCollectorYaml,
  TlsFiles,
  TlsMinVersion,
} from "./collectorCommon";
import { COLLECTOR_JOBS, SelfMetricsPush, selfMetricsTelemetry } from "./collectorSelfMetrics";

export interface SamplingPolicyOptions {
  /** Percentage of ordinary traces (no order.id, no error, not slow) kept, 1..100. */
  readonly defaultPercent: number;
  /** Percentage of order-lifecycle traces kept, 1..100; 100 keeps every one. */
  readonly orderPercent: number;
  /** Traces lasting at least this long are always kept, in milliseconds. */
  readonly slowTraceThresholdMs: number;
  /** Longest time a RabbitMQ consumer may start after its trace began, in seconds. */
  readonly maxConsumerDelaySeconds: number;
}

export interface SamplerSizingOptions {
  /** Expected new traces per second arriving at ONE sampler pod (the throughput assumption behind the buffers). @default 500 */
  readonly expectedTracesPerSecond?: number;
  /** Upper bound for decision_wait, in seconds. @default 30 */
  readonly maxDecisionWaitSeconds?: number;
  /** Headroom factor over the expected rate for bursts. @default 2 */
  readonly headroom?: number;
  /**
   * Most new traces per second one pod can see at its peak (its spans/s: every trace a single span).
   * num_traces holds that many for decision_wait, so traces smaller than expected are never evicted
   * before their decision (an eviction loses the trace). @default none (rate x headroom only)
   */
  readonly maxTracesPerSecond?: number;
}

export interface CollectorSamplerOptions {
  /** Listen address (`host:port`) of the OTLP gRPC receiver the gateways send to. */
  readonly listen: { readonly grpc: string };
  /** The sampler's certificate and key (server for the gateways, client for Tempo) and the stack's CA. */
  readonly tls: TlsFiles;
  /** Minimum TLS version on every listener and connection. @default "1.3" */
  readonly tlsMinVersion?: TlsMinVersion;
  /** Tempo's OTLP gRPC `host:port`; its certificate must carry the host name. */
  readonly tempoEndpoint: string;
  /** Name to verify Tempo's certificate against, when `tempoEndpoint` is an address. @default none (the endpoint's host) */
  readonly tempoServerName?: string;
  /** Directory of the file_storage extension that holds the persistent sending queues (a volume). */
  readonly storageDir: string;
  /** `host:port` of the health_check extension. */
  readonly healthEndpoint: string;
  /** memory_limiter settings; the container's GOMEMLIMIT must equal `limitMiB`. */
  readonly memory: MemoryLimits;
  readonly sampling: SamplingPolicyOptions;
  readonly sizing?: SamplerSizingOptions;
  /** How long a batch is retried before it is dropped (a Go duration; "0s" = forever). @default "12h" */
  readonly retryMaxElapsed?: string;
  /** Requests each tenant's persistent queue holds. @default 2000 */
  readonly queueSize?: number;
  /** Push this Collector's own metrics to the gateway's self-metrics receiver (R5). @default undefined (not pushed) */
  readonly selfMetrics?: SelfMetricsPush;
}

/** Component ids, so the component and tests refer to the same names. */
export const SAMPLER_COMPONENTS = {
  receiver: "otlp",
  memoryLimiter: "memory_limiter",
  tailSampling: "tail_sampling",
  batch: "batch",
  router: "routing",
  ordersExporter: "otlp_grpc/orders",
  platformExporter: "otlp_grpc/platform",
  storage: "file_storage",
  health: "health_check",
  pipelines: { in: "traces/in", orders: "traces/orders", platform: "traces/platform" },
} as const;

/** A span carries order.id: the instrumentation contract puts it on every span of an order lifecycle. */
export const ORDER_SPAN_CONDITION = 'span.attributes["order.id"] != nil';

export interface TailSamplingSizing {
  readonly decisionWaitSeconds: number;
  readonly numTraces: number;
  readonly expectedTracesPerSecond: number;
  readonly decisionCacheSize: number;
}

/**
 * Buffer sizes of the tail sampler.
 *
 * - decision_wait = min(maxConsumerDelay, maxDecisionWait): the synchronous
 *   part of an order (Shop -> CRM -> publish) finishes within seconds;
 *   waiting the whole consumer delay would hold every trace in memory for
 *   minutes, so the wait is capped and late consumer spans are handled by the
 *   decision cache instead.
 * - num_traces = max(rate x headroom, maxTracesPerSecond) x decision_wait:
 *   every trace still waiting for its decision fits; the tail sampler drops
 *   the oldest trace undecided when it is full.
 * - decision cache (sampled and non-sampled) = rate x (decision_wait +
 *   maxConsumerDelay) x headroom: a decision is still remembered when the last
 *   consumer span of its trace arrives (at most maxConsumerDelay after the
 *   trace started), so that span follows its trace's decision instead of
 *   starting a new, partial one. Trace ids cost a few dozen bytes each.
 */
export function tailSamplingSizing(sampling: SamplingPolicyOptions, sizing: SamplerSizingOptions = {}): TailSamplingSizing {
  const rate = sizing.expectedTracesPerSecond ?? 500;
  const headroom = sizing.headroom ?? 2;
  const decisionWaitSeconds = Math.min(sampling.maxConsumerDelaySeconds, sizing.maxDecisionWaitSeconds ?? 30);
  return {
    decisionWaitSeconds,
    expectedTracesPerSecond: rate,
    numTraces: Math.ceil(Math.max(rate * headroom, sizing.maxTracesPerSecond ?? 0) * decisionWaitSeconds),
    decisionCacheSize: Math.ceil(rate * (decisionWaitSeconds + sampling.maxConsumerDelaySeconds) * headroom),
  };
}

const orderCondition = (name: string) => ({ name, type: "ottl_condition", ottl_condition: { error_mode: "ignore", span: [ORDER_SPAN_CONDITION] } });
const probabilistic = (name: string, percent: number) => ({ name, type: "probabilistic", probabilistic: { sampling_percentage: percent } });

/**
 * Policies (a trace is kept when any policy says so, R7): errors and slow
 * traces always; order-lifecycle traces at orderPercent; everything else at
 * defaultPercent. The last policy excludes order traces, so orderPercent alone
 * decides for them even when it is lower than defaultPercent.
 */
export function samplingPolicies(sampling: SamplingPolicyOptions): Record<string, unknown>[] {
  const orders =
    sampling.orderPercent >= 100
      ? orderCondition("order-lifecycle")
      : {
          name: "order-lifecycle",
          type: "and",
          and: { and_sub_policy: [orderCondition("has-order-id"), probabilistic("order-percentage", sampling.orderPercent)] },
        };
  return [
    { name: "errors", type: "status_code", status_code: { status_codes: ["ERROR"] } },
    { name: "slow-traces", type: "latency", latency: { threshold_ms: sampling.slowTraceThresholdMs } },
    orders,
    {
      name: "ordinary-traffic",
      type: "and",
      and: {
        and_sub_policy: [
          // v0.148.0 accepts only the shared policy types under `and` (not `not`): an inverted
          // string_attribute match means "no span and no resource carries order.id".
          {
            name: "no-order-id",
            type: "string_attribute",
            string_attribute: { key: "order.id", values: [".+"], enabled_regex_matching: true, invert_match: true },
          },
          probabilistic("default-percentage", sampling.defaultPercent),
        ],
      },
    },
  ];
}

export function renderCollectorSampler(options: CollectorSamplerOptions): string {
  const minVersion = options.tlsMinVersion ?? "1.3";
  const sizing = tailSamplingSizing(options.sampling, options.sizing);
  const c = SAMPLER_COMPONENTS;

  const tempoExporter = (tenant: string) => ({
    endpoint: options.tempoEndpoint,
    tls: mutualTlsClient(options.tls, minVersion, options.tempoServerName),
    headers: { "X-Scope-OrgID": tenant },
    compression: "gzip",
    timeout: "10s",
    // Persistent queue on the StatefulSet's volume: a Tempo outage or a sampler restart loses nothing.
    sending_queue: { enabled: true, storage: c.storage, num_consumers: 4, queue_size: options.queueSize ?? 2000 },
    retry_on_failure: { enabled: true, initial_interval: "5s", max_interval: "60s", max_elapsed_time: options.retryMaxElapsed ?? "12h" },
  });

  const config = {
    extensions: {
      [c.health]: healthCheckExtension(options.healthEndpoint, options.tls, minVersion),
      [c.storage]: { directory: options.storageDir, timeout: "2s", compaction: { on_start: true, on_rebound: true, directory: options.storageDir } },
    },
    receivers: {
      [c.receiver]: { protocols: { grpc: { endpoint: options.listen.grpc, tls: mutualTlsServer(options.tls, minVersion) } } },
    },
    processors: {
      [c.memoryLimiter]: memoryLimiterConfig(options.memory),
      [c.tailSampling]: {
        decision_wait: `${sizing.decisionWaitSeconds}s`,
        num_traces: sizing.numTraces,
        expected_new_traces_per_sec: sizing.expectedTracesPerSecond,
        decision_cache: { sampled_cache_size: sizing.decisionCacheSize, non_sampled_cache_size: sizing.decisionCacheSize },
        policies: samplingPolicies(options.sampling),
      },
      [c.batch]: { timeout: "5s", send_batch_size: 1024, send_batch_max_size: 2048 },
    },
    connectors: {
      // Per span: a span carrying order.id belongs to the order lifecycle (tenant orders); anything else is platform.
      [c.router]: {
        error_mode: "ignore",
        default_pipelines: [c.pipelines.platform],
        table: [{ context: "span", condition: ORDER_SPAN_CONDITION, pipelines: [c.pipelines.orders] }],
      },
    },
    exporters: {
      [c.ordersExporter]: tempoExporter(TENANTS.orders),
      [c.platformExporter]: tempoExporter(TENANTS.platform),
    },
    service: {
      ...(options.selfMetrics ? { telemetry: selfMetricsTelemetry(COLLECTOR_JOBS.sampler, options.selfMetrics, options.tls) } : {}),
      extensions: [c.health, c.storage],
      pipelines: {
        [c.pipelines.in]: { receivers: [c.receiver], processors: [c.memoryLimiter, c.tailSampling], exporters: [c.router] },
        [c.pipelines.orders]: { receivers: [c.router], processors: [c.batch], exporters: [c.ordersExporter] },
        [c.pipelines.platform]: { receivers: [c.router], processors: [c.batch], exporters: [c.platformExporter] },
      },
    },
  };

  return renderCollectorYaml(
    [
      "Collector sampler (R7, R10): rendered by render/collectorSampler.ts; do not edit.",
      "OTLP over mutual TLS from the gateways -> memory_limiter -> tail_sampling -> routing by tenant",
      `-> batch -> Tempo (X-Scope-OrgID ${TENANTS.orders} | ${TENANTS.platform}) over mutual TLS, persistent queue.`,
      `Sizing: ${sizing.expectedTracesPerSecond} traces/s per pod assumed; decision_wait ${sizing.decisionWaitSeconds}s,`,
      `num_traces ${sizing.numTraces}, decision caches ${sizing.decisionCacheSize} (see tailSamplingSizing).`,
    ],
    config,
  );
}
