/**
 * Tempo 3.x configuration (monolithic, `target: all`) and its per-tenant
 * overrides file, rendered from typed options. Pure: the Tempo component
 * deploys the result and the end-to-end tests run the same renderer with a
 * local backend and loopback addresses in the real binary.
 */
import { stringify } from "yaml";
import { daysToHours, TempoTenantLimits, tenantLimitsBlock } from "./tempoLimits";

export { daysToHours } from "./tempoLimits";

/** Blocks live in S3, reached with the pod's IRSA credentials (no static keys). */
export interface S3Storage {
  readonly kind: "s3";
  readonly bucket: string;
  readonly region: string;
  /** S3 API endpoint without scheme, e.g. s3.eu-central-1.amazonaws.com. */
  readonly endpoint: string;
  /** KMS key (id or ARN) Tempo asks S3 to encrypt objects with (SSE-KMS). @default undefined (the bucket's default encryption applies) */
  readonly kmsKeyId?: string;
}

/** Blocks on local disk: for end-to-end tests of the real binary only. */
export interface LocalStorage {
  readonly kind: "local";
  readonly path: string;
}

export interface TempoTlsFiles {
  /** Server and client certificate (PEM). */
  readonly certFile: string;
  readonly keyFile: string;
  /** CA that signed every client and server certificate of the platform. */
  readonly caFile: string;
  /** Name in Tempo's certificate that its in-process gRPC clients verify when dialling the loopback address. */
  readonly serverName: string;
  /** Minimum TLS version of every listener and client. */
  readonly minVersion: "1.2" | "1.3";
}

export interface TempoListen {
  /** Query API (HTTPS, client certificates required). */
  readonly httpPort: number;
  /** Internal gRPC (querier <-> frontend, worker <-> scheduler; TLS, client certificates required). */
  readonly grpcPort: number;
  /** OTLP gRPC receiver, host:port (TLS, client certificates required). */
  readonly otlpGrpcEndpoint: string;
  /** HTTPS /ready for kubelet probes, no client certificate (kubelet has none). */
  readonly healthPort: number;
  /** Address Tempo's own gRPC clients dial to reach this process, e.g. 127.0.0.1. */
  readonly loopbackHost: string;
  /** Address the HTTP, gRPC and internal servers bind. @default undefined (all interfaces: the pod's IP) */
  readonly listenAddress?: string;
}

export interface TempoConfigOptions {
  readonly storage: S3Storage | LocalStorage;
  readonly tls: TempoTlsFiles;
  readonly listen: TempoListen;
  /** Writable directory (a PersistentVolume in Kubernetes) for the WALs, live-store and scheduler work files. */
  readonly dataDir: string;
  /** Default block retention (R6), in days. */
  readonly retentionDays: number;
  /** Per-tenant limits; the defaults block and every tenant entry carry all of them. */
  readonly limits: TempoTenantLimits;
  /** Absolute path of the per-tenant overrides file (renderTempoOverrides). */
  readonly overridesFile: string;
  /**
   * Audit trail (R11): log every request at info level with its headers
   * (X-Scope-OrgID, X-Grafana-User) and source IP; credentials are never logged.
   * @default true
   */
  readonly auditRequestLog?: boolean;
}

/** Headers never written to the request log even with auditRequestLog. */
export const REDACTED_REQUEST_HEADERS = ["Authorization", "Cookie", "X-Grafana-Id"] as const;

function dskitTlsVersion(v: "1.2" | "1.3"): string {
  return v === "1.3" ? "VersionTLS13" : "VersionTLS12";
}

function grpcClientTls(opts: TempoConfigOptions): Record<string, unknown> {
  return {
    tls_enabled: true,
    tls_cert_path: opts.tls.certFile,
    tls_key_path: opts.tls.keyFile,
    tls_ca_path: opts.tls.caFile,
    tls_server_name: opts.tls.serverName,
    tls_min_version: dskitTlsVersion(opts.tls.minVersion),
  };
}

function traceStorage(opts: TempoConfigOptions): Record<string, unknown> {
  const wal = { path: `${opts.dataDir}/wal` };
  if (opts.storage.kind === "local") return { backend: "local", local: { path: opts.storage.path }, wal };
  const s3: Record<string, unknown> = {
    bucket: opts.storage.bucket,
    endpoint: opts.storage.endpoint,
    region: opts.storage.region,
  };
  if (opts.storage.kmsKeyId) s3.sse = { type: "SSE-KMS", kms_key_id: opts.storage.kmsKeyId };
  return { backend: "s3", s3, wal };
}

/** Renders tempo.yaml. */
export function renderTempoConfig(opts: TempoConfigOptions): string {
  const audit = opts.auditRequestLog ?? true;
  const retention = daysToHours(opts.retentionDays);
  const minVersion = dskitTlsVersion(opts.tls.minVersion);
  const mutualTls = {
    cert_file: opts.tls.certFile,
    key_file: opts.tls.keyFile,
    client_auth_type: "RequireAndVerifyClientCert",
    client_ca_file: opts.tls.caFile,
  };
  const loopbackGrpc = `${opts.listen.loopbackHost}:${opts.listen.grpcPort}`;

  const config = {
    target: "all",
    // Tempo trusts X-Scope-OrgID; NetworkPolicies admit only the sampler and Grafana.
    multitenancy_enabled: true,
    // Grafana reaches only the HTTP port, so streaming search must work over it.
    stream_over_http_enabled: true,
    usage_report: { reporting_enabled: false },
    server: {
      ...(opts.listen.listenAddress ? { http_listen_address: opts.listen.listenAddress, grpc_listen_address: opts.listen.listenAddress } : {}),
      http_listen_port: opts.listen.httpPort,
      grpc_listen_port: opts.listen.grpcPort,
      tls_min_version: minVersion,
      http_tls_config: mutualTls,
      grpc_tls_config: mutualTls,
      log_format: "json",
      log_level: "info",
      ...(audit
        ? {
            log_request_headers: true,
            log_request_at_info_level_enabled: true,
            log_request_exclude_headers_list: REDACTED_REQUEST_HEADERS.join(","),
            log_source_ips_enabled: true,
          }
        : {}),
    },
    // Serves only /ready; TLS without client certificates so kubelet can probe it.
    internal_server: {
      enable: true,
      ...(opts.listen.listenAddress ? { http_listen_address: opts.listen.listenAddress } : {}),
      http_listen_port: opts.listen.healthPort,
      grpc_listen_address: opts.listen.loopbackHost,
      tls_min_version: minVersion,
      http_tls_config: { cert_file: opts.tls.certFile, key_file: opts.tls.keyFile },
    },
    distributor: {
      receivers: {
        otlp: {
          protocols: {
            grpc: {
              endpoint: opts.listen.otlpGrpcEndpoint,
              // client_ca_file makes the receiver require and verify client certificates (R10).
              tls: {
                cert_file: opts.tls.certFile,
                key_file: opts.tls.keyFile,
                client_ca_file: opts.tls.caFile,
                min_version: opts.tls.minVersion,
              },
            },
          },
        },
      },
    },
    querier: { frontend_worker: { frontend_address: loopbackGrpc, grpc_client_config: grpcClientTls(opts) } },
    live_store_client: { grpc_client_config: grpcClientTls(opts) },
    backend_scheduler_client: { grpc_client_config: grpcClientTls(opts) },
    live_store: {
      wal: { path: `${opts.dataDir}/live-store/traces` },
      shutdown_marker_dir: `${opts.dataDir}/live-store/shutdown-marker`,
    },
    backend_scheduler: {
      local_work_path: `${opts.dataDir}/backend-scheduler`,
      provider: { compaction: { compaction: { block_retention: retention } } },
    },
    backend_worker: {
      backend_scheduler_addr: loopbackGrpc,
      compaction: { block_retention: retention },
    },
    storage: { trace: traceStorage(opts) },
    overrides: {
      defaults: tenantLimitsBlock(opts.limits, opts.retentionDays),
      per_tenant_override_config: opts.overridesFile,
    },
  };
  return stringify(config, { lineWidth: 0, aliasDuplicateObjects: false });
}

export interface TempoOverridesOptions {
  /** Every tenant that gets an entry (the platform's tenants plus any with its own retention). */
  readonly tenants: readonly string[];
  /** The same limits as the main config's defaults. */
  readonly limits: TempoTenantLimits;
  /** Default block retention in days, for tenants without their own. */
  readonly retentionDays: number;
  /** Per-tenant block retention in days (7..30). @default {} */
  readonly tenantRetentionDays?: Readonly<Record<string, number>>;
}

/**
 * Renders the per-tenant overrides file (Tempo 3.x scoped format). A tenant
 * entry replaces the defaults, it is not merged with them (every field it
 * omits is zero), so each entry is the complete limits block: the same one
 * the main config's `overrides.defaults` holds, with the tenant's retention.
 */
export function renderTempoOverrides(opts: TempoOverridesOptions): string {
  const retention = opts.tenantRetentionDays ?? {};
  const names = [...new Set([...opts.tenants, ...Object.keys(retention)])].sort();
  const tenants: Record<string, unknown> = {};
  for (const tenant of names) tenants[tenant] = tenantLimitsBlock(opts.limits, retention[tenant] ?? opts.retentionDays);
  return stringify({ overrides: tenants }, { lineWidth: 0, aliasDuplicateObjects: false });
}
