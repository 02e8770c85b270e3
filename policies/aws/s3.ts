/**
 * S3 buckets are private, KMS-encrypted and TLS-only (R10, R12, R13). Rules
 * that must find a bucket's separate configuration resources are stack rules;
 * rules about one resource's own settings are resource rules (they also run
 * during preview).
 */
import { PolicyResource } from "@pulumi/policy";
import { arr, at, isSecret, isTrue, jsonDocument, oneOrMany, rec, Rec, str } from "../lib/props";
import { rangesOf, resourceRule, stackRule } from "../lib/rule";
import { isTlsOnlyDeny, publicStatements, statements } from "./iamDocument";
import { ACL_TYPES, BUCKET_POLICY, BUCKET_TYPES, bucketLabel, configsByBucket, PUBLIC_ACCESS_BLOCK, SSE_TYPES } from "./s3Buckets";

const PAB_SETTINGS = ["blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"] as const;
const ACCOUNT_PUBLIC_ACCESS_BLOCK = "aws:s3/accountPublicAccessBlock:AccountPublicAccessBlock";

export const publicAccessBlock = stackRule(
  {
    name: "s3-public-access-block",
    description: "Every S3 bucket must be covered by a public access block with all four settings true, its own or the account's (R13).",
    requirements: ["R13"],
    remediation: `Add an aws.s3.BucketPublicAccessBlock for the bucket (or an aws.s3.AccountPublicAccessBlock) with ${PAB_SETTINGS.join(", ")} all true.`,
    enforcementLevel: "mandatory",
  },
  (args, report) => {
    const complete = (b: PolicyResource) => PAB_SETTINGS.every((k) => isTrue(b.props[k]));
    // An account-level block with all four settings covers every bucket of the account (S3 applies the stricter of both).
    const account = args.resources.filter((r) => r.type === ACCOUNT_PUBLIC_ACCESS_BLOCK);
    for (const block of account.filter((b) => !complete(b))) {
      report(`the account public access block leaves ${PAB_SETTINGS.filter((k) => !isTrue(block.props[k])).join(", ")} off.`, block.urn);
    }
    if (account.some(complete)) return;
    const blocks = args.resources.filter((r) => r.type === PUBLIC_ACCESS_BLOCK);
    for (const block of blocks) {
      const off = PAB_SETTINGS.filter((k) => !isTrue(block.props[k]));
      if (off.length > 0) report(`the public access block leaves ${off.join(", ")} off.`, block.urn);
    }
    for (const [bucket, own] of configsByBucket(args.resources, [PUBLIC_ACCESS_BLOCK])) {
      if (own.length === 0) report(`bucket ${bucketLabel(bucket)} has no public access block.`, bucket.urn);
      else if (!own.some(complete)) report(`bucket ${bucketLabel(bucket)} has no public access block with all four settings true.`, bucket.urn);
    }
  },
);

const PUBLIC_ACLS = ["public-read", "public-read-write", "authenticated-read"];
const PUBLIC_GRANTEES = ["http://acs.amazonaws.com/groups/global/AllUsers", "http://acs.amazonaws.com/groups/global/AuthenticatedUsers"];

function publicGrants(grants: unknown[]): string[] {
  return grants
    .map((g) => str(at(g, "uri")) ?? str(at(g, "grantee", "uri")))
    .filter((uri): uri is string => uri !== undefined && PUBLIC_GRANTEES.includes(uri));
}

export const noPublicAcl = resourceRule(
  {
    name: "s3-no-public-acl",
    description: "S3 buckets must not use a public canned ACL (public-read, public-read-write, authenticated-read) or grant AllUsers/AuthenticatedUsers (R13).",
    requirements: ["R13"],
    remediation: "Remove the ACL (use acl \"private\" or BucketOwnershipControls BucketOwnerEnforced) and grant access through IAM instead.",
    enforcementLevel: "mandatory",
    types: [...BUCKET_TYPES, ...ACL_TYPES],
    reads: ["acl", "grants", "accessControlPolicy"],
  },
  (args, report) => {
    const acl = str(args.props.acl);
    if (acl && PUBLIC_ACLS.includes(acl)) report(`ACL "${acl}" makes the bucket readable outside the account.`);
    const grants = [...arr(args.props.grants), ...arr(at(args.props, "accessControlPolicy", "grants"))];
    for (const uri of publicGrants(grants)) report(`a grant gives access to ${uri}.`);
  },
);

export const noPublicPolicy = resourceRule(
  {
    name: "s3-no-public-policy",
    description: "S3 bucket policies must not allow any principal unless a condition narrows the caller (R13).",
    requirements: ["R13"],
    remediation:
      "Name the principals (account or role ARNs) in the statement, or add a condition that narrows the caller (aws:SourceVpce, aws:SourceVpc, aws:PrincipalOrgID, aws:PrincipalAccount, aws:SourceArn, or aws:SourceIp with corporate ranges only); aws:SecureTransport alone restricts nothing.",
    enforcementLevel: "mandatory",
    types: [...BUCKET_TYPES, BUCKET_POLICY],
    usesRanges: true,
    reads: ["policy"],
  },
  (args, report) => {
    if (args.props.policy === undefined) return;
    const document = jsonDocument(args.props.policy);
    if (!document) return; // unreadable (secret); s3-tls-only reports an unverifiable policy
    for (const s of publicStatements(document, rangesOf(args))) report(`statement ${s.label} allows ${JSON.stringify(s.actions)} to ${s.reason}.`);
  },
);

const KMS_ALGORITHMS = ["aws:kms", "aws:kms:dsse"];

/** sseAlgorithm of each default-encryption rule, inline (rule or rules) or on a separate resource (rules). */
function sseAlgorithms(props: Rec): unknown[] {
  const container = rec(props.serverSideEncryptionConfiguration) ?? props;
  const rules = [...oneOrMany(container.rule), ...arr(container.rules)];
  return rules.map((r) => at(r, "applyServerSideEncryptionByDefault", "sseAlgorithm"));
}

export const encryptionKms = stackRule(
  {
    name: "s3-encryption-kms",
    description: "Every S3 bucket must encrypt by default with SSE-KMS (aws:kms or aws:kms:dsse) (R12).",
    requirements: ["R12"],
    remediation: "Add an aws.s3.BucketServerSideEncryptionConfiguration with sseAlgorithm aws:kms and the platform's KMS key (bucketKeyEnabled true).",
    enforcementLevel: "mandatory",
  },
  (args, report) => {
    for (const config of args.resources.filter((r) => SSE_TYPES.includes(r.type))) {
      for (const algorithm of sseAlgorithms(config.props)) {
        if (typeof algorithm === "string" && !KMS_ALGORITHMS.includes(algorithm)) report(`default encryption uses ${algorithm}, not SSE-KMS.`, config.urn);
      }
    }
    for (const [bucket, own] of configsByBucket(args.resources, SSE_TYPES)) {
      const algorithms = [bucket, ...own].flatMap((r) => sseAlgorithms(r.props));
      if (!algorithms.some((a) => typeof a === "string" && KMS_ALGORITHMS.includes(a))) {
        report(`bucket ${bucketLabel(bucket)} has no SSE-KMS default encryption.`, bucket.urn);
      }
    }
  },
);

export const tlsOnly = stackRule(
  {
    name: "s3-tls-only",
    description: "Every S3 bucket policy must deny requests that are not sent over TLS (aws:SecureTransport false) (R10).",
    requirements: ["R10"],
    remediation:
      'Add a bucket policy statement {"Effect":"Deny","Principal":"*","Action":"s3:*","Resource":[bucketArn, bucketArn/*],"Condition":{"Bool":{"aws:SecureTransport":"false"}}}.',
    enforcementLevel: "mandatory",
  },
  (args, report) => {
    for (const [bucket, own] of configsByBucket(args.resources, [BUCKET_POLICY])) {
      const policies = [bucket, ...own].map((r) => r.props.policy).filter((p) => p !== undefined);
      if (policies.some(isSecret)) {
        report(`bucket ${bucketLabel(bucket)} has a policy that is a secret and cannot be verified.`, bucket.urn);
        continue;
      }
      const denies = policies.flatMap((p) => statements(jsonDocument(p) ?? {})).some(isTlsOnlyDeny);
      if (!denies) report(`bucket ${bucketLabel(bucket)} does not deny non-TLS requests.`, bucket.urn);
    }
  },
);
