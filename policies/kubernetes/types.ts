/** Kubernetes type tokens and pod-spec extraction shared by the Kubernetes rules. */
import { at, rec, Rec } from "../lib/props";

export const SERVICE = "kubernetes:core/v1:Service";
export const NAMESPACE = "kubernetes:core/v1:Namespace";
export const NETWORK_POLICY = "kubernetes:networking.k8s.io/v1:NetworkPolicy";
export const CONFIG_MAP = "kubernetes:core/v1:ConfigMap";
export const INGRESS_TYPES: readonly string[] = [
  "kubernetes:networking.k8s.io/v1:Ingress",
  "kubernetes:networking.k8s.io/v1beta1:Ingress",
  "kubernetes:extensions/v1beta1:Ingress",
];

/** "kubernetes:apps/v1:Deployment" -> "Deployment"; undefined for non-Kubernetes types. */
export function kindOf(type: string): string | undefined {
  const m = /^kubernetes:[^:]+:([A-Za-z]+)$/.exec(type);
  return m ? m[1] : undefined;
}

/** Where each workload kind keeps its pod spec. */
const POD_SPEC_PATHS: Readonly<Record<string, readonly string[]>> = {
  Pod: ["spec"],
  PodTemplate: ["template", "spec"],
  Deployment: ["spec", "template", "spec"],
  StatefulSet: ["spec", "template", "spec"],
  DaemonSet: ["spec", "template", "spec"],
  ReplicaSet: ["spec", "template", "spec"],
  ReplicationController: ["spec", "template", "spec"],
  Job: ["spec", "template", "spec"],
  CronJob: ["spec", "jobTemplate", "spec", "template", "spec"],
};

export const WORKLOAD_KINDS: readonly string[] = Object.keys(POD_SPEC_PATHS);

/**
 * The pod spec of a workload resource, or undefined when the type carries none.
 * With `patches`, server-side-apply patches (DeploymentPatch...) count too: what
 * they set is checked, but they hold only a fragment, so rules that require a
 * setting must not use them.
 */
export function podSpecOf(type: string, props: Rec, patches = false): Rec | undefined {
  const raw = kindOf(type);
  const kind = patches && raw?.endsWith("Patch") ? raw.slice(0, -"Patch".length) : raw;
  const path = kind ? POD_SPEC_PATHS[kind] : undefined;
  return path ? rec(at(props, ...path)) : undefined;
}

export interface ContainerRef {
  /** "container", "init container" or "ephemeral container", for messages. */
  readonly field: string;
  readonly name: string;
  readonly container: Rec;
}

const LABELS = { containers: "container", initContainers: "init container", ephemeralContainers: "ephemeral container" } as const;

export function containersOf(podSpec: Rec): ContainerRef[] {
  const out: ContainerRef[] = [];
  for (const field of ["containers", "initContainers", "ephemeralContainers"] as const) {
    const list = Array.isArray(podSpec[field]) ? (podSpec[field] as unknown[]) : [];
    list.forEach((c, i) => {
      const container = rec(c);
      if (container) out.push({ field: LABELS[field], name: typeof container.name === "string" ? container.name : `#${i}`, container });
    });
  }
  return out;
}
