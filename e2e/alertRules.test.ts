/**
 * Every alert rule (render/alertRules.ts, default thresholds) in the real
 * `promtool test rules` (Debian's prometheus package): synthetic series that
 * must fire, with the measured value in the summary, and series that must
 * stay quiet. Needs no running stack; a missing promtool fails with the
 * package to install.
 */
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { stringify } from "yaml";
import { AlertRule, alertRules, DEFAULT_THRESHOLDS, SERIES } from "../render/alertRules";
import { renderPrometheusRules } from "../render/prometheusRules";
import { requireCommand } from "./harness/paths";

const DASHBOARDS = "https://grafana.example";
const rules = alertRules(DEFAULT_THRESHOLDS);

interface Case {
  readonly alert: string;
  readonly name: string;
  /** series -> promtool values notation, one sample per minute. */
  readonly series: Readonly<Record<string, string>>;
  readonly evalMinutes: number;
  /** The value the alert reports when it must fire; undefined: it must not fire. */
  readonly fires?: string;
}

const bucket = (le: string) => `spans_duration_seconds_bucket{service_name="mes-api",db_system_name="postgresql",le="${le}"}`;
const label = (series: string, extra: string) => series.replace(/\}$/, `,${extra}}`).replace(/([a-z_]+)!="([^"]*)"/g, (_m, k: string) => `${k}="x"`).replace(/=~"2\.\."/, '="201"');
// Concrete series for the selectors (matchers != and =~ replaced by a matching value).
const S = {
  publishFailed: label(SERIES.publishFailed, 'messaging_destination_name="orders"'),
  published: label(SERIES.published, 'messaging_destination_name="orders"').replace('status_code="x"', 'status_code="STATUS_CODE_OK"'),
  consumed: label(SERIES.consumed, 'status_code="STATUS_CODE_UNSET"'),
  consumerErrors: label(SERIES.consumerErrors, 'messaging_destination_name="orders"'),
  dbErrors: label(SERIES.dbErrors, 'db_operation_name="INSERT"').replace('db_system_name="x"', 'db_system_name="postgresql"'),
  accepted: label(SERIES.ordersAccepted, 'status_code="STATUS_CODE_UNSET"'),
  writes: label(SERIES.orderWrites, 'db_system_name="postgresql"').replace('status_code="x"', 'status_code="STATUS_CODE_UNSET"'),
  catalog: 'spans_calls_total{service_name="shop-api",span_kind="SPAN_KIND_SERVER",http_route="/catalog",status_code="STATUS_CODE_UNSET"}',
};

const CASES: Case[] = [
  { alert: "CrmPublishUnconfirmed", name: "a nacked publish appears", series: { [S.publishFailed]: "_x10 1x10", [S.published]: "0+1x20" }, evalMinutes: 12, fires: "1" },
  { alert: "CrmPublishUnconfirmed", name: "the nack is older than the window", series: { [S.publishFailed]: "_x10 1x10", [S.published]: "0+1x20" }, evalMinutes: 18 },
  { alert: "CrmPublishUnconfirmed", name: "only confirmed publishes", series: { [S.published]: "0+1x20" }, evalMinutes: 12 },
  { alert: "MesConsumerErrors", name: "three consumer errors", series: { [S.consumerErrors]: "0x10 1 2 3x8" }, evalMinutes: 13, fires: "3" },
  { alert: "MesConsumerErrors", name: "successful consumes only", series: { [S.consumed]: "0+2x20" }, evalMinutes: 13 },
  { alert: "OrdersNotConsumed", name: "the consumer stops", series: { [S.published]: "0+1x30", [S.consumed]: "0+1x10 10x20" }, evalMinutes: 25, fires: "5" },
  { alert: "OrdersNotConsumed", name: "the consumer keeps up", series: { [S.published]: "0+1x30", [S.consumed]: "0+1x30" }, evalMinutes: 25 },
  { alert: "MesDatabaseErrors", name: "failing inserts", series: { [S.dbErrors]: "_x5 2 4x10" }, evalMinutes: 8, fires: "4" },
  { alert: "MesDatabaseErrors", name: "healthy database", series: { [S.writes]: "0+1x20" }, evalMinutes: 8 },
  {
    alert: "MesDatabaseSlow",
    name: "queries take about a second",
    series: { [bucket("0.1")]: "0x20", [bucket("0.5")]: "0x20", [bucket("1")]: "0+10x20", [bucket("+Inf")]: "0+10x20" },
    evalMinutes: 10,
    fires: "975",
  },
  {
    alert: "MesDatabaseSlow",
    name: "fast queries",
    series: { [bucket("0.1")]: "0+10x20", [bucket("0.5")]: "0+10x20", [bucket("1")]: "0+10x20", [bucket("+Inf")]: "0+10x20" },
    evalMinutes: 10,
  },
  { alert: "LostOrders", name: "writes stop while orders are accepted", series: { [S.accepted]: "0+1x40", [S.writes]: "0+1x10 10x30" }, evalMinutes: 30, fires: "5" },
  { alert: "LostOrders", name: "every order is written", series: { [S.accepted]: "0+1x40", [S.writes]: "0+1x40" }, evalMinutes: 30 },
  { alert: "OrderTrafficDrop", name: "orders stop, other spans continue", series: { [S.accepted]: "0+1x10 10x40", [S.catalog]: "0+5x50" }, evalMinutes: 40, fires: "0" },
  { alert: "OrderTrafficDrop", name: "orders continue", series: { [S.accepted]: "0+1x50", [S.catalog]: "0+5x50" }, evalMinutes: 40 },
  { alert: "OrderTrafficDrop", name: "nothing arrives at all (pipeline down: other alerts)", series: { [S.accepted]: "10x50", [S.catalog]: "10x50" }, evalMinutes: 40 },
  { alert: "GatewayRefusingSpans", name: "memory_limiter refuses", series: { 'otelcol_receiver_refused_spans_total{job="collector-gateway",receiver="otlp",transport="grpc"}': "0x5 0+10x10" }, evalMinutes: 10, fires: "40" },
  { alert: "GatewayRefusingSpans", name: "nothing refused", series: { 'otelcol_receiver_refused_spans_total{job="collector-gateway",receiver="otlp",transport="grpc"}': "0x20" }, evalMinutes: 10 },
  { alert: "SamplerQueueNearFull", name: "queue at 90%", series: { 'otelcol_exporter_queue_size{job="collector-sampler",exporter="otlp_grpc/orders"}': "900x10", 'otelcol_exporter_queue_capacity{job="collector-sampler",exporter="otlp_grpc/orders"}': "1000x10" }, evalMinutes: 5, fires: "90" },
  { alert: "SamplerQueueNearFull", name: "queue at 10%", series: { 'otelcol_exporter_queue_size{job="collector-sampler",exporter="otlp_grpc/orders"}': "100x10", 'otelcol_exporter_queue_capacity{job="collector-sampler",exporter="otlp_grpc/orders"}': "1000x10" }, evalMinutes: 5 },
  { alert: "TempoExportFailing", name: "exports fail", series: { 'otelcol_exporter_send_failed_spans_total{job="collector-sampler",exporter="otlp_grpc/orders"}': "0x5 0+4x10" }, evalMinutes: 10, fires: "16" },
  { alert: "TempoExportFailing", name: "exports succeed", series: { 'otelcol_exporter_send_failed_spans_total{job="collector-sampler",exporter="otlp_grpc/orders"}': "0x20" }, evalMinutes: 10 },
  { alert: "TempoNotReady", name: "Tempo scrape fails", series: { 'up{job="tempo",instance="tempo:3200"}': "1x3 0x10" }, evalMinutes: 8, fires: "0" },
  { alert: "TempoNotReady", name: "Tempo up", series: { 'up{job="tempo",instance="tempo:3200"}': "1x10" }, evalMinutes: 8 },
];

function expectedAlert(rule: AlertRule, value: string) {
  return {
    exp_labels: { severity: rule.severity, hop: rule.hop },
    exp_annotations: { summary: rule.summary.replace("{{ $value | humanize }}", value), runbook: rule.runbook, dashboard: `${DASHBOARDS}/d/${rule.dashboard}` },
  };
}

function promtoolTests(cases: readonly Case[]) {
  return {
    rule_files: ["rules.yaml"],
    evaluation_interval: "1m",
    tests: cases.map((c) => {
      const rule = rules.find((r) => r.id === c.alert) as AlertRule;
      return {
        name: `${c.alert}: ${c.name}`,
        interval: "1m",
        input_series: Object.entries(c.series).map(([series, values]) => ({ series, values })),
        alert_rule_test: [{ eval_time: `${c.evalMinutes}m`, alertname: c.alert, exp_alerts: c.fires === undefined ? [] : [expectedAlert(rule, c.fires)] }],
      };
    }),
  };
}

function runPromtool(dir: string): { ok: boolean; output: string } {
  const promtool = requireCommand("promtool", "prometheus");
  try {
    return { ok: true, output: execFileSync(promtool, ["test", "rules", path.join(dir, "tests.yaml")], { cwd: dir, encoding: "utf8", stdio: "pipe" }) };
  } catch (e) {
    const err = e as { stdout?: string; stderr?: string };
    return { ok: false, output: `${err.stdout ?? ""}${err.stderr ?? ""}` };
  }
}

function writeSuite(cases: readonly Case[]): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "alert-rules-"));
  fs.writeFileSync(path.join(dir, "rules.yaml"), renderPrometheusRules(rules, 60, DASHBOARDS));
  fs.writeFileSync(path.join(dir, "tests.yaml"), stringify(promtoolTests(cases), { lineWidth: 0 }));
  return dir;
}

describe("alert rules in promtool (R5)", () => {
  it("has a firing and a quiet case for every rule", () => {
    for (const rule of rules) {
      expect({ rule: rule.id, fires: CASES.some((c) => c.alert === rule.id && c.fires !== undefined) }).toEqual({ rule: rule.id, fires: true });
      expect({ rule: rule.id, quiet: CASES.some((c) => c.alert === rule.id && c.fires === undefined) }).toEqual({ rule: rule.id, quiet: true });
    }
  });

  it("promtool check rules accepts the rendered rule file", () => {
    const dir = writeSuite([]);
    expect(execFileSync(requireCommand("promtool", "prometheus"), ["check", "rules", path.join(dir, "rules.yaml")], { encoding: "utf8" })).toMatch(/SUCCESS: \d+ rules found/);
  });

  it("every rule fires on its failure with the measured value and stays quiet on normal series", () => {
    const result = runPromtool(writeSuite(CASES));
    expect(result.output).toMatch(/SUCCESS/);
    expect(result.ok).toBe(true);
  });

  it("the test can fail: a wrong expected value is reported", () => {
    const wrong = CASES.filter((c) => c.alert === "LostOrders" && c.fires).map((c) => ({ ...c, fires: "6" }));
    const result = runPromtool(writeSuite(wrong));
    expect(result.ok).toBe(false);
    expect(result.output).toMatch(/FAILED/);
  });
});
