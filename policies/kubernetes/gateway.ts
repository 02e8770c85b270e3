/**
 * Gateway API entry points are internal (R13): a Gateway's load balancer is
 * internal (an internal GatewayClass, or the cloud's internal annotation in
 * spec.infrastructure.annotations or on the Gateway, which implementations
 * copy to the generated Service) and asks for no public address; routes
 * (HTTPRoute, GRPCRoute, TLSRoute, TCPRoute, UDPRoute) attach only to such
 * Gateways.
 */
import { PolicyConfigSchema, PolicyResource } from "@pulumi/policy";
import { annotations, arr, at, rec, Rec, str } from "../lib/props";
import { AllowedRanges, publicRangeProblem } from "../lib/privateRanges";
import { rangesOf, resourceRule, stackRule } from "../lib/rule";
import { isConventionallyInternal } from "./ingressClass";
import { internalAnnotation } from "./loadBalancerAnnotations";

const GROUP = "gateway.networking.k8s.io";
const VERSIONS = ["v1", "v1beta1", "v1alpha2"];
export const GATEWAY_TYPES: readonly string[] = VERSIONS.map((v) => `kubernetes:${GROUP}/${v}:Gateway`);
const ROUTE_KINDS = ["HTTPRoute", "GRPCRoute", "TLSRoute", "TCPRoute", "UDPRoute"];
export const ROUTE_TYPES: readonly string[] = VERSIONS.flatMap((v) => ROUTE_KINDS.map((k) => `kubernetes:${GROUP}/${v}:${k}`));

const DEFAULT_INTERNAL_CLASSES = ["amazon-vpc-lattice", "gke-l7-rilb", "gke-l7-rilb-mc", "gke-l7-cross-regional-internal-managed", "gke-l7-cross-regional-internal-managed-mc"];

const GATEWAY_SCHEMA: PolicyConfigSchema = {
  properties: { internalGatewayClasses: { type: "array", items: { type: "string" }, default: DEFAULT_INTERNAL_CLASSES } },
};

interface GatewayConfig {
  /** GatewayClasses whose data plane is internal only. @default VPC Lattice and GKE's internal classes */
  readonly internalGatewayClasses?: readonly string[];
}

/** Why the Gateway is reachable from the internet; [] when it is internal. */
export function gatewayProblems(props: Rec, config: GatewayConfig, allowed: AllowedRanges): string[] {
  const problems: string[] = [];
  const className = str(at(props, "spec", "gatewayClassName"));
  const internalClasses = config.internalGatewayClasses ?? DEFAULT_INTERNAL_CLASSES;
  const infra = rec(at(props, "spec", "infrastructure", "annotations"));
  const internal =
    (className !== undefined && (internalClasses.includes(className) || isConventionallyInternal(className))) ||
    internalAnnotation(infra) === true ||
    internalAnnotation(annotations(props)) === true;
  if (!internal) {
    problems.push(
      `gatewayClassName "${className ?? "?"}" is not an internal class and no internal load balancer annotation is set in spec.infrastructure.annotations, so the Gateway is internet-facing.`,
    );
  }
  for (const address of arr(at(props, "spec", "addresses"))) {
    const type = str(at(address, "type")) ?? "IPAddress";
    const value = at(address, "value");
    if (type === "IPAddress") {
      const problem = publicRangeProblem(value, allowed);
      if (problem) problems.push(`spec.addresses requests public address ${problem}.`);
    }
  }
  return problems;
}

export const gatewayInternal = resourceRule(
  {
    name: "k8s-gateway-internal",
    description: "A Gateway API Gateway must be internal: an internal GatewayClass or an internal load balancer annotation, and no public address (R13).",
    requirements: ["R13"],
    remediation:
      "Use an internal GatewayClass (list it in internalGatewayClasses) or set spec.infrastructure.annotations to the cloud's internal load balancer annotation (service.beta.kubernetes.io/aws-load-balancer-scheme: internal), and request no public spec.addresses.",
    enforcementLevel: "mandatory",
    types: GATEWAY_TYPES,
    usesRanges: true,
    configSchema: GATEWAY_SCHEMA,
    reads: ["metadata", "spec"],
  },
  (args, report) => {
    for (const problem of gatewayProblems(args.props, args.getConfig<GatewayConfig>(), rangesOf(args))) report(problem);
  },
);

function namespaceOf(r: PolicyResource): string {
  return str(at(r.props, "metadata", "namespace")) ?? "default";
}

/** The Gateways a route's parentRefs name, as "namespace/name" (the route's namespace when the ref names none). */
export function gatewayRefs(route: PolicyResource): string[] {
  return arr(at(route.props, "spec", "parentRefs"))
    .filter((ref) => (str(at(ref, "kind")) ?? "Gateway") === "Gateway" && (str(at(ref, "group")) ?? GROUP) === GROUP)
    .map((ref) => `${str(at(ref, "namespace")) ?? namespaceOf(route)}/${str(at(ref, "name")) ?? "?"}`);
}

export function gatewaysByKey(resources: readonly PolicyResource[]): Map<string, PolicyResource> {
  const map = new Map<string, PolicyResource>();
  for (const g of resources.filter((r) => GATEWAY_TYPES.includes(r.type))) map.set(`${namespaceOf(g)}/${str(at(g.props, "metadata", "name")) ?? g.name}`, g);
  return map;
}

export const routeOnInternalGateway = stackRule(
  {
    name: "k8s-route-internal-gateway",
    description: "Gateway API routes must attach only to internal Gateways (R13).",
    requirements: ["R13"],
    remediation: "Attach the route (spec.parentRefs) to an internal Gateway, or make its Gateway internal (see k8s-gateway-internal).",
    enforcementLevel: "mandatory",
    usesRanges: true,
    configSchema: GATEWAY_SCHEMA,
  },
  (args, report) => {
    const gateways = gatewaysByKey(args.resources);
    const config = args.getConfig<GatewayConfig>();
    const allowed = rangesOf(args);
    for (const route of args.resources.filter((r) => ROUTE_TYPES.includes(r.type))) {
      for (const ref of gatewayRefs(route)) {
        const gateway = gateways.get(ref);
        if (gateway && gatewayProblems(gateway.props, config, allowed).length > 0) report(`the route attaches to Gateway ${ref}, which is internet-facing.`, route.urn);
      }
    }
  },
);
