/**
 * Correlates S3 buckets with the separate resources that configure them
 * (public access block, ACL, policy, encryption, lifecycle). A configuration
 * resource names its bucket in `bucket` (the bucket name, which is also the
 * bucket's id); the engine and stack exports also record the dependency.
 */
import { PolicyResource } from "@pulumi/policy";
import { str } from "../lib/props";

export const BUCKET_TYPES: readonly string[] = ["aws:s3/bucket:Bucket", "aws:s3/bucketV2:BucketV2"];
export const PUBLIC_ACCESS_BLOCK = "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock";
export const ACL_TYPES: readonly string[] = ["aws:s3/bucketAcl:BucketAcl", "aws:s3/bucketAclV2:BucketAclV2"];
export const BUCKET_POLICY = "aws:s3/bucketPolicy:BucketPolicy";
export const SSE_TYPES: readonly string[] = [
  "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
  "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2",
];
export const LIFECYCLE_TYPES: readonly string[] = [
  "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
  "aws:s3/bucketLifecycleConfigurationV2:BucketLifecycleConfigurationV2",
];

/** Names a bucket is known by: its name, id and ARN. */
export function bucketKeys(bucket: PolicyResource): Set<string> {
  const keys = new Set<string>();
  for (const k of ["bucket", "id"]) {
    const v = str(bucket.props[k]);
    if (v) {
      keys.add(v);
      keys.add(`arn:aws:s3:::${v}`);
    }
  }
  const arn = str(bucket.props.arn);
  if (arn) keys.add(arn);
  return keys;
}

/** True when the configuration resource `config` targets `bucket`. */
export function targets(config: PolicyResource, bucket: PolicyResource, keys: Set<string> = bucketKeys(bucket)): boolean {
  const ref = str(config.props.bucket);
  if (ref !== undefined && keys.has(ref)) return true;
  const deps = config.propertyDependencies?.bucket ?? [];
  return deps.some((d) => d.urn === bucket.urn);
}

/** For each bucket of the stack, the configuration resources of the given types that target it. */
export function configsByBucket(resources: readonly PolicyResource[], types: readonly string[]): Map<PolicyResource, PolicyResource[]> {
  const configs = resources.filter((r) => types.includes(r.type));
  const result = new Map<PolicyResource, PolicyResource[]>();
  for (const bucket of resources.filter((r) => BUCKET_TYPES.includes(r.type))) {
    const keys = bucketKeys(bucket);
    result.set(bucket, configs.filter((c) => targets(c, bucket, keys)));
  }
  return result;
}

export function bucketLabel(bucket: PolicyResource): string {
  return str(bucket.props.bucket) ?? bucket.name;
}
