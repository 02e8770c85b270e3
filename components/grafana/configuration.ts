/**
 * Grafana's Kubernetes configuration: the service account (IRSA for the
 * audit shipper), the secrets Secret, and the ConfigMap with the rendered
 * grafana.ini, audit proxy and audit shipper configurations. No secret is in
 * a rendered file: they are files of the Secret, referenced by path.
 */
import { createHash } from "crypto";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import * as tls from "@pulumi/tls";
import { PlatformConfig } from "../../config/load";
import { renderAuditProxyConfig } from "../../render/auditProxy";
import { renderAuditShipperConfig } from "../../render/auditShipper";
import { renderGrafanaIni } from "../../render/grafanaIni";
import { PORTS, serviceDnsNames, TLS_MOUNT, workloadLabels } from "../../specs/topology";
import { configFiles } from "../configFiles";
import { GRAFANA_SERVICE_ACCOUNT } from "./awsResources";
import { GRAFANA_DB_NAME, GRAFANA_DB_USER } from "./database";
import { TEMPO_DATA_SOURCES } from "./dataSources";
import { AUDIT_FILES, DB_HOST_ENV, POD_PATHS, RDS_CA_FILE, SECRET_FILES } from "./workload";

export const BREAK_GLASS_ADMIN = "admin";
export const GRAFANA_CONFIG_MAP = "grafana-config";
export const GRAFANA_SECRET = "grafana-secrets";

export interface GrafanaConfigurationArgs {
  readonly config: PlatformConfig;
  /** Namespace resource output, so objects wait for it. */
  readonly namespaceRef: pulumi.Input<string>;
  /** The audit shipper's IRSA role. */
  readonly shipperRoleArn: pulumi.Input<string>;
  readonly auditBucketName: pulumi.Output<string>;
  readonly region: string;
  /** Secrets from the stack config, already checked to be set. */
  readonly secrets: {
    readonly oidcClientSecret: pulumi.Input<string>;
    readonly adminPassword: pulumi.Input<string>;
    readonly databasePassword?: pulumi.Input<string>;
  };
}

export interface GrafanaConfiguration {
  readonly serviceAccount: k8s.core.v1.ServiceAccount;
  readonly secrets: k8s.core.v1.Secret;
  readonly configMap: k8s.core.v1.ConfigMap;
  /** sha256 of every rendered file: rolls the pods when one changes. */
  readonly checksum: pulumi.Output<string>;
}

function renderIni(cfg: PlatformConfig, postgres: boolean): string {
  const secretFile = (f: string) => `${POD_PATHS.secrets}/${f}`;
  return renderGrafanaIni({
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
}

function renderProxy(cfg: PlatformConfig): string {
  const tempoName = serviceDnsNames("tempo", cfg.namespace).at(-1) as string;
  return renderAuditProxyConfig({
    routes: TEMPO_DATA_SOURCES.map((d) => ({ port: d.proxyPort, tenant: d.tenant })),
    serverTls: { cert: TLS_MOUNT.cert, key: TLS_MOUNT.key, ca: TLS_MOUNT.ca },
    upstream: `${tempoName}:${PORTS.tempoHttp}`,
    upstreamServerName: tempoName,
    upstreamTls: { cert: TLS_MOUNT.cert, key: TLS_MOUNT.key, ca: TLS_MOUNT.ca },
    tlsProtocols: cfg.tls.minVersion === "1.3" ? ["TLSv1.3"] : ["TLSv1.2", "TLSv1.3"],
    auditLogPath: AUDIT_FILES.queries,
    runDir: POD_PATHS.proxyRun,
  });
}

/** Declares the configuration objects as children of `parent`. */
export function grafanaConfiguration(name: string, args: GrafanaConfigurationArgs, parent: pulumi.Resource): GrafanaConfiguration {
  const child = { parent };
  const cfg = args.config;
  const postgres = cfg.grafanaDatabase === "postgres";
  const serviceAccount = new k8s.core.v1.ServiceAccount(
    `${name}-sa`,
    {
      metadata: { name: GRAFANA_SERVICE_ACCOUNT, namespace: args.namespaceRef, labels: workloadLabels("grafana"), annotations: { "eks.amazonaws.com/role-arn": args.shipperRoleArn } },
      automountServiceAccountToken: false,
    },
    child,
  );
  // Encrypts data-source secrets in Grafana's database; a dedicated key, derived once and kept in state.
  const encryptionKey = new tls.PrivateKey(`${name}-secret-key`, { algorithm: "ED25519" }, child);
  const secrets = new k8s.core.v1.Secret(
    `${name}-secrets`,
    {
      metadata: { name: GRAFANA_SECRET, namespace: args.namespaceRef, labels: workloadLabels("grafana") },
      type: "Opaque",
      stringData: {
        [SECRET_FILES.oidcClientSecret]: args.secrets.oidcClientSecret,
        [SECRET_FILES.adminPassword]: args.secrets.adminPassword,
        [SECRET_FILES.secretKey]: pulumi.secret(encryptionKey.privateKeyPem.apply((pem) => createHash("sha256").update(pem).digest("hex"))),
        ...(postgres ? { [SECRET_FILES.databasePassword]: args.secrets.databasePassword as pulumi.Input<string> } : {}),
      },
    },
    child,
  );
  const grafanaIni = renderIni(cfg, postgres);
  const proxyConf = renderProxy(cfg);
  const shipperConf = args.auditBucketName.apply((bucket) =>
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
  const configMap = configFiles(
    `${name}-config`,
    { name: GRAFANA_CONFIG_MAP, namespace: args.namespaceRef, files: { "grafana.ini": grafanaIni, "audit-proxy.conf": proxyConf, "audit-shipper.yaml": shipperConf } },
    child,
  );
  const checksum = pulumi.all([grafanaIni, proxyConf, shipperConf]).apply((files) => createHash("sha256").update(files.join("\0")).digest("hex"));
  return { serviceAccount, secrets, configMap, checksum };
}
