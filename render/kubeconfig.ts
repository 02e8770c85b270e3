/**
 * The kubeconfig of the explicit Kubernetes provider: one EKS cluster, its
 * API endpoint and CA, and a token from the AWS CLI's exec credential plugin
 * (`aws eks get-token`), so `pulumi up` uses the deploy role's AWS
 * credentials and never whatever kubeconfig the runner has. Pure: no Pulumi.
 */

export interface EksKubeconfigInput {
  /** EKS cluster name (tracing:cluster.name). */
  readonly clusterName: string;
  /** AWS region of the cluster, e.g. eu-central-1. */
  readonly region: string;
  /** The cluster's API server URL, `https://…eks.amazonaws.com`. */
  readonly endpoint: string;
  /** The cluster's CA bundle, base64 PEM as EKS returns it (certificateAuthority.data). */
  readonly certificateAuthorityData: string;
}

/** The exec plugin API version `aws eks get-token` answers with (AWS CLI v2). */
export const EXEC_API_VERSION = "client.authentication.k8s.io/v1beta1";

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

export function eksKubeconfig(input: EksKubeconfigInput): Record<string, unknown> {
  if (!/^https:\/\/[^\s/]+$/.test(input.endpoint)) {
    throw new Error(`EKS cluster ${input.clusterName}: API endpoint ${JSON.stringify(input.endpoint)} is not an https:// URL without a path`);
  }
  if (!BASE64.test(input.certificateAuthorityData)) {
    throw new Error(`EKS cluster ${input.clusterName}: certificate authority data is not base64 (it is certificateAuthority.data of DescribeCluster)`);
  }
  const name = input.clusterName;
  return {
    apiVersion: "v1",
    kind: "Config",
    clusters: [{ name, cluster: { server: input.endpoint, "certificate-authority-data": input.certificateAuthorityData } }],
    users: [
      {
        name,
        user: {
          exec: {
            apiVersion: EXEC_API_VERSION,
            command: "aws",
            args: ["eks", "get-token", "--cluster-name", name, "--region", input.region, "--output", "json"],
            interactiveMode: "Never",
          },
        },
      },
    ],
    contexts: [{ name, context: { cluster: name, user: name } }],
    "current-context": name,
  };
}
