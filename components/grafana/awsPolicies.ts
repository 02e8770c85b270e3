/**
 * IAM and bucket policy documents for the audit trail (R11), as pure
 * functions (no Pulumi): tests read the same JSON the stack deploys.
 */
import { denyInsecureTransport, PolicyDocument, policyDocument } from "../../render/iamPolicies";

/** Bucket policy: TLS 1.2+ only (R10). Immutability itself comes from Object Lock COMPLIANCE mode. */
export function auditBucketPolicy(bucketArn: string): PolicyDocument {
  return policyDocument(denyInsecureTransport(bucketArn), {
    Sid: "DenyOldTls",
    Effect: "Deny",
    Principal: "*",
    Action: "s3:*",
    Resource: [bucketArn, `${bucketArn}/*`],
    Condition: { NumericLessThan: { "s3:TlsVersion": "1.2" } },
  });
}

/** The audit shipper may only add objects to the audit bucket (no read, no delete) and encrypt with its key. */
export function auditWriterPolicy(bucketArn: string, kmsKeyArn: string): PolicyDocument {
  return policyDocument(
    { Sid: "WriteAuditRecords", Effect: "Allow", Action: ["s3:PutObject"], Resource: [`${bucketArn}/*`] },
    { Sid: "EncryptAuditRecords", Effect: "Allow", Action: ["kms:GenerateDataKey", "kms:Encrypt"], Resource: [kmsKeyArn] },
  );
}
