/** No AWS network entry point is public: security groups and load balancers (R13). */
import { cidrProblem } from "../lib/cidr";
import { arr, at, isTrue, str } from "../lib/props";
import { resourceRule } from "../lib/rule";

const SECURITY_GROUP = "aws:ec2/securityGroup:SecurityGroup";
const SECURITY_GROUP_RULE = "aws:ec2/securityGroupRule:SecurityGroupRule";
const INGRESS_RULE = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule";

function ports(rule: unknown): string {
  const from = at(rule, "fromPort");
  const to = at(rule, "toPort");
  const protocol = str(at(rule, "protocol")) ?? str(at(rule, "ipProtocol")) ?? "?";
  return from === undefined ? protocol : from === to ? `${protocol}/${String(from)}` : `${protocol}/${String(from)}-${String(to)}`;
}

/** Ranges that open a port to the internet: /0 or anything wider than /8. */
function openRanges(ranges: unknown[]): string[] {
  return ranges.filter((c): c is string => typeof c === "string").filter((c) => {
    const problem = cidrProblem(c, { requirePrivate: false });
    return problem !== undefined && !problem.startsWith("is not a valid");
  });
}

export const securityGroupNoPublicIngress = resourceRule(
  {
    name: "aws-security-group-no-public-ingress",
    description: "Security groups must not admit ingress from 0.0.0.0/0, ::/0 or any range wider than /8 (R13).",
    requirements: ["R13"],
    remediation: "Restrict the ingress rule to the corporate or VPC CIDRs, a prefix list or a source security group.",
    enforcementLevel: "mandatory",
    types: [SECURITY_GROUP, SECURITY_GROUP_RULE, INGRESS_RULE],
  },
  (args, report) => {
    const p = args.props;
    const rules =
      args.type === SECURITY_GROUP
        ? arr(p.ingress)
        : args.type === SECURITY_GROUP_RULE
          ? p.type === "ingress"
            ? [p]
            : []
          : [{ ...p, cidrBlocks: [p.cidrIpv4], ipv6CidrBlocks: [p.cidrIpv6] }];
    for (const rule of rules) {
      for (const cidr of openRanges([...arr(at(rule, "cidrBlocks")), ...arr(at(rule, "ipv6CidrBlocks"))])) {
        report(`ingress ${ports(rule)} is open to ${cidr}.`);
      }
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
  },
  (args, report) => {
    // The provider's default is internet-facing, so internal must be set.
    if (!isTrue(args.props.internal)) report("the load balancer is internet-facing (internal is not true).");
  },
);
