/**
 * Every namespace the stack creates starts from deny-all in both directions
 * (R13): a NetworkPolicy selecting all pods with no rules for Ingress and one
 * for Egress (one policy or two); and no policy admits the internet.
 */
import { StackValidationArgs } from "@pulumi/policy";
import { arr, at, rec, Rec, str } from "../lib/props";
import { AllowedRanges, publicRangeProblem, publicRanges } from "../lib/privateRanges";
import { rangesOf, resourceRule, stackRule } from "../lib/rule";
import { NAMESPACE, NETWORK_POLICY } from "./types";

type Direction = "Ingress" | "Egress";

function selectsAllPods(spec: Record<string, unknown>): boolean {
  const selector = rec(spec.podSelector);
  if (!selector) return false;
  return Object.keys(rec(selector.matchLabels) ?? {}).length === 0 && arr(selector.matchExpressions).length === 0;
}

/** The directions a NetworkPolicy denies for every pod of its namespace. */
export function deniedDirections(spec: Record<string, unknown>): Direction[] {
  if (!selectsAllPods(spec)) return [];
  // Without policyTypes Kubernetes assumes Ingress, plus Egress when egress rules exist.
  const types = Array.isArray(spec.policyTypes)
    ? (spec.policyTypes as unknown[]).filter((t): t is Direction => t === "Ingress" || t === "Egress")
    : (["Ingress", ...(spec.egress !== undefined ? ["Egress"] : [])] as Direction[]);
  return types.filter((d) => arr(spec[d === "Ingress" ? "ingress" : "egress"]).length === 0);
}

export const namespaceDefaultDeny = stackRule(
  {
    name: "k8s-namespace-default-deny",
    description: "Every Namespace the stack creates must have a default-deny NetworkPolicy for ingress and egress (R13).",
    requirements: ["R13"],
    remediation:
      "Add a NetworkPolicy in the namespace with podSelector: {}, policyTypes: [Ingress, Egress] and no rules, then allow each needed flow explicitly.",
    enforcementLevel: "mandatory",
  },
  (args: StackValidationArgs, report) => {
    const namespaces = args.resources.filter((r) => r.type === NAMESPACE);
    if (namespaces.length === 0) args.notApplicable("the stack creates no Namespace");
    const denied = new Map<string, Set<Direction>>();
    for (const policy of args.resources.filter((r) => r.type === NETWORK_POLICY)) {
      const ns = str(at(policy.props, "metadata", "namespace")) ?? "default";
      const set = denied.get(ns) ?? new Set<Direction>();
      for (const d of deniedDirections(rec(policy.props.spec) ?? {})) set.add(d);
      denied.set(ns, set);
    }
    for (const ns of namespaces) {
      const name = str(at(ns.props, "metadata", "name"));
      if (!name) {
        report("the Namespace has no readable metadata.name, so its NetworkPolicies cannot be checked.", ns.urn);
        continue;
      }
      const set = denied.get(name) ?? new Set<Direction>();
      const missing = (["Ingress", "Egress"] as const).filter((d) => !set.has(d));
      if (missing.length > 0) report(`namespace "${name}" has no default-deny NetworkPolicy for ${missing.join(" and ")}.`, ns.urn);
    }
  },
);

const CILIUM_TYPES = ["kubernetes:cilium.io/v2:CiliumNetworkPolicy", "kubernetes:cilium.io/v2:CiliumClusterwideNetworkPolicy"];

/** Public ranges and entities a NetworkPolicy (or Cilium policy) admits as ingress sources. */
function publicSources(type: string, props: Rec, allowed: AllowedRanges): string[] {
  const found: string[] = [];
  if (type === NETWORK_POLICY) {
    arr(at(props, "spec", "ingress")).forEach((rule, i) => {
      for (const peer of arr(at(rule, "from"))) {
        const cidr = at(peer, "ipBlock", "cidr");
        if (cidr === undefined) continue;
        const problem = publicRangeProblem(cidr, allowed);
        if (problem) found.push(`ingress[${i}] admits ipBlock ${problem}`);
      }
    });
    return found;
  }
  const specs = [rec(props.spec), ...arr(props.specs).map(rec)].filter((s): s is Rec => s !== undefined);
  for (const spec of specs) {
    arr(spec.ingress).forEach((rule, i) => {
      const cidrs = [...arr(at(rule, "fromCIDR")), ...arr(at(rule, "fromCIDRSet")).map((s) => at(s, "cidr"))];
      for (const problem of publicRanges(cidrs, allowed)) found.push(`ingress[${i}] admits ${problem}`);
      for (const entity of arr(at(rule, "fromEntities"))) {
        if (entity === "world" || entity === "all") found.push(`ingress[${i}] admits the entity "${entity}" (the internet)`);
      }
    });
  }
  return found;
}

export const networkPolicyNoPublicSources = resourceRule(
  {
    name: "k8s-network-policy-no-public-sources",
    description: "NetworkPolicies (and Cilium policies) must not admit ingress from public ranges: every ipBlock/fromCIDR must be private or allowed (R13).",
    requirements: ["R13"],
    remediation: "Limit ipBlock.cidr (fromCIDR) to the corporate or VPC ranges, or select peers with podSelector/namespaceSelector; never 0.0.0.0/0 or the \"world\" entity.",
    enforcementLevel: "mandatory",
    types: [NETWORK_POLICY, ...CILIUM_TYPES],
    usesRanges: true,
    reads: ["spec", "specs"],
  },
  (args, report) => {
    for (const problem of publicSources(args.type, args.props, rangesOf(args))) report(`${problem}.`);
  },
);
