/**
 * Alerting in Grafana (R5, R9), provisioned through the API per
 * organisation: a Prometheus data source for each metrics store the
 * organisation may read (Support: the orders-only store), a folder, one rule
 * group from render/alertRules.ts, a contact point from stack config (the
 * webhook URL only from `pulumi config set --secret tracing:alertWebhookUrl`)
 * and the notification policy that routes to it.
 */
import * as pulumi from "@pulumi/pulumi";
import * as grafana from "@pulumiverse/grafana";
import { AlertingConfig } from "../../config/alerting";
import { alertRules, Audience } from "../../render/alertRules";
import { grafanaRule, rulesFor } from "../../render/grafanaAlerting";
import { GRAFANA_ORGS } from "../../render/grafanaIni";
import { METRICS_STORES, metricsStoreFqdn } from "../../specs/metricsStores";
import { PORTS } from "../../specs/topology";
import { PROMETHEUS_VERSION } from "../../versions/prometheus";
import { IssuedCertificate } from "../pki";

export interface GrafanaAlertingArgs {
  readonly namespace: string;
  /** `https://<grafana hostname>`: alert links point here. */
  readonly grafanaUrl: string;
  readonly alerting: AlertingConfig;
  /** Engineering's webhook receiver (a secret), when set. */
  readonly webhookUrl?: pulumi.Input<string>;
  /** Organisation ids (Organization.orgId outputs). */
  readonly orgIds: Readonly<Record<Audience, pulumi.Input<number>>>;
  /** Grafana's client certificate for the stores' mutual TLS. */
  readonly certificate: IssuedCertificate;
  readonly caCertPem: pulumi.Input<string>;
}

/** Rule evaluation interval of every group, in seconds. */
export const RULE_GROUP_INTERVAL_SECONDS = 60;

/** The Prometheus data source's jsonData: mutual TLS, the store's name verified, POST queries. */
export function prometheusJsonData(serverName: string) {
  return {
    httpMethod: "POST",
    tlsAuth: true,
    tlsAuthWithCACert: true,
    serverName,
    tlsSkipVerify: false,
    timeInterval: "15s",
    prometheusType: "Prometheus",
    prometheusVersion: PROMETHEUS_VERSION,
  };
}

export function provisionAlerting(name: string, args: GrafanaAlertingArgs, opts: pulumi.CustomResourceOptions): void {
  const rules = alertRules(args.alerting.thresholds);
  const secureJsonData = pulumi
    .all([args.caCertPem, args.certificate.certPem, args.certificate.privateKeyPem])
    .apply(([tlsCACert, tlsClientCert, tlsClientKey]) => JSON.stringify({ tlsCACert, tlsClientCert, tlsClientKey }));

  for (const org of ["support", "engineering"] as const) {
    const orgId = pulumi.output(args.orgIds[org]).apply(String);
    const dataSources: Record<string, grafana.oss.DataSource> = {};
    for (const store of METRICS_STORES.filter((s) => s.orgs.includes(org))) {
      const host = metricsStoreFqdn(store, args.namespace);
      dataSources[store.store] = new grafana.oss.DataSource(
        `${name}-ds-${org}-${store.store}`,
        {
          orgId,
          type: "prometheus",
          uid: store.dataSourceUid,
          name: store.dataSourceName,
          url: `https://${host}:${PORTS.prometheus}`,
          accessMode: "proxy",
          jsonDataEncoded: JSON.stringify(prometheusJsonData(host)),
          secureJsonDataEncoded: pulumi.secret(secureJsonData),
        },
        opts,
      );
    }
    const folder = new grafana.oss.Folder(`${name}-alerts-folder-${org}`, { orgId, title: "Order alerts", uid: `order-alerts-${org}` }, opts);
    const groupRules = rulesFor(rules, org).map((rule) => {
      const store = METRICS_STORES.find((s) => s.store === rule.store && s.orgs.includes(org));
      if (!store) throw new Error(`alert ${rule.id}: organisation ${GRAFANA_ORGS[org]} has no data source for store ${rule.store}`);
      return grafanaRule(rule, org, store.dataSourceUid, args.grafanaUrl);
    });
    new grafana.alerting.RuleGroup(
      `${name}-rules-${org}`,
      { orgId, folderUid: folder.uid, name: "order-lifecycle", intervalSeconds: RULE_GROUP_INTERVAL_SECONDS, rules: groupRules.map((r) => ({ ...r, datas: [...r.datas] })) },
      { ...opts, dependsOn: Object.values(dataSources) },
    );

    const contactName = `Order alerts (${GRAFANA_ORGS[org]})`;
    const emails = args.alerting.emails[org];
    const webhook = org === "engineering" && args.webhookUrl ? [{ url: pulumi.secret(args.webhookUrl), httpMethod: "POST", maxAlerts: 20 }] : [];
    const contactPoint = new grafana.alerting.ContactPoint(
      `${name}-contact-${org}`,
      {
        orgId,
        name: contactName,
        emails: emails.length > 0 ? [{ addresses: [...emails], singleEmail: true, subject: "[{{ .Status }}] {{ .CommonLabels.hop }}: {{ .CommonAnnotations.description }}" }] : [],
        webhooks: webhook,
      },
      opts,
    );
    new grafana.alerting.NotificationPolicy(
      `${name}-policy-${org}`,
      { orgId, contactPoint: contactPoint.name, groupBies: ["alertname", "hop"], groupWait: "30s", groupInterval: "5m", repeatInterval: "4h" },
      opts,
    );
  }
}
