/**
 * Private networking (R13): the platform namespace, a default-deny policy for
 * ingress and egress, one explicit allow rule per flow of specs/flows.ts,
 * and optionally an S3 gateway VPC endpoint so trace data never leaves the
 * AWS network.
 */
import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { Flow } from "../specs/flows";
import { defaultDenySpec, flowPolicies, NetworkPolicySpec } from "../specs/networkPolicies";
import { PART_OF } from "../specs/topology";

export interface PrivateNetworkArgs {
  /** Name of the namespace to create. @default "tracing" */
  readonly namespace: string;
  /** Flows to allow; everything else is denied in both directions. */
  readonly flows: readonly Flow[];
  /** Create an S3 gateway endpoint in this VPC for these route tables. @default undefined (none) */
  readonly s3VpcEndpoint?: { readonly vpcId: string; readonly routeTableIds: readonly string[]; readonly region: string };
  /** Tags for AWS resources. */
  readonly tags: Readonly<Record<string, string>>;
}

export class PrivateNetwork extends pulumi.ComponentResource {
  /** The namespace name, resolved once the Namespace exists. */
  public readonly namespace: pulumi.Output<string>;
  /** Names of every NetworkPolicy created (default deny first). */
  public readonly policyNames: pulumi.Output<string>[];
  /** The S3 gateway endpoint's id, when one was created. */
  public readonly s3VpcEndpointId?: pulumi.Output<string>;

  constructor(name: string, args: PrivateNetworkArgs, opts?: pulumi.ComponentResourceOptions) {
    super("tracing:network:PrivateNetwork", name, {}, opts);
    const child = { parent: this };

    const ns = new k8s.core.v1.Namespace(
      `${name}-namespace`,
      {
        metadata: {
          name: args.namespace,
          labels: {
            "app.kubernetes.io/part-of": PART_OF,
            // Pod Security Admission: only restricted pods may run here.
            "pod-security.kubernetes.io/enforce": "restricted",
            "pod-security.kubernetes.io/enforce-version": "latest",
          },
        },
      },
      child,
    );
    this.namespace = ns.metadata.name;

    const policy = (policyName: string, spec: NetworkPolicySpec) =>
      new k8s.networking.v1.NetworkPolicy(
        `${name}-${policyName}`,
        { metadata: { name: policyName, namespace: this.namespace, labels: { "app.kubernetes.io/part-of": PART_OF } }, spec },
        child,
      ).metadata.name;

    this.policyNames = [policy("default-deny-all", defaultDenySpec())];
    for (const flow of args.flows) {
      for (const p of flowPolicies(flow)) this.policyNames.push(policy(p.name, p.spec));
    }

    if (args.s3VpcEndpoint) {
      const endpoint = new aws.ec2.VpcEndpoint(
        `${name}-s3-endpoint`,
        {
          vpcId: args.s3VpcEndpoint.vpcId,
          serviceName: `com.amazonaws.${args.s3VpcEndpoint.region}.s3`,
          vpcEndpointType: "Gateway",
          routeTableIds: [...args.s3VpcEndpoint.routeTableIds],
          tags: { ...args.tags, Name: `${name}-s3` },
        },
        child,
      );
      this.s3VpcEndpointId = endpoint.id;
    }

    this.registerOutputs({ namespace: this.namespace, s3VpcEndpointId: this.s3VpcEndpointId });
  }
}
