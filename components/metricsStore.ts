/**
 * One private metrics store (R5, R10, R13): Prometheus as a remote-write
 * receiver in the platform namespace, one StatefulSet pod with its TSDB on a
 * PersistentVolumeClaim, TLS that requires a client certificate from the
 * stack's CA on its only port, retention per stack, and a ClusterIP Service
 * that NetworkPolicies open only to the gateway and Grafana. Chosen over
 * Amazon Managed Prometheus: nothing leaves the VPC, no SigV4 signing proxy
 * for Grafana, and the e2e tier runs the same Prometheus here.
 */
import { createHash } from "crypto";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { prometheusArgs, PrometheusOptions, renderPrometheusConfig, renderPrometheusWebConfig } from "../render/prometheusConfig";
import { MetricsStoreSpec, metricsStoreFqdn } from "../specs/metricsStores";
import { restrictedContainerSecurityContext, restrictedPodSecurityContext } from "../specs/podSecurity";
import { PORTS, serviceDnsNames, TLS_MOUNT, workloadLabels } from "../specs/topology";
import { PROMETHEUS_IMAGE } from "../versions/prometheus";
import { configFiles } from "./configFiles";

/** The prometheus image's unprivileged user (nobody). */
const PROMETHEUS_UID = 65534;
const CONFIG_DIR = "/etc/prometheus";
const DATA_DIR = "/prometheus";

export interface MetricsStoreArgs {
  /** Namespace name (plain, for DNS names). */
  readonly namespace: string;
  /** The Namespace resource's output, so objects wait for it. */
  readonly namespaceRef: pulumi.Input<string>;
  readonly spec: MetricsStoreSpec;
  /** Name of the workload's TLS Secret (tls.crt, tls.key, ca.crt). */
  readonly tlsSecretName: pulumi.Input<string>;
  readonly tlsMinVersion: "1.2" | "1.3";
  /** Days series are kept (tracing:metricsRetentionDays). */
  readonly retentionDays: number;
  /** Volume size in GiB (tracing:metricsVolumeGiB). */
  readonly volumeGiB: number;
  readonly storageClassName: string;
  /** Container resources. @default requests 100m/512Mi, limits 1 CPU/2Gi */
  readonly resources?: { readonly requests: { cpu: string; memory: string }; readonly limits: { cpu: string; memory: string } };
}

/** The store's rendered files and flags, shared by the component and the e2e tier. */
export function metricsStoreOptions(spec: MetricsStoreSpec, namespace: string, tlsMinVersion: "1.2" | "1.3", retentionDays: number): PrometheusOptions {
  return {
    listen: `0.0.0.0:${PORTS.prometheus}`,
    tls: { certFile: TLS_MOUNT.cert, keyFile: TLS_MOUNT.key, caFile: TLS_MOUNT.ca },
    tlsMinVersion,
    dataDir: DATA_DIR,
    retentionDays,
    configFile: `${CONFIG_DIR}/prometheus.yml`,
    webConfigFile: `${CONFIG_DIR}/web.yml`,
    scrapeJobs: spec.scrapesTempo
      ? [{ job: "tempo", targets: [`${serviceDnsNames("tempo", namespace).at(-1)}:${PORTS.tempoHttp}`], tlsServerName: serviceDnsNames("tempo", namespace).at(-1) }]
      : [],
  };
}

export class MetricsStore extends pulumi.ComponentResource {
  /** `https://host:9090`: Grafana's data source URL. */
  public readonly url: string;

  constructor(name: string, args: MetricsStoreArgs, opts?: pulumi.ComponentResourceOptions) {
    super("tracing:metrics:MetricsStore", name, {}, opts);
    const child = { parent: this };
    const workload = args.spec.workload;
    const labels = workloadLabels(workload);
    const options = metricsStoreOptions(args.spec, args.namespace, args.tlsMinVersion, args.retentionDays);
    const files = { "prometheus.yml": renderPrometheusConfig(options), "web.yml": renderPrometheusWebConfig(options) };
    const config = configFiles(`${name}-config`, { name: `${workload}-config`, namespace: args.namespaceRef, files: { [`${workload}.yml`]: files["prometheus.yml"], [`${workload}-web.yml`]: files["web.yml"] } }, child);
    const checksum = createHash("sha256").update(JSON.stringify(files)).digest("hex");
    const resources = args.resources ?? { requests: { cpu: "100m", memory: "512Mi" }, limits: { cpu: "1", memory: "2Gi" } };

    const service = new k8s.core.v1.Service(
      `${name}-service`,
      {
        metadata: { name: workload, namespace: args.namespaceRef, labels },
        spec: { type: "ClusterIP", selector: labels, ports: [{ name: "https", port: PORTS.prometheus, targetPort: "https", protocol: "TCP", appProtocol: "https" }] },
      },
      child,
    );
    // The probes cannot present a client certificate, so they check that the TLS port accepts connections.
    const probe = { tcpSocket: { port: "https" } };
    new k8s.apps.v1.StatefulSet(
      `${name}-statefulset`,
      {
        metadata: { name: workload, namespace: args.namespaceRef, labels },
        spec: {
          serviceName: service.metadata.name,
          replicas: 1,
          selector: { matchLabels: labels },
          template: {
            metadata: { labels, annotations: { "tracing.platform/config-sha256": checksum } },
            spec: {
              automountServiceAccountToken: false,
              enableServiceLinks: false,
              securityContext: restrictedPodSecurityContext(PROMETHEUS_UID),
              containers: [
                {
                  name: "prometheus",
                  image: PROMETHEUS_IMAGE,
                  args: prometheusArgs(options),
                  ports: [{ name: "https", containerPort: PORTS.prometheus, protocol: "TCP" }],
                  resources: { requests: { ...resources.requests }, limits: { ...resources.limits } },
                  readinessProbe: { ...probe, periodSeconds: 10 },
                  livenessProbe: { ...probe, initialDelaySeconds: 30, periodSeconds: 20, failureThreshold: 6 },
                  securityContext: restrictedContainerSecurityContext(PROMETHEUS_UID),
                  volumeMounts: [
                    { name: "config", mountPath: CONFIG_DIR, readOnly: true },
                    { name: "tls", mountPath: TLS_MOUNT.dir, readOnly: true },
                    { name: "data", mountPath: DATA_DIR },
                  ],
                },
              ],
              volumes: [
                {
                  name: "config",
                  configMap: { name: config.metadata.name, items: [{ key: `${workload}.yml`, path: "prometheus.yml" }, { key: `${workload}-web.yml`, path: "web.yml" }] },
                },
                { name: "tls", secret: { secretName: args.tlsSecretName, defaultMode: 0o440 } },
              ],
            },
          },
          volumeClaimTemplates: [
            {
              metadata: { name: "data", labels },
              spec: { accessModes: ["ReadWriteOnce"], storageClassName: args.storageClassName, resources: { requests: { storage: `${args.volumeGiB}Gi` } } },
            },
          ],
        },
      },
      child,
    );
    this.url = `https://${metricsStoreFqdn(args.spec, args.namespace)}:${PORTS.prometheus}`;
    this.registerOutputs({ url: this.url });
  }
}
