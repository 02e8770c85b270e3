/**
 * Pulumi mocks that stand in for the engine and the cloud providers during
 * synth and component tests. They record every resource's inputs and answer
 * with deterministic fake outputs, so two runs give identical files.
 */
import * as pulumi from "@pulumi/pulumi";

export interface RecordedResource {
  readonly type: string;
  readonly name: string;
  readonly custom: boolean;
  /** Inputs as the engine received them; secrets still wrapped in Pulumi's secret signature. */
  readonly inputs: Record<string, unknown>;
  /** The explicit provider the engine was asked to use (`<urn>::<id>`), inherited ones included; undefined: the default provider. */
  readonly provider?: string;
}

const ACCOUNT = "123456789012";

/** Fake provider-computed outputs per resource type, merged over the inputs. */
function computedOutputs(type: string, name: string, inputs: Record<string, unknown>, region: string): Record<string, unknown> {
  const fake = (what: string) => `mock-${what}-${name}`;
  const arn = (service: string, resource: string) => `arn:aws:${service}:${region}:${ACCOUNT}:${resource}`;
  switch (type) {
    case "tls:index/privateKey:PrivateKey":
      return { privateKeyPem: fake("private-key-pem"), publicKeyPem: fake("public-key-pem"), privateKeyOpenssh: fake("openssh") };
    case "tls:index/selfSignedCert:SelfSignedCert":
    case "tls:index/locallySignedCert:LocallySignedCert":
      return { certPem: fake("cert-pem"), readyForRenewal: false };
    case "tls:index/certRequest:CertRequest":
      return { certRequestPem: fake("csr-pem") };
    case "aws:s3/bucket:Bucket":
    case "aws:s3/bucketV2:BucketV2": {
      const bucket = (inputs.bucket as string | undefined) ?? `${name}-mock`;
      return { bucket, arn: `arn:aws:s3:::${bucket}`, bucketRegionalDomainName: `${bucket}.s3.${region}.amazonaws.com` };
    }
    case "aws:kms/key:Key":
      return { arn: arn("kms", `key/${fake("key-id")}`), keyId: fake("key-id") };
    case "aws:iam/role:Role":
      return { arn: `arn:aws:iam::${ACCOUNT}:role/${(inputs.name as string | undefined) ?? name}`, name: inputs.name ?? name };
    case "aws:iam/policy:Policy":
      return { arn: `arn:aws:iam::${ACCOUNT}:policy/${(inputs.name as string | undefined) ?? name}` };
    case "aws:rds/instance:Instance":
      return { address: `${name}.mock.${region}.rds.amazonaws.com`, endpoint: `${name}.mock.${region}.rds.amazonaws.com:5432`, port: 5432, arn: arn("rds", `db:${name}`) };
    case "aws:ec2/securityGroup:SecurityGroup":
      return { arn: arn("ec2", `security-group/${fake("sg")}`) };
    case "kubernetes:core/v1:Service":
      // The AWS Load Balancer Controller publishes the NLB's DNS name in the status.
      return (inputs.spec as { type?: string } | undefined)?.type === "LoadBalancer"
        ? { status: { loadBalancer: { ingress: [{ hostname: `k8s-mock-${name}.elb.${region}.amazonaws.com` }] } } }
        : {};
    case "grafana:oss/organization:Organization":
      // Deterministic fake ids; the real ones come from Grafana.
      return { orgId: name.endsWith("support") ? 2 : name.endsWith("engineering") ? 3 : 100 };
    case "grafana:oss/folder:Folder":
    case "grafana:oss/dataSource:DataSource":
    case "grafana:oss/dashboard:Dashboard":
      return { uid: inputs.uid ?? fake("uid") };
    default:
      return {};
  }
}

export class RecordingMocks implements pulumi.runtime.Mocks {
  readonly resources: RecordedResource[] = [];

  constructor(private readonly region: string) {}

  newResource(args: pulumi.runtime.MockResourceArgs): { id: string | undefined; state: Record<string, unknown> } {
    const inputs = (args.inputs ?? {}) as Record<string, unknown>;
    this.resources.push({ type: args.type, name: args.name, custom: args.custom ?? true, inputs, provider: args.provider });
    const id = args.custom === false ? undefined : `${args.name}-id`;
    return { id, state: { ...inputs, ...computedOutputs(args.type, args.name, inputs, this.region) } };
  }

  call(args: pulumi.runtime.MockCallArgs): Record<string, unknown> {
    switch (args.token) {
      case "aws:index/getCallerIdentity:getCallerIdentity":
        return { accountId: ACCOUNT, arn: `arn:aws:iam::${ACCOUNT}:user/synth`, userId: "synth" };
      case "aws:index/getRegion:getRegion":
        return { name: this.region, id: this.region, region: this.region };
      case "aws:index/getPartition:getPartition":
        return { partition: "aws", dnsSuffix: "amazonaws.com" };
      case "aws:eks/getCluster:getCluster": {
        const name = String(args.inputs.name);
        return {
          name,
          endpoint: `https://MOCK0${name.toUpperCase().replace(/[^A-Z0-9]/g, "0")}.gr7.${this.region}.eks.amazonaws.com`,
          certificateAuthorities: [{ data: Buffer.from(`mock CA bundle of ${name}`).toString("base64") }],
        };
      }
      default:
        throw new Error(`synth mocks: no mock for invoke ${args.token}; add one in synth/mocks.ts`);
    }
  }
}
