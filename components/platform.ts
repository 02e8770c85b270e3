/**
 * The whole tracing platform of one stack: private network, PKI, trace
 * storage, the collector tiers and Grafana. index.ts creates exactly one.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { PlatformConfig } from "../config/load";
import { platformFlows } from "../specs/flows";
import { Application, APPLICATIONS, TENANTS } from "../specs/topology";
import { kubernetesProvider } from "./clusterAccess";
import { tenantLimitsFromStack } from "../render/tempoLimits";
import { PrivateNetwork } from "./network";
import { Pki } from "./pki";
import { Collector, CollectorEndpoints } from "./collector";
import { Grafana } from "./grafana/grafana";
import { MetricsStore } from "./metricsStore";
import { METRICS_STORES } from "../specs/metricsStores";
import { Tempo } from "./tempo";
import { TraceStore } from "./traceStore";

export interface TracingPlatformArgs {
  /** The parsed, validated stack configuration. */
  readonly config: PlatformConfig;
}

export interface ClientCertificateOutput {
  readonly certPem: pulumi.Output<string>;
  readonly privateKeyPem: pulumi.Output<string>;
  readonly caCertPem: pulumi.Output<string>;
}

type Tags = Readonly<Record<string, string>>;

/** The namespace with its default-deny NetworkPolicies and flows, and the stack's PKI. */
function networkAndPki(name: string, cfg: PlatformConfig, region: string, tags: Tags, child: pulumi.ComponentResourceOptions) {
  const network = new PrivateNetwork(
    `${name}-network`,
    {
      namespace: cfg.namespace,
      flows: platformFlows({
        ...cfg.network,
        vpcCidr: cfg.cluster.vpcCidr,
        grafanaDatabase: cfg.grafanaDatabase,
        smtp: cfg.alerting.smtp,
      }),
      s3VpcEndpoint: cfg.network.s3VpcEndpoint
        ? { vpcId: cfg.cluster.vpcId, routeTableIds: cfg.cluster.routeTableIds, region }
        : undefined,
      tags,
    },
    child,
  );
  const pki = new Pki(
    `${name}-pki`,
    {
      namespace: cfg.namespace,
      namespaceRef: network.namespace,
      ...cfg.tls,
      extraDnsNames: {
        grafana: [cfg.hostnames.grafana],
        "collector-gateway": cfg.hostnames.collector ? [cfg.hostnames.collector] : [],
      },
    },
    child,
  );
  return { network, pki };
}

/** Trace storage: bucket, key and IRSA role (AWS), Tempo (Kubernetes). */
function traceStorage(name: string, cfg: PlatformConfig, region: string, tags: Tags, network: PrivateNetwork, pki: Pki, child: pulumi.ComponentResourceOptions) {
  const traceStore = new TraceStore(
    `${name}-trace-store`,
    {
      namespace: cfg.namespace,
      serviceAccountName: "tempo",
      archive: cfg.archive,
      cluster: { oidcProviderArn: cfg.cluster.oidcProviderArn, oidcIssuer: cfg.cluster.oidcIssuer },
      s3VpcEndpointId: network.s3VpcEndpointId,
      tenants: Object.values(TENANTS),
      tags,
    },
    child,
  );
  const tempo = new Tempo(
    `${name}-tempo`,
    {
      namespace: cfg.namespace,
      namespaceRef: network.namespace,
      tlsSecretName: pki.tlsSecrets.tempo,
      tlsMinVersion: cfg.tls.minVersion,
      roleArn: traceStore.tempoRoleArn,
      bucketName: traceStore.bucketName,
      region,
      kmsKeyArn: traceStore.kmsKeyArn,
      retentionDays: cfg.retentionDays,
      tenantRetentionDays: cfg.tenantRetentionDays,
      limits: tenantLimitsFromStack(cfg.tempoLimits),
      storageClassName: cfg.storageClassName,
    },
    child,
  );
  return { traceStore, tempo };
}

/** The metrics stores: span metrics from the gateway, read by Grafana's alert rules (R5). */
function metricsStores(name: string, cfg: PlatformConfig, network: PrivateNetwork, pki: Pki, child: pulumi.ComponentResourceOptions): MetricsStore[] {
  return METRICS_STORES.map(
    (spec) =>
      new MetricsStore(
        `${name}-${spec.workload}`,
        {
          namespace: cfg.namespace,
          namespaceRef: network.namespace,
          spec,
          tlsSecretName: pki.tlsSecrets[spec.workload],
          tlsMinVersion: cfg.tls.minVersion,
          retentionDays: cfg.alerting.metricsRetentionDays,
          volumeGiB: cfg.alerting.metricsVolumeGiB,
          storageClassName: cfg.storageClassName,
        },
        child,
      ),
  );

}

export class TracingPlatform extends pulumi.ComponentResource {
  public readonly namespace: pulumi.Output<string>;
  public readonly caCertPem: pulumi.Output<string>;
  /** Grafana's corporate URL and the Object Lock bucket of the audit trail (R11). */
  public readonly grafanaUrl: string;
  public readonly auditBucketName: pulumi.Output<string>;
  /** mTLS client material for Shop, CRM and MES APIs (keys are secrets). */
  public readonly clientCertificates: Readonly<Record<Application, ClientCertificateOutput>>;
  /** S3 bucket holding Tempo's blocks (and, as noncurrent versions, the archive). */
  public readonly traceBucketName: pulumi.Output<string>;
  /** IAM role Tempo's service account assumes (IRSA). */
  public readonly tempoRoleArn: pulumi.Output<string>;
  /** Tempo's query API (HTTPS, client certificate required) for Grafana. */
  public readonly tempoQueryUrl: string;
  /** Tempo's OTLP gRPC endpoint (TLS, client certificate required) for the sampler. */
  public readonly tempoOtlpGrpcEndpoint: string;
  /** Where Shop, CRM and MES APIs send OTLP (mutual TLS, client certificates above). */
  public readonly collectorEndpoints: CollectorEndpoints;

  constructor(name: string, args: TracingPlatformArgs, opts?: pulumi.ComponentResourceOptions) {
    super("tracing:platform:TracingPlatform", name, {}, opts);
    const cfg = args.config;
    const tags = { "tracing:stack": cfg.stack, "app.kubernetes.io/part-of": "tracing-platform" };
    const region = aws.config.region ?? "eu-central-1";
    // Every Kubernetes object below inherits this provider through its parent chain.
    const kubernetes = kubernetesProvider(name, { clusterName: cfg.cluster.name, region, kubeconfig: cfg.secrets.kubeconfig }, this);
    const child = { parent: this, providers: [kubernetes] };

    const { network, pki } = networkAndPki(name, cfg, region, tags, child);
    this.namespace = network.namespace;

    this.caCertPem = pki.caCertPem;

    const clientCertificates = {} as Record<Application, ClientCertificateOutput>;
    for (const app of APPLICATIONS) clientCertificates[app] = { ...pki.clientCertificates[app], caCertPem: pki.caCertPem };
    this.clientCertificates = clientCertificates;

    const { traceStore, tempo } = traceStorage(name, cfg, region, tags, network, pki, child);
    this.traceBucketName = traceStore.bucketName;
    this.tempoRoleArn = traceStore.tempoRoleArn;
    this.tempoQueryUrl = tempo.queryUrl;
    this.tempoOtlpGrpcEndpoint = tempo.otlpGrpcEndpoint;

    // --- collector gateway and sampler ---
    const collector = new Collector(
      `${name}-collector`,
      { config: cfg, namespaceRef: network.namespace, tempoEndpoint: tempo.otlpGrpcEndpoint },
      child,
    );
    this.collectorEndpoints = collector.endpoints;

    const stores = metricsStores(name, cfg, network, pki, child);

    // --- Grafana, access and audit ---
    const grafana = new Grafana(
      `${name}-grafana`,
      {
        config: cfg,
        namespaceRef: network.namespace,
        tlsSecretName: pki.tlsSecrets.grafana,
        certificate: pki.workloadCertificates.grafana,
        caCertPem: pki.caCertPem,
        region,
        tags,
      },
      { ...child, dependsOn: [tempo, ...stores] },
    );
    this.grafanaUrl = grafana.url;
    this.auditBucketName = grafana.auditBucketName;

    this.registerOutputs({
      collectorEndpoints: this.collectorEndpoints,
      namespace: this.namespace,
      caCertPem: this.caCertPem,
      clientCertificates,
      traceBucketName: this.traceBucketName,
      tempoRoleArn: this.tempoRoleArn,
      grafanaUrl: this.grafanaUrl,
      auditBucketName: this.auditBucketName,
    });
  }
}
