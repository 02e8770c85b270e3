/**
 * THE list of every way the e2e runs differ from what the stacks deploy, and
 * the code that applies the collector differences through the renderers'
 * typed options. Nothing else in e2e/ may change a rendered setting: the
 * conformance test renders the deployed options, checks them byte for byte
 * against the synthesized stack files, applies these functions and checks
 * that every changed key of the result is claimed by an entry below. The
 * README's e2e section lists the same entries (a test checks the ids).
 */
import { CollectorGatewayOptions } from "../../render/collectorGateway";
import { CollectorSamplerOptions } from "../../render/collectorSampler";
import { TlsFiles } from "../../render/collectorCommon";
import { TempoConfigOptions } from "../../render/tempoConfig";
import { stringify, parse } from "yaml";

export interface Difference {
  /** Stable id, also listed in the README e2e section. */
  readonly id: string;
  /** What differs. */
  readonly what: string;
  readonly deployed: string;
  readonly e2e: string;
  readonly why: string;
  /** Collector config keys (dotted paths of the parsed YAML) this difference may change. */
  readonly collectorKeys?: readonly RegExp[];
  /** tempo.yaml keys (dotted paths) this difference may change (only with TEMPO_BIN does a Tempo run). */
  readonly tempoKeys?: readonly RegExp[];
}

export const DIFFERENCES: readonly Difference[] = [
  {
    id: "listen-address",
    what: "Collector listen addresses",
    deployed: "${env:POD_IP}:4317 / :4318 / :13133 with POD_IP = the pod IP",
    e2e: "${env:POD_IP}:<free port> with POD_IP=127.0.0.1 in the process environment",
    why: "several processes share one host; everything binds to loopback only",
    collectorKeys: [/^receivers\.otlp\.protocols\.(grpc|http)\.endpoint$/, /^extensions\.health_check\.endpoint$/],
  },
  {
    id: "internal-telemetry",
    what: "The Collector's own Prometheus metrics endpoint (service.telemetry.metrics.readers)",
    deployed: "none: the rendered readers only push (difference collector-self-metrics), so no pod serves localhost:8888",
    e2e: "a pull reader on 127.0.0.1:<free port> from a second --config file that sets service.telemetry.metrics.readers to that reader followed by the rendered readers unchanged (confmap replaces lists; the rendered file is unchanged)",
    why: "the benchmark and the conformance check read counters directly from each process; several Collectors share one host",
  },
  {
    id: "tls-files",
    what: "TLS certificate, key and CA files",
    deployed: "/etc/tracing/tls/{tls.crt,tls.key,ca.crt} from the stack's PKI (ECDSA P-256, Service DNS names)",
    e2e: "a fresh test PKI per run generated with openssl in the run directory: same key type and DNS names, plus localhost and 127.0.0.1",
    why: "the stack's certificates exist only in Kubernetes Secrets",
    collectorKeys: [/\.tls\.(cert_file|key_file|ca_file|client_ca_file)$/, /^service\.telemetry\.metrics\.readers\.\d+\.periodic\.exporter\.otlp\.(certificate|client_certificate|client_key)$/],
    tempoKeys: [/\.(cert_file|key_file|client_ca_file)$/, /\.grpc_client_config\.tls_(cert|key|ca)_path$/],
  },
  {
    id: "sink-compression",
    what: "Gateway -> sampler hop compression, where a test puts a capture sink in the sampler's place (privacy corpus)",
    deployed: "snappy",
    e2e: "gzip, in that test only; the whole-stack runs keep snappy between real Collectors",
    why: "the capture sink is a grpc-js server, which decodes gzip and deflate but not snappy",
    collectorKeys: [/^exporters\.loadbalancing\.protocol\.otlp\.compression$/],
  },
  {
    id: "sampler-resolver",
    what: "How the gateway finds sampler pods",
    deployed: "loadbalancing resolver dns: the headless Service's FQDN, port 4317",
    e2e: "loadbalancing resolver static: the loopback addresses of the two local samplers (TLS still verified against the sampler's Service name)",
    why: "no cluster DNS; two samplers keep the trace-id routing (all spans of a trace on one sampler) under test",
    collectorKeys: [/^exporters\.loadbalancing\.resolver\./],
  },
  {
    id: "tempo-endpoint",
    what: "Where the sampler sends to Tempo",
    deployed: "tempo.<namespace>.svc.cluster.local:4317, verified against that host name",
    e2e: "127.0.0.1:<free port>, verified against the same host name (tempoServerName)",
    why: "no cluster DNS",
    collectorKeys: [/^exporters\.otlp_grpc\/(orders|platform)\.endpoint$/, /^exporters\.otlp_grpc\/(orders|platform)\.tls\.server_name_override$/],
  },
  {
    id: "queue-directory",
    what: "Sampler persistent queue directory (file_storage)",
    deployed: "/var/lib/otelcol/queue (a PersistentVolume per pod)",
    e2e: "a directory in the run's temp dir, per sampler (also for `validate`, which requires it to exist)",
    why: "no volumes outside Kubernetes",
    collectorKeys: [/^extensions\.file_storage\.(directory|compaction\.directory)$/],
  },
  {
    id: "decision-wait",
    what: "Tail-sampling decision_wait (and the buffers derived from it)",
    deployed: "min(tracing:maxConsumerDelaySeconds, 30 s) = 30 s in dev and prod",
    e2e: "5 s (sizing.maxDecisionWaitSeconds = 5); sampling percentages, slow-trace threshold and maxConsumerDelaySeconds unchanged. The benchmark keeps 30 s.",
    why: "every trace waits decision_wait before export; 30 s per step would make the run slow. The late-consumer check delays its consumer past the 5 s",
    collectorKeys: [/^processors\.tail_sampling\.(decision_wait|num_traces|decision_cache\.(sampled|non_sampled)_cache_size)$/],
  },
  {
    id: "replicas",
    what: "Collector topology",
    deployed: "dev: 1 gateway + 1 sampler; prod: per tracing:gatewayReplicas / samplerReplicas, in pods",
    e2e: "1 gateway + 2 sampler processes on one host (benchmark: 1 + 1)",
    why: "one host; two samplers exercise trace-id routing",
  },
  {
    id: "trace-store",
    what: "Trace store",
    deployed: "Tempo 3.0.3 (versions/tempo.ts), monolithic, render/tempoConfig.ts, S3 backend",
    e2e: "with TEMPO_BIN=/path/to/tempo: that binary with the prod stack's rendered tempo.yaml and tempo-overrides.yaml, changed only by the tempo-* and tls-files entries. Without TEMPO_BIN: the capture store (e2e/captureStore/server.ts) with the rules of Tempo's OTLP receiver (TLS 1.3, client certificate from the stack CA, one X-Scope-OrgID), which records every request the samplers send",
    why: "Tempo is AGPL-licensed: the project neither vendors nor builds it; a user brings a release binary. CI proves what reaches Tempo, TEMPO_BIN proves what Tempo does with it",
  },
  {
    id: "tempo-listen",
    what: "Tempo listen addresses and ports (TEMPO_BIN runs)",
    deployed: "all interfaces of the pod on 3200 (query), 9095 (gRPC), 4317 (OTLP), 3101 (probes)",
    e2e: "127.0.0.1 on free ports (server.*_listen_address, a typed renderer option unset when deployed)",
    why: "several processes share one host; everything binds to loopback only",
    tempoKeys: [
      /^server\.(http|grpc)_listen_(port|address)$/,
      /^internal_server\.http_listen_(port|address)$/,
      /^distributor\.receivers\.otlp\.protocols\.grpc\.endpoint$/,
      /^querier\.frontend_worker\.frontend_address$/,
      /^backend_worker\.backend_scheduler_addr$/,
    ],
  },
  {
    id: "tempo-storage",
    what: "Tempo block storage (TEMPO_BIN runs)",
    deployed: "S3 (the trace bucket, SSE-KMS, IRSA)",
    e2e: "the local backend in the run directory",
    why: "no cloud here",
    tempoKeys: [/^storage\.trace\.(backend|local\.path)$/, /^storage\.trace\.s3\./],
  },
  {
    id: "tempo-paths",
    what: "Tempo data directory and overrides file (TEMPO_BIN runs)",
    deployed: "/var/tempo (a PersistentVolume) and /etc/tempo/tempo-overrides.yaml (the ConfigMap)",
    e2e: "directories and the rendered overrides file in the run directory",
    why: "no volumes outside Kubernetes",
    tempoKeys: [/\.wal\.path$/, /^live_store\.shutdown_marker_dir$/, /^backend_scheduler\.local_work_path$/, /^overrides\.per_tenant_override_config$/],
  },
  {
    id: "metrics-stores",
    what: "Where the gateway writes span metrics (Prometheus remote write)",
    deployed: "https://metrics-orders|metrics-all.<namespace>.svc.cluster.local:9090/api/v1/write, quay.io/prometheus/prometheus (versions/prometheus.ts) in pods with PVCs",
    e2e: "https://127.0.0.1:<free port>/api/v1/write of two local Debian Prometheus 2.42 processes with the rendered web config (client certificates required); certificate names verified as deployed",
    why: "no cluster DNS; Debian's Prometheus is what can run here and supports every flag and web-config key the stores use",
    collectorKeys: [/^exporters\.prometheusremotewrite\/(orders|all)\.endpoint$/],
  },
  {
    id: "metrics-timing",
    what: "Span-metrics flush interval, Prometheus scrape/evaluation interval and alert windows",
    deployed: "metrics_flush_interval 15 s; scrape and evaluation every 30 s; alert windows from tracing:alerting (minutes)",
    e2e: "flush every 2 s; scrape and evaluation every 2 s; alert windows of seconds (e2e/alerts.test.ts thresholds)",
    why: "each alert scenario must rise over its threshold within seconds, not minutes",
    collectorKeys: [/^connectors\.spanmetrics\.metrics_flush_interval$/],
  },
  {
    id: "collector-self-metrics",
    what: "Who reads the Collectors' own metrics (pipeline alerts)",
    deployed: "both tiers push them every 30 s (OTLP/gRPC, mTLS) to https://collector-gateway.<namespace>.svc.cluster.local:4319, the gateway's otlp/self receiver, whose metrics/self pipeline keeps otelcol_* of jobs collector-gateway/collector-sampler and writes them to metrics-all",
    e2e: "the same push and pipeline to https://localhost:<free port> (a name in the test gateway certificate), every 2 s; runs that pass no self-metrics port (benchmark, privacy corpus) leave the push and the otlp/self receiver out",
    why: "no cluster DNS; each alert scenario must see new series within seconds",
    collectorKeys: [/^receivers\.otlp\/self\.protocols\.grpc\.endpoint$/, /^service\.telemetry\.metrics\.readers\.0\.periodic\.(interval|timeout|exporter\.otlp\.endpoint)$/],
  },
  {
    id: "apps",
    what: "Shop, CRM and MES APIs, RabbitMQ, PostgreSQL",
    deployed: "the real services and their infrastructure (outside this project)",
    e2e: "small sample services in e2e/app instrumented per docs/instrumentation.md; RabbitMQ and PostgreSQL from Debian, private instances on loopback; the apps carelessly put personal data in queries, headers, events and SQL literals so that scrubbing is tested",
    why: "the pipeline needs real instrumented traffic through real brokers and databases",
  },
];

/** Environment of every Collector process: the addresses behind `${env:POD_IP}` and `${env:POD_NAME}`, and GOMEMLIMIT, as the pod sets them. */
export function collectorEnv(memoryLimitMiB: number, podName = "e2e-collector"): Record<string, string> {
  return { POD_IP: "127.0.0.1", POD_NAME: podName, GOMEMLIMIT: `${memoryLimitMiB}MiB` };
}

/** Push interval of the Collectors' own metrics in the e2e runs, in milliseconds (difference collector-self-metrics). */
export const E2E_SELF_METRICS_INTERVAL_MS = 2000;

/**
 * The second --config file of every e2e Collector (difference internal-telemetry): a pull reader on
 * a free loopback port. confmap replaces lists, so the rendered readers (the self-metrics push) are
 * repeated after it unchanged.
 */
export function telemetryOverlay(metricsPort: number, renderedConfig?: string): string {
  const rendered = renderedConfig ? (parse(renderedConfig) as { service?: { telemetry?: { metrics?: { readers?: unknown[] } } } }) : {};
  const readers = [{ pull: { exporter: { prometheus: { host: "127.0.0.1", port: metricsPort } } } }, ...(rendered.service?.telemetry?.metrics?.readers ?? [])];
  return stringify({ service: { telemetry: { metrics: { readers } } } }, { lineWidth: 0 });
}

const selfMetricsEndpoint = (port: number) => `https://localhost:${port}`;

const podAddress = (port: number) => `\${env:POD_IP}:${port}`;

export interface LocalGateway {
  readonly grpcPort: number;
  readonly httpPort: number;
  readonly healthPort: number;
  readonly tls: TlsFiles;
  /** `127.0.0.1:<port>` of every sampler. */
  readonly samplers: readonly string[];
  /** Loopback ports of the local metrics stores by store name (difference metrics-stores); undefined keeps the deployed endpoints. */
  readonly metricsStores?: Readonly<Record<string, number>>;
  /** Span-metrics flush interval (difference metrics-timing), in seconds; undefined keeps the deployed value. */
  readonly spanMetricsFlushSeconds?: number;
  /** Loopback port of the otlp/self receiver (difference collector-self-metrics); undefined leaves the self-metrics path out. */
  readonly selfMetricsPort?: number;
}

/** Differences listen-address, tls-files, sampler-resolver, metrics-stores, metrics-timing. */
export function gatewayForE2e(deployed: CollectorGatewayOptions, local: LocalGateway): CollectorGatewayOptions {
  const metrics = deployed.spanMetrics;
  const stores = local.metricsStores;
  return {
    ...deployed,
    spanMetrics: metrics && {
      ...metrics,
      tls: local.tls,
      flushIntervalSeconds: local.spanMetricsFlushSeconds ?? metrics.flushIntervalSeconds,
      stores: metrics.stores.map((s) => (stores?.[s.name] ? { ...s, url: `https://127.0.0.1:${stores[s.name]}/api/v1/write` } : s)),
    },
    listen: { grpc: podAddress(local.grpcPort), http: podAddress(local.httpPort) },
    healthEndpoint: podAddress(local.healthPort),
    tls: local.tls,
    samplerResolver: { static: local.samplers },
    selfMetrics:
      deployed.selfMetrics && local.selfMetricsPort !== undefined
        ? {
            ...deployed.selfMetrics,
            listen: podAddress(local.selfMetricsPort),
            push: { ...deployed.selfMetrics.push, endpoint: selfMetricsEndpoint(local.selfMetricsPort), intervalMs: E2E_SELF_METRICS_INTERVAL_MS },
          }
        : undefined,
  };
}

export interface LocalSampler {
  readonly grpcPort: number;
  readonly healthPort: number;
  readonly tls: TlsFiles;
  readonly tempoOtlpPort: number;
  readonly storageDir: string;
  /** Shorten decision_wait (difference decision-wait); undefined keeps the deployed value (benchmark). */
  readonly decisionWaitSeconds?: number;
  /** Loopback port of the gateway's otlp/self receiver (difference collector-self-metrics); undefined leaves the push out. */
  readonly gatewaySelfMetricsPort?: number;
}

/** Differences listen-address, tls-files, tempo-endpoint, queue-directory, decision-wait. */
export function samplerForE2e(deployed: CollectorSamplerOptions, local: LocalSampler): CollectorSamplerOptions {
  const tempoHost = deployed.tempoEndpoint.replace(/:\d+$/, "");
  return {
    ...deployed,
    listen: { grpc: podAddress(local.grpcPort) },
    healthEndpoint: podAddress(local.healthPort),
    tls: local.tls,
    tempoEndpoint: `127.0.0.1:${local.tempoOtlpPort}`,
    tempoServerName: deployed.tempoServerName ?? tempoHost,
    storageDir: local.storageDir,
    sizing: local.decisionWaitSeconds === undefined ? deployed.sizing : { ...deployed.sizing, maxDecisionWaitSeconds: local.decisionWaitSeconds },
    selfMetrics:
      deployed.selfMetrics && local.gatewaySelfMetricsPort !== undefined
        ? { ...deployed.selfMetrics, endpoint: selfMetricsEndpoint(local.gatewaySelfMetricsPort), intervalMs: E2E_SELF_METRICS_INTERVAL_MS }
        : undefined,
  };
}

export interface LocalTempo {
  readonly httpPort: number;
  readonly grpcPort: number;
  readonly otlpGrpcPort: number;
  readonly healthPort: number;
  readonly tls: TlsFiles;
  /** Data directory; blocks go to `<dataDir>/blocks`. */
  readonly dataDir: string;
  readonly overridesFile: string;
}

/** Differences tempo-listen, tempo-storage, tempo-paths, tls-files; the server name stays the deployed one. */
export function tempoForE2e(deployed: TempoConfigOptions, local: LocalTempo): TempoConfigOptions {
  return {
    ...deployed,
    storage: { kind: "local", path: `${local.dataDir}/blocks` },
    tls: { ...deployed.tls, certFile: local.tls.certFile, keyFile: local.tls.keyFile, caFile: local.tls.caFile },
    listen: {
      ...deployed.listen,
      listenAddress: "127.0.0.1",
      httpPort: local.httpPort,
      grpcPort: local.grpcPort,
      otlpGrpcEndpoint: `127.0.0.1:${local.otlpGrpcPort}`,
      healthPort: local.healthPort,
    },
    dataDir: local.dataDir,
    overridesFile: local.overridesFile,
  };
}

/** For `otelcol validate` of the synthesized sampler: only the queue directory must exist (difference queue-directory). */
export function samplerForValidate(deployed: CollectorSamplerOptions, storageDir: string): CollectorSamplerOptions {
  return { ...deployed, storageDir };
}

/** Difference sink-compression: a grpc-js capture sink in the sampler's place needs gzip. */
export function gatewayForCaptureSink(options: CollectorGatewayOptions): CollectorGatewayOptions {
  return { ...options, hopCompression: "gzip" };
}
