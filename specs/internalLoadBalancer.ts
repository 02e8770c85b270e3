/**
 * The only way anything in the platform is reachable from outside its
 * namespace (R13): a Service of type LoadBalancer that the AWS Load Balancer
 * Controller turns into an internal NLB, admitting only the corporate or the
 * application CIDRs. Whatever a caller passes, the result is internal, has no
 * node ports and no external IPs, and its source ranges are a subset of the
 * audience's configured CIDRs. Pure, so tests can throw any input at it.
 */
import { cidrContains, cidrProblem, parseCidr } from "../config/cidr";

export type Audience = "corporate" | "applications";

export interface InternalLoadBalancerInput {
  /** Who may connect: corporate users (Grafana) or application networks (collector gateway). */
  readonly audience: Audience;
  /** The configured ranges per audience (tracing:corporateCidrs, tracing:applicationCidrs). */
  readonly allowedCidrs: Readonly<Record<Audience, readonly string[]>>;
  /** Narrower source ranges, each inside the audience's ranges. @default the audience's ranges */
  readonly sourceRanges?: readonly string[];
  /**
   * Where `pulumi up` runs (tracing:deployerCidrs), added to the source ranges
   * for an endpoint the deployment itself calls (Grafana's API, for the Grafana
   * provider). Private ranges no wider than /8. @default [] (none)
   */
  readonly deployerCidrs?: readonly string[];
  readonly selector: Readonly<Record<string, string>>;
  readonly ports: readonly { readonly name: string; readonly port: number; readonly targetPort: number }[];
  /** Extra annotations (e.g. a health-check path); security annotations always win. */
  readonly annotations?: Readonly<Record<string, string>>;
}

export interface InternalLoadBalancerSpec {
  readonly annotations: Record<string, string>;
  readonly spec: {
    type: "LoadBalancer";
    loadBalancerClass: string;
    allocateLoadBalancerNodePorts: false;
    externalTrafficPolicy: "Local";
    loadBalancerSourceRanges: string[];
    selector: Record<string, string>;
    ports: { name: string; port: number; targetPort: number; protocol: "TCP" }[];
  };
}

/** Annotations of the AWS Load Balancer Controller that make the NLB internal, IP-targeted and client-IP preserving. */
export const INTERNAL_NLB_ANNOTATIONS: Readonly<Record<string, string>> = {
  "service.beta.kubernetes.io/aws-load-balancer-type": "external",
  "service.beta.kubernetes.io/aws-load-balancer-scheme": "internal",
  "service.beta.kubernetes.io/aws-load-balancer-internal": "true",
  "service.beta.kubernetes.io/aws-load-balancer-nlb-target-type": "ip",
  // NetworkPolicies then see the client's address and admit only the same CIDRs.
  "service.beta.kubernetes.io/aws-load-balancer-target-group-attributes": "preserve_client_ip.enabled=true",
};

export const AWS_LOAD_BALANCER_CLASS = "service.k8s.aws/nlb";

export function internalLoadBalancerSpec(input: InternalLoadBalancerInput): InternalLoadBalancerSpec {
  const audienceRanges = input.allowedCidrs[input.audience] ?? [];
  if (audienceRanges.length === 0) {
    throw new Error(`internal load balancer for ${input.audience}: no ${input.audience} CIDRs are configured, so nothing could reach it`);
  }
  for (const range of audienceRanges) {
    const problem = cidrProblem(range, { requirePrivate: true });
    if (problem) throw new Error(`internal load balancer for ${input.audience}: configured range ${JSON.stringify(range)} ${problem}`);
  }
  const requested = input.sourceRanges ?? audienceRanges;
  if (requested.length === 0) throw new Error(`internal load balancer for ${input.audience}: sourceRanges must not be empty`);
  const parsedAudience = audienceRanges.map((c) => parseCidr(c)!);
  for (const range of requested) {
    const cidr = parseCidr(range);
    if (!cidr || !parsedAudience.some((outer) => cidrContains(outer, cidr))) {
      throw new Error(
        `internal load balancer for ${input.audience}: source range ${JSON.stringify(range)} is not inside the ${input.audience} CIDRs ${JSON.stringify(audienceRanges)}`,
      );
    }
  }
  const deployers = input.deployerCidrs ?? [];
  for (const range of deployers) {
    const problem = cidrProblem(range, { requirePrivate: true });
    if (problem) throw new Error(`internal load balancer for ${input.audience}: deployer range ${JSON.stringify(range)} ${problem}`);
  }
  if (input.ports.length === 0) throw new Error("internal load balancer: at least one port is required");
  return {
    annotations: { ...(input.annotations ?? {}), ...INTERNAL_NLB_ANNOTATIONS },
    spec: {
      type: "LoadBalancer",
      loadBalancerClass: AWS_LOAD_BALANCER_CLASS,
      allocateLoadBalancerNodePorts: false,
      externalTrafficPolicy: "Local",
      loadBalancerSourceRanges: [...new Set([...requested, ...deployers])],
      selector: { ...input.selector },
      ports: input.ports.map((p) => ({ name: p.name, port: p.port, targetPort: p.targetPort, protocol: "TCP" })),
    },
  };
}
