/**
 * Where Tempo keeps traces (R4, R6, R10, R13): a KMS key, the versioned,
 * private, SSE-KMS trace bucket whose lifecycle archives what Tempo deletes,
 * and the IAM role Tempo's service account assumes (IRSA). Policy documents
 * come from render/traceStorePolicies.ts.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { privateBucket } from "./privateBucket";
import { ArchiveStorageClass, tempoAccessPolicy, tempoTrustPolicy, traceBucketPolicy, traceLifecycleRules } from "../render/traceStorePolicies";

export interface TraceStoreArgs {
  /** Namespace of Tempo's service account. */
  readonly namespace: string;
  /** Name of Tempo's Kubernetes service account. @default "tempo" */
  readonly serviceAccountName?: string;
  /** Archive (noncurrent versions) settings (R6). */
  readonly archive: { readonly days: number; readonly storageClass: ArchiveStorageClass };
  /** The cluster's IAM OIDC provider (IRSA). */
  readonly cluster: { readonly oidcProviderArn: string; readonly oidcIssuer: string };
  /** S3 gateway VPC endpoint; when set, object data is reachable only through it (R13). @default undefined */
  readonly s3VpcEndpointId?: pulumi.Input<string>;
  /** Tenants whose superseded tenant indexes are dropped rather than archived. @default [] */
  readonly tenants?: readonly string[];
  /** KMS key deletion window, in days (7..30). @default 30 */
  readonly keyDeletionWindowDays?: number;
  /** Tags for every AWS resource. */
  readonly tags: Readonly<Record<string, string>>;
}

export class TraceStore extends pulumi.ComponentResource {
  public readonly bucketName: pulumi.Output<string>;
  public readonly bucketArn: pulumi.Output<string>;
  public readonly kmsKeyArn: pulumi.Output<string>;
  /** ARN of the role for Tempo's service account (eks.amazonaws.com/role-arn). */
  public readonly tempoRoleArn: pulumi.Output<string>;

  constructor(name: string, args: TraceStoreArgs, opts?: pulumi.ComponentResourceOptions) {
    super("tracing:storage:TraceStore", name, {}, opts);
    const child = { parent: this };
    const serviceAccount = args.serviceAccountName ?? "tempo";
    const tags = { ...args.tags };

    const key = new aws.kms.Key(
      `${name}-key`,
      {
        description: `Encrypts trace blocks of ${name} (SSE-KMS)`,
        enableKeyRotation: true,
        deletionWindowInDays: args.keyDeletionWindowDays ?? 30,
        tags,
      },
      child,
    );
    new aws.kms.Alias(`${name}-key-alias`, { name: `alias/${name}`, targetKeyId: key.keyId }, child);

    // Versioning (part of the baseline) is what turns Tempo's deletes into the archive (R6).
    const { bucket, publicAccess, versioning } = privateBucket(name, { tags }, key.arn, this);
    new aws.s3.BucketLifecycleConfiguration(
      `${name}-lifecycle`,
      {
        bucket: bucket.id,
        rules: traceLifecycleRules({ archiveDays: args.archive.days, archiveStorageClass: args.archive.storageClass, tenants: args.tenants }),
      },
      { parent: this, dependsOn: [versioning] },
    );
    new aws.s3.BucketPolicy(
      `${name}-policy`,
      {
        bucket: bucket.id,
        policy: pulumi
          .all([bucket.arn, args.s3VpcEndpointId])
          .apply(([bucketArn, vpcEndpointId]) => JSON.stringify(traceBucketPolicy({ bucketArn, vpcEndpointId }))),
      },
      { parent: this, dependsOn: [publicAccess] },
    );

    const role = new aws.iam.Role(
      `${name}-tempo-role`,
      {
        description: `Tempo (${args.namespace}/${serviceAccount}) reads and writes trace blocks`,
        assumeRolePolicy: JSON.stringify(
          tempoTrustPolicy({ ...args.cluster, namespace: args.namespace, serviceAccount }),
        ),
        tags,
      },
      child,
    );
    new aws.iam.RolePolicy(
      `${name}-tempo-access`,
      {
        role: role.id,
        policy: pulumi.all([bucket.arn, key.arn]).apply(([bucketArn, kmsKeyArn]) => JSON.stringify(tempoAccessPolicy({ bucketArn, kmsKeyArn }))),
      },
      child,
    );

    this.bucketName = bucket.bucket;
    this.bucketArn = bucket.arn;
    this.kmsKeyArn = key.arn;
    this.tempoRoleArn = role.arn;
    this.registerOutputs({ bucketName: this.bucketName, bucketArn: this.bucketArn, kmsKeyArn: this.kmsKeyArn, tempoRoleArn: this.tempoRoleArn });
  }
}
