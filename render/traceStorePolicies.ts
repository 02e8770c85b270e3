/**
 * IAM and S3 documents of the trace store (R4, R6, R10, R13), built from plain
 * strings so tests check them without Pulumi: the bucket policy, the IRSA
 * trust policy and least-privilege permissions of Tempo's role, and the
 * bucket's lifecycle rules. The component only fills in ARNs and ids.
 */
import { denyInsecureTransport, IrsaTrustInputs, irsaTrustPolicy, PolicyDocument, PolicyStatement } from "./iamPolicies";

/** Object-level data actions: reading, writing, listing or deleting trace blocks. */
export const OBJECT_DATA_ACTIONS = [
  "s3:GetObject",
  "s3:GetObjectVersion",
  "s3:GetObjectTagging",
  "s3:GetObjectVersionTagging",
  "s3:PutObject",
  "s3:PutObjectTagging",
  "s3:DeleteObject",
  "s3:DeleteObjectVersion",
  "s3:ListBucket",
  "s3:ListBucketVersions",
] as const;

export interface BucketPolicyInputs {
  /** ARN of the trace bucket, e.g. arn:aws:s3:::tracing-traces-abc. */
  readonly bucketArn: string;
  /** The S3 gateway VPC endpoint id; when set, trace data is only reachable through it (R13). @default undefined */
  readonly vpcEndpointId?: string;
}

/**
 * Bucket policy: TLS only for every request (R10) and, with a VPC endpoint,
 * object data only through that endpoint (R13).
 *
 * The endpoint rule denies object data actions only (OBJECT_DATA_ACTIONS),
 * never bucket management (Get/PutBucketPolicy, lifecycle, encryption...):
 * administrators and `pulumi up` outside the VPC can still manage and repair
 * the bucket and its policy, while trace contents can be read, written or
 * deleted only from inside the VPC (restores are run from there, see README).
 */
export function traceBucketPolicy(inputs: BucketPolicyInputs): PolicyDocument {
  const resources = [inputs.bucketArn, `${inputs.bucketArn}/*`];
  const statements: PolicyStatement[] = [denyInsecureTransport(inputs.bucketArn)];
  if (inputs.vpcEndpointId) {
    statements.push({
      Sid: "DenyObjectDataOutsideVpcEndpoint",
      Effect: "Deny",
      Principal: "*",
      Action: [...OBJECT_DATA_ACTIONS],
      Resource: resources,
      Condition: { StringNotEquals: { "aws:SourceVpce": inputs.vpcEndpointId } },
    });
  }
  return { Version: "2012-10-17", Statement: statements };
}

/** Trust policy of Tempo's role: only the `tempo` service account may assume it. */
export function tempoTrustPolicy(inputs: IrsaTrustInputs): PolicyDocument {
  return irsaTrustPolicy(inputs, "TempoServiceAccount");
}

export interface TempoAccessInputs {
  readonly bucketArn: string;
  readonly kmsKeyArn: string;
}

/**
 * Tempo's permissions, least privilege: the actions Tempo's S3 documentation
 * lists (list, get, put, delete, object tagging) on this bucket only, and the
 * bucket's KMS key only. No s3:DeleteObjectVersion: Tempo's deletes leave
 * noncurrent versions, which become the archive (R6), and Tempo cannot purge them.
 */
export function tempoAccessPolicy(inputs: TempoAccessInputs): PolicyDocument {
  return {
    Version: "2012-10-17",
    Statement: [
      { Sid: "ListTraceBucket", Effect: "Allow", Action: ["s3:ListBucket"], Resource: [inputs.bucketArn] },
      {
        Sid: "ReadWriteTraceBlocks",
        Effect: "Allow",
        Action: ["s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:GetObjectTagging", "s3:PutObjectTagging"],
        Resource: [`${inputs.bucketArn}/*`],
      },
      {
        Sid: "UseTraceBucketKey",
        Effect: "Allow",
        Action: ["kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey*", "kms:DescribeKey"],
        Resource: [inputs.kmsKeyArn],
      },
    ],
  };
}

export type ArchiveStorageClass = "GLACIER" | "DEEP_ARCHIVE";

/** One lifecycle rule, shaped like aws.s3.BucketLifecycleConfiguration's `rules` items. */
export interface LifecycleRule {
  readonly id: string;
  readonly status: "Enabled";
  readonly filter: { readonly prefix?: string };
  readonly transitions?: { days: number; storageClass: string }[];
  readonly expiration?: { readonly days?: number; readonly expiredObjectDeleteMarker?: boolean };
  readonly noncurrentVersionTransitions?: { noncurrentDays: number; storageClass: string }[];
  readonly noncurrentVersionExpiration?: { readonly noncurrentDays: number };
  readonly abortIncompleteMultipartUpload?: { readonly daysAfterInitiation: number };
}

export interface LifecycleInputs {
  /** Days an archived (noncurrent) object is kept before final deletion. */
  readonly archiveDays: number;
  readonly archiveStorageClass: ArchiveStorageClass;
  /** Tenants whose tenant index (`<tenant>/index.json.gz`, rewritten every poll) is not worth archiving. @default [] */
  readonly tenants?: readonly string[];
}

/** Days after which a block Tempo deleted (now a noncurrent version) moves to cold storage. */
export const ARCHIVE_AFTER_DAYS = 1;

/**
 * Lifecycle rules (DESIGN.md section 2, Retention; R6). Tempo's retention
 * deletes expired blocks with plain deletes; on this versioned bucket each
 * delete leaves a noncurrent version, so archiving noncurrent versions
 * archives exactly what Tempo expired. Current objects are never
 * transitioned: Tempo must always be able to read its live blocks.
 */
export function traceLifecycleRules(inputs: LifecycleInputs): LifecycleRule[] {
  const rules: LifecycleRule[] = [
    {
      id: "archive-blocks-tempo-deleted",
      status: "Enabled",
      filter: {},
      noncurrentVersionTransitions: [{ noncurrentDays: ARCHIVE_AFTER_DAYS, storageClass: inputs.archiveStorageClass }],
      noncurrentVersionExpiration: { noncurrentDays: inputs.archiveDays },
    },
    {
      id: "remove-expired-delete-markers",
      status: "Enabled",
      filter: {},
      expiration: { expiredObjectDeleteMarker: true },
    },
    {
      id: "abort-incomplete-multipart-uploads",
      status: "Enabled",
      filter: {},
      abortIncompleteMultipartUpload: { daysAfterInitiation: 1 },
    },
  ];
  // Superseded tenant indexes are bookkeeping, not traces: drop them instead
  // of archiving one copy per poll. Expiration takes precedence over transition.
  for (const tenant of inputs.tenants ?? []) {
    rules.push({
      id: `drop-superseded-index-${tenant}`,
      status: "Enabled",
      filter: { prefix: `${tenant}/index.json.gz` },
      noncurrentVersionExpiration: { noncurrentDays: ARCHIVE_AFTER_DAYS },
    });
  }
  return rules;
}
