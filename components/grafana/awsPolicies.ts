/**
 * IAM and bucket policy documents for the audit trail (R11), as pure
 * functions (no Pulumi): tests read the same JSON the stack deploys.
 */

export interface PolicyDocument {
  readonly Version: "2012-10-17";
  readonly Statement: readonly Record<string, unknown>[];
}

/** Bucket policy: TLS 1.2+ only (R10). Immutability itself comes from Object Lock COMPLIANCE mode. */
export function auditBucketPolicy(bucketArn: string): PolicyDocument {
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "DenyInsecureTransport",
        Effect: "Deny",
        Principal: "*",
        Action: "s3:*",
        Resource: [bucketArn, `${bucketArn}/*`],
        Condition: { Bool: { "aws:SecureTransport": "false" } },
      },
      {
        Sid: "DenyOldTls",
        Effect: "Deny",
        Principal: "*",
        Action: "s3:*",
        Resource: [bucketArn, `${bucketArn}/*`],
        Condition: { NumericLessThan: { "s3:TlsVersion": "1.2" } },
      },
    ],
  };
}

/** Trust policy of an IRSA role: only the given service account of the cluster may assume it. */
export function irsaTrustPolicy(oidcProviderArn: string, oidcIssuer: string, namespace: string, serviceAccount: string): PolicyDocument {
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Effect: "Allow",
        Principal: { Federated: oidcProviderArn },
        Action: "sts:AssumeRoleWithWebIdentity",
        Condition: {
          StringEquals: {
            [`${oidcIssuer}:sub`]: `system:serviceaccount:${namespace}:${serviceAccount}`,
            [`${oidcIssuer}:aud`]: "sts.amazonaws.com",
          },
        },
      },
    ],
  };
}

/** The audit shipper may only add objects to the audit bucket (no read, no delete) and encrypt with its key. */
export function auditWriterPolicy(bucketArn: string, kmsKeyArn: string): PolicyDocument {
  return {
    Version: "2012-10-17",
    Statement: [
      { Sid: "WriteAuditRecords", Effect: "Allow", Action: ["s3:PutObject"], Resource: [`${bucketArn}/*`] },
      { Sid: "EncryptAuditRecords", Effect: "Allow", Action: ["kms:GenerateDataKey", "kms:Encrypt"], Resource: [kmsKeyArn] },
    ],
  };
}
