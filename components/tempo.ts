/**
 * Grafana Tempo 3.x, monolithic (R4): one hardened StatefulSet pod with its
 * WAL on a PersistentVolumeClaim, blocks in S3 through IRSA, TLS with client
 * certificates on every listener (R10), multitenancy and per-tenant retention
 * (R6), request logging for the audit trail (R11), and a ClusterIP Service
 * that NetworkPolicies open only to the sampler and Grafana (R13).
 */
import { createHash } from "crypto";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { configFiles } from "./configFiles";
import { renderTempoConfig, renderTempoOverrides, TempoConfigOptions, TempoOverridesOptions } from "../render/tempoConfig";
import { TempoTenantLimits } from "../render/tempoLimits";
import { restrictedContainerSecurityContext, restrictedPodSecurityContext } from "../specs/podSecurity";
import { PORTS, serviceDnsNames, TENANTS, TLS_MOUNT, workloadLabels } from "../specs/topology";
import { TEMPO_IMAGE } from "../versions/tempo";

/** Port of Tempo's internal server: HTTPS /ready for kubelet probes only (no client certificate, no other route). */
export const TEMPO_HEALTH_PORT = 3101;
/** Where the PersistentVolume is mounted; WALs, live-store and scheduler files live below it. */
export const TEMPO_DATA_DIR = "/var/tempo";
export const TEMPO_CONFIG_DIR = "/etc/tempo";
export const TEMPO_CONFIG_FILE = "tempo.yaml";
export const TEMPO_OVERRIDES_FILE = "tempo-overrides.yaml";
/** The grafana/tempo image's unprivileged user and group. */
const TEMPO_UID = 10001;

export interface TempoResources {
  readonly requests: { readonly cpu: string; readonly memory: string };
  readonly limits: { readonly cpu: string; readonly memory: string };
}

export interface TempoArgs {
  /** Namespace name (plain, for DNS names and IRSA) ... */
  readonly namespace: string;
  /** ... and the Namespace resource's output, so objects wait for it. */
  readonly namespaceRef: pulumi.Input<string>;
  /** Name of the Kubernetes TLS Secret with tls.crt, tls.key and ca.crt (mounted at TLS_MOUNT). */
  readonly tlsSecretName: pulumi.Input<string>;
  /** Minimum TLS version on every listener. */
  readonly tlsMinVersion: "1.2" | "1.3";
  /** IAM role for the `tempo` service account (IRSA). */
  readonly roleArn: pulumi.Input<string>;
  /** Trace bucket name. */
  readonly bucketName: pulumi.Input<string>;
  /** AWS region of the bucket. */
  readonly region: string;
  /** KMS key Tempo requests for SSE-KMS. */
  readonly kmsKeyArn: pulumi.Input<string>;
  /** Default block retention, in days (7..30). */
  readonly retentionDays: number;
  /** Per-tenant block retention, in days (7..30). @default {} */
  readonly tenantRetentionDays?: Readonly<Record<string, number>>;
  /** Per-tenant limits (rate, burst, live traces, trace size, search range), written into every tenant entry. */
  readonly limits: TempoTenantLimits;
  /** StorageClass of the WAL volume. */
  readonly storageClassName: string;
  /** Size of the WAL volume. @default "20Gi" */
  readonly walVolumeSize?: string;
  /** Container resources. @default requests 500m/2Gi, limits 2 CPU/4Gi */
  readonly resources?: TempoResources;
  /** Log every request with headers for the audit trail (R11). @default true */
  readonly auditRequestLog?: boolean;
}

/** The settings of the deployed tempo.yaml, resolved (the e2e tier renders the same options). */
export interface DeployedTempoSettings {
  /** Namespace (for the Service DNS name Tempo's own clients verify). */
  readonly namespace: string;
  /** Minimum TLS version on every listener and client. */
  readonly tlsMinVersion: "1.2" | "1.3";
  /** Trace bucket name (resolved). */
  readonly bucket: string;
  /** AWS region of the bucket. */
  readonly region: string;
  /** KMS key for SSE-KMS (resolved ARN). */
  readonly kmsKeyId: string;
  /** Default block retention, in days. */
  readonly retentionDays: number;
  /** Per-tenant limits for `overrides.defaults`. */
  readonly limits: TempoTenantLimits;
  /** Request audit log (R11). @default true */
  readonly auditRequestLog?: boolean;
}

/** Renderer options of the deployed tempo.yaml: pod paths, Service ports, mounted certificates. Pure. */
export function deployedTempoConfigOptions(s: DeployedTempoSettings): TempoConfigOptions {
  return {
    storage: { kind: "s3", bucket: s.bucket, region: s.region, endpoint: `s3.${s.region}.amazonaws.com`, kmsKeyId: s.kmsKeyId },
    tls: {
      certFile: TLS_MOUNT.cert,
      keyFile: TLS_MOUNT.key,
      caFile: TLS_MOUNT.ca,
      serverName: serviceDnsNames(TEMPO_WORKLOAD, s.namespace).at(-1) as string,
      minVersion: s.tlsMinVersion,
    },
    listen: {
      httpPort: PORTS.tempoHttp,
      grpcPort: PORTS.tempoGrpc,
      otlpGrpcEndpoint: `0.0.0.0:${PORTS.otlpGrpc}`,
      healthPort: TEMPO_HEALTH_PORT,
      loopbackHost: "127.0.0.1",
    },
    dataDir: TEMPO_DATA_DIR,
    retentionDays: s.retentionDays,
    limits: s.limits,
    overridesFile: `${TEMPO_CONFIG_DIR}/${TEMPO_OVERRIDES_FILE}`,
    auditRequestLog: s.auditRequestLog ?? true,
  };
}

/** Renderer options of the deployed tempo-overrides.yaml: an entry for every platform tenant. Pure. */
export function deployedTempoOverridesOptions(s: Pick<TempoArgs, "retentionDays" | "tenantRetentionDays" | "limits">): TempoOverridesOptions {
  return { tenants: Object.values(TENANTS), limits: s.limits, retentionDays: s.retentionDays, tenantRetentionDays: s.tenantRetentionDays ?? {} };
}

/** Workload, container, Service and StatefulSet name. */
const TEMPO_WORKLOAD = "tempo";

/** What the Tempo pod spec is built from. */
export interface TempoPodSpecInputs {
  readonly serviceAccountName: pulumi.Input<string>;
  readonly configMapName: pulumi.Input<string>;
  readonly tlsSecretName: pulumi.Input<string>;
  readonly resources: NonNullable<TempoArgs["resources"]>;
}

/** The hardened monolithic Tempo pod: one container, config and TLS read-only, the WAL on the claim `data`. */
export function tempoPodSpec(p: TempoPodSpecInputs): k8s.types.input.core.v1.PodSpec {
  const readyProbe = { httpGet: { path: "/ready", port: "health", scheme: "HTTPS" } };
  return {
    serviceAccountName: p.serviceAccountName,
    automountServiceAccountToken: false,
    enableServiceLinks: false,
    terminationGracePeriodSeconds: 60,
    securityContext: restrictedPodSecurityContext(TEMPO_UID),
    containers: [
      {
        name: TEMPO_WORKLOAD,
        image: TEMPO_IMAGE,
        args: [`-config.file=${TEMPO_CONFIG_DIR}/${TEMPO_CONFIG_FILE}`],
        ports: [
          { name: "http-query", containerPort: PORTS.tempoHttp, protocol: "TCP" },
          { name: "grpc", containerPort: PORTS.tempoGrpc, protocol: "TCP" },
          { name: "otlp-grpc", containerPort: PORTS.otlpGrpc, protocol: "TCP" },
          { name: "health", containerPort: TEMPO_HEALTH_PORT, protocol: "TCP" },
        ],
        resources: { requests: { ...p.resources.requests }, limits: { ...p.resources.limits } },
        readinessProbe: { ...readyProbe, initialDelaySeconds: 15, periodSeconds: 10, timeoutSeconds: 5, failureThreshold: 3 },
        livenessProbe: { ...readyProbe, initialDelaySeconds: 60, periodSeconds: 20, timeoutSeconds: 5, failureThreshold: 6 },
        securityContext: restrictedContainerSecurityContext(TEMPO_UID),
        volumeMounts: [
          { name: "config", mountPath: TEMPO_CONFIG_DIR, readOnly: true },
          { name: "tls", mountPath: TLS_MOUNT.dir, readOnly: true },
          { name: "data", mountPath: TEMPO_DATA_DIR },
          { name: "tmp", mountPath: "/tmp" },
        ],
      },
    ],
    volumes: [
      { name: "config", configMap: { name: p.configMapName } },
      { name: "tls", secret: { secretName: p.tlsSecretName, defaultMode: 0o440 } },
      { name: "tmp", emptyDir: { sizeLimit: "1Gi" } },
    ],
  };
}

/** The ClusterIP Service: query API, internal gRPC and OTLP gRPC (no health port: kubelet reaches it directly). */
function tempoService(resourceName: string, namespaceRef: pulumi.Input<string>, labels: Record<string, string>, child: pulumi.CustomResourceOptions): k8s.core.v1.Service {
  return new k8s.core.v1.Service(
  resourceName,
    {
      metadata: { name: TEMPO_WORKLOAD, namespace: namespaceRef, labels },
      spec: {
        type: "ClusterIP",
        selector: labels,
        ports: [
          { name: "http-query", port: PORTS.tempoHttp, targetPort: "http-query", protocol: "TCP" },
          { name: "grpc", port: PORTS.tempoGrpc, targetPort: "grpc", protocol: "TCP" },
          { name: "otlp-grpc", port: PORTS.otlpGrpc, targetPort: "otlp-grpc", protocol: "TCP" },
        ],
      },
    },
    child,
  );
}

export class Tempo extends pulumi.ComponentResource {
  /** ClusterIP Service name (equals the workload name). */
  public readonly serviceName: pulumi.Output<string>;
  /** Query API URL for Grafana (HTTPS with client certificate). */
  public readonly queryUrl: string;
  /** OTLP gRPC endpoint for the sampler (TLS with client certificate). */
  public readonly otlpGrpcEndpoint: string;

  constructor(name: string, args: TempoArgs, opts?: pulumi.ComponentResourceOptions) {
    super("tracing:tempo:Tempo", name, {}, opts);
    const child = { parent: this };
    const workload = TEMPO_WORKLOAD;
    const labels = workloadLabels(workload);
    const fqdn = serviceDnsNames(workload, args.namespace).at(-1) as string;
    const resources = args.resources ?? { requests: { cpu: "500m", memory: "2Gi" }, limits: { cpu: "2", memory: "4Gi" } };

    const configText = pulumi.all([args.bucketName, args.kmsKeyArn]).apply(([bucket, kmsKeyId]) =>
      renderTempoConfig(deployedTempoConfigOptions({ ...args, bucket, kmsKeyId })),
    );
    const overridesText = renderTempoOverrides(deployedTempoOverridesOptions(args));

    const config = configFiles(
      `${name}-config`,
      { name: "tempo-config", namespace: args.namespaceRef, files: { [TEMPO_CONFIG_FILE]: configText, [TEMPO_OVERRIDES_FILE]: overridesText } },
      child,
    );
    // Roll the pod when the main config changes (the overrides file is reloaded at runtime).
    const configChecksum = configText.apply((text) => createHash("sha256").update(text).digest("hex"));

    // The EKS pod identity webhook injects the projected web-identity token itself,
    // so the Kubernetes API token stays unmounted.
    const serviceAccount = new k8s.core.v1.ServiceAccount(
      `${name}-service-account`,
      {
        metadata: { name: workload, namespace: args.namespaceRef, labels, annotations: { "eks.amazonaws.com/role-arn": args.roleArn } },
        automountServiceAccountToken: false,
      },
      child,
    );

    const service = tempoService(`${name}-service`, args.namespaceRef, labels, child);

    new k8s.apps.v1.StatefulSet(
      `${name}-statefulset`,
      {
        metadata: { name: workload, namespace: args.namespaceRef, labels },
        spec: {
          serviceName: service.metadata.name,
          // Monolithic Tempo runs exactly one replica; scale-out is microservices mode (needs Kafka).
          replicas: 1,
          selector: { matchLabels: labels },
          podManagementPolicy: "OrderedReady",
          template: {
            metadata: { labels, annotations: { "tracing.platform/config-sha256": configChecksum } },
            spec: tempoPodSpec({ serviceAccountName: serviceAccount.metadata.name, configMapName: config.metadata.name, tlsSecretName: args.tlsSecretName, resources }),
          },
          volumeClaimTemplates: [
            {
              metadata: { name: "data", labels },
              spec: {
                accessModes: ["ReadWriteOnce"],
                storageClassName: args.storageClassName,
                resources: { requests: { storage: args.walVolumeSize ?? "20Gi" } },
              },
            },
          ],
        },
      },
      child,
    );

    // One replica: minAvailable 1 would block every node drain forever. Allowing
    // the single pod to be evicted is safe because the WAL survives on its volume.
    new k8s.policy.v1.PodDisruptionBudget(
      `${name}-pdb`,
      { metadata: { name: workload, namespace: args.namespaceRef, labels }, spec: { maxUnavailable: 1, selector: { matchLabels: labels } } },
      child,
    );

    this.serviceName = service.metadata.name;
    this.queryUrl = `https://${fqdn}:${PORTS.tempoHttp}`;
    this.otlpGrpcEndpoint = `${fqdn}:${PORTS.otlpGrpc}`;
    this.registerOutputs({ serviceName: this.serviceName, queryUrl: this.queryUrl, otlpGrpcEndpoint: this.otlpGrpcEndpoint });
  }
}
