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
import { renderGrafanaFront } from "../../render/grafanaFront";
import { renderGrafanaFrontNjs } from "../../render/grafanaFrontNjs";
import { renderGrafanaIni } from "../../render/grafanaIni";
import { AUDIT_PROXY_NJS_MODULE } from "../../versions/grafana";
import { PORTS, serviceDnsNames, TLS_MOUNT, workloadLabels } from "../../specs/topology";
import { configFiles } from "../configFiles";
import { GRAFANA_SERVICE_ACCOUNT } from "./awsResources";
import { GRAFANA_DB_NAME, GRAFANA_DB_USER } from "./database";
import { TEMPO_DATA_SOURCES } from "./dataSources";
import { AUDIT_FILES, DB_HOST_ENV, GRAFANA_LOOPBACK_PORT, POD_PATHS, RDS_CA_FILE, SECRET_FILES } from "./workload";

/** File of the Grafana ConfigMap with the corporate CA of the IdP (tracing:oidc.tlsClientCaPem). */
export const IDP_CA_FILE = "idp-ca.pem";
/** File of the Grafana ConfigMap with the front proxy's njs script (SSO login names, R11). */
export const FRONT_NJS_FILE = "grafana-front.js";

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
    /** The mail relay's password (tracing:smtpPassword), when tracing:smtp names a user. */
    readonly smtpPassword?: pulumi.Input<string>;
  };
}

export interface GrafanaConfiguration {
  readonly serviceAccount: k8s.core.v1.ServiceAccount;
  readonly secrets: k8s.core.v1.Secret;
  readonly configMap: k8s.core.v1.ConfigMap;
  /** sha256 of every rendered file: rolls the pods when one changes. */
  readonly checksum: pulumi.Output<string>;
}

function renderIni(cfg: PlatformConfig, postgres: boolean, smtpPassword: boolean): string {
  const secretFile = (f: string) => `${POD_PATHS.secrets}/${f}`;
  return renderGrafanaIni({
    hostname: cfg.hostnames.grafana,
    // Loopback only: the front proxy (nginx) owns the pod's port, gates password logins and logs each login (R8, R11).
    httpAddr: "127.0.0.1",
    httpsPort: GRAFANA_LOOPBACK_PORT,
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
      smtpPassword: smtpPassword ? secretFile(SECRET_FILES.smtpPassword) : undefined,
    },
    smtp: cfg.alerting.smtp,
    database: postgres
      ? { type: "postgres", hostEnvVar: DB_HOST_ENV, name: GRAFANA_DB_NAME, user: GRAFANA_DB_USER, caCertPath: `${POD_PATHS.rdsCa}/${RDS_CA_FILE}` }
      : { type: "sqlite" },
    // Break-glass login form only where the environment is not production.
    loginForm: !postgres,
    logDir: POD_PATHS.grafanaLogs,
    dataDir: POD_PATHS.data,
    idpCaFile: cfg.oidc.tlsClientCaPem ? `${POD_PATHS.config}/${IDP_CA_FILE}` : undefined,
  });
}

function renderProxy(cfg: PlatformConfig): string {
  const tempoName = serviceDnsNames("tempo", cfg.namespace).at(-1) as string;
  const protocols = cfg.tls.minVersion === "1.3" ? ["TLSv1.3" as const] : ["TLSv1.2" as const, "TLSv1.3" as const];
  const front = renderGrafanaFront({
    listen: `0.0.0.0:${PORTS.grafanaHttps}`,
    serverTls: { cert: TLS_MOUNT.cert, key: TLS_MOUNT.key },
    upstream: `127.0.0.1:${GRAFANA_LOOPBACK_PORT}`,
    upstreamServerName: cfg.hostnames.grafana,
    upstreamCa: TLS_MOUNT.ca,
    accessLogPath: AUDIT_FILES.front,
    deployerCidrs: cfg.network.deployerCidrs,
    ssoGateFile: AUDIT_FILES.ssoGate,
    tlsProtocols: protocols.join(" "),
    njsScriptPath: `${POD_PATHS.config}/${FRONT_NJS_FILE}`,
  });
  return renderAuditProxyConfig({
    extraHttp: front,
    loadModules: [AUDIT_PROXY_NJS_MODULE],
    routes: TEMPO_DATA_SOURCES.map((d) => ({ port: d.proxyPort, tenant: d.tenant })),
    serverTls: { cert: TLS_MOUNT.cert, key: TLS_MOUNT.key, ca: TLS_MOUNT.ca },
    upstream: `${tempoName}:${PORTS.tempoHttp}`,
    upstreamServerName: tempoName,
    upstreamTls: { cert: TLS_MOUNT.cert, key: TLS_MOUNT.key, ca: TLS_MOUNT.ca },
    tlsProtocols: protocols,
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
        ...(args.secrets.smtpPassword ? { [SECRET_FILES.smtpPassword]: args.secrets.smtpPassword } : {}),
      },
    },
    child,
  );
  const grafanaIni = renderIni(cfg, postgres, Boolean(args.secrets.smtpPassword));
  const proxyConf = renderProxy(cfg);
  const frontNjs = renderGrafanaFrontNjs();
  const shipperConf = args.auditBucketName.apply((bucket) =>
    renderAuditShipperConfig({
      region: args.region,
      bucket,
      prefix: cfg.stack,
      queryLogPath: AUDIT_FILES.queries,
      frontLogPath: AUDIT_FILES.front,
      grafanaLogPath: AUDIT_FILES.grafana,
      storageDir: AUDIT_FILES.storage,
      healthTls: { certFile: TLS_MOUNT.cert, keyFile: TLS_MOUNT.key },
    }),
  );
  const idpCa: Record<string, string> = cfg.oidc.tlsClientCaPem ? { [IDP_CA_FILE]: cfg.oidc.tlsClientCaPem } : {};
  const configMap = configFiles(
    `${name}-config`,
    {
      name: GRAFANA_CONFIG_MAP,
      namespace: args.namespaceRef,
      files: { "grafana.ini": grafanaIni, "audit-proxy.conf": proxyConf, [FRONT_NJS_FILE]: frontNjs, "audit-shipper.yaml": shipperConf, ...idpCa },
    },
    child,
  );
  const checksum = pulumi.all([grafanaIni, proxyConf, frontNjs, shipperConf, cfg.oidc.tlsClientCaPem ?? ""]).apply((files) => createHash("sha256").update(files.join("\0")).digest("hex"));
  return { serviceAccount, secrets, configMap, checksum };
}
