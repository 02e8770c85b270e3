/**
 * Collector configuration of the audit shipper (R11): a sidecar in the
 * Grafana pod that tails the audit proxy's query log and Grafana's own JSON
 * log and the front proxy's access log (logins), and writes them, unchanged
 * line by line, to the Object Lock audit
 * bucket. Runs on the upstream contrib distribution of the Collector release
 * (filelog receiver, awss3 exporter; versions/collector.ts). Pure.
 *
 * Nothing in memory only, so a SIGKILL loses nothing (measured in
 * e2e/auditShipping.test.ts):
 * - no batch processor (an in-memory buffer whose records the filelog
 *   receiver already counts as read); the exporter's persistent
 *   `sending_queue` batches instead, after the record is on disk;
 * - `stanza.synchronousLogEmitter` (feature gate, AUDIT_SHIPPER_FEATURE_GATES):
 *   the receiver's read position only advances once the queue accepted the
 *   record (otherwise stanza hands records over through a channel);
 * - file_storage with `fsync`, on a volume that outlives the pod.
 *
 * Retries: the awss3 exporter of 0.148.0 has no `retry_on_failure` (see
 * tests/grafana/auditShipperKeys.test.ts). A failed upload is retried inside
 * the AWS SDK: `retry_max_attempts: 0` means no attempt limit (aws-sdk-go-v2
 * retry middleware checks `maxAttempts > 0`), `timeout: 0s` removes the
 * per-export deadline, and `retry_max_backoff` caps the wait. What still
 * ends a retry: a non-retryable error (AccessDenied, KMS denied) or the SDK's
 * retry quota (500 tokens, 5 per retry, 10 per timeout, refilled by
 * successes); the exporter then drops the batch from the queue and counts it
 * in otelcol_exporter_send_failed_log_records: the alert in
 * render/auditShipperAlerts.ts fires, and the lines are still on the pod's
 * audit volume for a replay (docs/grafana.md).
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
  /** The front proxy's JSON log (logins, every request with its user). @default undefined (no access stream) */
  readonly frontLogPath?: string;
  /** Grafana's JSON log file (rotated copies next to it are read too). */
  readonly grafanaLogPath: string;
  /** Directory for read positions and the persistent sending queue (the shipper's own volume). */
  readonly storageDir: string;
  /** Health check endpoint (probes). @default "0.0.0.0:13133" */
  readonly healthEndpoint?: string;
  /** TLS for the health endpoint, so even probes are encrypted (R10). */
  readonly healthTls?: { readonly certFile: string; readonly keyFile: string };
  /** Longest a record waits in the queue's batcher before upload. @default "30s" */
  readonly flushInterval?: string;
  /** Address of the shipper's own Prometheus metrics (failed, dropped, queued uploads). @default { host: "0.0.0.0", port: 8888 } */
  readonly metrics?: { readonly host: string; readonly port: number };
  /** Longest wait between two upload attempts. @default "60s" */
  readonly retryMaxBackoff?: string;
  /** Batches the persistent queue holds before the receiver stops reading (the files wait on disk). @default 10000 */
  readonly queueSize?: number;
}

export const AUDIT_STREAMS = ["queries", "grafana", "access"] as const;
export type AuditStream = (typeof AUDIT_STREAMS)[number];

/** Feature gates the shipper must run with (container args). */
export const AUDIT_SHIPPER_FEATURE_GATES = ["stanza.synchronousLogEmitter"] as const;

export const AUDIT_STORAGE_EXTENSION = "file_storage/audit";

/** The queue every audit exporter uses: persistent, batching after the record is on disk, never dropping on overflow. */
export function auditSendingQueue(o: Pick<AuditShipperOptions, "flushInterval" | "queueSize">) {
  return {
    enabled: true,
    storage: AUDIT_STORAGE_EXTENSION,
    sizer: "requests",
    queue_size: o.queueSize ?? 10000,
    // A full queue makes the receiver wait (the lines stay in the file) instead of refusing them.
    block_on_overflow: true,
    num_consumers: 2,
    batch: { flush_timeout: o.flushInterval ?? "30s", sizer: "items", min_size: 2000, max_size: 10000 },
  };
}

export function auditShipperConfig(o: AuditShipperOptions) {
  const storage = AUDIT_STORAGE_EXTENSION;
  const receiver = (paths: string[]) => ({
    include: paths,
    start_at: "beginning",
    storage,
    include_file_name: true,
    include_file_path: false,
  });
  const exporter = (stream: AuditStream) => ({
    s3uploader: {
      region: o.region,
      s3_bucket: o.bucket,
      s3_prefix: `${o.prefix}/${stream}`,
      s3_partition_format: "year=%Y/month=%m/day=%d/hour=%H/minute=%M",
      compression: "gzip",
      retry_mode: "standard",
      // 0: no attempt limit (the SDK's middleware only stops when maxAttempts > 0).
      retry_max_attempts: 0,
      retry_max_backoff: o.retryMaxBackoff ?? "60s",
    },
    // One original JSON log line per line of the object: `jq` reads it as is.
    marshaler: "body",
    sending_queue: auditSendingQueue(o),
    // 0s: no deadline per export, so retries are not cut short (a batch that timed out would be dropped).
    timeout: "0s",
  });
  const health: Record<string, unknown> = { endpoint: o.healthEndpoint ?? "0.0.0.0:13133" };
  if (o.healthTls) health.tls = { cert_file: o.healthTls.certFile, key_file: o.healthTls.keyFile };
  const metrics = o.metrics ?? { host: "0.0.0.0", port: 8888 };
  const streams: [AuditStream, string[]][] = [
    ["queries", [o.queryLogPath]],
    ["grafana", [o.grafanaLogPath, `${o.grafanaLogPath}.*`]],
    ...(o.frontLogPath ? [["access", [o.frontLogPath]] as [AuditStream, string[]]] : []),
  ];
  return {
    extensions: {
      health_check: health,
      [storage]: {
        directory: o.storageDir,
        create_directory: false,
        // R11: a write is on disk before the receiver moves on.
        fsync: true,
        compaction: { on_start: true, on_rebound: true, directory: o.storageDir },
      },
    },
    receivers: Object.fromEntries(streams.map(([stream, paths]) => [`filelog/${stream}`, receiver(paths)])),
    exporters: Object.fromEntries(streams.map(([stream]) => [`awss3/${stream}`, exporter(stream)])),
    service: {
      extensions: ["health_check", storage],
      pipelines: Object.fromEntries(
        streams.map(([stream]) => [`logs/${stream}`, { receivers: [`filelog/${stream}`], processors: [], exporters: [`awss3/${stream}`] }]),
      ),
      // The shipper's own metrics: failed and queued uploads are the alert signal (render/auditShipperAlerts.ts).
      telemetry: { metrics: { level: "normal", readers: [{ pull: { exporter: { prometheus: { host: metrics.host, port: metrics.port } } } }] } },
    },
  };
}

export function renderAuditShipperConfig(o: AuditShipperOptions): string {
  return `# Rendered by render/auditShipper.ts: ships the Grafana pod's audit logs to the Object Lock bucket (R11).\n${stringify(auditShipperConfig(o), { sortMapEntries: false, lineWidth: 0 })}`;
}
