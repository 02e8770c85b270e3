/**
 * IAM, KMS key and bucket policy documents for the audit trail (R11), as pure
 * functions (no Pulumi): tests read the same JSON the stack deploys.
 */
import { denyInsecureTransport, PolicyDocument, policyDocument } from "../../render/iamPolicies";

/** Actions that could make locked records unreadable or hand the key to someone else: break-glass role only. */
export const AUDIT_KEY_PROTECTED_ACTIONS = [
  "kms:DisableKey",
  "kms:ScheduleKeyDeletion",
  "kms:PutKeyPolicy",
  "kms:DisableKeyRotation",
  "kms:CreateGrant",
  "kms:ImportKeyMaterial",
  "kms:DeleteImportedKeyMaterial",
  "kms:ReplicateKey",
  "kms:UpdatePrimaryRegion",
] as const;

/** Bucket settings that decide how long and how records are kept: break-glass role only. */
export const AUDIT_BUCKET_PROTECTED_ACTIONS = [
  "s3:PutBucketObjectLockConfiguration",
  "s3:PutBucketVersioning",
  "s3:PutBucketPolicy",
  "s3:DeleteBucketPolicy",
  "s3:PutEncryptionConfiguration",
  "s3:PutBucketOwnershipControls",
  "s3:PutBucketPublicAccessBlock",
] as const;

export interface AuditKeyPolicyArgs {
  /** The AWS account that owns the key. */
  readonly accountId: string;
  /** Region of the audit bucket (S3 uses the key only through this regional endpoint). */
  readonly region: string;
  /** The only principal allowed the protected actions. */
  readonly breakGlassRoleArn: string;
}

/**
 * Key policy of the dedicated audit key: the break-glass role administers
 * it; the account (its IAM policies: the deployer, the shipper) may read it,
 * tag it, turn rotation on and use it through S3 only; an explicit deny
 * refuses disabling, deleting, re-policying or granting it to anyone else,
 * whatever their IAM policies say.
 */
export function auditKeyPolicy(a: AuditKeyPolicyArgs): PolicyDocument {
  const account = { AWS: `arn:aws:iam::${a.accountId}:root` };
  return policyDocument(
    { Sid: "BreakGlassAdministersKey", Effect: "Allow", Principal: { AWS: a.breakGlassRoleArn }, Action: "kms:*", Resource: ["*"] },
    {
      Sid: "AccountReadsTagsAndRotates",
      Effect: "Allow",
      Principal: account,
      Action: ["kms:DescribeKey", "kms:GetKeyPolicy", "kms:GetKeyRotationStatus", "kms:ListResourceTags", "kms:ListKeyPolicies", "kms:ListGrants", "kms:TagResource", "kms:UntagResource", "kms:EnableKeyRotation", "kms:UpdateKeyDescription"],
      Resource: ["*"],
    },
    {
      Sid: "AccountUsesKeyThroughS3",
      Effect: "Allow",
      Principal: account,
      Action: ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*"],
      Resource: ["*"],
      Condition: { StringEquals: { "kms:ViaService": `s3.${a.region}.amazonaws.com`, "kms:CallerAccount": a.accountId } },
    },
    {
      Sid: "OnlyBreakGlassDisablesDeletesOrRepolicies",
      Effect: "Deny",
      Principal: "*",
      Action: [...AUDIT_KEY_PROTECTED_ACTIONS],
      Resource: ["*"],
      Condition: { ArnNotEquals: { "aws:PrincipalArn": a.breakGlassRoleArn } },
    },
  );
}

/**
 * Bucket policy: TLS 1.2+ only (R10), and no one but the break-glass role may
 * change Object Lock, versioning, encryption, ownership, public access block
 * or this policy (R11). Immutability itself comes from Object Lock COMPLIANCE.
 */
export function auditBucketPolicy(bucketArn: string, breakGlassRoleArn: string): PolicyDocument {
  return policyDocument(
    denyInsecureTransport(bucketArn),
    {
      Sid: "DenyOldTls",
      Effect: "Deny",
      Principal: "*",
      Action: "s3:*",
      Resource: [bucketArn, `${bucketArn}/*`],
      Condition: { NumericLessThan: { "s3:TlsVersion": "1.2" } },
    },
    {
      Sid: "OnlyBreakGlassChangesRetentionOrPolicy",
      Effect: "Deny",
      Principal: "*",
      Action: [...AUDIT_BUCKET_PROTECTED_ACTIONS],
      Resource: [bucketArn],
      Condition: { ArnNotEquals: { "aws:PrincipalArn": breakGlassRoleArn } },
    },
  );
}

/** The audit shipper may only add objects to the audit bucket (no read, no delete) and encrypt with its key. */
export function auditWriterPolicy(bucketArn: string, kmsKeyArn: string): PolicyDocument {
  return policyDocument(
    { Sid: "WriteAuditRecords", Effect: "Allow", Action: ["s3:PutObject"], Resource: [`${bucketArn}/*`] },
    { Sid: "EncryptAuditRecords", Effect: "Allow", Action: ["kms:GenerateDataKey", "kms:Encrypt"], Resource: [kmsKeyArn] },
  );
}
