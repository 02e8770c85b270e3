/**
 * The alert rules (render/alertRules.ts) as Grafana-managed alert rules
 * (R5): the shapes of @pulumiverse/grafana's alerting.RuleGroup rules, pure
 * so tests read them without Pulumi. Query A is the rule's PromQL against
 * the organisation's data source for the rule's store; B is Grafana's
 * threshold expression with the same operator and threshold as the
 * Prometheus rule file.
 */
import { AlertRule, Audience } from "./alertRules";

/** Grafana's uid of server-side expressions. */
export const EXPRESSION_DATASOURCE = "__expr__";

export interface GrafanaRuleData {
  readonly refId: string;
  readonly datasourceUid: string;
  readonly queryType: string;
  readonly relativeTimeRange: { readonly from: number; readonly to: number };
  /** JSON text, as the provider takes it. */
  readonly model: string;
}

export interface GrafanaRule {
  readonly uid: string;
  readonly name: string;
  readonly condition: "B";
  readonly for: string;
  readonly noDataState: "OK";
  readonly execErrState: "Error";
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
  readonly datas: readonly GrafanaRuleData[];
}

/** Grafana's template for the query's value in place of Prometheus's `$value`. */
export function grafanaSummary(summary: string): string {
  return summary.replace(/\{\{ \$value \| humanize \}\}/g, "{{ humanize $values.A.Value }}");
}

export function grafanaRule(rule: AlertRule, org: Audience, dataSourceUid: string, grafanaUrl: string): GrafanaRule {
  const lookback = 3600;
  return {
    uid: `${org}-${rule.id}`.toLowerCase().slice(0, 40),
    name: rule.title,
    condition: "B",
    for: `${rule.forSeconds}s`,
    // Every query ends in `or vector(0)`, so "no data" only happens when the store is unreachable: that is execErrState.
    noDataState: "OK",
    execErrState: "Error",
    labels: { severity: rule.severity, hop: rule.hop, alert: rule.id },
    annotations: {
      summary: grafanaSummary(rule.summary),
      description: `${rule.hop}: ${rule.title}`,
      runbook: rule.runbook,
      dashboard: `${grafanaUrl}/d/${rule.dashboard}`,
    },
    datas: [
      {
        refId: "A",
        datasourceUid: dataSourceUid,
        queryType: "",
        relativeTimeRange: { from: lookback, to: 0 },
        model: JSON.stringify({ refId: "A", expr: rule.query, instant: true, range: false, datasource: { type: "prometheus", uid: dataSourceUid } }),
      },
      {
        refId: "B",
        datasourceUid: EXPRESSION_DATASOURCE,
        queryType: "",
        relativeTimeRange: { from: 0, to: 0 },
        model: JSON.stringify({
          refId: "B",
          type: "threshold",
          expression: "A",
          datasource: { type: "__expr__", uid: EXPRESSION_DATASOURCE },
          conditions: [{ evaluator: { type: rule.op === ">" ? "gt" : "lt", params: [rule.threshold] } }],
        }),
      },
    ],
  };
}

/** The rules an organisation's group holds: Support gets only order-lifecycle rules on its orders-only store (R9). */
export function rulesFor(rules: readonly AlertRule[], org: Audience): AlertRule[] {
  return rules.filter((r) => r.audience.includes(org));
}
