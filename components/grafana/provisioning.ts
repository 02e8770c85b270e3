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
import { SSO_GATE_OPEN } from "../../render/grafanaFront";
import { GRAFANA_ORGS } from "../../render/grafanaIni";
import { serviceDnsNames } from "../../specs/topology";
import { AlertingConfig } from "../../config/alerting";
import { IssuedCertificate } from "../pki";
import { provisionAlerting } from "./alerting";
import { BREAK_GLASS_ADMIN } from "./configuration";
import { SSO_GATE_ANNOTATION } from "./workload";
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
  /** The Grafana StatefulSet, restarted (with SSO opened) once the organisations exist. */
  readonly statefulSet: pulumi.Resource;
  /** Alert thresholds and receivers (tracing:alerting, tracing:alertEmails). */
  readonly alerting: AlertingConfig;
  /** Engineering's webhook receiver (secret tracing:alertWebhookUrl). @default undefined (e-mail only) */
  readonly alertWebhookUrl?: pulumi.Input<string>;
}

type Orgs = Record<OrgKey, grafana.oss.Organization>;

/**
 * Membership of both organisations belongs to SSO (org_mapping assigns each user
 * at login), never to this program. The provider's Read stores every member of
 * the organisation, except admin_user, into admins/editors/viewers/
 * users_without_access, and its Update removes each member that is not in the
 * configuration (grafana/terraform-provider-grafana
 * internal/resources/grafana/resource_organization.go: ReadUsers, changes,
 * applyChanges -> RemoveOrgUser; the file is the same from v4.44.0, which
 * pulumiverse/pulumi-grafana v2.38.0 wraps, to v4.45.1). Without this list a
 * `pulumi refresh` followed by `pulumi up` would remove every SSO user from
 * both organisations. Property names as @pulumiverse/grafana 2.40.0 spells them.
 */
export const ORGANIZATION_MEMBERSHIP_FIELDS = ["admins", "editors", "viewers", "usersWithoutAccesses"] as const satisfies readonly (keyof grafana.oss.OrganizationArgs)[];

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
    orgs[key] = new grafana.oss.Organization(
      `${name}-org-${key}`,
      { name: GRAFANA_ORGS[key], adminUser: BREAK_GLASS_ADMIN, createUsers: false },
      { ...viaApi, ignoreChanges: [...ORGANIZATION_MEMBERSHIP_FIELDS] },
    );
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

  // org_mapping resolves organisation names when Grafana starts, and the organisations exist only
  // now. Until this patch, the front proxy answers SSO logins with 503 (the pod template has no gate
  // annotation), so nobody lands in the empty default organisation; the patch opens the gate and,
  // being a template change, restarts the pods once per set of organisation ids (a no-op later).
  new k8s.apps.v1.StatefulSetPatch(
    `${name}-open-sso-after-orgs`,
    {
      metadata: { name: "grafana", namespace: args.namespaceRef },
      spec: { template: { metadata: { annotations: { [SSO_GATE_ANNOTATION]: pulumi.interpolate`${SSO_GATE_OPEN} # organisations ${orgs.support.orgId},${orgs.engineering.orgId}` } } } },
    },
    { parent, dependsOn: [args.statefulSet, orgs.support, orgs.engineering] },
  );
  return { support: orgs.support.orgId, engineering: orgs.engineering.orgId };
}
