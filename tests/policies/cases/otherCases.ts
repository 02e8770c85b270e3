/** Must-fail and must-pass cases for the storage, encryption, tracing-config and unverifiable rules, in stack-export shape. */
import { CONFIG_FILES_ANNOTATION } from "../../../policies/tracing/configFiles";
import { ExportBuilder, policyJson, secret } from "../exportShapes";
import { RuleCase } from "./ruleCase";

const TLS = { cert_file: "/tls/tls.crt", key_file: "/tls/tls.key" };

function bucket(b: ExportBuilder, name: string) {
  const physical = `${name}-7f3a2c1`;
  return b.aws("aws:s3/bucket:Bucket", name, { __defaults: ["bucket"], bucket: physical }, { arn: `arn:aws:s3:::${physical}` }, { id: physical });
}

function platformFiles(b: ExportBuilder, name: string, files: Record<string, unknown>) {
  const data = Object.fromEntries(Object.entries(files).map(([k, v]) => [k, typeof v === "string" ? v : JSON.stringify(v)]));
  return b.k8s("v1", "ConfigMap", name, { metadata: { annotations: { [CONFIG_FILES_ANNOTATION]: "true" } }, data }, {}, "tracing");
}

export const OTHER_CASES: readonly RuleCase[] = [
  {
    rule: "s3-no-public-acl",
    title: "a public-read ACL fails, private passes",
    build: (b) => {
      const acl = b.aws("aws:s3/bucketAcl:BucketAcl", "assets-acl", { bucket: "assets-7f3a2c1", acl: "public-read" });
      const ok = b.aws("aws:s3/bucketAcl:BucketAcl", "logs-acl", { bucket: "logs-7f3a2c1", acl: "private" });
      return { fails: [acl], passes: [ok] };
    },
  },
  {
    rule: "s3-encryption-kms",
    title: "SSE-S3 fails, SSE-KMS passes",
    build: (b) => {
      const s3 = bucket(b, "plain");
      const kms = bucket(b, "sealed");
      b.aws("aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration", "sealed-sse", { bucket: kms.id, rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: "arn:aws:kms:eu-west-1:123456789012:key/abc" }, bucketKeyEnabled: true }] }, {}, { deps: { bucket: [kms] } });
      return { fails: [s3], passes: [kms] };
    },
  },
  {
    rule: "s3-tls-only",
    title: "a bucket without the SecureTransport deny fails",
    build: (b) => {
      const bare = bucket(b, "bare");
      const guarded = bucket(b, "guarded");
      b.aws("aws:s3/bucketPolicy:BucketPolicy", "guarded-policy", {
        bucket: guarded.id,
        policy: policyJson({ Effect: "Deny", Principal: "*", Action: "s3:*", Resource: [`arn:aws:s3:::${guarded.id}`, `arn:aws:s3:::${guarded.id}/*`], Condition: { Bool: { "aws:SecureTransport": "false" } } }),
      });
      return { fails: [bare], passes: [guarded] };
    },
  },
  {
    rule: "aws-rds-storage-encrypted",
    title: "unencrypted storage fails",
    build: (b) => {
      const plain = b.aws("aws:rds/instance:Instance", "plain-db", { engine: "postgres", instanceClass: "db.t4g.micro", allocatedStorage: 20, password: secret() }, { storageEncrypted: false });
      const sealed = b.aws("aws:rds/cluster:Cluster", "orders", { engine: "aurora-postgresql", storageEncrypted: true, masterPassword: secret() });
      return { fails: [plain], passes: [sealed] };
    },
  },
  {
    rule: "tracing-tls-everywhere",
    title: "a receiver without TLS fails",
    build: (b) => {
      const bad = platformFiles(b, "collector-bad", { "collector-gateway.yaml": { receivers: { otlp: { protocols: { grpc: { endpoint: "0.0.0.0:4317" } } } } } });
      const good = platformFiles(b, "collector-good", { "collector-gateway.yaml": { receivers: { otlp: { protocols: { grpc: { endpoint: "0.0.0.0:4317", tls: TLS } } } } } });
      return { fails: [bad], passes: [good] };
    },
  },
  {
    rule: "tempo-retention-window",
    title: "a retention outside 7..30 days fails",
    build: (b) => {
      const bad = platformFiles(b, "tempo-bad", { "tempo.yaml": { compactor: { compaction: { block_retention: "1440h" } } } });
      const good = platformFiles(b, "tempo-good", { "tempo.yaml": { compactor: { compaction: { block_retention: "336h" } } } });
      return { fails: [bad], passes: [good] };
    },
  },
  {
    rule: "trace-bucket-archive-lifecycle",
    title: "a trace bucket without archive lifecycle fails; with noncurrent transitions and expiration passes",
    build: (b) => {
      const bare = bucket(b, "traces-a");
      const archived = bucket(b, "traces-b");
      platformFiles(b, "tempo-a", { "tempo.yaml": { storage: { trace: { backend: "s3", s3: { bucket: bare.id } } } } });
      platformFiles(b, "tempo-b", { "tempo.yaml": { storage: { trace: { backend: "s3", s3: { bucket: archived.id } } } } });
      const lifecycle = b.aws("aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration", "traces-b-lifecycle", {
        bucket: archived.id,
        rules: [{ id: "archive", status: "Enabled", noncurrentVersionTransitions: [{ noncurrentDays: 1, storageClass: "GLACIER" }], noncurrentVersionExpiration: { noncurrentDays: 90 } }],
      });
      return { fails: [bare], passes: [archived, lifecycle] };
    },
  },
  {
    rule: "exposure-unverifiable",
    title: "a helm.sh/v3 Release, a secret bucket policy and a route to a Gateway outside the stack are reported; readable resources are not",
    build: (b) => {
      const release = b.k8s("helm.sh/v3", "Release", "cert-manager", { chart: "cert-manager", repositoryOpts: { repo: "https://charts.jetstack.io" }, values: { crds: { enabled: true } } });
      const secretPolicy = b.aws("aws:sqs/queuePolicy:QueuePolicy", "hidden-policy", { queueUrl: "https://sqs.eu-west-1.amazonaws.com/123456789012/q", policy: secret() });
      const route = b.k8s("gateway.networking.k8s.io/v1", "HTTPRoute", "shared", { spec: { parentRefs: [{ name: "shared-gateway", namespace: "gateways" }] } });
      const readable = b.aws("aws:sqs/queuePolicy:QueuePolicy", "plain-policy", { queueUrl: "https://sqs.eu-west-1.amazonaws.com/123456789012/r", policy: policyJson({ Effect: "Allow", Principal: { AWS: "arn:aws:iam::123456789012:root" }, Action: "sqs:*" }) });
      const db = b.aws("aws:rds/instance:Instance", "db", { engine: "postgres", publiclyAccessible: false, storageEncrypted: true, password: secret() });
      // As the engine gives a value computed during preview: the unknown sentinel.
      const pending = b.aws("aws:lambda/functionUrl:FunctionUrl", "pending-url", { functionName: "hook", authorizationType: "04da6b54-80e4-46f7-96ec-b56ff0331ba9" });
      const grafanaSecret = b.k8s("v1", "ConfigMap", "grafana-env", { data: { "grafana.ini": secret() } });
      const hiddenService = b.k8s("helm.sh/v4", "Chart", "api", { chart: "api", values: { service: { annotations: secret() }, image: { tag: "1.2.3" } } });
      const passwordOnly = b.k8s("helm.sh/v4", "Chart", "cache", { chart: "redis", values: { auth: { password: secret() }, master: { service: { type: "ClusterIP" } } } });
      return {
        fails: [release, secretPolicy, route, pending, grafanaSecret, hiddenService],
        passes: [readable, db, passwordOnly],
        message: /cannot verify exposure: .*(secret|unknown|not visible|not in this stack)/,
      };
    },
  },
];
