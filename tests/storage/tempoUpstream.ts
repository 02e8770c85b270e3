/**
 * What Tempo 3.0.3 accepts, as read from the upstream source at the release
 * tag (github.com/grafana/tempo tag v3.0.3, commit
 * 1900ed7bb5cad1a3edc285783d7d4ac4278337dc of 2026-08-13). Data only: the
 * key paths, never upstream code. tempoUpstream.test.ts fails on any
 * rendered key that is not listed here, so a new key must be looked up
 * upstream (and added with its source) before the renderer may write it.
 */

export const TEMPO_UPSTREAM = { repository: "github.com/grafana/tempo", tag: "v3.0.3", commit: "1900ed7bb5cad1a3edc285783d7d4ac4278337dc" } as const;

/** Where each group of accepted keys was read (paths inside the repository at the tag). */
export const SOURCES = {
  manifest: "docs/sources/tempo/configuration/manifest.md (the generated complete configuration with defaults)",
  appConfig: "cmd/tempo/app/config.go (bool fields with omitempty, absent from the manifest when false)",
  overrides: "modules/overrides/config.go (type Overrides and its scoped sub-structs; the manifest shows only non-zero defaults)",
  otlpReceiver:
    "vendor/go.opentelemetry.io/collector/receiver/otlpreceiver/config.go (v0.150.0: protocols.grpc), config/configgrpc/configgrpc.go (ServerConfig: endpoint, tls), config/configtls/configtls.go (cert_file, key_file, min_version, client_ca_file)",
} as const;

/** tempo.yaml leaf keys (dotted paths) that the manifest lists, limited to the sections the platform renders. */
export const MANIFEST_KEYS = [
  "target",
  "usage_report.reporting_enabled",
  "server.http_listen_address",
  "server.grpc_listen_address",
  "server.http_listen_port",
  "server.grpc_listen_port",
  "server.tls_min_version",
  "server.http_tls_config.cert_file",
  "server.http_tls_config.key_file",
  "server.http_tls_config.client_auth_type",
  "server.http_tls_config.client_ca_file",
  "server.grpc_tls_config.cert_file",
  "server.grpc_tls_config.key_file",
  "server.grpc_tls_config.client_auth_type",
  "server.grpc_tls_config.client_ca_file",
  "server.log_format",
  "server.log_level",
  "server.log_request_headers",
  "server.log_request_at_info_level_enabled",
  "server.log_request_exclude_headers_list",
  "server.log_source_ips_enabled",
  "internal_server.enable",
  "internal_server.http_listen_address",
  "internal_server.http_listen_port",
  "internal_server.grpc_listen_address",
  "internal_server.tls_min_version",
  "internal_server.http_tls_config.cert_file",
  "internal_server.http_tls_config.key_file",
  "querier.frontend_worker.frontend_address",
  ...["querier.frontend_worker", "live_store_client", "backend_scheduler_client"].flatMap((c) =>
    ["tls_enabled", "tls_cert_path", "tls_key_path", "tls_ca_path", "tls_server_name", "tls_min_version"].map((k) => `${c}.grpc_client_config.${k}`),
  ),
  "live_store.wal.path",
  "live_store.shutdown_marker_dir",
  "backend_scheduler.local_work_path",
  "backend_scheduler.provider.compaction.compaction.block_retention",
  "backend_worker.backend_scheduler_addr",
  "backend_worker.compaction.block_retention",
  "storage.trace.backend",
  "storage.trace.local.path",
  "storage.trace.wal.path",
  "storage.trace.s3.bucket",
  "storage.trace.s3.endpoint",
  "storage.trace.s3.region",
  "storage.trace.s3.sse.type",
  "storage.trace.s3.sse.kms_key_id",
  "overrides.per_tenant_override_config",
] as const;

/** Top-level bools of app.Config (cmd/tempo/app/config.go). */
export const APP_CONFIG_KEYS = ["multitenancy_enabled", "stream_over_http_enabled"] as const;

/** distributor.receivers is a free map in the manifest (`receivers: {}`): the OTLP receiver's own config struct. */
export const OTLP_RECEIVER_KEYS = ["endpoint", "tls.cert_file", "tls.key_file", "tls.client_ca_file", "tls.min_version"].map(
  (k) => `distributor.receivers.otlp.protocols.grpc.${k}`,
);

/**
 * Leaf keys of one scoped overrides block (Overrides in modules/overrides/config.go):
 * the fields the platform sets. Valid under `overrides.defaults` and under each
 * tenant of the per-tenant file.
 */
export const OVERRIDES_BLOCK_KEYS = [
  "ingestion.rate_strategy",
  "ingestion.rate_limit_bytes",
  "ingestion.burst_size_bytes",
  "ingestion.max_traces_per_user",
  "ingestion.retry_info_enabled",
  "read.max_bytes_per_tag_values_query",
  "read.max_condition_groups_per_tag_query",
  "read.max_search_duration",
  "compaction.block_retention",
  "metrics_generator.generate_native_histograms",
  "metrics_generator.native_histogram_bucket_factor",
  "metrics_generator.native_histogram_max_bucket_number",
  "metrics_generator.native_histogram_min_reset_duration",
  "global.max_bytes_per_trace",
] as const;

/**
 * `overrides.defaults` exactly as the v3.0.3 manifest prints it: what Tempo
 * sets by itself before the platform's config is applied. A tenant entry that
 * lacks any of these has it at zero.
 */
export const BUILTIN_OVERRIDES_DEFAULTS = {
  ingestion: { rate_strategy: "local", rate_limit_bytes: 30000000, burst_size_bytes: 30000000, max_traces_per_user: 10000, retry_info_enabled: true },
  read: { max_bytes_per_tag_values_query: 1000000, max_condition_groups_per_tag_query: 100 },
  metrics_generator: { generate_native_histograms: "classic", native_histogram_bucket_factor: 1.1, native_histogram_max_bucket_number: 100, native_histogram_min_reset_duration: "15m0s" },
  global: { max_bytes_per_trace: 5000000 },
} as const;

export const ACCEPTED_TEMPO_KEYS: ReadonlySet<string> = new Set<string>([
  ...MANIFEST_KEYS,
  ...APP_CONFIG_KEYS,
  ...OTLP_RECEIVER_KEYS,
  ...OVERRIDES_BLOCK_KEYS.map((k) => `overrides.defaults.${k}`),
]);

/** Every leaf key of a parsed YAML document as a dotted path. */
export function leafPaths(value: unknown, prefix = ""): string[] {
  if (value && typeof value === "object" && !Array.isArray(value) && Object.keys(value).length > 0) {
    return Object.entries(value as Record<string, unknown>).flatMap(([k, v]) => leafPaths(v, prefix ? `${prefix}.${k}` : k));
  }
  return [prefix];
}
