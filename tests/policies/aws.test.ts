import { loadBalancerInternal, securityGroupNoPublicIngress } from "../../policies/aws/network";
import { rdsEncrypted, rdsNotPublic } from "../../policies/aws/rds";
import { encryptionKms, noPublicAcl, noPublicPolicy, publicAccessBlock, tlsOnly } from "../../policies/aws/s3";
import { check, messagesFor, res } from "./support";

const NAME = "traces-bucket";
const bucket = (name = NAME, extra: Record<string, unknown> = {}) => res("aws:s3/bucket:Bucket", name, { bucket: name, arn: `arn:aws:s3:::${name}`, ...extra }, { id: name });
const pab = (target: string, settings: Partial<Record<string, boolean>> = {}) =>
  res("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", `${target}-pab`, {
    bucket: target,
    blockPublicAcls: true,
    blockPublicPolicy: true,
    ignorePublicAcls: true,
    restrictPublicBuckets: true,
    ...settings,
  });
const tlsDeny = (arn: string) => ({
  Sid: "DenyInsecureTransport",
  Effect: "Deny",
  Principal: "*",
  Action: "s3:*",
  Resource: [arn, `${arn}/*`],
  Condition: { Bool: { "aws:SecureTransport": "false" } },
});
const bucketPolicy = (target: string, statements: unknown[], asString = true) => {
  const doc = { Version: "2012-10-17", Statement: statements };
  return res("aws:s3/bucketPolicy:BucketPolicy", `${target}-policy`, { bucket: target, policy: asString ? JSON.stringify(doc) : doc });
};
const sse = (target: string, sseAlgorithm: string, type = "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration") =>
  res(type, `${target}-sse`, { bucket: target, rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm, kmsMasterKeyId: "arn:aws:kms:eu-central-1:1:key/k" } }] });

describe("s3-public-access-block (stack rule)", () => {
  it("passes a bucket with a complete public access block", async () => {
    expect(await check(publicAccessBlock, [bucket(), pab(NAME)])).toEqual([]);
  });

  it("correlates by property dependency when the bucket reference is not a plain name", async () => {
    const b = bucket();
    const block = { ...pab("unknown-ref"), propertyDependencies: { bucket: [b.urn] } };
    expect(await check(publicAccessBlock, [b, block])).toEqual([]);
  });

  it("fails a bucket without one, and an incomplete block on both the block and the bucket", async () => {
    const lonely = bucket("lonely");
    const partial = bucket("partial");
    const weak = pab("partial", { restrictPublicBuckets: false });
    const v = await check(publicAccessBlock, [lonely, partial, weak]);
    expect(messagesFor(v, lonely)).toEqual([expect.stringContaining("has no public access block")]);
    expect(messagesFor(v, partial)).toEqual([expect.stringContaining("all four")]);
    expect(messagesFor(v, weak)).toEqual([expect.stringContaining("restrictPublicBuckets")]);
  });

  it("covers the deprecated BucketV2 type", async () => {
    const v2 = res("aws:s3/bucketV2:BucketV2", "legacy", { bucket: "legacy" });
    expect(await check(publicAccessBlock, [v2])).toHaveLength(1);
  });
});

describe("s3-no-public-acl", () => {
  it("passes private ACLs and fails public canned ACLs and public grants", async () => {
    const ok = res("aws:s3/bucketAclV2:BucketAclV2", "ok", { bucket: NAME, acl: "private" });
    const readable = res("aws:s3/bucketAcl:BucketAcl", "readable", { bucket: NAME, acl: "public-read-write" });
    const authenticated = bucket("inline", { acl: "authenticated-read" });
    const grant = res("aws:s3/bucketAclV2:BucketAclV2", "grant", {
      bucket: NAME,
      accessControlPolicy: { grants: [{ grantee: { type: "Group", uri: "http://acs.amazonaws.com/groups/global/AllUsers" }, permission: "READ" }] },
    });
    const v = await check(noPublicAcl, [ok, readable, authenticated, grant]);
    expect(messagesFor(v, ok)).toEqual([]);
    expect(messagesFor(v, readable)).toEqual([expect.stringContaining("public-read-write")]);
    expect(messagesFor(v, authenticated)).toEqual([expect.stringContaining("authenticated-read")]);
    expect(messagesFor(v, grant)).toEqual([expect.stringContaining("AllUsers")]);
  });
});

describe("s3-no-public-policy", () => {
  const allow = (principal: unknown, condition?: unknown) => ({
    Effect: "Allow",
    Principal: principal,
    Action: "s3:GetObject",
    Resource: "arn:aws:s3:::b/*",
    ...(condition ? { Condition: condition } : {}),
  });

  it("passes named principals, conditions and deny statements", async () => {
    const named = bucketPolicy("a", [allow({ AWS: "arn:aws:iam::123456789012:role/tempo" })]);
    const conditioned = bucketPolicy("b", [allow("*", { StringEquals: { "aws:SourceVpce": "vpce-1" } })]);
    const deny = bucketPolicy("c", [tlsDeny("arn:aws:s3:::c")], false);
    expect(await check(noPublicPolicy, [named, conditioned, deny])).toEqual([]);
  });

  it("fails Principal * and {AWS: *} without a condition, on BucketPolicy and an inline bucket policy", async () => {
    const star = bucketPolicy("a", [allow("*")]);
    const awsStar = bucketPolicy("b", [allow({ AWS: ["*"] })], false);
    const inline = bucket("inline", { policy: JSON.stringify({ Statement: allow("*") }) });
    const v = await check(noPublicPolicy, [star, awsStar, inline]);
    for (const r of [star, awsStar, inline]) expect(messagesFor(v, r)).toHaveLength(1);
  });
});

describe("s3-encryption-kms (stack rule)", () => {
  it("passes aws:kms and aws:kms:dsse, inline or separate", async () => {
    const inline = bucket("inline", { serverSideEncryptionConfiguration: { rule: { applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms" } } } });
    const v = await check(encryptionKms, [
      bucket(),
      sse(NAME, "aws:kms:dsse", "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2"),
      inline,
    ]);
    expect(v).toEqual([]);
  });

  it("fails SSE-S3 (AES256) and a bucket without configuration", async () => {
    const s3Managed = bucket("aes");
    const config = sse("aes", "AES256");
    const none = bucket("none");
    const v = await check(encryptionKms, [s3Managed, config, none]);
    expect(messagesFor(v, config)).toEqual([expect.stringContaining("AES256")]);
    expect(messagesFor(v, s3Managed)).toHaveLength(1);
    expect(messagesFor(v, none)).toHaveLength(1);
  });
});

describe("s3-tls-only (stack rule)", () => {
  it("passes a bucket whose policy denies aws:SecureTransport false", async () => {
    expect(await check(tlsOnly, [bucket(), bucketPolicy(NAME, [tlsDeny(`arn:aws:s3:::${NAME}`)])])).toEqual([]);
  });

  it("accepts a boolean condition value and an inline policy", async () => {
    const inline = bucket("inline", { policy: { Statement: [{ ...tlsDeny("x"), Condition: { Bool: { "aws:SecureTransport": false } } }] } });
    expect(await check(tlsOnly, [inline])).toEqual([]);
  });

  it("fails a missing policy, a policy without the deny, a deny limited to some actions and a secret policy", async () => {
    const none = bucket("none");
    const allowOnly = bucket("allow-only");
    const narrow = bucket("narrow");
    const secret = bucket("secret", { policy: "[secret]" });
    const v = await check(tlsOnly, [
      none,
      allowOnly,
      bucketPolicy("allow-only", [{ Effect: "Allow", Principal: { AWS: "arn:aws:iam::1:root" }, Action: "s3:*", Resource: "*" }]),
      narrow,
      bucketPolicy("narrow", [{ ...tlsDeny("x"), Action: "s3:GetObject" }]),
      secret,
    ]);
    for (const r of [none, allowOnly, narrow]) expect(messagesFor(v, r)).toEqual([expect.stringContaining("does not deny non-TLS")]);
    expect(messagesFor(v, secret)).toEqual([expect.stringContaining("cannot be verified")]);
  });
});

describe("aws-security-group-no-public-ingress", () => {
  it("passes private ingress and open egress", async () => {
    const sg = res("aws:ec2/securityGroup:SecurityGroup", "ok", {
      ingress: [{ protocol: "tcp", fromPort: 443, toPort: 443, cidrBlocks: ["10.0.0.0/8"] }],
      egress: [{ protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["0.0.0.0/0"] }],
    });
    const egressRule = res("aws:ec2/securityGroupRule:SecurityGroupRule", "egress", { type: "egress", cidrBlocks: ["0.0.0.0/0"] });
    expect(await check(securityGroupNoPublicIngress, [sg, egressRule])).toEqual([]);
  });

  it("fails 0.0.0.0/0 and ::/0 ingress in all three resource types", async () => {
    const sg = res("aws:ec2/securityGroup:SecurityGroup", "sg", {
      ingress: [
        { protocol: "tcp", fromPort: 22, toPort: 22, cidrBlocks: ["0.0.0.0/0"] },
        { protocol: "tcp", fromPort: 443, toPort: 443, ipv6CidrBlocks: ["::/0"] },
      ],
    });
    const rule = res("aws:ec2/securityGroupRule:SecurityGroupRule", "rule", { type: "ingress", protocol: "tcp", fromPort: 22, toPort: 22, cidrBlocks: ["0.0.0.0/0"] });
    const v4 = res("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", "v4", { ipProtocol: "tcp", fromPort: 3389, toPort: 3389, cidrIpv4: "0.0.0.0/0" });
    const v6 = res("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", "v6", { ipProtocol: "-1", cidrIpv6: "::/0" });
    const v = await check(securityGroupNoPublicIngress, [sg, rule, v4, v6]);
    expect(messagesFor(v, sg)).toEqual([expect.stringContaining("tcp/22 is open to 0.0.0.0/0"), expect.stringContaining("tcp/443 is open to ::/0")]);
    expect(messagesFor(v, rule)).toHaveLength(1);
    expect(messagesFor(v, v4)).toEqual([expect.stringContaining("tcp/3389")]);
    expect(messagesFor(v, v6)).toHaveLength(1);
  });
});

describe("aws-load-balancer-internal", () => {
  it("passes internal load balancers and fails internet-facing ones of every flavour", async () => {
    const ok = res("aws:lb/loadBalancer:LoadBalancer", "ok", { internal: true, loadBalancerType: "network" });
    const alb = res("aws:alb/loadBalancer:LoadBalancer", "alb", { internal: false });
    const elb = res("aws:elb/loadBalancer:LoadBalancer", "elb", {});
    const v = await check(loadBalancerInternal, [ok, alb, elb]);
    expect(messagesFor(v, ok)).toEqual([]);
    expect(messagesFor(v, alb)).toHaveLength(1);
    expect(messagesFor(v, elb)).toHaveLength(1);
  });
});

describe("RDS rules", () => {
  it("aws-rds-not-public passes private instances and fails public ones", async () => {
    const ok = res("aws:rds/instance:Instance", "ok", { publiclyAccessible: false });
    const bad = res("aws:rds/instance:Instance", "bad", { publiclyAccessible: true });
    const member = res("aws:rds/clusterInstance:ClusterInstance", "member", { publiclyAccessible: true });
    const v = await check(rdsNotPublic, [ok, bad, member]);
    expect(messagesFor(v, ok)).toEqual([]);
    expect(messagesFor(v, bad)).toHaveLength(1);
    expect(messagesFor(v, member)).toHaveLength(1);
  });

  it("aws-rds-storage-encrypted passes encrypted storage and fails the default", async () => {
    const ok = res("aws:rds/cluster:Cluster", "ok", { storageEncrypted: true });
    const bad = res("aws:rds/instance:Instance", "bad", {});
    const v = await check(rdsEncrypted, [ok, bad]);
    expect(messagesFor(v, ok)).toEqual([]);
    expect(messagesFor(v, bad)).toEqual([expect.stringContaining("storageEncrypted")]);
  });
});
