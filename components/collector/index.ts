/**
 * The Collector (R3): the gateway tier that applications talk to and the
 * tail-sampling tier behind it, from one stack configuration.
 */
import * as pulumi from "@pulumi/pulumi";
import { PlatformConfig } from "../../config/load";
import { collectorImage } from "../../versions/collector";
import { CollectorGateway } from "./gateway";
import { samplerCapacity } from "../../render/samplerSizing";
import { CollectorSampler, SAMPLER_WORKLOAD, samplerResources } from "./sampler";

export interface CollectorArgs {
  /** The parsed stack configuration (namespace, replicas, sampling, TLS, exposure, image). */
  readonly config: PlatformConfig;
  /** The Namespace resource's name output, so objects wait for it. */
  readonly namespaceRef: pulumi.Input<string>;
  /** Tempo's OTLP gRPC `host:port` (Tempo.otlpGrpcEndpoint). */
  readonly tempoEndpoint: string;
}

/** Endpoints applications send OTLP to. */
export interface CollectorEndpoints {
  /** In-cluster OTLP/gRPC `host:port`. */
  readonly grpc: string;
  /** In-cluster OTLP/HTTP base URL. */
  readonly http: string;
  /** Corporate DNS name of the internal NLB (tracing:collectorHostname), when exposed. */
  readonly hostname?: string;
  /** AWS host name of the internal NLB, when exposed. */
  readonly loadBalancerHostname?: pulumi.Output<string>;
}

export class Collector extends pulumi.ComponentResource {
  public readonly endpoints: CollectorEndpoints;

  constructor(name: string, args: CollectorArgs, opts?: pulumi.ComponentResourceOptions) {
    super("tracing:collector:Collector", name, {}, opts);
    const cfg = args.config;
    const child = { parent: this };
    const image = collectorImage(cfg.collectorImageRepository);
    // Buffers and memory from the configured peak, so memory_limiter never refuses at that peak (R7).
    const capacity = samplerCapacity({ ...cfg.traffic, replicas: cfg.replicas.sampler }, cfg.sampling);

    new CollectorSampler(
      `${name}-sampler`,
      {
        namespace: cfg.namespace,
        namespaceRef: args.namespaceRef,
        image,
        replicas: cfg.replicas.sampler,
        sampling: cfg.sampling,
        sizing: capacity.sizing,
        resources: samplerResources(capacity.containerMemoryLimitMiB),
        tempoEndpoint: args.tempoEndpoint,
        tlsMinVersion: cfg.tls.minVersion,
        storageClassName: cfg.storageClassName,
      },
      child,
    );

    const gateway = new CollectorGateway(
      `${name}-gateway`,
      {
        namespace: cfg.namespace,
        namespaceRef: args.namespaceRef,
        image,
        replicas: cfg.replicas.gateway,
        maxReplicas: cfg.replicas.gatewayMax,
        tlsMinVersion: cfg.tls.minVersion,
        scrubbing: cfg.scrubbing,
        samplerService: SAMPLER_WORKLOAD,
        exposure: cfg.network.exposeCollector
          ? { applicationCidrs: cfg.network.applicationCidrs, corporateCidrs: cfg.network.corporateCidrs }
          : undefined,
      },
      child,
    );

    this.endpoints = {
      grpc: gateway.grpcEndpoint,
      http: gateway.httpEndpoint,
      hostname: cfg.network.exposeCollector ? cfg.hostnames.collector : undefined,
      loadBalancerHostname: gateway.loadBalancerHostname,
    };
    this.registerOutputs({ endpoints: this.endpoints });
  }
}
