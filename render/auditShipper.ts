/**
 * Collector configuration of the audit shipper (R11): a sidecar in the
 * Grafana pod that tails the audit proxy's query log and Grafana's own JSON
 * log (logins, every HTTP request) and writes them, unchanged line by line,
 * to the Object Lock audit bucket. Read positions and the sending queue live
 * in file storage on the pod's audit volume, so a restart neither loses nor
 * re-reads records. Runs on the upstream contrib distribution of the
 * Collector release (filelog receiver, awss3 exporter; versions/collector.ts).
 * Pure.
 */
import { stringify } from "yaml";

export interface AuditShipperOptions {
  /** AWS region of the audit bucket. */
  readonly region: string;
  /** Name of the audit bucket. */
  readonly bucket: string;
  /** Key prefix for this stack, e.g. "dev". Objects go to <prefix>/queries/... and <prefix>/grafana/... */
  readonly prefix: string;
  /** The audit proxy's JSON log. */
  readonly queryLogPath: string;
  /** Grafana's JSON log file (rotated copies next to it are read too). */
  readonly grafanaLogPath: string;
  /** Directory for read positions and the persistent sending queue. */
  readonly storageDir: string;
  /** Health check endpoint (probes). @default "0.0.0.0:13133" */
  readonly healthEndpoint?: string;
  /** TLS for the health endpoint, so even probes are encrypted (R10). */
  readonly healthTls?: { readonly certFile: string; readonly keyFile: string };
  /** Longest a record waits in memory before upload. @default "30s" */
  readonly flushInterval?: string;
}

export const AUDIT_STREAMS = ["queries", "grafana"] as const;

export function renderAuditShipperConfig(o: AuditShipperOptions): string {
  const storage = "file_storage/audit";
  const receiver = (paths: string[]) => ({
    include: paths,
    start_at: "beginning",
    storage,
    include_file_name: true,
    include_file_path: false,
  });
  const exporter = (stream: string) => ({
    s3uploader: {
      region: o.region,
      s3_bucket: o.bucket,
      s3_prefix: `${o.prefix}/${stream}`,
      s3_partition_format: "year=%Y/month=%m/day=%d/hour=%H/minute=%M",
      compression: "gzip",
    },
    // One original JSON log line per line of the object: `jq` reads it as is.
    marshaler: "body",
    sending_queue: { enabled: true, storage },
    retry_on_failure: { enabled: true, max_elapsed_time: "0s" },
    timeout: "30s",
  });
  const health: Record<string, unknown> = { endpoint: o.healthEndpoint ?? "0.0.0.0:13133" };
  if (o.healthTls) health.tls = { cert_file: o.healthTls.certFile, key_file: o.healthTls.keyFile };
  const config = {
    extensions: {
      health_check: health,
      [storage]: { directory: o.storageDir, create_directory: true },
    },
    receivers: {
      "filelog/queries": receiver([o.queryLogPath]),
      "filelog/grafana": receiver([o.grafanaLogPath, `${o.grafanaLogPath}.*`]),
    },
    processors: {
      batch: { timeout: o.flushInterval ?? "30s", send_batch_size: 2000 },
    },
    exporters: {
      "awss3/queries": exporter("queries"),
      "awss3/grafana": exporter("grafana"),
    },
    service: {
      extensions: ["health_check", storage],
      pipelines: {
        "logs/queries": { receivers: ["filelog/queries"], processors: ["batch"], exporters: ["awss3/queries"] },
        "logs/grafana": { receivers: ["filelog/grafana"], processors: ["batch"], exporters: ["awss3/grafana"] },
      },
      telemetry: { metrics: { level: "none" } },
    },
  };
  return `# Rendered by render/auditShipper.ts: ships the Grafana pod's audit logs to the Object Lock bucket (R11).\n${stringify(config, { sortMapEntries: false, lineWidth: 0 })}`;
}
