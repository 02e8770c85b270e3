/**
 * Compute and data services get no public address (R13): EC2 instances,
 * launch templates and launch configurations never associate a public IP,
 * Elastic IPs serve only NAT gateways, the EKS API
 * endpoint is private or limited to allowed ranges, and OpenSearch domains
 * live in a VPC.
 */
import { arr, at, hiddenPath, isFalse, isTrue, oneOrMany, rec, str } from "../lib/props";
import { publicRanges } from "../lib/privateRanges";
import { PolicyResource } from "@pulumi/policy";
import { rangesOf, resourceRule, stackRule } from "../lib/rule";

const INSTANCE = "aws:ec2/instance:Instance";
const SPOT_REQUEST = "aws:ec2/spotInstanceRequest:SpotInstanceRequest";
const LAUNCH_TEMPLATE = "aws:ec2/launchTemplate:LaunchTemplate";
const LAUNCH_CONFIGURATION = "aws:ec2/launchConfiguration:LaunchConfiguration";

export const ec2NoPublicIp = resourceRule(
  {
    name: "aws-ec2-no-public-ip",
    description: "EC2 instances, launch templates and launch configurations must not associate a public IP address (R13).",
    requirements: ["R13"],
    remediation:
      "Set associatePublicIpAddress to false (in a launch template: networkInterfaces[].associatePublicIpAddress \"false\"), launch into private subnets, and reach the hosts through SSM Session Manager, a VPN or an internal load balancer.",
    enforcementLevel: "mandatory",
    types: [INSTANCE, SPOT_REQUEST, LAUNCH_TEMPLATE, LAUNCH_CONFIGURATION],
    reads: ["associatePublicIpAddress", "networkInterfaces"],
  },
  (args, report) => {
    if (isTrue(args.props.associatePublicIpAddress)) report("associatePublicIpAddress is true.");
    arr(args.props.networkInterfaces).forEach((ni, i) => {
      if (isTrue(at(ni, "associatePublicIpAddress"))) report(`networkInterfaces[${i}].associatePublicIpAddress is true.`);
      if (isTrue(at(ni, "associateCarrierIpAddress"))) report(`networkInterfaces[${i}].associateCarrierIpAddress is true.`);
    });
  },
);

const EIP = "aws:ec2/eip:Eip";
const EIP_ASSOCIATION = "aws:ec2/eipAssociation:EipAssociation";
const NAT_GATEWAY = "aws:ec2/natGateway:NatGateway";

/** True when a NAT gateway of the stack uses the Elastic IP (allocationId, regional NAT address lists, or a property dependency). */
function servesNat(eip: PolicyResource, nats: readonly PolicyResource[]): boolean {
  const ids = [str(eip.props.allocationId), str(eip.props.id)].filter((x): x is string => x !== undefined && x !== "");
  return nats.some((nat) => {
    if (Object.values(nat.propertyDependencies ?? {}).some((deps) => deps.some((d) => d.urn === eip.urn))) return true;
    const text = JSON.stringify(nat.props);
    return ids.some((id) => text.includes(JSON.stringify(id)));
  });
}

export const eipOnlyForNat = stackRule(
  {
    name: "aws-eip-only-for-nat",
    description: "Elastic IPs may only serve NAT gateways (egress only); an Elastic IP on an instance, a network interface, an association or unused is a public address (R13).",
    requirements: ["R13"],
    remediation: "Remove the Elastic IP or its association and reach hosts through an internal load balancer, a VPN or SSM Session Manager; keep Elastic IPs only as NAT gateway allocations.",
    enforcementLevel: "mandatory",
  },
  (args, report) => {
    const nats = args.resources.filter((r) => r.type === NAT_GATEWAY);
    for (const r of args.resources) {
      if (r.type === EIP_ASSOCIATION) {
        report(`the association gives ${str(r.props.instanceId) ?? str(r.props.networkInterfaceId) ?? "a host"} a public address (${str(r.props.publicIp) ?? str(r.props.allocationId) ?? "an Elastic IP"}).`, r.urn);
      } else if (r.type === EIP && !servesNat(r, nats)) {
        const target = str(r.props.instance) ?? str(r.props.networkInterface);
        report(`the Elastic IP ${str(r.props.publicIp) ?? ""} ${target ? `is attached to ${target}` : "serves no NAT gateway of this stack"}.`.replace("  ", " "), r.urn);
      }
    }
  },
);

const EKS_CLUSTER = "aws:eks/cluster:Cluster";

export const eksEndpointPrivate = resourceRule(
  {
    name: "aws-eks-endpoint-private",
    description: "The EKS API endpoint must not be public, unless publicAccessCidrs admit only allowed ranges (R13).",
    requirements: ["R13"],
    remediation:
      "Set vpcConfig.endpointPublicAccess to false and endpointPrivateAccess to true (run deployments from inside the network), or list only corporate ranges in vpcConfig.publicAccessCidrs.",
    enforcementLevel: "mandatory",
    types: [EKS_CLUSTER],
    usesRanges: true,
    reads: ["vpcConfig"],
  },
  (args, report) => {
    if (hiddenPath(args.props.vpcConfig)) return; // secret or unknown: exposure-unverifiable reports it
    const vpc = rec(args.props.vpcConfig) ?? {};
    if (isFalse(vpc.endpointPublicAccess)) return;
    // AWS defaults: endpointPublicAccess true, publicAccessCidrs ["0.0.0.0/0"].
    const cidrs = arr(vpc.publicAccessCidrs);
    const open = cidrs.length === 0 ? ["0.0.0.0/0 (the default when publicAccessCidrs is empty: the whole internet)"] : publicRanges(cidrs, rangesOf(args));
    for (const problem of open) report(`the API endpoint is public (endpointPublicAccess ${vpc.endpointPublicAccess === undefined ? "defaults to true" : "is true"}) and admits ${problem}.`);
  },
);

function parseJson(value: unknown): unknown {
  if (typeof value !== "string") return value;
  try {
    return JSON.parse(value) as unknown;
  } catch {
    return undefined;
  }
}

const DOMAINS = ["aws:opensearch/domain:Domain", "aws:elasticsearch/domain:Domain"];
const SERVERLESS_POLICY = "aws:opensearch/serverlessSecurityPolicy:ServerlessSecurityPolicy";

export const openSearchInVpc = resourceRule(
  {
    name: "aws-opensearch-in-vpc",
    description: "OpenSearch and Elasticsearch domains must be placed in a VPC, and OpenSearch Serverless network policies must not allow public access (R13).",
    requirements: ["R13"],
    remediation: "Set vpcOptions.subnetIds (private subnets) and securityGroupIds on the domain; in serverless network policies set AllowFromPublic to false and list SourceVPCEs.",
    enforcementLevel: "mandatory",
    types: [...DOMAINS, SERVERLESS_POLICY],
    reads: ["vpcOptions", "policy", "type"],
  },
  (args, report) => {
    if (args.type === SERVERLESS_POLICY) {
      if (str(args.props.type) !== "network") return;
      // A network policy is a JSON list of {Rules, AllowFromPublic, SourceVPCEs} entries.
      const entries = oneOrMany(parseJson(args.props.policy));
      entries.forEach((e, i) => {
        if (isTrue(at(e, "AllowFromPublic"))) report(`network policy entry #${i} sets AllowFromPublic: true.`);
      });
      return;
    }
    if (hiddenPath(args.props.vpcOptions)) return;
    if (arr(at(args.props, "vpcOptions", "subnetIds")).length === 0) report("the domain has no vpcOptions.subnetIds, so its endpoint is public.");
  },
);
