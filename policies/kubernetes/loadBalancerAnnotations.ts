/**
 * Annotations that make a cloud load balancer internal (R13), shared by
 * Services, Gateways and Helm values: the AWS Load Balancer Controller's
 * scheme, the in-tree AWS, GKE, Azure and OCI internal annotations.
 */
import { rec, Rec, str } from "../lib/props";

export const AWS_SCHEME = "service.beta.kubernetes.io/aws-load-balancer-scheme";
export const AWS_INTERNAL = "service.beta.kubernetes.io/aws-load-balancer-internal";

/** Annotation -> the value that makes the load balancer internal (compared case-insensitively). */
const INTERNAL_VALUES: Readonly<Record<string, string>> = {
  "networking.gke.io/load-balancer-type": "internal",
  "cloud.google.com/load-balancer-type": "internal",
  "service.beta.kubernetes.io/azure-load-balancer-internal": "true",
  "service.beta.kubernetes.io/oci-load-balancer-internal": "true",
  "service.beta.kubernetes.io/openstack-internal-load-balancer": "true",
};

/** True when the annotations request an internal load balancer, else why not. */
export function internalAnnotation(annotations: Rec | undefined): true | string {
  const a = rec(annotations) ?? {};
  const scheme = str(a[AWS_SCHEME]);
  if (scheme !== undefined) return scheme.trim().toLowerCase() === "internal" ? true : `annotation ${AWS_SCHEME} is "${scheme}", so the load balancer is internet-facing.`;
  // The in-tree AWS provider treats any value but "false" as internal (older manifests use "0.0.0.0/0").
  const awsInternal = String(a[AWS_INTERNAL] ?? "").trim().toLowerCase();
  if (awsInternal !== "" && awsInternal !== "false") return true;
  for (const [key, value] of Object.entries(INTERNAL_VALUES)) {
    if (String(a[key] ?? "").trim().toLowerCase() === value) return true;
  }
  return `the load balancer would be internet-facing: no internal annotation (${AWS_SCHEME}: internal or ${AWS_INTERNAL}: "true") is set.`;
}
