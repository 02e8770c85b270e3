/**
 * Turns flows into Kubernetes NetworkPolicy specs (plain objects, no Pulumi).
 * A flow between two platform workloads needs two rules, because both
 * directions are denied by default: an egress rule on the source pods and an
 * ingress rule on the destination pods.
 */
import { Flow, Peer } from "./flows";
import { workloadLabels } from "./topology";

export interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: { key: string; operator: string; values: string[] }[];
}

export interface PolicyPeer {
  podSelector?: LabelSelector;
  namespaceSelector?: LabelSelector;
  ipBlock?: { cidr: string };
}

export interface PolicyPort {
  port: number;
  protocol: string;
}

export interface NetworkPolicySpec {
  readonly podSelector: LabelSelector;
  readonly policyTypes: ("Ingress" | "Egress")[];
  readonly ingress?: { from: PolicyPeer[]; ports: PolicyPort[] }[];
  readonly egress?: { to: PolicyPeer[]; ports: PolicyPort[] }[];
}

export interface NamedPolicy {
  readonly name: string;
  readonly spec: NetworkPolicySpec;
}

/** Selects every pod of the namespace and allows nothing: the baseline (R13). */
export function defaultDenySpec(): NetworkPolicySpec {
  return { podSelector: {}, policyTypes: ["Ingress", "Egress"] };
}

/** The `from`/`to` entries that name a peer, as seen from the other end. */
function peerSelectors(peer: Peer): PolicyPeer[] {
  switch (peer.kind) {
    case "workload":
      return [{ podSelector: { matchLabels: workloadLabels(peer.workload) } }];
    case "all-platform-pods":
      return [{ podSelector: {} }];
    case "namespaces":
      return [{ namespaceSelector: { matchExpressions: [{ key: "kubernetes.io/metadata.name", operator: "In", values: [...peer.names] }] } }];
    case "cidrs":
      return peer.cidrs.map((cidr) => ({ ipBlock: { cidr } }));
    case "kube-dns":
      return [
        {
          namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "kube-system" } },
          podSelector: { matchLabels: { "k8s-app": "kube-dns" } },
        },
      ];
  }
}

/** The pod selector of the platform pods a peer stands for, or undefined when the peer lives outside the namespace. */
function localSelector(peer: Peer): LabelSelector | undefined {
  if (peer.kind === "workload") return { matchLabels: workloadLabels(peer.workload) };
  if (peer.kind === "all-platform-pods") return {};
  return undefined;
}

function selectorKey(selector: LabelSelector): string {
  return selector.matchLabels?.["app.kubernetes.io/name"] ?? "all";
}

export function flowPolicies(flow: Flow): NamedPolicy[] {
  const ports = flow.ports.map((p) => ({ port: p.port, protocol: p.protocol }));
  const policies: NamedPolicy[] = [];
  for (const destination of flow.to) {
    const selector = localSelector(destination);
    if (!selector) continue;
    policies.push({
      name: `allow-${flow.name}-ingress-${selectorKey(selector)}`,
      spec: { podSelector: selector, policyTypes: ["Ingress"], ingress: [{ from: flow.from.flatMap(peerSelectors), ports }] },
    });
  }
  for (const source of flow.from) {
    const selector = localSelector(source);
    if (!selector) continue;
    policies.push({
      name: `allow-${flow.name}-egress-${selectorKey(selector)}`,
      spec: { podSelector: selector, policyTypes: ["Egress"], egress: [{ to: flow.to.flatMap(peerSelectors), ports }] },
    });
  }
  return policies;
}
