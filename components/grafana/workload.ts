/**
 * The Grafana pod spec (hardened like every workload): Grafana serving HTTPS
 * on loopback, nginx (the front proxy on the pod's port and the audit proxy
 * between Grafana and Tempo), and the audit shipper (the Collector) that
 * uploads the audit logs. Each writer has its own per-pod volume, mounted
 * read-write only in its own container and read-only in the shipper, so no
 * container can delete what another wrote (R11). Pure: no Pulumi, so
 * tests can inspect it and policies see typed resources.
 */
import { restrictedContainerSecurityContext, restrictedPodSecurityContext } from "../../specs/podSecurity";
import { AUDIT_SHIPPER_FEATURE_GATES } from "../../render/auditShipper";
import { PORTS, TLS_MOUNT, workloadLabels } from "../../specs/topology";

export const GRAFANA_UID = 472;
export const NGINX_UID = 101;
export const SHIPPER_UID = 10001;

/** Paths inside the pod. */
export const POD_PATHS = {
  config: "/etc/grafana-config",
  secrets: "/etc/grafana-secrets",
  data: "/var/lib/grafana",
  /** nginx's logs (query audit, front log): its own volume, read-only for the shipper. */
  proxyLogs: "/var/log/audit/proxy",
  /** Grafana's JSON log: its own volume, read-only for the shipper. */
  grafanaLogs: "/var/log/audit/grafana",
  /** The shipper's read positions and persistent queue: only the shipper mounts it. */
  shipperState: "/var/lib/audit-shipper",
  rdsCa: "/etc/grafana-rds-ca",
  proxyRun: "/tmp/nginx",
  ssoGate: "/etc/grafana-sso-gate",
} as const;

export const SECRET_FILES = {
  oidcClientSecret: "oidc-client-secret",
  adminPassword: "admin-password",
  secretKey: "secret-key",
  databasePassword: "db-password",
  smtpPassword: "smtp-password",
} as const;

export const AUDIT_FILES = {
  queries: `${POD_PATHS.proxyLogs}/queries.log`,
  front: `${POD_PATHS.proxyLogs}/front.log`,
  grafana: `${POD_PATHS.grafanaLogs}/grafana.log`,
  storage: POD_PATHS.shipperState,
  ssoGate: `${POD_PATHS.ssoGate}/sso-gate.conf`,
} as const;

/** Pod annotation whose value becomes the front proxy's SSO gate file (set once the organisations exist). */
export const SSO_GATE_ANNOTATION = "tracing.platform/sso-gate";
/** Grafana listens here, on loopback; the front proxy owns the pod's Grafana port. */
export const GRAFANA_LOOPBACK_PORT = 3001;
export const SHIPPER_METRICS_PORT = 8888;
/** Seconds the pod has to stop: Grafana first, then nginx, the shipper last (native sidecars stop in reverse order). */
export const GRAFANA_TERMINATION_GRACE_SECONDS = 120;

/** Per-pod volumes that outlive the pod (StatefulSet claim templates, R11): name -> size. */
export const AUDIT_VOLUMES = { "audit-proxy": "4Gi", "audit-grafana": "4Gi", "audit-shipper": "4Gi" } as const;

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

// Each container its own user and group; the pod's fsGroup only makes the volumes writable where mounted read-write.
const hardened = (uid: number) => restrictedContainerSecurityContext(uid);

const mount = (name: string, mountPath: string, readOnly = true) => ({ name, mountPath, readOnly });

/** The per-pod claim templates of the audit volumes (ReadWriteOnce, the stack's StorageClass). */
export function auditVolumeClaimTemplates(storageClassName: string) {
  return Object.entries(AUDIT_VOLUMES).map(([name, size]) => ({
    metadata: { name },
    spec: { accessModes: ["ReadWriteOnce"], storageClassName, resources: { requests: { storage: size } } },
  }));
}

const podConfigFile = (file: string) => `${POD_PATHS.config}/${file}`;

/** The audit shipper sidecar: reads every writer's volume read-only and owns its positions and queue. */
function shipperContainer(o: GrafanaPodOptions) {
  const configFile = podConfigFile;
  return {
    name: "audit-shipper",
    image: o.shipperImage,
    restartPolicy: "Always",
    args: [`--config=${configFile("audit-shipper.yaml")}`, `--feature-gates=${AUDIT_SHIPPER_FEATURE_GATES.join(",")}`],
    ports: [
      { name: "health", containerPort: PORTS.healthCheck, protocol: "TCP" },
      { name: "metrics", containerPort: SHIPPER_METRICS_PORT, protocol: "TCP" },
    ],
    volumeMounts: [
      mount("tls", TLS_MOUNT.dir),
      mount("config", POD_PATHS.config),
      mount("audit-proxy", POD_PATHS.proxyLogs),
      mount("audit-grafana", POD_PATHS.grafanaLogs),
      mount("audit-shipper", POD_PATHS.shipperState, false),
    ],
    securityContext: hardened(SHIPPER_UID),
    resources: { requests: { cpu: "20m", memory: "64Mi" }, limits: { cpu: "500m", memory: "256Mi" } },
    readinessProbe: { httpGet: { path: "/", port: PORTS.healthCheck, scheme: "HTTPS" }, periodSeconds: 10 },
    livenessProbe: { httpGet: { path: "/", port: PORTS.healthCheck, scheme: "HTTPS" }, initialDelaySeconds: 15, periodSeconds: 20 },
  };
}

/** The audit proxy sidecar (nginx): the front proxy before Grafana and the audit proxy before Tempo. */
function proxyContainer(o: GrafanaPodOptions) {
  const configFile = podConfigFile;
  const nginxAlive = { exec: { command: ["/bin/sh", "-c", `kill -0 "$(cat ${POD_PATHS.proxyRun}/nginx.pid)"`] } };
  return {
    name: "audit-proxy",
    image: o.proxyImage,
    restartPolicy: "Always",
    command: ["nginx", "-c", configFile("audit-proxy.conf"), "-e", "/dev/stderr", "-g", "daemon off;"],
    ports: [{ name: "https", containerPort: PORTS.grafanaHttps, protocol: "TCP" }],
    volumeMounts: [
      mount("tls", TLS_MOUNT.dir),
      mount("config", POD_PATHS.config),
      mount("audit-proxy", POD_PATHS.proxyLogs, false),
      mount("proxy-run", POD_PATHS.proxyRun, false),
      mount("sso-gate", POD_PATHS.ssoGate),
    ],
    securityContext: hardened(NGINX_UID),
    resources: { requests: { cpu: "20m", memory: "32Mi" }, limits: { cpu: "500m", memory: "128Mi" } },
    readinessProbe: { ...nginxAlive, periodSeconds: 10 },
    livenessProbe: { ...nginxAlive, initialDelaySeconds: 10, periodSeconds: 20 },
  };
}

export function grafanaPodTemplate(o: GrafanaPodOptions) {
  const configFile = (file: string) => `${POD_PATHS.config}/${file}`;
  const volumes: Record<string, unknown>[] = [
    { name: "tls", secret: { secretName: o.tlsSecretName, defaultMode: 0o440 } },
    { name: "secrets", secret: { secretName: o.secretName, defaultMode: 0o440 } },
    { name: "config", configMap: { name: o.configMapName } },
    o.dataClaimName ? { name: "data", persistentVolumeClaim: { claimName: o.dataClaimName } } : { name: "data", emptyDir: { sizeLimit: "1Gi" } },
    { name: "tmp", emptyDir: { sizeLimit: "256Mi" } },
    { name: "proxy-run", emptyDir: { sizeLimit: "256Mi" } },
    { name: "sso-gate", downwardAPI: { items: [{ path: "sso-gate.conf", fieldRef: { fieldPath: `metadata.annotations['${SSO_GATE_ANNOTATION}']` } }] } },
  ];
  if (o.rdsCaConfigMap) volumes.push({ name: "rds-ca", configMap: { name: o.rdsCaConfigMap } });

  const grafanaEnv: Record<string, string>[] = [
    { name: "GF_PATHS_CONFIG", value: configFile("grafana.ini") },
    // The image sets GF_PATHS_*; keep them equal to grafana.ini's [paths].
    { name: "GF_PATHS_DATA", value: POD_PATHS.data },
    { name: "GF_PATHS_LOGS", value: POD_PATHS.grafanaLogs },
  ];
  if (o.databaseHost) grafanaEnv.push({ name: DB_HOST_ENV, value: o.databaseHost });

  const grafanaMounts = [
    mount("tls", TLS_MOUNT.dir),
    mount("secrets", POD_PATHS.secrets),
    mount("config", POD_PATHS.config),
    mount("data", POD_PATHS.data, false),
    mount("audit-grafana", POD_PATHS.grafanaLogs, false),
    mount("tmp", "/tmp", false),
    ...(o.rdsCaConfigMap ? [mount("rds-ca", POD_PATHS.rdsCa)] : []),
  ];
  // Through the front proxy: ready means nginx and Grafana both answer.
  const grafanaHealth = { httpGet: { path: "/api/health", port: PORTS.grafanaHttps, scheme: "HTTPS" }, timeoutSeconds: 3 };

  return {
    metadata: { labels: workloadLabels("grafana"), annotations: o.annotations },
    spec: {
      serviceAccountName: o.serviceAccountName,
      // IRSA's token is projected by the EKS webhook; no Kubernetes API token is needed.
      automountServiceAccountToken: false,
      enableServiceLinks: false,
      terminationGracePeriodSeconds: GRAFANA_TERMINATION_GRACE_SECONDS,
      securityContext: restrictedPodSecurityContext(GRAFANA_UID),
      // Native sidecars (init containers with restartPolicy Always): they start before Grafana and stop
      // after it, in reverse order: Grafana, then nginx, the shipper last, so no writer outlives the shipper.
      initContainers: [shipperContainer(o), proxyContainer(o)],
      containers: [
        {
          name: "grafana",
          image: o.grafanaImage,
          env: grafanaEnv,
          volumeMounts: grafanaMounts,
          securityContext: hardened(GRAFANA_UID),
          resources: { requests: { cpu: "100m", memory: "256Mi" }, limits: { cpu: "1", memory: "1Gi" } },
          readinessProbe: { ...grafanaHealth, periodSeconds: 10 },
          livenessProbe: { ...grafanaHealth, initialDelaySeconds: 60, periodSeconds: 20, failureThreshold: 6 },
        },
      ],
      volumes,
    },
  };
}
