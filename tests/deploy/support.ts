/** Shared checks of the deploy path (explicit providers, who reaches Grafana) on a synthesized stack. */
import * as fs from "fs";
import * as path from "path";
import * as YAML from "yaml";
import { SynthResource, Synthesis } from "../../synth/synthesize";
import { ofType, PROJECT_DIR } from "../support/synth";

type Json = Record<string, any>;

/** The `tracing:*` values of a committed stack file, as YAML gives them. */
export function stackValues(stack: string): Json {
  const config = (YAML.parse(fs.readFileSync(path.join(PROJECT_DIR, `Pulumi.${stack}.yaml`), "utf8")) as { config: Json }).config;
  return Object.fromEntries(Object.entries(config).map(([k, v]) => [k.replace(/^tracing:/, ""), v]));
}

export const metadataName = (r: SynthResource) => (r.inputs.metadata as { name: string }).name;

/** Every CIDR any NetworkPolicy of the stack names, per policy name. */
export function networkPolicyCidrs(s: Synthesis): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const p of ofType(s, "kubernetes:networking.k8s.io/v1:NetworkPolicy")) {
    const spec = p.inputs.spec as Json;
    const peers = [...(spec.ingress ?? []).flatMap((r: Json) => r.from), ...(spec.egress ?? []).flatMap((r: Json) => r.to)];
    out.set(metadataName(p), peers.filter((peer: Json) => peer.ipBlock).map((peer: Json) => peer.ipBlock.cidr as string));
  }
  return out;
}

/** CIDRs admitted to Grafana's pods by ingress rules. */
export function grafanaIngressCidrs(s: Synthesis): string[] {
  return ofType(s, "kubernetes:networking.k8s.io/v1:NetworkPolicy")
    .map((p) => p.inputs.spec as Json)
    .filter((spec) => spec.policyTypes.includes("Ingress") && spec.podSelector.matchLabels?.["app.kubernetes.io/name"] === "grafana")
    .flatMap((spec) => spec.ingress.flatMap((rule: Json) => rule.from.filter((peer: Json) => peer.ipBlock).map((peer: Json) => peer.ipBlock.cidr as string)));
}

export function loadBalancers(s: Synthesis): Map<string, string[]> {
  return new Map(
    ofType(s, "kubernetes:core/v1:Service")
      .filter((r) => (r.inputs.spec as Json).type === "LoadBalancer")
      .map((r) => [metadataName(r), (r.inputs.spec as Json).loadBalancerSourceRanges as string[]]),
  );
}

export const sorted = (list: readonly string[]) => [...list].sort();
