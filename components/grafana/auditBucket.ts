/**
 * The audit trail's storage (R11): an S3 bucket with Object Lock in
 * COMPLIANCE mode (no one, not even the account root, can delete or
 * overwrite a record before its retention ends), versioned, SSE-KMS,
 * public access blocked, bucket-owner-enforced, TLS-only; its policy lets
 * only the break-glass role change Object Lock, versioning, encryption or
 * the policy itself, so the retention of future records cannot be shortened.
 * Applied last: once it exists, a `pulumi up` that changes those settings
 * (e.g. tracing:auditRetentionDays) must run as the break-glass role.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { privateBucket } from "../privateBucket";
import { auditBucketPolicy } from "./awsPolicies";

export interface AuditBucketArgs {
  /** Days each record stays immutable (Object Lock COMPLIANCE default retention). */
  readonly retentionDays: number;
  /** ARN of the KMS key that encrypts records (the dedicated audit key). */
  readonly kmsKeyArn: pulumi.Input<string>;
  /** The only role allowed to change retention, versioning, encryption or the bucket policy. */
  readonly breakGlassRoleArn: string;
  /** Tags for every AWS resource. */
  readonly tags: Readonly<Record<string, string>>;
}

export class AuditBucket extends pulumi.ComponentResource {
  public readonly bucketName: pulumi.Output<string>;
  public readonly bucketArn: pulumi.Output<string>;

  constructor(name: string, args: AuditBucketArgs, opts?: pulumi.ComponentResourceOptions) {
    super("tracing:grafana:AuditBucket", name, {}, opts);
    const child = { parent: this };

    const { bucket, ownership, publicAccess, versioning, encryption } = privateBucket(
      name,
      { bucketPrefix: "tracing-audit-", objectLockEnabled: true, tags: { ...args.tags, purpose: "audit" } },
      args.kmsKeyArn,
      this,
    );
    const objectLock = new aws.s3.BucketObjectLockConfiguration(
      `${name}-object-lock`,
      { bucket: bucket.id, objectLockEnabled: "Enabled", rule: { defaultRetention: { mode: "COMPLIANCE", days: args.retentionDays } } },
      { ...child, dependsOn: [versioning] },
    );
    new aws.s3.BucketPolicy(
      `${name}-policy`,
      { bucket: bucket.id, policy: bucket.arn.apply((arn) => JSON.stringify(auditBucketPolicy(arn, args.breakGlassRoleArn))) },
      { ...child, dependsOn: [publicAccess, ownership, versioning, encryption, objectLock] },
    );

    this.bucketName = bucket.bucket;
    this.bucketArn = bucket.arn;
    this.registerOutputs({ bucketName: this.bucketName, bucketArn: this.bucketArn });
  }
}
