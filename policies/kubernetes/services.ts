/** Services never expose nodes or public addresses; load balancers are internal and source-restricted (R13). */
import { cidrProblem } from "../lib/cidr";
import { annotations, arr, at, str } from "../lib/props";
import { resourceRule } from "../lib/rule";
import { SERVICE } from "./types";

export const noNodePort = resourceRule(
  {
    name: "k8s-service-no-node-port",
    description: "Services must not be of type NodePort: a node port opens the service on every node's address (R13).",
    requirements: ["R13"],
    remediation: "Use a ClusterIP Service, or an internal LoadBalancer created through internalEndpoint() when clients outside the namespace need it.",
    enforcementLevel: "mandatory",
    types: [SERVICE],
  },
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
  },
  (args, report) => {
    const ips = arr(at(args.props, "spec", "externalIPs"));
    if (ips.length > 0) report(`spec.externalIPs is set (${ips.join(", ")}).`);
  },
);

const SCHEME = "service.beta.kubernetes.io/aws-load-balancer-scheme";
const INTERNAL = "service.beta.kubernetes.io/aws-load-balancer-internal";

export const internalLoadBalancer = resourceRule(
  {
    name: "k8s-load-balancer-internal",
    description: "A LoadBalancer Service must request an internal load balancer (R13).",
    requirements: ["R13"],
    remediation: `Annotate the Service with ${SCHEME}: internal (AWS Load Balancer Controller) or ${INTERNAL}: "true"; platform code gets this from internalEndpoint().`,
    enforcementLevel: "mandatory",
    types: [SERVICE],
  },
  (args, report) => {
    if (at(args.props, "spec", "type") !== "LoadBalancer") return;
    const a = annotations(args.props);
    const scheme = str(a[SCHEME]);
    if (scheme !== undefined && scheme !== "internal") report(`annotation ${SCHEME} is "${scheme}".`);
    else if (scheme === undefined && String(a[INTERNAL] ?? "").toLowerCase() !== "true") {
      report(`the load balancer would be internet-facing: neither ${SCHEME}: internal nor ${INTERNAL}: "true" is set.`);
    }
  },
);

export const loadBalancerSourceRanges = resourceRule(
  {
    name: "k8s-load-balancer-source-ranges",
    description: "A LoadBalancer Service must admit only private source ranges, never 0.0.0.0/0 (R13).",
    requirements: ["R13"],
    remediation: "Set spec.loadBalancerSourceRanges to the corporate or application CIDRs (private ranges no wider than /8).",
    enforcementLevel: "mandatory",
    types: [SERVICE],
  },
  (args, report) => {
    if (at(args.props, "spec", "type") !== "LoadBalancer") return;
    const ranges = arr(at(args.props, "spec", "loadBalancerSourceRanges"));
    if (ranges.length === 0) {
      report("spec.loadBalancerSourceRanges is empty, so any address may connect.");
      return;
    }
    for (const range of ranges) {
      const problem = typeof range === "string" ? cidrProblem(range, { requirePrivate: true }) : "is not a string";
      if (problem) report(`source range ${JSON.stringify(range)} ${problem}.`);
    }
  },
);
