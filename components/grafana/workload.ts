/**
 * The Grafana pod spec (hardened like every workload): Grafana serving HTTPS
 * itself, the audit proxy (nginx) between Grafana and Tempo, and the audit
 * shipper (our Collector) that uploads the audit logs. Pure: no Pulumi, so
 * tests can inspect it and policies see typed resources.
 */
import { restrictedContainerSecurityContext, restrictedPodSecurityContext } from "../../specs/podSecurity";
import { PORTS, TLS_MOUNT, workloadLabels } from "../../specs/topology";

export const GRAFANA_UID = 472;
export const NGINX_UID = 101;
export const SHIPPER_UID = 10001;

/** Paths inside the pod. */
export const POD_PATHS = {
  config: "/etc/grafana-config",
  secrets: "/etc/grafana-secrets",
  data: "/var/lib/grafana",
  audit: "/var/log/audit",
  rdsCa: "/etc/grafana-rds-ca",
  proxyRun: "/tmp/nginx",
} as const;

export const SECRET_FILES = {
  oidcClientSecret: "oidc-client-secret",
  adminPassword: "admin-password",
  secretKey: "secret-key",
  databasePassword: "db-password",
} as const;

export const AUDIT_FILES = {
  queries: `${POD_PATHS.audit}/queries.log`,
  grafana: `${POD_PATHS.audit}/grafana.log`,
  storage: `${POD_PATHS.audit}/.shipper`,
} as const;

export const DB_HOST_ENV = "GRAFANA_DB_HOST";
export const RDS_CA_FILE = "global-bundle.pem";

export interface GrafanaPodOptions {
  readonly grafanaImage: string;
  readonly proxyImage: string;
  readonly shipperImage: string;
  readonly serviceAccountName: string;
  readonly configMapName: string;
  readonly secretName: string;
  readonly tlsSecretName: string;
  /** PVC for /var/lib/grafana (sqlite); undefined: an emptyDir (the database is external). */
  readonly dataClaimName?: string;
  /** ConfigMap holding the RDS CA bundle (postgres only). */
  readonly rdsCaConfigMap?: string;
  /** Database `host:port` (postgres only). */
  readonly databaseHost?: string;
  /** Annotations on the pod template (config checksum rolls pods on change). */
  readonly annotations: Record<string, string>;
  /** Ports the audit proxy listens on (probes and documentation). */
  readonly proxyPorts: readonly number[];
}

// One group for all containers: the audit files are shared through it.
const hardened = (uid: number) => restrictedContainerSecurityContext(uid, GRAFANA_UID);

const mount = (name: string, mountPath: string, readOnly = true) => ({ name, mountPath, readOnly });

export function grafanaPodTemplate(o: GrafanaPodOptions) {
  const configFile = (file: string) => `${POD_PATHS.config}/${file}`;
  const volumes: Record<string, unknown>[] = [
    { name: "tls", secret: { secretName: o.tlsSecretName, defaultMode: 0o440 } },
    { name: "secrets", secret: { secretName: o.secretName, defaultMode: 0o440 } },
    { name: "config", configMap: { name: o.configMapName } },
    o.dataClaimName ? { name: "data", persistentVolumeClaim: { claimName: o.dataClaimName } } : { name: "data", emptyDir: { sizeLimit: "1Gi" } },
    { name: "audit", emptyDir: { sizeLimit: "2Gi" } },
    { name: "tmp", emptyDir: { sizeLimit: "256Mi" } },
    { name: "proxy-run", emptyDir: { sizeLimit: "256Mi" } },
  ];
  if (o.rdsCaConfigMap) volumes.push({ name: "rds-ca", configMap: { name: o.rdsCaConfigMap } });

  const grafanaEnv: Record<string, string>[] = [
    { name: "GF_PATHS_CONFIG", value: configFile("grafana.ini") },
    // The image sets GF_PATHS_*; keep them equal to grafana.ini's [paths].
    { name: "GF_PATHS_DATA", value: POD_PATHS.data },
    { name: "GF_PATHS_LOGS", value: POD_PATHS.audit },
  ];
  if (o.databaseHost) grafanaEnv.push({ name: DB_HOST_ENV, value: o.databaseHost });

  const grafanaMounts = [
    mount("tls", TLS_MOUNT.dir),
    mount("secrets", POD_PATHS.secrets),
    mount("config", POD_PATHS.config),
    mount("data", POD_PATHS.data, false),
    mount("audit", POD_PATHS.audit, false),
    mount("tmp", "/tmp", false),
    ...(o.rdsCaConfigMap ? [mount("rds-ca", POD_PATHS.rdsCa)] : []),
  ];
  const nginxAlive = { exec: { command: ["/bin/sh", "-c", `kill -0 "$(cat ${POD_PATHS.proxyRun}/nginx.pid)"`] } };

  return {
    metadata: { labels: workloadLabels("grafana"), annotations: o.annotations },
    spec: {
      serviceAccountName: o.serviceAccountName,
      // IRSA's token is projected by the EKS webhook; no Kubernetes API token is needed.
      automountServiceAccountToken: false,
      enableServiceLinks: false,
      securityContext: restrictedPodSecurityContext(GRAFANA_UID),
      containers: [
        {
          name: "grafana",
          image: o.grafanaImage,
          ports: [{ name: "https", containerPort: PORTS.grafanaHttps, protocol: "TCP" }],
          env: grafanaEnv,
          volumeMounts: grafanaMounts,
          securityContext: hardened(GRAFANA_UID),
          resources: { requests: { cpu: "100m", memory: "256Mi" }, limits: { cpu: "1", memory: "1Gi" } },
          readinessProbe: { httpGet: { path: "/api/health", port: PORTS.grafanaHttps, scheme: "HTTPS" }, periodSeconds: 10, timeoutSeconds: 3 },
          livenessProbe: { httpGet: { path: "/api/health", port: PORTS.grafanaHttps, scheme: "HTTPS" }, initialDelaySeconds: 60, periodSeconds: 20, timeoutSeconds: 3, failureThreshold: 6 },
        },
        {
          name: "audit-proxy",
          image: o.proxyImage,
          command: ["nginx", "-c", configFile("audit-proxy.conf"), "-e", "/dev/stderr", "-g", "daemon off;"],
          volumeMounts: [mount("tls", TLS_MOUNT.dir), mount("config", POD_PATHS.config), mount("audit", POD_PATHS.audit, false), mount("proxy-run", POD_PATHS.proxyRun, false)],
          securityContext: hardened(NGINX_UID),
          resources: { requests: { cpu: "20m", memory: "32Mi" }, limits: { cpu: "500m", memory: "128Mi" } },
          // The listeners are on loopback (kubelet cannot reach them): probe the master process instead.
          readinessProbe: { ...nginxAlive, periodSeconds: 10 },
          livenessProbe: { ...nginxAlive, initialDelaySeconds: 10, periodSeconds: 20 },
        },
        {
          name: "audit-shipper",
          image: o.shipperImage,
          args: [`--config=${configFile("audit-shipper.yaml")}`],
          ports: [{ name: "health", containerPort: PORTS.healthCheck, protocol: "TCP" }],
          volumeMounts: [mount("tls", TLS_MOUNT.dir), mount("config", POD_PATHS.config), mount("audit", POD_PATHS.audit, false)],
          securityContext: hardened(SHIPPER_UID),
          resources: { requests: { cpu: "20m", memory: "64Mi" }, limits: { cpu: "500m", memory: "256Mi" } },
          readinessProbe: { httpGet: { path: "/", port: PORTS.healthCheck, scheme: "HTTPS" }, periodSeconds: 10 },
          livenessProbe: { httpGet: { path: "/", port: PORTS.healthCheck, scheme: "HTTPS" }, initialDelaySeconds: 15, periodSeconds: 20 },
        },
      ],
      volumes,
    },
  };
}
