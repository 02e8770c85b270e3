/**
 * Grafana alerting in the synthesized stacks (R5, R9): per organisation a
 * Prometheus data source for each store it may read, one rule group from
 * render/alertRules.ts with the stack's thresholds, a contact point from
 * stack config (webhook only from the secret) and a notification policy.
 * The Pulumi engine is mocked by the synth (tests/support/synth.ts).
 */
import { alertRules, DEFAULT_THRESHOLDS } from "../../render/alertRules";
import { grafanaSummary } from "../../render/grafanaAlerting";
import { named, ofType, synthStack } from "../support/synth";

type Inputs = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

describe("Grafana alerting (prod synth)", () => {
  it("gives Support only the orders-only metrics store and Engineering both", async () => {
    const s = await synthStack("prod");
    const prom = ofType(s, "grafana:oss/dataSource:DataSource").filter((r) => (r.inputs as Inputs).type === "prometheus");
    expect(prom.map((r) => r.name).sort()).toEqual(["tracing-grafana-ds-engineering-all", "tracing-grafana-ds-engineering-orders", "tracing-grafana-ds-support-orders"]);
    const support = named(s, "tracing-grafana-ds-support-orders").inputs as Inputs;
    expect(support.url).toBe("https://metrics-orders.tracing.svc.cluster.local:9090");
    expect(JSON.parse(support.jsonDataEncoded)).toMatchObject({ tlsAuth: true, tlsAuthWithCACert: true, tlsSkipVerify: false, serverName: "metrics-orders.tracing.svc.cluster.local" });
    expect(support.secureJsonDataEncoded).toBe("[secret]");
  });

  it("holds one rule group per organisation; Support's rules are order-lifecycle rules on its own store", async () => {
    const s = await synthStack("prod");
    const groups = ofType(s, "grafana:alerting/ruleGroup:RuleGroup");
    expect(groups.map((g) => g.name).sort()).toEqual(["tracing-grafana-rules-engineering", "tracing-grafana-rules-support"]);
    const support = (named(s, "tracing-grafana-rules-support").inputs as Inputs).rules as Inputs[];
    const engineering = (named(s, "tracing-grafana-rules-engineering").inputs as Inputs).rules as Inputs[];
    expect(support.map((r) => r.labels.alert).sort()).toEqual(["CrmPublishUnconfirmed", "LostOrders", "MesConsumerErrors", "MesDatabaseErrors", "OrdersNotConsumed"]);
    expect(engineering).toHaveLength(alertRules(DEFAULT_THRESHOLDS).length);
    for (const r of support) expect(r.datas[0].datasourceUid).toBe("metrics-orders");
    for (const r of [...support, ...engineering]) {
      expect(r.annotations.dashboard).toMatch(/^https:\/\/tracing\.corp\.example\.com\/d\/order-(lookup|pipeline)$/);
      expect(r.labels.hop).toBeTruthy();
      expect(r.condition).toBe("B");
      expect(JSON.parse(r.datas[1].model)).toMatchObject({ type: "threshold", expression: "A" });
    }
  });

  it("uses the stack's thresholds (Pulumi.prod.yaml tracing:alerting) in the same query the promtool tests check", async () => {
    const s = await synthStack("prod");
    const engineering = (named(s, "tracing-grafana-rules-engineering").inputs as Inputs).rules as Inputs[];
    const slow = engineering.find((r) => r.labels.alert === "MesDatabaseSlow") as Inputs;
    expect(JSON.parse(slow.datas[1].model).conditions[0].evaluator).toEqual({ type: "gt", params: [300] });
    const expected = alertRules({ ...DEFAULT_THRESHOLDS, dbP95Ms: 300, trafficDropSeconds: 900 }).find((r) => r.id === "MesDatabaseSlow");
    expect(JSON.parse(slow.datas[0].model).expr).toBe(expected?.query);
    expect(slow.annotations.summary).toBe(grafanaSummary(expected?.summary ?? ""));
    expect(slow.annotations.summary).toContain("{{ humanize $values.A.Value }}");
  });

  it("sends to the configured receivers; the webhook URL only from the secret", async () => {
    const s = await synthStack("prod");
    const support = named(s, "tracing-grafana-contact-support").inputs as Inputs;
    expect(support.emails[0].addresses).toEqual(["order-support@corp.example.com"]);
    expect(support.webhooks).toEqual([]);
    const engineering = named(s, "tracing-grafana-contact-engineering").inputs as Inputs;
    // The webhook list holds the secret URL, so the whole list is secret.
    expect(engineering.webhooks).toBe("[secret]");
    for (const org of ["support", "engineering"]) {
      const policy = named(s, `tracing-grafana-policy-${org}`).inputs as Inputs;
      expect(policy.contactPoint).toBe((named(s, `tracing-grafana-contact-${org}`).inputs as Inputs).name);
    }
  });
});

describe("metrics stores (prod synth)", () => {
  it("runs each store with a PVC, TLS that requires client certificates, and the stack's retention", async () => {
    const s = await synthStack("prod");
    for (const store of ["metrics-orders", "metrics-all"]) {
      const sts = ofType(s, "kubernetes:apps/v1:StatefulSet").find((r) => (r.inputs as Inputs).metadata.name === store)?.inputs as Inputs;
      const container = sts.spec.template.spec.containers[0];
      expect(container.args).toEqual(expect.arrayContaining(["--storage.tsdb.retention.time=30d", "--web.enable-remote-write-receiver", "--web.config.file=/etc/prometheus/web.yml"]));
      expect(sts.spec.volumeClaimTemplates[0].spec.resources.requests.storage).toBe("50Gi");
      expect(s.configFiles[`${store}-web.yml`]).toContain("client_auth_type: RequireAndVerifyClientCert");
      expect(container.securityContext).toMatchObject({ runAsNonRoot: true, readOnlyRootFilesystem: true, allowPrivilegeEscalation: false });
    }
    expect(s.configFiles["metrics-all.yml"]).toContain("job_name: tempo");
    expect(s.configFiles["metrics-orders.yml"]).not.toContain("job_name");
  });
});
