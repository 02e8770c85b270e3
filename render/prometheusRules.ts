/**
 * The alert rules (render/alertRules.ts) as a Prometheus rule file: what
 * `promtool test rules` checks in the e2e tier, and what a Prometheus could
 * evaluate. The expression is the same query and threshold Grafana uses.
 * Pure: rules in, YAML out.
 */
import { stringify } from "yaml";
import { AlertRule } from "./alertRules";

/** `(<query>) > <threshold>`: the query and threshold exactly as Grafana's threshold expression applies them. */
export function ruleExpression(rule: AlertRule): string {
  return `(${rule.query}) ${rule.op} ${rule.threshold}`;
}

/** Prometheus rule file with one group; `intervalSeconds` is the evaluation interval. */
export function renderPrometheusRules(rules: readonly AlertRule[], intervalSeconds: number, dashboardBaseUrl: string): string {
  const group = {
    name: "order-lifecycle",
    interval: `${intervalSeconds}s`,
    rules: rules.map((r) => ({
      alert: r.id,
      expr: ruleExpression(r),
      ...(r.forSeconds > 0 ? { for: `${r.forSeconds}s` } : {}),
      labels: { severity: r.severity, hop: r.hop },
      annotations: { summary: r.summary, runbook: r.runbook, dashboard: `${dashboardBaseUrl}/d/${r.dashboard}` },
    })),
  };
  return `# Rendered by render/prometheusRules.ts from render/alertRules.ts; do not edit.\n${stringify({ groups: [group] }, { lineWidth: 0 })}`;
}
