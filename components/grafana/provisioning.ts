/**
 * What Grafana's API provisions once the pods are ready (R5, R9), as the
 * break-glass admin: the organisations, their tenant-fixed Tempo data
 * sources, folders and dashboards, and the one restart that lets
 * org_mapping resolve the new organisations.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import * as grafana from "@pulumiverse/grafana";
import { dashboardJson, DataSourceRef } from "../../render/dashboards/model";
import { METRICS_STORES } from "../../specs/metricsStores";
import { orderLookupDashboard } from "../../render/dashboards/orderLookup";
import { orderPipelineDashboard } from "../../render/dashboards/orderPipeline";
import { GRAFANA_ORGS } from "../../render/grafanaIni";
import { serviceDnsNames } from "../../specs/topology";
import { AlertingConfig } from "../../config/alerting";
import { IssuedCertificate } from "../pki";
import { provisionAlerting } from "./alerting";
import { BREAK_GLASS_ADMIN } from "./configuration";
import { TempoDataSourceSpec, OrgKey, TEMPO_DATA_SOURCES, tempoDataSourceUrl, tempoJsonData, tempoSecureJsonData } from "./dataSources";

export interface GrafanaProvisioningArgs {
  /** `https://<grafana hostname>`. */
  readonly url: string;
  readonly namespace: string;
  readonly namespaceRef: pulumi.Input<string>;
  readonly adminPassword: pulumi.Input<string>;
  /** Grafana's certificate and key: the data sources' client certificate. */
  readonly certificate: IssuedCertificate;
  readonly caCertPem: pulumi.Input<string>;
  /** The workload the API is served by: provisioning waits for it. */
  readonly dependsOn: pulumi.Resource[];
  /** The Grafana Deployment, restarted once the organisations exist. */
  readonly deployment: pulumi.Resource;
  /** Alert thresholds and receivers (tracing:alerting, tracing:alertEmails). */
  readonly alerting: AlertingConfig;
  /** Engineering's webhook receiver (secret tracing:alertWebhookUrl). @default undefined (e-mail only) */
  readonly alertWebhookUrl?: pulumi.Input<string>;
}

type Orgs = Record<OrgKey, grafana.oss.Organization>;

const ORDER_METRICS_UID = (METRICS_STORES.find((s) => s.store === "orders") as (typeof METRICS_STORES)[number]).dataSourceUid;

function tempoDataSource(name: string, spec: TempoDataSourceSpec, orgs: Orgs, args: GrafanaProvisioningArgs, opts: pulumi.CustomResourceOptions): void {
  const orgId = orgs[spec.org].orgId.apply(String);
  const proxyServerName = serviceDnsNames("grafana", args.namespace).at(-1) as string;
  const secureJsonData = pulumi
    .all([args.caCertPem, args.certificate.certPem, args.certificate.privateKeyPem])
    .apply(([caCert, clientCert, clientKey]) => JSON.stringify(tempoSecureJsonData(spec, { caCert, clientCert, clientKey })));
  const dataSource = new grafana.oss.DataSource(
    `${name}-ds-${spec.org}`,
    {
      orgId,
      type: "tempo",
      uid: spec.uid,
      name: spec.name,
      url: tempoDataSourceUrl(spec),
      accessMode: "proxy",
      isDefault: true,
      jsonDataEncoded: JSON.stringify(tempoJsonData(proxyServerName)),
      secureJsonDataEncoded: pulumi.secret(secureJsonData),
    },
    opts,
  );
  const folder = new grafana.oss.Folder(`${name}-folder-${spec.org}`, { orgId, title: "Order tracing", uid: `order-tracing-${spec.org}` }, opts);
  const ref = dataSource.uid.apply((uid) => ({ type: "tempo" as const, uid }));
  // Both organisations have the orders-only metrics store (specs/metricsStores.ts); the hop panels read it.
  const metrics = { type: "prometheus" as const, uid: ORDER_METRICS_UID };
  const lostOrderMinutes = args.alerting.thresholds.lostOrderSeconds / 60;
  const builders = {
    "order-lookup": (r: DataSourceRef) => orderLookupDashboard(r, lostOrderMinutes),
    "order-pipeline": (r: DataSourceRef) => orderPipelineDashboard(r, metrics),
  };
  for (const dashboard of spec.dashboards) {
    new grafana.oss.Dashboard(
      `${name}-dashboard-${spec.org}-${dashboard}`,
      { orgId, folder: folder.uid, overwrite: true, configJson: ref.apply((r) => dashboardJson(builders[dashboard](r))) },
      opts,
    );
  }
}

/** Declares the API provisioning as children of `parent`; returns the organisation ids. */
export function provisionGrafana(name: string, args: GrafanaProvisioningArgs, parent: pulumi.Resource): Record<OrgKey, pulumi.Output<number>> {
  const provider = new grafana.Provider(
    `${name}-provider`,
    { url: args.url, auth: pulumi.interpolate`${BREAK_GLASS_ADMIN}:${args.adminPassword}`, caCert: args.caCertPem, retries: 10, retryWait: 10 },
    { parent, dependsOn: args.dependsOn },
  );
  const viaApi = { parent, provider };
  const orgs = {} as Orgs;
  for (const key of ["support", "engineering"] as const) {
    orgs[key] = new grafana.oss.Organization(`${name}-org-${key}`, { name: GRAFANA_ORGS[key], adminUser: BREAK_GLASS_ADMIN, createUsers: false }, viaApi);
  }
  for (const spec of TEMPO_DATA_SOURCES) tempoDataSource(name, spec, orgs, args, viaApi);
  provisionAlerting(
    name,
    {
      namespace: args.namespace,
      grafanaUrl: args.url,
      alerting: args.alerting,
      webhookUrl: args.alertWebhookUrl,
      orgIds: { support: orgs.support.orgId, engineering: orgs.engineering.orgId },
      certificate: args.certificate,
      caCertPem: args.caCertPem,
    },
    viaApi,
  );

  // org_mapping resolves organisation names when Grafana starts, and the organisations exist
  // only now: restart the pods once per set of organisation ids (a no-op on later runs).
  new k8s.apps.v1.DeploymentPatch(
    `${name}-restart-after-orgs`,
    {
      metadata: { name: "grafana", namespace: args.namespaceRef },
      spec: { template: { metadata: { annotations: { "tracing.platform/grafana-org-ids": pulumi.interpolate`${orgs.support.orgId},${orgs.engineering.orgId}` } } } },
    },
    { parent, dependsOn: [args.deployment, orgs.support, orgs.engineering] },
  );
  return { support: orgs.support.orgId, engineering: orgs.engineering.orgId };
}
