/** Must-fail and must-pass AWS resources for each rule, in stack-export shape (@pulumi/aws 7 tokens and property names). */
import { ACCOUNT, ExportBuilder, policyJson, REGION, secret } from "../exportShapes";
import { RuleCase } from "./ruleCase";

const root = { AWS: `arn:aws:iam::${ACCOUNT}:root` };
const arn = (service: string, resource: string) => `arn:aws:${service}:${REGION}:${ACCOUNT}:${resource}`;

function bucket(b: ExportBuilder, name: string, extra: Record<string, unknown> = {}) {
  const physical = `${name}-7f3a2c1`;
  return b.aws("aws:s3/bucket:Bucket", name, { __defaults: ["bucket"], bucket: physical, forceDestroy: false, ...extra }, {
    arn: `arn:aws:s3:::${physical}`,
    bucketDomainName: `${physical}.s3.amazonaws.com`,
    serverSideEncryptionConfiguration: { rule: { applyServerSideEncryptionByDefault: { kmsMasterKeyId: "", sseAlgorithm: "AES256" }, bucketKeyEnabled: false } },
    versioning: { enabled: false, mfaDelete: false },
  }, { id: physical });
}

export const AWS_CASES: readonly RuleCase[] = [
  {
    rule: "s3-public-access-block",
    title: "an account-level public access block covers every bucket; a bucket without any block fails",
    build: (b) => {
      const covered = bucket(b, "covered");
      b.aws("aws:s3/accountPublicAccessBlock:AccountPublicAccessBlock", "account-pab", { accountId: ACCOUNT, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true }, {}, { id: ACCOUNT });
      return { fails: [], passes: [covered] };
    },
  },
  {
    rule: "s3-public-access-block",
    title: "without the account block, a bucket needs its own",
    build: (b) => {
      const bare = bucket(b, "bare");
      const own = bucket(b, "own");
      b.aws("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", "own-pab", { bucket: own.id, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true }, {}, { deps: { bucket: [own] } });
      return { fails: [bare], passes: [own] };
    },
  },
  {
    rule: "s3-no-public-policy",
    title: "aws:SecureTransport alone restricts nothing; aws:SourceVpce does",
    build: (b) => {
      const tlsOnlyAllow = b.aws("aws:s3/bucketPolicy:BucketPolicy", "assets-policy", {
        bucket: "assets-7f3a2c1",
        policy: policyJson({ Sid: "PublicRead", Effect: "Allow", Principal: "*", Action: "s3:GetObject", Resource: "arn:aws:s3:::assets-7f3a2c1/*", Condition: { Bool: { "aws:SecureTransport": "true" } } }),
      });
      const vpce = b.aws("aws:s3/bucketPolicy:BucketPolicy", "data-policy", {
        bucket: "data-7f3a2c1",
        policy: policyJson({ Sid: "FromEndpoint", Effect: "Allow", Principal: "*", Action: ["s3:GetObject", "s3:PutObject"], Resource: "arn:aws:s3:::data-7f3a2c1/*", Condition: { StringEquals: { "aws:SourceVpce": "vpce-0a1b2c3d4e5f60718" } } }),
      });
      const ifExists = b.aws("aws:s3/bucketPolicy:BucketPolicy", "loose-policy", {
        bucket: "loose-7f3a2c1",
        policy: policyJson({ Effect: "Allow", Principal: { AWS: "*" }, Action: "s3:GetObject", Resource: "arn:aws:s3:::loose-7f3a2c1/*", Condition: { StringEqualsIfExists: { "aws:SourceVpce": "vpce-0a1b2c3d4e5f60718" } } }),
      });
      return { fails: [tlsOnlyAllow, ifExists], passes: [vpce], message: /aws:securetransport|do not narrow/i };
    },
  },
  {
    rule: "s3-no-website-hosting",
    title: "website configuration resources and inline website blocks fail; a plain bucket passes",
    build: (b) => {
      const site = b.aws("aws:s3/bucketWebsiteConfiguration:BucketWebsiteConfiguration", "site", { bucket: "site-7f3a2c1", indexDocument: { suffix: "index.html" }, errorDocument: { key: "error.html" } });
      const inline = bucket(b, "legacy-site", { website: { indexDocument: "index.html" } });
      const plain = bucket(b, "plain");
      return { fails: [site, inline], passes: [plain] };
    },
  },
  {
    rule: "aws-resource-policy-not-public",
    title: "KMS: the default account-root key policy and a CallerAccount condition pass; {AWS: *} with only SecureTransport fails",
    build: (b) => {
      const defaultKey = b.aws("aws:kms/key:Key", "data-key", { description: "data", enableKeyRotation: true, deletionWindowInDays: 30 }, {
        arn: arn("kms", "key/1f2e3d4c-5b6a-7980-1a2b-3c4d5e6f7a8b"),
        policy: policyJson({ Sid: "Enable IAM User Permissions", Effect: "Allow", Principal: root, Action: "kms:*", Resource: "*" }),
        keyUsage: "ENCRYPT_DECRYPT",
      });
      const viaService = b.aws("aws:kms/keyPolicy:KeyPolicy", "logs-key-policy", {
        keyId: "1f2e3d4c-5b6a-7980-1a2b-3c4d5e6f7a8c",
        policy: policyJson(
          { Sid: "Root", Effect: "Allow", Principal: root, Action: "kms:*", Resource: "*" },
          { Sid: "ViaS3", Effect: "Allow", Principal: { AWS: "*" }, Action: ["kms:Decrypt", "kms:GenerateDataKey*"], Resource: "*", Condition: { StringEquals: { "kms:CallerAccount": ACCOUNT, "kms:ViaService": `s3.${REGION}.amazonaws.com` } } },
        ),
      });
      const open = b.aws("aws:kms/key:Key", "shared-key", {
        policy: policyJson({ Sid: "AnyoneDecrypt", Effect: "Allow", Principal: { AWS: "*" }, Action: "kms:Decrypt", Resource: "*", Condition: { Bool: { "aws:SecureTransport": "true" } } }),
      });
      return { fails: [open], passes: [defaultKey, viaService], message: /AnyoneDecrypt/ };
    },
  },
  {
    rule: "aws-resource-policy-not-public",
    title: "SQS and SNS: policies limited to a source ARN or owner pass; Principal * without a narrowing condition fails",
    build: (b) => {
      const topicArn = arn("sns", "orders-events");
      const queue = b.aws("aws:sqs/queuePolicy:QueuePolicy", "orders-queue-policy", {
        queueUrl: `https://sqs.${REGION}.amazonaws.com/${ACCOUNT}/orders`,
        policy: policyJson({ Effect: "Allow", Principal: { Service: "sns.amazonaws.com" }, Action: "sqs:SendMessage", Resource: arn("sqs", "orders"), Condition: { ArnEquals: { "aws:SourceArn": topicArn } } }),
      });
      const starWithArn = b.aws("aws:sqs/queue:Queue", "audit-queue", {
        __defaults: ["name"],
        name: "audit-queue-1a2b3c4",
        policy: policyJson({ Effect: "Allow", Principal: "*", Action: "sqs:SendMessage", Resource: arn("sqs", "audit-queue-1a2b3c4"), Condition: { ArnLike: { "aws:SourceArn": topicArn } } }),
      }, { arn: arn("sqs", "audit-queue-1a2b3c4"), url: `https://sqs.${REGION}.amazonaws.com/${ACCOUNT}/audit-queue-1a2b3c4` });
      const openQueue = b.aws("aws:sqs/queue:Queue", "inbox", {
        __defaults: ["name"],
        name: "inbox-1a2b3c4",
        policy: policyJson({ Sid: "AnyoneSend", Effect: "Allow", Principal: "*", Action: "sqs:SendMessage", Resource: arn("sqs", "inbox-1a2b3c4") }),
      });
      const topic = b.aws("aws:sns/topicPolicy:TopicPolicy", "events-policy", {
        arn: topicArn,
        policy: policyJson({ Sid: "OwnerPublish", Effect: "Allow", Principal: { AWS: "*" }, Action: "SNS:Publish", Resource: topicArn, Condition: { StringEquals: { "AWS:SourceOwner": ACCOUNT } } }),
      });
      const wildcardTopic = b.aws("aws:sns/topic:Topic", "alerts", {
        __defaults: ["name"],
        name: "alerts-1a2b3c4",
        policy: policyJson({ Sid: "AnySource", Effect: "Allow", Principal: "*", Action: ["SNS:Subscribe", "SNS:Publish"], Resource: arn("sns", "alerts-1a2b3c4"), Condition: { StringLike: { "aws:SourceArn": "arn:aws:*:*:*:*" } } }),
      });
      return { fails: [openQueue, wildcardTopic], passes: [queue, starWithArn, topic] };
    },
  },
  {
    rule: "aws-resource-policy-not-public",
    title: "ECR, OpenSearch, Secrets Manager and IAM trust policies",
    build: (b) => {
      const ecrOpen = b.aws("aws:ecr/repositoryPolicy:RepositoryPolicy", "images-policy", {
        repository: "images",
        policy: policyJson({ Sid: "PublicPull", Effect: "Allow", Principal: "*", Action: ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"] }),
      });
      const ecrOrg = b.aws("aws:ecr/repositoryPolicy:RepositoryPolicy", "base-policy", {
        repository: "base",
        policy: policyJson({ Sid: "OrgPull", Effect: "Allow", Principal: "*", Action: ["ecr:BatchGetImage"], Condition: { StringEquals: { "aws:PrincipalOrgID": "o-a1b2c3d4e5" } } }),
      });
      const domainArn = arn("es", "domain/search/*");
      const searchOpen = b.aws("aws:opensearch/domainPolicy:DomainPolicy", "search-policy", {
        domainName: "search",
        accessPolicies: policyJson({ Effect: "Allow", Principal: { AWS: "*" }, Action: "es:*", Resource: domainArn, Condition: { IpAddress: { "aws:SourceIp": ["0.0.0.0/0"] } } }),
      });
      const searchCorp = b.aws("aws:opensearch/domainPolicy:DomainPolicy", "logs-policy", {
        domainName: "logs",
        accessPolicies: policyJson({ Effect: "Allow", Principal: { AWS: "*" }, Action: "es:ESHttp*", Resource: domainArn, Condition: { IpAddress: { "aws:SourceIp": ["10.20.0.0/16", "192.168.10.0/24"] } } }),
      });
      const guarded = b.aws("aws:secretsmanager/secretPolicy:SecretPolicy", "db-secret-policy", {
        secretArn: arn("secretsmanager", "secret:db-AbCdEf"),
        policy: policyJson(
          { Effect: "Allow", Principal: "*", Action: "secretsmanager:GetSecretValue", Resource: "*" },
          { Effect: "Deny", Principal: "*", Action: "secretsmanager:*", Resource: "*", Condition: { StringNotEquals: { "aws:SourceVpce": "vpce-0a1b2c3d4e5f60718" } } },
        ),
      });
      const trustAnyone = b.aws("aws:iam/role:Role", "deployer", {
        __defaults: ["name"],
        assumeRolePolicy: policyJson({ Effect: "Allow", Principal: { AWS: "*" }, Action: "sts:AssumeRole" }),
      });
      const trustIrsa = b.aws("aws:iam/role:Role", "tempo-irsa", {
        __defaults: ["name"],
        assumeRolePolicy: policyJson({
          Effect: "Allow",
          Principal: { Federated: `arn:aws:iam::${ACCOUNT}:oidc-provider/oidc.eks.${REGION}.amazonaws.com/id/ABC` },
          Action: "sts:AssumeRoleWithWebIdentity",
          Condition: { StringEquals: { [`oidc.eks.${REGION}.amazonaws.com/id/ABC:sub`]: "system:serviceaccount:tracing:tempo" } },
        }),
      });
      return { fails: [ecrOpen, searchOpen, trustAnyone], passes: [ecrOrg, searchCorp, guarded, trustIrsa] };
    },
  },
  {
    rule: "aws-resource-policy-not-public",
    title: "a company's public corporate range counts as private once configured in allowedCidrs",
    config: { all: { allowedCidrs: ["198.51.100.0/24"] } },
    build: (b) => {
      const corp = b.aws("aws:opensearch/domainPolicy:DomainPolicy", "corp-policy", {
        domainName: "corp",
        accessPolicies: policyJson({ Effect: "Allow", Principal: { AWS: "*" }, Action: "es:ESHttpGet", Resource: "*", Condition: { IpAddress: { "aws:SourceIp": "198.51.100.0/24" } } }),
      });
      const elsewhere = b.aws("aws:opensearch/domainPolicy:DomainPolicy", "other-policy", {
        domainName: "other",
        accessPolicies: policyJson({ Effect: "Allow", Principal: { AWS: "*" }, Action: "es:ESHttpGet", Resource: "*", Condition: { IpAddress: { "aws:SourceIp": "198.51.101.0/24" } } }),
      });
      return { fails: [elsewhere], passes: [corp] };
    },
  },
  {
    rule: "aws-lambda-permission-not-public",
    title: "principal * without a source fails, so does functionUrlAuthType NONE; API Gateway with sourceArn passes",
    build: (b) => {
      const open = b.aws("aws:lambda/permission:Permission", "anyone-invoke", { action: "lambda:InvokeFunction", function: "orders-handler", principal: "*" });
      const url = b.aws("aws:lambda/permission:Permission", "url-invoke", { action: "lambda:InvokeFunctionUrl", function: "orders-handler", principal: "*", functionUrlAuthType: "NONE" });
      const layer = b.aws("aws:lambda/layerVersionPermission:LayerVersionPermission", "layer-share", { action: "lambda:GetLayerVersion", layerName: "otel", principal: "*", statementId: "all", versionNumber: 3 });
      const api = b.aws("aws:lambda/permission:Permission", "api-invoke", {
        action: "lambda:InvokeFunction",
        function: "orders-handler",
        principal: "apigateway.amazonaws.com",
        sourceArn: `arn:aws:execute-api:${REGION}:${ACCOUNT}:a1b2c3d4e5/*/*`,
      });
      const bucketEvents = b.aws("aws:lambda/permission:Permission", "s3-invoke", { action: "lambda:InvokeFunction", function: "ingest", principal: "s3.amazonaws.com", sourceArn: "arn:aws:s3:::ingest-7f3a2c1", sourceAccount: ACCOUNT });
      return { fails: [open, url, layer], passes: [api, bucketEvents] };
    },
  },
  {
    rule: "aws-security-group-no-public-ingress",
    title: "a public /24 and a cloud provider's /8 are public; private ranges and source security groups pass",
    build: (b) => {
      const partner = b.aws("aws:ec2/securityGroup:SecurityGroup", "partner-sg", {
        __defaults: ["name"],
        vpcId: "vpc-0a1b2c3d",
        ingress: [{ protocol: "tcp", fromPort: 443, toPort: 443, cidrBlocks: ["203.0.113.0/24"], ipv6CidrBlocks: [], prefixListIds: [], securityGroups: [], self: false, description: "partner" }],
        egress: [{ protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["0.0.0.0/0"] }],
      });
      const cloud8 = b.aws("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", "cloud-range", { securityGroupId: "sg-0a1b2c3d", ipProtocol: "tcp", fromPort: 22, toPort: 22, cidrIpv4: "3.0.0.0/8" });
      const rule = b.aws("aws:ec2/securityGroupRule:SecurityGroupRule", "ssh-anywhere", { type: "ingress", securityGroupId: "sg-0a1b2c3d", protocol: "tcp", fromPort: 22, toPort: 22, cidrBlocks: ["0.0.0.0/0"] });
      const internal = b.aws("aws:ec2/securityGroup:SecurityGroup", "app-sg", {
        __defaults: ["name"],
        vpcId: "vpc-0a1b2c3d",
        ingress: [
          { protocol: "tcp", fromPort: 443, toPort: 443, cidrBlocks: ["10.20.0.0/16"], ipv6CidrBlocks: ["fd00:ec2::/64"] },
          { protocol: "tcp", fromPort: 5432, toPort: 5432, cidrBlocks: [], securityGroups: ["sg-0f0e0d0c"] },
        ],
      });
      const hiddenRange = b.aws("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", "hidden-range", { securityGroupId: "sg-0a1b2c3d", ipProtocol: "tcp", fromPort: 443, toPort: 443, cidrIpv4: secret() });
      const fromSg = b.aws("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", "from-alb", { securityGroupId: "sg-0a1b2c3d", ipProtocol: "tcp", fromPort: 8080, toPort: 8080, referencedSecurityGroupId: "sg-0f0e0d0c" });
      // A secret range is not judged here: exposure-unverifiable reports it.
      return { fails: [partner, cloud8, rule], passes: [internal, fromSg, hiddenRange], message: /outside the private ranges|whole internet/ };
    },
  },
  {
    rule: "aws-load-balancer-internal",
    title: "internet-facing ALB fails, internal NLB passes",
    build: (b) => {
      const facing = b.aws("aws:lb/loadBalancer:LoadBalancer", "web-alb", { __defaults: ["name"], loadBalancerType: "application", subnets: ["subnet-0a", "subnet-0b"] }, { internal: false, dnsName: "web-alb-1.eu-west-1.elb.amazonaws.com" });
      const nlb = b.aws("aws:lb/loadBalancer:LoadBalancer", "grpc-nlb", { __defaults: ["name"], internal: true, loadBalancerType: "network", subnets: ["subnet-0c"] });
      return { fails: [facing], passes: [nlb] };
    },
  },
  {
    rule: "aws-listener-no-plain-http",
    title: "an HTTP listener that forwards fails; HTTPS and an HTTP listener that only redirects pass",
    build: (b) => {
      const lb = `arn:aws:elasticloadbalancing:${REGION}:${ACCOUNT}:loadbalancer/app/web/50dc6c495c0c9188`;
      const tg = `arn:aws:elasticloadbalancing:${REGION}:${ACCOUNT}:targetgroup/web/73e2d6bc24d8a067`;
      const forward = b.aws("aws:lb/listener:Listener", "http-forward", { loadBalancerArn: lb, port: 80, protocol: "HTTP", defaultActions: [{ type: "forward", targetGroupArn: tg }] });
      const classic = b.aws("aws:elb/loadBalancer:LoadBalancer", "legacy", { internal: true, listeners: [{ instancePort: 8080, instanceProtocol: "http", lbPort: 80, lbProtocol: "http" }] });
      const https = b.aws("aws:lb/listener:Listener", "https", {
        loadBalancerArn: lb,
        port: 443,
        protocol: "HTTPS",
        sslPolicy: "ELBSecurityPolicy-TLS13-1-2-2021-06",
        certificateArn: arn("acm", "certificate/abc"),
        defaultActions: [{ type: "forward", targetGroupArn: tg }],
      });
      const redirect = b.aws("aws:alb/listener:Listener", "http-redirect", {
        loadBalancerArn: lb,
        port: 80,
        protocol: "HTTP",
        defaultActions: [{ type: "redirect", redirect: { port: "443", protocol: "HTTPS", statusCode: "HTTP_301" } }],
      });
      const tls = b.aws("aws:lb/listener:Listener", "nlb-tls", { loadBalancerArn: lb, port: 4317, protocol: "TLS", certificateArn: arn("acm", "certificate/abc"), defaultActions: [{ type: "forward", targetGroupArn: tg }] });
      return { fails: [forward, classic], passes: [https, redirect, tls] };
    },
  },
  {
    rule: "aws-ec2-no-public-ip",
    title: "instances and launch templates with a public IP fail",
    build: (b) => {
      const bastion = b.aws("aws:ec2/instance:Instance", "bastion", { ami: "ami-0a1b2c3d4e5f60718", instanceType: "t3.micro", subnetId: "subnet-0a", associatePublicIpAddress: true }, { publicIp: "52.49.10.20" });
      const template = b.aws("aws:ec2/launchTemplate:LaunchTemplate", "workers", {
        __defaults: ["name"],
        imageId: "ami-0a1b2c3d4e5f60718",
        networkInterfaces: [{ associatePublicIpAddress: "true", deviceIndex: 0, securityGroups: ["sg-0a1b2c3d"] }],
      });
      const privateHost = b.aws("aws:ec2/instance:Instance", "worker", { ami: "ami-0a1b2c3d4e5f60718", instanceType: "t3.micro", subnetId: "subnet-0c", associatePublicIpAddress: false }, { privateIp: "10.20.1.15", publicIp: "" });
      const privateTemplate = b.aws("aws:ec2/launchTemplate:LaunchTemplate", "nodes", { __defaults: ["name"], imageId: "ami-0a", networkInterfaces: [{ associatePublicIpAddress: "false", deviceIndex: 0 }] });
      return { fails: [bastion, template], passes: [privateHost, privateTemplate] };
    },
  },
  {
    rule: "aws-eip-only-for-nat",
    title: "an Elastic IP on an instance, an association and an unused Elastic IP fail; a NAT gateway's Elastic IP passes (its outputs name the NAT's interface)",
    build: (b) => {
      const onHost = b.aws("aws:ec2/eip:Eip", "bastion-ip", { domain: "vpc", instance: "i-0a1b2c3d4e5f60718" }, { publicIp: "52.49.10.21", allocationId: "eipalloc-0a1" }, { id: "eipalloc-0a1" });
      const assoc = b.aws("aws:ec2/eipAssociation:EipAssociation", "web-ip", { allocationId: "eipalloc-0a2", instanceId: "i-0f0e0d0c0b0a09080" });
      const nat = b.aws("aws:ec2/eip:Eip", "nat-ip", { domain: "vpc" }, { publicIp: "52.49.10.22", networkInterface: "eni-0a1b2c3d", associationId: "eipassoc-0a1", allocationId: "eipalloc-0a3" }, { id: "eipalloc-0a3" });
      const gw = b.aws("aws:ec2/natGateway:NatGateway", "nat", { allocationId: "eipalloc-0a3", subnetId: "subnet-0a" }, {}, { deps: { allocationId: [nat] } });
      const unused = b.aws("aws:ec2/eip:Eip", "spare-ip", { domain: "vpc" }, { publicIp: "52.49.10.23", allocationId: "eipalloc-0a4" }, { id: "eipalloc-0a4" });
      const natIp2 = b.aws("aws:ec2/eip:Eip", "nat-ip-b", { domain: "vpc" }, { publicIp: "52.49.10.24", allocationId: "eipalloc-0a5" }, { id: "eipalloc-0a5" });
      const gw2 = b.aws("aws:ec2/natGateway:NatGateway", "nat-b", { allocationId: "eipalloc-0a5", subnetId: "subnet-0b" });
      return { fails: [onHost, assoc, unused], passes: [nat, gw, natIp2, gw2] };
    },
  },
  {
    rule: "aws-eks-endpoint-private",
    title: "the default public endpoint fails, so does one open to a public range; a private endpoint passes",
    build: (b) => {
      const defaulted = b.aws("aws:eks/cluster:Cluster", "apps", { roleArn: `arn:aws:iam::${ACCOUNT}:role/eks`, vpcConfig: { subnetIds: ["subnet-0a", "subnet-0b"] } }, { vpcConfig: { endpointPublicAccess: true, publicAccessCidrs: ["0.0.0.0/0"] } });
      const office = b.aws("aws:eks/cluster:Cluster", "data", { roleArn: `arn:aws:iam::${ACCOUNT}:role/eks`, vpcConfig: { subnetIds: ["subnet-0a"], endpointPublicAccess: true, publicAccessCidrs: ["203.0.113.10/32"] } });
      const privateOnly = b.aws("aws:eks/cluster:Cluster", "core", { roleArn: `arn:aws:iam::${ACCOUNT}:role/eks`, vpcConfig: { subnetIds: ["subnet-0a"], endpointPrivateAccess: true, endpointPublicAccess: false } }, { vpcConfig: { publicAccessCidrs: ["0.0.0.0/0"] } });
      return { fails: [defaulted, office], passes: [privateOnly] };
    },
  },
  {
    rule: "aws-opensearch-in-vpc",
    title: "a domain without vpcOptions and a serverless AllowFromPublic policy fail; a VPC domain passes",
    build: (b) => {
      const open = b.aws("aws:opensearch/domain:Domain", "search", { domainName: "search", engineVersion: "OpenSearch_2.13", clusterConfig: { instanceType: "r6g.large.search" } }, { endpoint: "search-search-abc.eu-west-1.es.amazonaws.com" });
      const serverless = b.aws("aws:opensearch/serverlessSecurityPolicy:ServerlessSecurityPolicy", "public-net", {
        name: "public-net",
        type: "network",
        policy: JSON.stringify([{ Rules: [{ ResourceType: "collection", Resource: ["collection/logs"] }], AllowFromPublic: true }]),
      });
      const vpc = b.aws("aws:opensearch/domain:Domain", "logs", { domainName: "logs", vpcOptions: { subnetIds: ["subnet-0a"], securityGroupIds: ["sg-0a"] } });
      const vpceOnly = b.aws("aws:opensearch/serverlessSecurityPolicy:ServerlessSecurityPolicy", "vpce-net", {
        name: "vpce-net",
        type: "network",
        policy: JSON.stringify([{ Rules: [{ ResourceType: "collection", Resource: ["collection/logs"] }], AllowFromPublic: false, SourceVPCEs: ["vpce-0a1b2c3d"] }]),
      });
      return { fails: [open, serverless], passes: [vpc, vpceOnly] };
    },
  },
  {
    rule: "aws-lambda-url-iam-auth",
    title: "a function URL with NONE fails, AWS_IAM passes",
    build: (b) => {
      const none = b.aws("aws:lambda/functionUrl:FunctionUrl", "hook-url", { functionName: "webhook", authorizationType: "NONE" }, { functionUrl: "https://abc.lambda-url.eu-west-1.on.aws/" });
      const iam = b.aws("aws:lambda/functionUrl:FunctionUrl", "internal-url", { functionName: "report", authorizationType: "AWS_IAM" });
      // Unknown during preview: not judged here, exposure-unverifiable reports it.
      const pending = b.aws("aws:lambda/functionUrl:FunctionUrl", "pending-url", { functionName: "hook", authorizationType: "04da6b54-80e4-46f7-96ec-b56ff0331ba9" });
      return { fails: [none], passes: [iam, pending] };
    },
  },
  {
    rule: "aws-api-gateway-authorization",
    title: "NONE on a regional REST API (the method and the API) and on an HTTP route fails; PRIVATE APIs, authorizers and CORS preflight pass",
    build: (b) => {
      const regional = b.aws("aws:apigateway/restApi:RestApi", "public-api", { name: "public-api", endpointConfiguration: { types: "REGIONAL" } }, { id: "a1b2c3d4e5", endpointConfiguration: { types: "REGIONAL" } }, { id: "a1b2c3d4e5" });
      const privateApi = b.aws("aws:apigateway/restApi:RestApi", "private-api", { name: "private-api", endpointConfiguration: { types: "PRIVATE", vpcEndpointIds: ["vpce-0a1"] } }, {}, { id: "f6g7h8i9j0" });
      const open = b.aws("aws:apigateway/method:Method", "orders-get", { restApi: "a1b2c3d4e5", resourceId: "abc123", httpMethod: "GET", authorization: "NONE" }, {}, { deps: { restApi: [regional] } });
      const preflight = b.aws("aws:apigateway/method:Method", "orders-options", { restApi: "a1b2c3d4e5", resourceId: "abc123", httpMethod: "OPTIONS", authorization: "NONE" });
      const iam = b.aws("aws:apigateway/method:Method", "orders-post", { restApi: "a1b2c3d4e5", resourceId: "abc123", httpMethod: "POST", authorization: "AWS_IAM" });
      const inPrivate = b.aws("aws:apigateway/method:Method", "status-get", { restApi: "f6g7h8i9j0", resourceId: "def456", httpMethod: "GET", authorization: "NONE" }, {}, { deps: { restApi: [privateApi] } });
      const route = b.aws("aws:apigatewayv2/route:Route", "default-route", { apiId: "h1i2j3", routeKey: "$default" }, { authorizationType: "NONE" });
      const jwt = b.aws("aws:apigatewayv2/route:Route", "orders-route", { apiId: "h1i2j3", routeKey: "GET /orders", authorizationType: "JWT", authorizerId: "auth01" });
      const quick = b.aws("aws:apigatewayv2/api:Api", "quick", { name: "quick", protocolType: "HTTP", target: `arn:aws:lambda:${REGION}:${ACCOUNT}:function:hook` });
      return { fails: [open, regional, route, quick], passes: [privateApi, preflight, iam, inPrivate, jwt] };
    },
  },
  {
    rule: "aws-no-internet-facing-service",
    title: "a CloudFront distribution and an ECR Public repository fail; a private ECR repository passes",
    build: (b) => {
      const cdn = b.aws("aws:cloudfront/distribution:Distribution", "cdn", {
        enabled: true,
        origins: [{ domainName: "assets-7f3a2c1.s3.eu-west-1.amazonaws.com", originId: "s3" }],
        defaultCacheBehavior: { allowedMethods: ["GET", "HEAD"], cachedMethods: ["GET", "HEAD"], targetOriginId: "s3", viewerProtocolPolicy: "redirect-to-https" },
        restrictions: { geoRestriction: { restrictionType: "none" } },
        viewerCertificate: { cloudfrontDefaultCertificate: true },
      }, { domainName: "d111111abcdef8.cloudfront.net" });
      const publicRepo = b.aws("aws:ecrpublic/repository:Repository", "sdk-images", { repositoryName: "sdk" });
      const privateRepo = b.aws("aws:ecr/repository:Repository", "images", { __defaults: ["name"], imageTagMutability: "IMMUTABLE" });
      return { fails: [cdn, publicRepo], passes: [privateRepo] };
    },
  },
  {
    rule: "aws-snapshot-not-public",
    title: "RDS cluster snapshots shared with all, EBS createVolumePermission all and unblocked snapshot sharing fail",
    build: (b) => {
      const cluster = b.aws("aws:rds/clusterSnapshot:ClusterSnapshot", "orders-final", { dbClusterIdentifier: "orders", dbClusterSnapshotIdentifier: "orders-final", sharedAccounts: ["all"] });
      const instance = b.aws("aws:rds/snapshot:Snapshot", "crm-snap", { dbInstanceIdentifier: "crm", dbSnapshotIdentifier: "crm-snap", sharedAccounts: ["all"] });
      const ebs = b.aws("aws:ec2/snapshotCreateVolumePermission:SnapshotCreateVolumePermission", "disk-share", { snapshotId: "snap-0a1b2c3d", accountId: "all" });
      const unblocked = b.aws("aws:ebs/snapshotBlockPublicAccess:SnapshotBlockPublicAccess", "ebs-bpa", { state: "unblocked" });
      const shared = b.aws("aws:rds/snapshot:Snapshot", "dr-snap", { dbInstanceIdentifier: "crm", dbSnapshotIdentifier: "dr-snap", sharedAccounts: ["210987654321"] });
      const blocked = b.aws("aws:ebs/snapshotBlockPublicAccess:SnapshotBlockPublicAccess", "ebs-bpa-on", { state: "block-all-sharing" });
      const toAccount = b.aws("aws:ec2/snapshotCreateVolumePermission:SnapshotCreateVolumePermission", "dr-share", { snapshotId: "snap-0a1b2c3d", accountId: "210987654321" });
      return { fails: [cluster, instance, ebs, unblocked], passes: [shared, blocked, toAccount] };
    },
  },
  {
    rule: "aws-ami-not-public",
    title: "launch permission group all fails; an account grant passes",
    build: (b) => {
      const all = b.aws("aws:ec2/amiLaunchPermission:AmiLaunchPermission", "golden-public", { imageId: "ami-0a1b2c3d", group: "all" });
      const unblocked = b.aws("aws:ec2/imageBlockPublicAccess:ImageBlockPublicAccess", "ami-bpa", { state: "unblocked" });
      const account = b.aws("aws:ec2/amiLaunchPermission:AmiLaunchPermission", "golden-dr", { imageId: "ami-0a1b2c3d", accountId: "210987654321" });
      const blocked = b.aws("aws:ec2/imageBlockPublicAccess:ImageBlockPublicAccess", "ami-bpa-on", { state: "block-new-sharing" });
      return { fails: [all, unblocked], passes: [account, blocked] };
    },
  },
  {
    rule: "aws-rds-not-public",
    title: "publicly accessible RDS and Redshift fail",
    build: (b) => {
      const db = b.aws("aws:rds/instance:Instance", "orders-db", { engine: "postgres", instanceClass: "db.t4g.medium", allocatedStorage: 20, publiclyAccessible: true, storageEncrypted: true, password: secret() });
      const rs = b.aws("aws:redshift/cluster:Cluster", "warehouse", { clusterIdentifier: "warehouse", nodeType: "ra3.xlplus", publiclyAccessible: true, masterPassword: secret() });
      const privateDb = b.aws("aws:rds/instance:Instance", "crm-db", { engine: "postgres", instanceClass: "db.t4g.medium", allocatedStorage: 20, publiclyAccessible: false, storageEncrypted: true, password: secret() });
      return { fails: [db, rs], passes: [privateDb] };
    },
  },
];
