/**
 * The whole tracing platform of one stack: private network, PKI, trace
 * storage, the collector tiers and Grafana. index.ts creates exactly one.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { PlatformConfig } from "../config/load";
import { platformFlows } from "../platform/flows";
import { Application, APPLICATIONS } from "../platform/topology";
import { PrivateNetwork } from "./network";
import { Pki } from "./pki";

export interface TracingPlatformArgs {
  /** The parsed, validated stack configuration. */
  readonly config: PlatformConfig;
}

export interface ClientCertificateOutput {
  readonly certPem: pulumi.Output<string>;
  readonly privateKeyPem: pulumi.Output<string>;
  readonly caCertPem: pulumi.Output<string>;
}

export class TracingPlatform extends pulumi.ComponentResource {
  public readonly namespace: pulumi.Output<string>;
  public readonly caCertPem: pulumi.Output<string>;
  /** mTLS client material for Shop, CRM and MES APIs (keys are secrets). */
  public readonly clientCertificates: Readonly<Record<Application, ClientCertificateOutput>>;

  constructor(name: string, args: TracingPlatformArgs, opts?: pulumi.ComponentResourceOptions) {
    super("tracing:platform:TracingPlatform", name, {}, opts);
    const child = { parent: this };
    const cfg = args.config;
    const tags = { "tracing:stack": cfg.stack, "app.kubernetes.io/part-of": "tracing-platform" };
    const region = aws.config.region ?? "eu-central-1";

    const network = new PrivateNetwork(
      `${name}-network`,
      {
        namespace: cfg.namespace,
        flows: platformFlows({
          ...cfg.network,
          vpcCidr: cfg.cluster.vpcCidr,
          grafanaDatabase: cfg.grafanaDatabase,
        }),
        s3VpcEndpoint: cfg.network.s3VpcEndpoint
          ? { vpcId: cfg.cluster.vpcId, routeTableIds: cfg.cluster.routeTableIds, region }
          : undefined,
        tags,
      },
      child,
    );
    this.namespace = network.namespace;

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
    this.caCertPem = pki.caCertPem;

    const clientCertificates = {} as Record<Application, ClientCertificateOutput>;
    for (const app of APPLICATIONS) clientCertificates[app] = { ...pki.clientCertificates[app], caCertPem: pki.caCertPem };
    this.clientCertificates = clientCertificates;

    // --- trace storage: TraceStore (AWS) and Tempo (issue 3) ---

    // --- collector gateway and sampler (issue 4) ---

    // --- Grafana, access and audit (issue 5) ---

    this.registerOutputs({ namespace: this.namespace, caCertPem: this.caCertPem, clientCertificates });
  }
}
