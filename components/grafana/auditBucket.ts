/**
 * The audit trail's storage (R11): an S3 bucket with Object Lock in
 * COMPLIANCE mode (no one, not even the account root, can delete or
 * overwrite a record before its retention ends), versioned, SSE-KMS,
 * public access blocked, bucket-owner-enforced, TLS-only.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { auditBucketPolicy } from "./awsPolicies";

export interface AuditBucketArgs {
  /** Days each record stays immutable (Object Lock COMPLIANCE default retention). */
  readonly retentionDays: number;
  /** ARN of the KMS key that encrypts records. */
  readonly kmsKeyArn: pulumi.Input<string>;
  /** Tags for every AWS resource. */
  readonly tags: Readonly<Record<string, string>>;
}

export class AuditBucket extends pulumi.ComponentResource {
  public readonly bucketName: pulumi.Output<string>;
  public readonly bucketArn: pulumi.Output<string>;

  constructor(name: string, args: AuditBucketArgs, opts?: pulumi.ComponentResourceOptions) {
    super("tracing:grafana:AuditBucket", name, {}, opts);
    const child = { parent: this };

    const bucket = new aws.s3.Bucket(
      `${name}-bucket`,
      { bucketPrefix: "tracing-audit-", objectLockEnabled: true, forceDestroy: false, tags: { ...args.tags, purpose: "audit" } },
      { ...child, protect: false },
    );
    const ownership = new aws.s3.BucketOwnershipControls(`${name}-ownership`, { bucket: bucket.id, rule: { objectOwnership: "BucketOwnerEnforced" } }, child);
    const publicAccess = new aws.s3.BucketPublicAccessBlock(
      `${name}-public-access`,
      { bucket: bucket.id, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true },
      child,
    );
    const versioning = new aws.s3.BucketVersioning(`${name}-versioning`, { bucket: bucket.id, versioningConfiguration: { status: "Enabled" } }, child);
    new aws.s3.BucketServerSideEncryptionConfiguration(
      `${name}-encryption`,
      { bucket: bucket.id, rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: args.kmsKeyArn }, bucketKeyEnabled: true }] },
      child,
    );
    new aws.s3.BucketObjectLockConfiguration(
      `${name}-object-lock`,
      { bucket: bucket.id, objectLockEnabled: "Enabled", rule: { defaultRetention: { mode: "COMPLIANCE", days: args.retentionDays } } },
      { ...child, dependsOn: [versioning] },
    );
    new aws.s3.BucketPolicy(
      `${name}-policy`,
      { bucket: bucket.id, policy: bucket.arn.apply((arn) => JSON.stringify(auditBucketPolicy(arn))) },
      { ...child, dependsOn: [publicAccess, ownership] },
    );

    this.bucketName = bucket.bucket;
    this.bucketArn = bucket.arn;
    this.registerOutputs({ bucketName: this.bucketName, bucketArn: this.bucketArn });
  }
}
