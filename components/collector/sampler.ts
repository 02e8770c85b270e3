/**
 * The collector sampler tier (R7, R10): a StatefulSet behind a headless
 * Service, so the gateways' loadbalancing exporter sees every pod and sends
 * all spans of a trace to the same one. Each pod keeps its persistent sending
 * queue on its own volume (volumeClaimTemplates) and writes to Tempo per
 * tenant.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { memoryLimitsFor, TlsMinVersion } from "../../render/collectorCommon";
import { renderCollectorSampler, SamplerSizingOptions, SamplingPolicyOptions } from "../../render/collectorSampler";
import { PART_OF, PORTS, serviceDnsNames, workloadLabels } from "../../specs/topology";
import { configFiles } from "../configFiles";
import { selfMetricsPush } from "../../render/collectorSelfMetrics";
import { CollectorResources, collectorPodTemplate, MOUNTED_TLS } from "./pod";

export const SAMPLER_WORKLOAD = "collector-sampler" as const;
export const SAMPLER_CONFIG_FILE = "collector-sampler.yaml";
/** Mount path of the queue volume (file_storage directory). */
export const QUEUE_DIR = "/var/lib/otelcol/queue";

export interface CollectorSamplerArgs {
  /** Platform namespace name (Service DNS names use it). */
  readonly namespace: string;
  /** The Namespace resource's name output, so objects wait for it. */
  readonly namespaceRef: pulumi.Input<string>;
  /** Collector image (collectorImage(repository)). */
  readonly image: string;
  /** StatefulSet replicas. */
  readonly replicas: number;
  /** Sampling rules (tracing:defaultSamplePercent, orderSamplePercent, slowTraceThresholdMs, maxConsumerDelaySeconds). */
  readonly sampling: SamplingPolicyOptions;
  /** Throughput assumption behind the tail-sampling buffers (samplerCapacity(...).sizing). @default render/collectorSampler.ts defaults (500 traces/s per pod) */
  readonly sizing?: SamplerSizingOptions;
  /** Minimum TLS version. @default "1.3" */
  readonly tlsMinVersion?: TlsMinVersion;
  /** Tempo's OTLP gRPC `host:port` (its Service FQDN, which Tempo's certificate carries). */
  readonly tempoEndpoint: string;
  /** StorageClass of the queue volumes. */
  readonly storageClassName: string;
  /** Size of each pod's queue volume, in GiB. @default 10 */
  readonly queueVolumeGiB?: number;
  /** Container resources. @default samplerResources(2048): 500m/2 CPU, 2048/2048 MiB */
  readonly resources?: CollectorResources;
}

/**
 * CPU and memory of one sampler container. Memory request = limit: at the
 * sized peak the pod lives near its memory_limiter soft limit, so it must not
 * be a candidate for eviction below it (render/samplerSizing.ts).
 */
export function samplerResources(memoryLimitMiB: number): CollectorResources {
  return { cpuRequest: "500m", cpuLimit: "2", memoryRequestMiB: memoryLimitMiB, memoryLimitMiB };
}

/** The sampler's rendered configuration options as deployed (listen on the pod IP, queue on the PVC). Pure. */
function deployedSamplerRenderOptions(args: CollectorSamplerArgs, memory: ReturnType<typeof memoryLimitsFor>): Parameters<typeof renderCollectorSampler>[0] {
  return {
    listen: { grpc: `\${env:POD_IP}:${PORTS.otlpGrpc}` },
    tls: MOUNTED_TLS,
    tlsMinVersion: args.tlsMinVersion,
    tempoEndpoint: args.tempoEndpoint,
    storageDir: QUEUE_DIR,
    healthEndpoint: `\${env:POD_IP}:${PORTS.healthCheck}`,
    memory,
    sampling: args.sampling,
    sizing: args.sizing,
    selfMetrics: selfMetricsPush(args.namespace),
  };
}

export class CollectorSampler extends pulumi.ComponentResource {
  /** The headless Service's FQDN the gateways resolve. */
  public readonly serviceFqdn: string;

  constructor(name: string, args: CollectorSamplerArgs, opts?: pulumi.ComponentResourceOptions) {
    super("tracing:collector:CollectorSampler", name, {}, opts);
    const child = { parent: this };
    const resources = args.resources ?? samplerResources(2048);
    const memory = memoryLimitsFor(resources.memoryLimitMiB);
    const labels = workloadLabels(SAMPLER_WORKLOAD);
    const meta = (resourceName: string) => ({ name: resourceName, namespace: args.namespaceRef, labels: { ...labels, "app.kubernetes.io/part-of": PART_OF } });

    const config = configFiles(
      `${name}-config`,
      {
        name: `${SAMPLER_WORKLOAD}-config`,
        namespace: args.namespaceRef,
        files: {
          [SAMPLER_CONFIG_FILE]: renderCollectorSampler(deployedSamplerRenderOptions(args, memory)),
        },
      },
      child,
    );

    // Headless: one DNS A record per ready pod; not-ready pods are left out so no trace is sent to them.
    const service = new k8s.core.v1.Service(
      `${name}-service`,
      {
        metadata: meta(SAMPLER_WORKLOAD),
        spec: {
          clusterIP: "None",
          publishNotReadyAddresses: false,
          selector: labels,
          ports: [{ name: "otlp-grpc", port: PORTS.otlpGrpc, targetPort: PORTS.otlpGrpc, protocol: "TCP", appProtocol: "grpc" }],
        },
      },
      child,
    );

    new k8s.apps.v1.StatefulSet(
      `${name}-statefulset`,
      {
        metadata: meta(SAMPLER_WORKLOAD),
        spec: {
          serviceName: service.metadata.name,
          replicas: args.replicas,
          podManagementPolicy: "Parallel",
          selector: { matchLabels: labels },
          updateStrategy: { type: "RollingUpdate" },
          persistentVolumeClaimRetentionPolicy: { whenDeleted: "Retain", whenScaled: "Retain" },
          template: collectorPodTemplate({
            workload: SAMPLER_WORKLOAD,
            image: args.image,
            configMapName: config.metadata.name,
            configFile: SAMPLER_CONFIG_FILE,
            resources,
            goMemLimitMiB: memory.limitMiB,
            ports: [{ name: "otlp-grpc", containerPort: PORTS.otlpGrpc }],
            extraMounts: [{ name: "queue", mountPath: QUEUE_DIR }],
          }),
          volumeClaimTemplates: [
            {
              metadata: { name: "queue", labels },
              spec: {
                accessModes: ["ReadWriteOnce"],
                storageClassName: args.storageClassName,
                resources: { requests: { storage: `${args.queueVolumeGiB ?? 10}Gi` } },
              },
            },
          ],
        },
      },
      { ...child, dependsOn: [config] },
    );

    new k8s.policy.v1.PodDisruptionBudget(
      `${name}-pdb`,
      { metadata: meta(SAMPLER_WORKLOAD), spec: { maxUnavailable: 1, selector: { matchLabels: labels } } },
      child,
    );

    this.serviceFqdn = serviceDnsNames(SAMPLER_WORKLOAD, args.namespace).at(-1) as string;
    this.registerOutputs({ serviceFqdn: this.serviceFqdn });
  }
}
