/**
 * The baseline every bucket of the stack gets (R10, R12, R13): owner-enforced
 * (no ACLs), all four public-access blocks, versioning and SSE-KMS with a
 * bucket key. Callers add their policy, lifecycle or Object Lock.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

export interface PrivateBucket {
  readonly bucket: aws.s3.Bucket;
  readonly ownership: aws.s3.BucketOwnershipControls;
  readonly publicAccess: aws.s3.BucketPublicAccessBlock;
  readonly versioning: aws.s3.BucketVersioning;
  readonly encryption: aws.s3.BucketServerSideEncryptionConfiguration;
}

/** Declares `${name}-bucket` and its baseline children under `parent`. */
export function privateBucket(name: string, bucketArgs: aws.s3.BucketArgs, kmsKeyArn: pulumi.Input<string>, parent: pulumi.Resource): PrivateBucket {
  const bucket = new aws.s3.Bucket(`${name}-bucket`, { forceDestroy: false, ...bucketArgs }, { parent });
  const child = { parent, dependsOn: [bucket] };
  const ownership = new aws.s3.BucketOwnershipControls(`${name}-ownership`, { bucket: bucket.id, rule: { objectOwnership: "BucketOwnerEnforced" } }, child);
  const publicAccess = new aws.s3.BucketPublicAccessBlock(
    `${name}-public-access`,
    { bucket: bucket.id, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true },
    child,
  );
  const versioning = new aws.s3.BucketVersioning(`${name}-versioning`, { bucket: bucket.id, versioningConfiguration: { status: "Enabled" } }, child);
  const encryption = new aws.s3.BucketServerSideEncryptionConfiguration(
    `${name}-encryption`,
    { bucket: bucket.id, rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: kmsKeyArn }, bucketKeyEnabled: true }] },
    child,
  );
  return { bucket, ownership, publicAccess, versioning, encryption };
}
