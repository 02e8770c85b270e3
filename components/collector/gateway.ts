/**
 * The collector gateway tier (R1, R3, R10, R12): a Deployment behind a
 * ClusterIP Service (and, when configured, an internal NLB for applications
 * outside the cluster), autoscaled by CPU and memory, with a
 * PodDisruptionBudget. Applications send OTLP over mutual TLS; the gateway
 * scrubs personal data and forwards each trace to one sampler pod.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { memoryLimitsFor, TlsMinVersion } from "../../render/collectorCommon";
import { renderCollectorGateway } from "../../render/collectorGateway";
import { ScrubbingOptions } from "../../render/scrubbing";
import { metricsStoreTargets } from "../../specs/metricsStores";
import { PART_OF, PORTS, serviceDnsNames, workloadLabels } from "../../specs/topology";
import { configFiles } from "../configFiles";
import { internalEndpoint } from "../internalEndpoint";
import { selfMetricsPush } from "../../render/collectorSelfMetrics";
import { CollectorResources, collectorPodTemplate, MOUNTED_TLS } from "./pod";

export const GATEWAY_WORKLOAD = "collector-gateway" as const;
const SELF_METRICS_SERVICE_PORT = { name: "self-metrics", port: PORTS.collectorSelfMetrics, targetPort: PORTS.collectorSelfMetrics };
export const GATEWAY_CONFIG_FILE = "collector-gateway.yaml";

export interface CollectorGatewayArgs {
  /** Platform namespace name (Service DNS names and certificate names use it). */
  readonly namespace: string;
  /** The Namespace resource's name output, so objects wait for it. */
  readonly namespaceRef: pulumi.Input<string>;
  /** Collector image (collectorImage(repository)). */
  readonly image: string;
  /** Replicas at rest; the HPA scales between this and `maxReplicas`. */
  readonly replicas: number;
  /** Upper bound of the HPA. */
  readonly maxReplicas: number;
  /** Minimum TLS version. @default "1.3" */
  readonly tlsMinVersion?: TlsMinVersion;
  /** Per-stack additions to the personal-data allow-lists and id formats (R12, tracing:scrubbing). @default none */
  readonly scrubbing?: ScrubbingOptions;
  /** The sampler's headless Service name (the loadbalancing exporter resolves it). @default "collector-sampler" */
  readonly samplerService?: string;
  /** Container resources. @default 250m/1 CPU, 512/1024 MiB */
  readonly resources?: CollectorResources;
  /** Expose the gateway to application networks outside the cluster through an internal NLB. @default undefined (not exposed) */
  readonly exposure?: {
    /** Every application CIDR (tracing:applicationCidrs); the NLB admits only these. */
    readonly applicationCidrs: readonly string[];
    /** Corporate CIDRs, required by the exposure helper's input shape (not admitted here). */
    readonly corporateCidrs: readonly string[];
  };
}

const DEFAULT_RESOURCES: CollectorResources = { cpuRequest: "250m", cpuLimit: "1", memoryRequestMiB: 512, memoryLimitMiB: 1024 };

/** The gateway's rendered configuration options as deployed (listen on the pod IP, the sampler by DNS). Pure. */
function deployedGatewayRenderOptions(args: CollectorGatewayArgs, memory: ReturnType<typeof memoryLimitsFor>, samplerFqdn: string): Parameters<typeof renderCollectorGateway>[0] {
  return {
    listen: { grpc: `\${env:POD_IP}:${PORTS.otlpGrpc}`, http: `\${env:POD_IP}:${PORTS.otlpHttp}` },
    tls: MOUNTED_TLS,
    tlsMinVersion: args.tlsMinVersion,
    samplerResolver: { dns: { hostname: samplerFqdn, port: PORTS.otlpGrpc } },
    samplerServerName: samplerFqdn,
    healthEndpoint: `\${env:POD_IP}:${PORTS.healthCheck}`,
    memory,
    scrubbing: args.scrubbing,
    spanMetrics: { stores: metricsStoreTargets(args.namespace), tls: MOUNTED_TLS, tlsMinVersion: args.tlsMinVersion ?? "1.3" },
    selfMetrics: { listen: `\${env:POD_IP}:${PORTS.collectorSelfMetrics}`, push: selfMetricsPush(args.namespace), store: "all" },
  };
}

interface GatewayScalingInputs {
  readonly meta: k8s.types.input.meta.v1.ObjectMeta;
  readonly labels: Record<string, string>;
  readonly deploymentName: pulumi.Input<string>;
  readonly replicas: number;
  readonly maxReplicas: number;
}

/** The HPA (CPU and memory) and the PodDisruptionBudget of the gateway Deployment. */
function gatewayScaling(name: string, g: GatewayScalingInputs, child: pulumi.CustomResourceOptions): void {
  new k8s.autoscaling.v2.HorizontalPodAutoscaler(
    `${name}-hpa`,
    {
      metadata: g.meta,
      spec: {
        scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: g.deploymentName },
        minReplicas: g.replicas,
        maxReplicas: g.maxReplicas,
        metrics: [
          { type: "Resource", resource: { name: "cpu", target: { type: "Utilization", averageUtilization: 70 } } },
          { type: "Resource", resource: { name: "memory", target: { type: "Utilization", averageUtilization: 75 } } },
        ],
      },
    },
    child,
  );
  new k8s.policy.v1.PodDisruptionBudget(`${name}-pdb`, { metadata: g.meta, spec: { maxUnavailable: 1, selector: { matchLabels: g.labels } } }, child);
}

/** The gateway's internal NLB (optional): application CIDRs only; returns its host name once AWS assigns it. */
function exposeGateway(
  resourceName: string,
  namespaceRef: pulumi.Input<string>,
  exposure: NonNullable<CollectorGatewayArgs["exposure"]>,
  selector: Record<string, string>,
  ports: { name: string; port: number; targetPort: number }[],
  child: pulumi.CustomResourceOptions,
): pulumi.Output<string> {
  const nlb = internalEndpoint(
    resourceName,
    {
      namespace: namespaceRef,
      serviceName: `${GATEWAY_WORKLOAD}-internal`,
      audience: "applications",
      allowedCidrs: { corporate: exposure.corporateCidrs, applications: exposure.applicationCidrs },
      selector,
      ports,
    },
    child,
  );
  return nlb.status.loadBalancer.ingress.apply((ingress) => ingress?.[0]?.hostname ?? "");
}

export class CollectorGateway extends pulumi.ComponentResource {
  /** In-cluster OTLP endpoints (gRPC `host:port`, HTTP URL). */
  public readonly grpcEndpoint: string;
  public readonly httpEndpoint: string;
  /** Host name of the internal NLB, when exposed (empty until AWS assigns it). */
  public readonly loadBalancerHostname?: pulumi.Output<string>;

  constructor(name: string, args: CollectorGatewayArgs, opts?: pulumi.ComponentResourceOptions) {
    super("tracing:collector:CollectorGateway", name, {}, opts);
    const child = { parent: this };
    const resources = args.resources ?? DEFAULT_RESOURCES;
    const memory = memoryLimitsFor(resources.memoryLimitMiB);
    const samplerService = args.samplerService ?? "collector-sampler";
    const samplerFqdn = serviceDnsNames(samplerService, args.namespace).at(-1) as string;
    const labels = workloadLabels(GATEWAY_WORKLOAD);
    const meta = (resourceName: string) => ({ name: resourceName, namespace: args.namespaceRef, labels: { ...labels, "app.kubernetes.io/part-of": PART_OF } });

    const config = configFiles(
      `${name}-config`,
      {
        name: `${GATEWAY_WORKLOAD}-config`,
        namespace: args.namespaceRef,
        files: {
          [GATEWAY_CONFIG_FILE]: renderCollectorGateway(deployedGatewayRenderOptions(args, memory, samplerFqdn)),
        },
      },
      child,
    );

    const deployment = new k8s.apps.v1.Deployment(
      `${name}-deployment`,
      {
        metadata: meta(GATEWAY_WORKLOAD),
        spec: {
          // The HPA owns the replica count after creation.
          replicas: args.replicas,
          selector: { matchLabels: labels },
          strategy: { type: "RollingUpdate", rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } },
          template: collectorPodTemplate({
            workload: GATEWAY_WORKLOAD,
            image: args.image,
            configMapName: config.metadata.name,
            configFile: GATEWAY_CONFIG_FILE,
            resources,
            goMemLimitMiB: memory.limitMiB,
            ports: [
              { name: "otlp-grpc", containerPort: PORTS.otlpGrpc },
              { name: "otlp-http", containerPort: PORTS.otlpHttp },
              { name: "self-metrics", containerPort: PORTS.collectorSelfMetrics },
            ],
          }),
        },
      },
      { ...child, dependsOn: [config] },
    );

    gatewayScaling(name, { meta: meta(GATEWAY_WORKLOAD), labels, deploymentName: deployment.metadata.name, replicas: args.replicas, maxReplicas: args.maxReplicas }, child);

    const ports = [
      { name: "otlp-grpc", port: PORTS.otlpGrpc, targetPort: PORTS.otlpGrpc },
      { name: "otlp-http", port: PORTS.otlpHttp, targetPort: PORTS.otlpHttp },
    ];
    new k8s.core.v1.Service(
      `${name}-service`,
      {
        metadata: meta(GATEWAY_WORKLOAD),
        // The self-metrics port is on the ClusterIP Service only, never on the load balancer (`ports`).
        spec: { type: "ClusterIP", selector: labels, ports: [...ports, SELF_METRICS_SERVICE_PORT].map((p) => ({ ...p, protocol: "TCP", appProtocol: p.name === "otlp-http" ? "https" : "grpc" })) },
      },
      child,
    );

    const fqdn = serviceDnsNames(GATEWAY_WORKLOAD, args.namespace).at(-1) as string;
    this.grpcEndpoint = `${fqdn}:${PORTS.otlpGrpc}`;
    this.httpEndpoint = `https://${fqdn}:${PORTS.otlpHttp}`;

    // R13: the only way out of the namespace; admits application CIDRs only.
    if (args.exposure) this.loadBalancerHostname = exposeGateway(`${name}-internal-nlb`, args.namespaceRef, args.exposure, labels, ports, child);

    this.registerOutputs({ grpcEndpoint: this.grpcEndpoint, httpEndpoint: this.httpEndpoint, loadBalancerHostname: this.loadBalancerHostname });
  }
}
