/** Services never expose nodes or public addresses; load balancers are internal and source-restricted (R13). */
import { annotations, arr, at } from "../lib/props";
import { publicRangeProblem } from "../lib/privateRanges";
import { rangesOf, resourceRule } from "../lib/rule";
import { internalAnnotation } from "./loadBalancerAnnotations";
import { SERVICE } from "./types";

export const noNodePort = resourceRule(
  {
    name: "k8s-service-no-node-port",
    description: "Services must not be of type NodePort or pin node ports: a node port opens the service on every node's address (R13).",
    requirements: ["R13"],
    remediation:
      "Use a ClusterIP Service, or an internal LoadBalancer Service (internal-scheme annotation and corporate loadBalancerSourceRanges) when clients outside the cluster need it; do not set spec.ports[].nodePort.",
    enforcementLevel: "mandatory",
    types: [SERVICE],
    reads: ["spec"],
  },
  // Reads inputs: node ports that Kubernetes assigns to a LoadBalancer Service (allocateLoadBalancerNodePorts) are not the program's choice.
  (args, report) => {
    if (at(args.props, "spec", "type") === "NodePort") report("Service type is NodePort.");
    const nodePorts = arr(at(args.props, "spec", "ports")).filter((p) => typeof at(p, "nodePort") === "number" && (at(p, "nodePort") as number) > 0);
    if (nodePorts.length > 0 && at(args.props, "spec", "type") !== "NodePort") {
      report(`ports pin node ports (${nodePorts.map((p) => at(p, "nodePort")).join(", ")}).`);
    }
  },
);

export const noExternalIps = resourceRule(
  {
    name: "k8s-service-no-external-ips",
    description: "Services must not set externalIPs, which route arbitrary addresses to the service (R13).",
    requirements: ["R13"],
    remediation: "Remove spec.externalIPs; expose the service through an internal load balancer instead.",
    enforcementLevel: "mandatory",
    types: [SERVICE],
    reads: ["spec"],
  },
  (args, report) => {
    const ips = arr(at(args.props, "spec", "externalIPs"));
    if (ips.length > 0) report(`spec.externalIPs is set (${ips.join(", ")}).`);
  },
);

export const internalLoadBalancer = resourceRule(
  {
    name: "k8s-load-balancer-internal",
    description: "A LoadBalancer Service must request an internal load balancer (R13).",
    requirements: ["R13"],
    remediation:
      'Annotate the Service with service.beta.kubernetes.io/aws-load-balancer-scheme: internal (AWS Load Balancer Controller) or service.beta.kubernetes.io/aws-load-balancer-internal: "true" (in-tree), or the cloud\'s equivalent (networking.gke.io/load-balancer-type: Internal, service.beta.kubernetes.io/azure-load-balancer-internal: "true").',
    enforcementLevel: "mandatory",
    types: [SERVICE],
    reads: ["spec", "metadata"],
  },
  (args, report) => {
    if (at(args.props, "spec", "type") !== "LoadBalancer") return;
    const verdict = internalAnnotation(annotations(args.props));
    if (verdict !== true) report(verdict);
  },
);

export const loadBalancerSourceRanges = resourceRule(
  {
    name: "k8s-load-balancer-source-ranges",
    description: "A LoadBalancer Service must admit only private source ranges, never 0.0.0.0/0 (R13).",
    requirements: ["R13"],
    remediation: "Set spec.loadBalancerSourceRanges to the corporate or application CIDRs (private or configured allowed ranges).",
    enforcementLevel: "mandatory",
    types: [SERVICE],
    usesRanges: true,
    reads: ["spec"],
  },
  (args, report) => {
    if (at(args.props, "spec", "type") !== "LoadBalancer") return;
    const ranges = arr(at(args.props, "spec", "loadBalancerSourceRanges"));
    if (ranges.length === 0) {
      report("spec.loadBalancerSourceRanges is empty, so any address may connect.");
      return;
    }
    const allowed = rangesOf(args);
    for (const range of ranges) {
      const problem = publicRangeProblem(range, allowed);
      if (problem) report(`source range ${problem}.`);
    }
  },
);
