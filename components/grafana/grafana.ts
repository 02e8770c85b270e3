/**
 * Grafana, access and audit (R5, R8, R9, R10, R11, R13): the hardened Grafana
 * pod (HTTPS itself, SSO, audit proxy and shipper sidecars) reachable only
 * through the corporate internal load balancer; prod's shared PostgreSQL;
 * the Object Lock audit bucket with the shipper's IRSA role; and, through the
 * Grafana API once the pod is ready, the organisations, their tenant-fixed
 * Tempo data sources, folders and dashboards.
 */
import { createHash } from "crypto";
import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import * as tls from "@pulumi/tls";
import * as grafana from "@pulumiverse/grafana";
import { PlatformConfig } from "../../config/load";
import { PORTS, serviceDnsNames, TLS_MOUNT, workloadLabels } from "../../specs/topology";
import { renderAuditProxyConfig } from "../../render/auditProxy";
import { renderAuditShipperConfig } from "../../render/auditShipper";
import { dashboardJson } from "../../render/dashboards/model";
import { orderLookupDashboard } from "../../render/dashboards/orderLookup";
import { orderPipelineDashboard } from "../../render/dashboards/orderPipeline";
import { GRAFANA_ORGS, renderGrafanaIni } from "../../render/grafanaIni";
import { AUDIT_SHIPPER_IMAGE } from "../../versions/collector";
import { AUDIT_PROXY_IMAGE, GRAFANA_IMAGE } from "../../versions/grafana";
import { configFiles } from "../configFiles";
import { internalEndpoint } from "../internalEndpoint";
import { IssuedCertificate } from "../pki";
import { AuditBucket } from "./auditBucket";
import { irsaTrustPolicy } from "../../render/iamPolicies";
import { auditWriterPolicy } from "./awsPolicies";
import { GRAFANA_DB_NAME, GRAFANA_DB_USER, GrafanaDatabase } from "./database";
import { OrgKey, TEMPO_DATA_SOURCES, tempoDataSourceUrl, tempoJsonData, tempoSecureJsonData } from "./dataSources";
import { AUDIT_FILES, DB_HOST_ENV, grafanaPodTemplate, POD_PATHS, RDS_CA_FILE, SECRET_FILES } from "./workload";

export const GRAFANA_SERVICE_ACCOUNT = "grafana";
export const BREAK_GLASS_ADMIN = "admin";
/** ConfigMap (created by the operator, see README) with the RDS CA bundle for ssl_mode=verify-full. */
export const RDS_CA_CONFIG_MAP = "grafana-rds-ca";

export interface GrafanaArgs {
  readonly config: PlatformConfig;
  /** Namespace resource output, so objects wait for it. */
  readonly namespaceRef: pulumi.Input<string>;
  /** Name of the grafana TLS Secret (cert with cfg.hostnames.grafana among its SANs). */
  readonly tlsSecretName: pulumi.Input<string>;
  /** Grafana's certificate and key: client certificate of the data sources, server certificate of the audit proxy. */
  readonly certificate: IssuedCertificate;
  readonly caCertPem: pulumi.Input<string>;
  readonly region: string;
  readonly tags: Readonly<Record<string, string>>;
}

export class Grafana extends pulumi.ComponentResource {
  public readonly url: string;
  public readonly auditBucketName: pulumi.Output<string>;
  public readonly organizationIds: Readonly<Record<OrgKey, pulumi.Output<number>>>;

  constructor(name: string, args: GrafanaArgs, opts?: pulumi.ComponentResourceOptions) {
    super("tracing:grafana:Grafana", name, {}, opts);
    const child = { parent: this };
    const cfg = args.config;
    const ns = cfg.namespace;
    const postgres = cfg.grafanaDatabase === "postgres";
    const secret = (key: keyof typeof cfg.secrets) => {
      const value = cfg.secrets[key];
      if (!value) throw new Error(`Grafana needs tracing:${key}`);
      return value;
    };

    // --- AWS: one key for the audit bucket and the database; the audit bucket; the shipper's role.
    const key = new aws.kms.Key(
      `${name}-key`,
      { description: `Grafana audit records and database of ${cfg.stack}`, enableKeyRotation: true, deletionWindowInDays: 30, tags: args.tags },
      child,
    );
    const audit = new AuditBucket(`${name}-audit`, { retentionDays: cfg.auditRetentionDays, kmsKeyArn: key.arn, tags: args.tags }, child);
    const role = new aws.iam.Role(
      `${name}-audit-role`,
      {
        description: "Grafana pod's audit shipper: write-only to the audit bucket (IRSA)",
        assumeRolePolicy: JSON.stringify(irsaTrustPolicy({ oidcProviderArn: cfg.cluster.oidcProviderArn, oidcIssuer: cfg.cluster.oidcIssuer, namespace: ns, serviceAccount: GRAFANA_SERVICE_ACCOUNT })),
        tags: args.tags,
      },
      child,
    );
    new aws.iam.RolePolicy(
      `${name}-audit-write`,
      { role: role.id, policy: pulumi.all([audit.bucketArn, key.arn]).apply(([b, k]) => JSON.stringify(auditWriterPolicy(b, k))) },
      child,
    );
    const database = postgres
      ? new GrafanaDatabase(
          `${name}-db`,
          {
            vpcId: cfg.cluster.vpcId,
            vpcCidr: cfg.cluster.vpcCidr,
            subnetIds: cfg.cluster.privateSubnetIds,
            password: secret("grafanaDbPassword"),
            kmsKeyArn: key.arn,
            tags: args.tags,
          },
          child,
        )
      : undefined;

    // --- Kubernetes: service account, secrets, rendered configuration.
    const serviceAccount = new k8s.core.v1.ServiceAccount(
      `${name}-sa`,
      {
        metadata: { name: GRAFANA_SERVICE_ACCOUNT, namespace: args.namespaceRef, labels: workloadLabels("grafana"), annotations: { "eks.amazonaws.com/role-arn": role.arn } },
        automountServiceAccountToken: false,
      },
      child,
    );
    // Encrypts data-source secrets in Grafana's database; a dedicated key, derived once and kept in state.
    const encryptionKey = new tls.PrivateKey(`${name}-secret-key`, { algorithm: "ED25519" }, child);
    const secrets = new k8s.core.v1.Secret(
      `${name}-secrets`,
      {
        metadata: { name: "grafana-secrets", namespace: args.namespaceRef, labels: workloadLabels("grafana") },
        type: "Opaque",
        stringData: {
          [SECRET_FILES.oidcClientSecret]: secret("oidcClientSecret"),
          [SECRET_FILES.adminPassword]: secret("grafanaAdminPassword"),
          [SECRET_FILES.secretKey]: pulumi.secret(encryptionKey.privateKeyPem.apply((pem) => createHash("sha256").update(pem).digest("hex"))),
          ...(postgres ? { [SECRET_FILES.databasePassword]: secret("grafanaDbPassword") } : {}),
        },
      },
      child,
    );

    const secretFile = (f: string) => `${POD_PATHS.secrets}/${f}`;
    const grafanaIni = renderGrafanaIni({
      hostname: cfg.hostnames.grafana,
      httpsPort: PORTS.grafanaHttps,
      tlsMinVersion: cfg.tls.minVersion,
      certFile: TLS_MOUNT.cert,
      keyFile: TLS_MOUNT.key,
      oidc: cfg.oidc,
      adminUser: BREAK_GLASS_ADMIN,
      secretFiles: {
        oidcClientSecret: secretFile(SECRET_FILES.oidcClientSecret),
        adminPassword: secretFile(SECRET_FILES.adminPassword),
        secretKey: secretFile(SECRET_FILES.secretKey),
        databasePassword: postgres ? secretFile(SECRET_FILES.databasePassword) : undefined,
      },
      database: postgres
        ? { type: "postgres", hostEnvVar: DB_HOST_ENV, name: GRAFANA_DB_NAME, user: GRAFANA_DB_USER, caCertPath: `${POD_PATHS.rdsCa}/${RDS_CA_FILE}` }
        : { type: "sqlite" },
      // Break-glass login form only where the environment is not production.
      loginForm: !postgres,
      logDir: POD_PATHS.audit,
      dataDir: POD_PATHS.data,
    });
    const tempoName = serviceDnsNames("tempo", ns).at(-1) as string;
    const tlsProtocol = cfg.tls.minVersion === "1.3" ? (["TLSv1.3"] as const) : (["TLSv1.2", "TLSv1.3"] as const);
    const proxyConf = renderAuditProxyConfig({
      routes: TEMPO_DATA_SOURCES.map((d) => ({ port: d.proxyPort, tenant: d.tenant })),
      serverTls: { cert: TLS_MOUNT.cert, key: TLS_MOUNT.key, ca: TLS_MOUNT.ca },
      upstream: `${tempoName}:${PORTS.tempoHttp}`,
      upstreamServerName: tempoName,
      upstreamTls: { cert: TLS_MOUNT.cert, key: TLS_MOUNT.key, ca: TLS_MOUNT.ca },
      tlsProtocols: tlsProtocol,
      auditLogPath: AUDIT_FILES.queries,
      runDir: POD_PATHS.proxyRun,
    });
    const shipperConf = audit.bucketName.apply((bucket) =>
      renderAuditShipperConfig({
        region: args.region,
        bucket,
        prefix: cfg.stack,
        queryLogPath: AUDIT_FILES.queries,
        grafanaLogPath: AUDIT_FILES.grafana,
        storageDir: AUDIT_FILES.storage,
        healthTls: { certFile: TLS_MOUNT.cert, keyFile: TLS_MOUNT.key },
      }),
    );
    const config = configFiles(
      `${name}-config`,
      { name: "grafana-config", namespace: args.namespaceRef, files: { "grafana.ini": grafanaIni, "audit-proxy.conf": proxyConf, "audit-shipper.yaml": shipperConf } },
      child,
    );

    const dataClaim = postgres
      ? undefined
      : new k8s.core.v1.PersistentVolumeClaim(
          `${name}-data`,
          {
            metadata: { name: "grafana-data", namespace: args.namespaceRef, labels: workloadLabels("grafana") },
            spec: { accessModes: ["ReadWriteOnce"], storageClassName: cfg.storageClassName, resources: { requests: { storage: "5Gi" } } },
          },
          child,
        );

    // --- The workload: a Deployment (Kubernetes' provider waits until it is ready).
    const checksum = pulumi
      .all([grafanaIni, proxyConf, shipperConf])
      .apply((files) => createHash("sha256").update(files.join("\0")).digest("hex"));
    const deployment = new k8s.apps.v1.Deployment(
      `${name}-deployment`,
      {
        metadata: { name: "grafana", namespace: args.namespaceRef, labels: workloadLabels("grafana") },
        spec: {
          replicas: postgres ? cfg.replicas.grafana : 1,
          // sqlite on a ReadWriteOnce volume: never two pods at once.
          strategy: postgres ? { type: "RollingUpdate", rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } } : { type: "Recreate" },
          selector: { matchLabels: workloadLabels("grafana") },
          template: pulumi.all([checksum, database ? database.endpoint : ""]).apply(([sum, endpoint]) =>
            grafanaPodTemplate({
              grafanaImage: GRAFANA_IMAGE,
              proxyImage: AUDIT_PROXY_IMAGE,
              shipperImage: AUDIT_SHIPPER_IMAGE,
              serviceAccountName: GRAFANA_SERVICE_ACCOUNT,
              configMapName: "grafana-config",
              secretName: "grafana-secrets",
              tlsSecretName: "grafana-tls",
              dataClaimName: dataClaim ? "grafana-data" : undefined,
              rdsCaConfigMap: postgres ? RDS_CA_CONFIG_MAP : undefined,
              databaseHost: postgres ? endpoint : undefined,
              annotations: { "checksum/config": sum },
              proxyPorts: TEMPO_DATA_SOURCES.map((d) => d.proxyPort),
            }),
          ) as unknown as pulumi.Input<k8s.types.input.core.v1.PodTemplateSpec>,
        },
      },
      { ...child, dependsOn: [config, secrets, serviceAccount, ...(dataClaim ? [dataClaim] : [])] },
    );
    const service = internalEndpoint(
      `${name}-service`,
      {
        namespace: args.namespaceRef,
        serviceName: "grafana",
        audience: "corporate",
        allowedCidrs: { corporate: cfg.network.corporateCidrs, applications: cfg.network.applicationCidrs },
        selector: workloadLabels("grafana"),
        ports: [{ name: "https", port: PORTS.https, targetPort: PORTS.grafanaHttps }],
        annotations: {
          "service.beta.kubernetes.io/aws-load-balancer-healthcheck-protocol": "HTTPS",
          "service.beta.kubernetes.io/aws-load-balancer-healthcheck-path": "/api/health",
        },
      },
      { ...child, dependsOn: [deployment] },
    );

    // --- Provisioning through Grafana's API, as the break-glass admin, once the pods are ready.
    this.url = `https://${cfg.hostnames.grafana}`;
    const provider = new grafana.Provider(
      `${name}-provider`,
      {
        url: this.url,
        auth: pulumi.interpolate`${BREAK_GLASS_ADMIN}:${secret("grafanaAdminPassword")}`,
        caCert: args.caCertPem,
        retries: 10,
        retryWait: 10,
      },
      { ...child, dependsOn: [deployment, service] },
    );
    const viaApi = { parent: this, provider };

    const orgs = {} as Record<OrgKey, grafana.oss.Organization>;
    for (const key of ["support", "engineering"] as const) {
      orgs[key] = new grafana.oss.Organization(
        `${name}-org-${key}`,
        { name: GRAFANA_ORGS[key], adminUser: BREAK_GLASS_ADMIN, createUsers: false },
        viaApi,
      );
    }
    this.organizationIds = { support: orgs.support.orgId, engineering: orgs.engineering.orgId };

    const proxyServerName = serviceDnsNames("grafana", ns).at(-1) as string;
    for (const spec of TEMPO_DATA_SOURCES) {
      const orgId = orgs[spec.org].orgId.apply(String);
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
        viaApi,
      );
      const folder = new grafana.oss.Folder(`${name}-folder-${spec.org}`, { orgId, title: "Order tracing", uid: `order-tracing-${spec.org}` }, viaApi);
      const ref = dataSource.uid.apply((uid) => ({ type: "tempo" as const, uid }));
      const builders = { "order-lookup": orderLookupDashboard, "order-pipeline": orderPipelineDashboard };
      for (const dashboard of spec.dashboards) {
        new grafana.oss.Dashboard(
          `${name}-dashboard-${spec.org}-${dashboard}`,
          { orgId, folder: folder.uid, overwrite: true, configJson: ref.apply((r) => dashboardJson(builders[dashboard](r))) },
          viaApi,
        );
      }
    }

    // org_mapping resolves organisation names when Grafana starts, and the organisations exist
    // only now: restart the pods once per set of organisation ids (a no-op on later runs).
    new k8s.apps.v1.DeploymentPatch(
      `${name}-restart-after-orgs`,
      {
        metadata: { name: "grafana", namespace: args.namespaceRef },
        spec: {
          template: {
            metadata: { annotations: { "tracing.platform/grafana-org-ids": pulumi.interpolate`${orgs.support.orgId},${orgs.engineering.orgId}` } },
          },
        },
      },
      { ...child, dependsOn: [deployment, orgs.support, orgs.engineering] },
    );

    this.auditBucketName = audit.bucketName;
    this.registerOutputs({ url: this.url, auditBucketName: this.auditBucketName, organizationIds: this.organizationIds });
  }
}
