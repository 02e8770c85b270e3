/**
 * What the policies cannot see is reported, not passed (R13): a property an
 * exposure rule must read that is a secret (encrypted in a stack export) or
 * unknown (computed during preview), every helm.sh/v3 Release (its rendered
 * objects never reach the policies, only its values), Helm values read from
 * files, and Gateway API routes whose Gateway is not in the stack.
 *
 * The level is advisory by default and configurable like any rule
 * (`exposure-unverifiable: mandatory` in the policy config): mandatory would
 * forbid every Helm release and every secret policy document in every stack,
 * while the rules that can see something (k8s-helm-values-no-exposure reads
 * the values) already fail what they see. Teams that must prove the absence
 * of exposure set it to mandatory.
 */
import { at, hiddenPath, isSecret } from "./props";
import { stackRule, TracingPolicy, TracingResourcePolicy } from "./rule";
import { HELM_RELEASE, HELM_TYPES } from "../kubernetes/helm";
import { gatewaysByKey, gatewayRefs, ROUTE_TYPES } from "../kubernetes/gateway";

function isResourcePolicy(p: TracingPolicy): p is TracingResourcePolicy {
  return "validateResource" in p;
}

export function unverifiableRule(policies: readonly TracingPolicy[]): TracingPolicy {
  const watched = policies.filter(isResourcePolicy).filter((p) => (p.types && p.reads) || p.hidden);
  return stackRule(
    {
      name: "exposure-unverifiable",
      description: "Resources whose exposure the policies cannot verify (secret or unknown values, Helm releases' rendered objects, routes to Gateways outside the stack) are reported, never passed silently (R13).",
      requirements: ["R13"],
      remediation:
        "Verify the resource another way and record it: render the Helm release with `helm template` and run the policies on typed resources (or use helm.sh/v4 Chart, whose objects policies see), keep policy documents and exposure settings out of secrets, and run the pack again after values are known (pulumi up, or policy:check on the stack export).",
      enforcementLevel: "advisory",
    },
    (args, report) => {
      const gateways = gatewaysByKey(args.resources);
      for (const r of args.resources) {
        const reasons: string[] = [];
        if (r.type === HELM_RELEASE) reasons.push("a helm.sh/v3 Release's rendered objects are not visible to policies; only its values were checked");
        if (HELM_TYPES.includes(r.type) && Array.isArray(r.props.valueYamlFiles) && r.props.valueYamlFiles.length > 0) reasons.push("values read from valueYamlFiles are not visible to policies");
        if (HELM_TYPES.includes(r.type) && isSecret(r.props.values)) reasons.push("its values are a secret");
        for (const p of watched) {
          if (p.types && p.reads && p.types.includes(r.type)) {
            for (const read of p.reads) {
              const found = hiddenPath(at(r.props, ...read.split(".")));
              if (found) reasons.push(`${p.name} cannot read ${read}${found.path ? `.${found.path}` : ""}: it is ${found.kind === "secret" ? "a secret" : "unknown until apply"}`);
            }
          }
          if (p.hidden) for (const reason of p.hidden(r.type, r.props)) reasons.push(`${p.name}: ${reason}`);
        }
        if (ROUTE_TYPES.includes(r.type)) {
          for (const ref of gatewayRefs(r)) if (!gateways.has(ref)) reasons.push(`k8s-route-internal-gateway cannot see Gateway ${ref}: it is not in this stack`);
        }
        for (const reason of [...new Set(reasons)]) report(`cannot verify exposure: ${reason}.`, r.urn);
      }
    },
  );
}
