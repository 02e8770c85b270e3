/** No AWS network entry point is public: security groups and load balancers (R13). */
import { arr, at, hiddenPath, isTrue, str } from "../lib/props";
import { publicRanges } from "../lib/privateRanges";
import { rangesOf, resourceRule } from "../lib/rule";

const SECURITY_GROUP = "aws:ec2/securityGroup:SecurityGroup";
const DEFAULT_SECURITY_GROUP = "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup";
const SECURITY_GROUP_RULE = "aws:ec2/securityGroupRule:SecurityGroupRule";
const INGRESS_RULE = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule";

function ports(rule: unknown): string {
  const from = at(rule, "fromPort");
  const to = at(rule, "toPort");
  const protocol = str(at(rule, "protocol")) ?? str(at(rule, "ipProtocol")) ?? "?";
  return from === undefined ? protocol : from === to ? `${protocol}/${String(from)}` : `${protocol}/${String(from)}-${String(to)}`;
}

export const securityGroupNoPublicIngress = resourceRule(
  {
    name: "aws-security-group-no-public-ingress",
    description: "Security groups must admit ingress only from private or allowed ranges: any other range, of any size, is public (R13).",
    requirements: ["R13"],
    remediation: "Restrict the ingress rule to the corporate or VPC CIDRs, a prefix list or a source security group.",
    enforcementLevel: "mandatory",
    types: [SECURITY_GROUP, DEFAULT_SECURITY_GROUP, SECURITY_GROUP_RULE, INGRESS_RULE],
    usesRanges: true,
    reads: ["ingress", "type", "cidrBlocks", "ipv6CidrBlocks", "cidrIpv4", "cidrIpv6"],
  },
  (args, report) => {
    const p = args.props;
    const rules =
      args.type === SECURITY_GROUP || args.type === DEFAULT_SECURITY_GROUP
        ? arr(p.ingress)
        : args.type === SECURITY_GROUP_RULE
          ? p.type === "ingress"
            ? [p]
            : []
          : [{ ...p, cidrBlocks: [p.cidrIpv4], ipv6CidrBlocks: [p.cidrIpv6] }];
    const allowed = rangesOf(args);
    for (const rule of rules) {
      const ranges = [...arr(at(rule, "cidrBlocks")), ...arr(at(rule, "ipv6CidrBlocks"))].filter((c) => c !== undefined && c !== null && c !== "");
      for (const problem of publicRanges(ranges, allowed)) report(`ingress ${ports(rule)} is open to ${problem}.`);
    }
  },
);

const LOAD_BALANCERS = ["aws:lb/loadBalancer:LoadBalancer", "aws:alb/loadBalancer:LoadBalancer", "aws:elb/loadBalancer:LoadBalancer"];

export const loadBalancerInternal = resourceRule(
  {
    name: "aws-load-balancer-internal",
    description: "AWS load balancers (ALB, NLB, classic ELB) must be internal (R13).",
    requirements: ["R13"],
    remediation: "Set internal: true and place the load balancer in private subnets.",
    enforcementLevel: "mandatory",
    types: LOAD_BALANCERS,
    reads: ["internal"],
  },
  (args, report) => {
    // The provider's default is internet-facing, so internal must be set.
    if (hiddenPath(args.props.internal)) return; // secret or unknown: exposure-unverifiable reports it
    if (!isTrue(args.props.internal)) report("the load balancer is internet-facing (internal is not true).");
  },
);
