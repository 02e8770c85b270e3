/** The audit shipper's alert rules (R11): each loss signal has a rule on the metric the Collector 0.148.0 serves. */
import { parse } from "yaml";
import { auditShipperAlertRules, renderAuditShipperAlertRules } from "../../render/auditShipperAlerts";

describe("audit shipper alert rules", () => {
  const rules = auditShipperAlertRules({ selector: 'job="grafana-audit-shipper"' }).groups[0].rules;
  const byName = Object.fromEntries(rules.map((r) => [r.alert, r]));

  it("fires on a dropped batch, a refused enqueue, a stuck queue and a missing shipper", () => {
    expect(Object.keys(byName).sort()).toEqual(["AuditEnqueueFailed", "AuditQueueNotDraining", "AuditShipperDown", "AuditUploadFailed"]);
    expect(byName.AuditUploadFailed.expr).toBe('sum(increase(otelcol_exporter_send_failed_log_records_total{job="grafana-audit-shipper"}[10m])) > 0');
    expect(byName.AuditEnqueueFailed.expr).toContain("otelcol_exporter_enqueue_failed_log_records_total");
    expect(byName.AuditQueueNotDraining.expr).toBe('min_over_time(otelcol_exporter_queue_size{job="grafana-audit-shipper"}[15m]) > 0');
    expect(byName.AuditUploadFailed.labels.severity).toBe("critical");
  });

  it("renders valid YAML with the same content and honours the queue window", () => {
    expect(parse(renderAuditShipperAlertRules({ selector: 'job="x"' })).groups[0].rules).toHaveLength(4);
    const custom = auditShipperAlertRules({ selector: 'job="x"', queueStuckFor: "1h" }).groups[0].rules.find((r) => r.alert === "AuditQueueNotDraining")!;
    expect(custom.expr).toContain("[1h]");
  });
});
