/**
 * Prometheus alerting rules on the audit shipper's own metrics (R11): an
 * upload that failed for good (the exporter dropped the batch from its
 * queue), a record the queue refused, or a queue that does not drain. Pure;
 * metric names as the Collector 0.148.0 serves them (checked against the
 * real binary in e2e/auditShipping.test.ts, rule syntax with promtool).
 */
import { stringify } from "yaml";

export interface AuditShipperAlertOptions {
  /** PromQL label matcher selecting the shipper's series, e.g. `job="grafana-audit-shipper"`. */
  readonly selector: string;
  /** How long the queue may hold batches before the alert fires. @default "15m" */
  readonly queueStuckFor?: string;
}

export function auditShipperAlertRules(o: AuditShipperAlertOptions) {
  const s = o.selector;
  return {
    groups: [
      {
        name: "tracing-audit-shipper",
        rules: [
          {
            alert: "AuditUploadFailed",
            expr: `sum(increase(otelcol_exporter_send_failed_log_records_total{${s}}[10m])) > 0`,
            labels: { severity: "critical" },
            annotations: {
              summary: "Audit records were dropped after failed uploads (R11)",
              description: "The awss3 exporter gave up on a batch; the lines are still on the pod's audit volume: replay them (docs/grafana.md).",
            },
          },
          {
            alert: "AuditEnqueueFailed",
            expr: `sum(increase(otelcol_exporter_enqueue_failed_log_records_total{${s}}[10m])) > 0`,
            labels: { severity: "critical" },
            annotations: { summary: "The audit shipper's persistent queue refused records (R11)" },
          },
          {
            alert: "AuditQueueNotDraining",
            expr: `min_over_time(otelcol_exporter_queue_size{${s}}[${o.queueStuckFor ?? "15m"}]) > 0`,
            labels: { severity: "warning" },
            annotations: { summary: "Audit batches have waited in the shipper's queue for the whole window: uploads are failing or slow" },
          },
          {
            alert: "AuditShipperDown",
            expr: `absent(up{${s}} == 1)`,
            for: "10m",
            labels: { severity: "critical" },
            annotations: { summary: "No audit shipper is being scraped: uploads cannot be watched" },
          },
        ],
      },
    ],
  };
}

export function renderAuditShipperAlertRules(o: AuditShipperAlertOptions): string {
  return `# Rendered by render/auditShipperAlerts.ts (R11).\n${stringify(auditShipperAlertRules(o), { lineWidth: 0 })}`;
}
