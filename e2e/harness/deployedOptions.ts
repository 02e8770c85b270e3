/**
 * The renderer options exactly as the stacks deploy them (components/collector),
 * from the parsed Pulumi.<stack>.yaml. e2e/collectorConformance.test.ts proves
 * that rendering these options gives the synthesized stack files byte for
 * byte, so the e2e runs start from the deployed configs and change only what
 * differences.ts lists.
 */
import { NAMESPACE } from "../../config/fields";
import { parseStackConfig, StackConfig } from "../../config/stackConfig";
import { memoryLimitsFor } from "../../render/collectorCommon";
import { CollectorGatewayOptions } from "../../render/collectorGateway";
import { CollectorSamplerOptions } from "../../render/collectorSampler";
import { selfMetricsPush } from "../../render/collectorSelfMetrics";
import { samplerCapacity } from "../../render/samplerSizing";
import { metricsStoreTargets } from "../../specs/metricsStores";
import { PORTS, serviceDnsNames, TLS_MOUNT } from "../../specs/topology";
import { readStackConfigFile } from "../../synth/stackFile";
import { REPO_ROOT } from "./paths";

export type StackName = "dev" | "prod";

/** Container memory limit of the gateway pods (components/collector/gateway.ts default), in MiB; the sampler's follows from the stack's peak traffic. */
export const GATEWAY_MEMORY_LIMIT_MIB = 1024;
/** The sampler's queue volume mount (components/collector/sampler.ts QUEUE_DIR). */
const QUEUE_DIR = "/var/lib/otelcol/queue";
const MOUNTED_TLS = { certFile: TLS_MOUNT.cert, keyFile: TLS_MOUNT.key, caFile: TLS_MOUNT.ca };
const POD = (port: number) => `\${env:POD_IP}:${port}`;

export function stackConfig(stack: StackName): StackConfig<string> {
  const file = readStackConfigFile(REPO_ROOT, stack);
  return parseStackConfig(stack, { get: (key) => file.config[`${NAMESPACE}:${key}`] }, () => "unused");
}

const fqdn = (service: string, namespace: string) => serviceDnsNames(service, namespace).at(-1) as string;

export function deployedGatewayOptions(cfg: StackConfig<string>): CollectorGatewayOptions {
  const sampler = fqdn("collector-sampler", cfg.namespace);
  return {
    listen: { grpc: POD(PORTS.otlpGrpc), http: POD(PORTS.otlpHttp) },
    tls: MOUNTED_TLS,
    tlsMinVersion: cfg.tls.minVersion,
    samplerResolver: { dns: { hostname: sampler, port: PORTS.otlpGrpc } },
    samplerServerName: sampler,
    healthEndpoint: POD(PORTS.healthCheck),
    memory: memoryLimitsFor(GATEWAY_MEMORY_LIMIT_MIB),
    scrubbing: cfg.scrubbing,
    spanMetrics: { stores: metricsStoreTargets(cfg.namespace), tls: MOUNTED_TLS, tlsMinVersion: cfg.tls.minVersion },
    selfMetrics: { listen: POD(PORTS.collectorSelfMetrics), push: selfMetricsPush(cfg.namespace), store: "all" },
  };
}

export function deployedSamplerOptions(cfg: StackConfig<string>): CollectorSamplerOptions {
  // As components/collector/index.ts sizes it.
  const capacity = samplerCapacity({ ...cfg.traffic, replicas: cfg.replicas.sampler }, cfg.sampling);
  return {
    listen: { grpc: POD(PORTS.otlpGrpc) },
    tls: MOUNTED_TLS,
    tlsMinVersion: cfg.tls.minVersion,
    tempoEndpoint: `${fqdn("tempo", cfg.namespace)}:${PORTS.otlpGrpc}`,
    storageDir: QUEUE_DIR,
    healthEndpoint: POD(PORTS.healthCheck),
    memory: memoryLimitsFor(capacity.containerMemoryLimitMiB),
    sampling: cfg.sampling,
    sizing: capacity.sizing,
    selfMetrics: selfMetricsPush(cfg.namespace),
  };
}
