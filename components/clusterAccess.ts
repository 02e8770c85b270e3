/**
 * The explicit Kubernetes provider every Kubernetes resource of the stack
 * uses, so `pulumi up` never depends on an ambient kubeconfig (the runner's
 * ~/.kube/config or $KUBECONFIG). Built from the EKS cluster named in
 * tracing:cluster (endpoint and CA looked up with DescribeCluster, token from
 * `aws eks get-token` with the deploy role's credentials), unless the stack
 * sets the secret tracing:kubeconfig for a cluster reached another way.
 */
import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { eksKubeconfig } from "../render/kubeconfig";

export interface ClusterAccessArgs {
  /** EKS cluster name (tracing:cluster.name). */
  readonly clusterName: string;
  /** AWS region of the cluster. */
  readonly region: string;
  /** A kubeconfig that replaces the EKS one (tracing:kubeconfig, a secret). @default undefined (built from the cluster) */
  readonly kubeconfig?: pulumi.Input<string>;
}

export function kubernetesProvider(name: string, args: ClusterAccessArgs, parent: pulumi.Resource): k8s.Provider {
  const kubeconfig =
    args.kubeconfig ??
    aws.eks.getClusterOutput({ name: args.clusterName }, { parent }).apply((cluster) =>
      JSON.stringify(
        eksKubeconfig({
          clusterName: args.clusterName,
          region: args.region,
          endpoint: cluster.endpoint,
          certificateAuthorityData: cluster.certificateAuthorities[0]?.data ?? "",
        }),
      ),
    );
  return new k8s.Provider(
    `${name}-kubernetes`,
    {
      kubeconfig,
      // The cluster, not the way it is reached, identifies the provider: switching to
      // tracing:kubeconfig (or a rotated CA) updates it instead of replacing every object.
      clusterIdentifier: args.clusterName,
    },
    { parent },
  );
}
