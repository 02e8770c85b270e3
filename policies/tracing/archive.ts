/**
 * Expired traces are archived, never the live ones (R6): the bucket Tempo
 * writes to (storage.trace.s3.bucket in tempo.yaml) moves noncurrent versions
 * (what Tempo's deletes leave on a versioned bucket) to Glacier and expires
 * them later, and never moves current objects to Glacier, where Tempo could no
 * longer read them.
 */
import { PolicyResource } from "@pulumi/policy";
import { arr, at, isTrue, oneOrMany, rec, Rec, str } from "../lib/props";
import { stackRule } from "../lib/rule";
import { BUCKET_TYPES, bucketKeys, LIFECYCLE_TYPES, targets } from "../aws/s3Buckets";
import { tempoConfigs } from "./configFiles";

const ARCHIVE_CLASSES = ["GLACIER", "DEEP_ARCHIVE", "GLACIER_IR"];
const isArchiveClass = (c: unknown): boolean => typeof c === "string" && ARCHIVE_CLASSES.includes(c.toUpperCase());

/** Enabled rules of a separate lifecycle configuration (status) or a legacy Bucket's inline lifecycleRules (enabled). */
function enabledRules(resource: PolicyResource): Rec[] {
  const separate = arr(resource.props.rules).map(rec).filter((r): r is Rec => r !== undefined && r.status === "Enabled");
  const inline = arr(resource.props.lifecycleRules).map(rec).filter((r): r is Rec => r !== undefined && isTrue(r.enabled));
  return [...separate, ...inline];
}

export function lifecycleProblems(rules: readonly Rec[]): string[] {
  const problems: string[] = [];
  const archives = rules.some((r) => oneOrMany(r.noncurrentVersionTransitions).some((t) => isArchiveClass(at(t, "storageClass"))));
  const expires = rules.some((r) => {
    const e = rec(r.noncurrentVersionExpiration);
    return e !== undefined && (typeof e.noncurrentDays === "number" || typeof e.days === "number");
  });
  if (!archives) problems.push("no enabled rule moves noncurrent versions to GLACIER or DEEP_ARCHIVE");
  if (!expires) problems.push("no enabled rule expires noncurrent versions (noncurrentVersionExpiration)");
  for (const r of rules) {
    for (const t of oneOrMany(r.transitions)) {
      if (isArchiveClass(at(t, "storageClass"))) problems.push(`rule "${str(r.id) ?? "?"}" moves current objects to ${String(at(t, "storageClass"))}, where Tempo cannot read them`);
    }
  }
  return problems;
}

export const traceBucketArchive = stackRule(
  {
    name: "trace-bucket-archive-lifecycle",
    description: "The trace bucket must archive noncurrent versions to Glacier, expire them later, and never move current objects to Glacier (R6).",
    requirements: ["R6"],
    remediation:
      "Give the trace bucket a BucketLifecycleConfiguration with an enabled rule holding noncurrentVersionTransitions (GLACIER or DEEP_ARCHIVE) and noncurrentVersionExpiration, and no transitions of current objects to a Glacier class.",
    enforcementLevel: "mandatory",
  },
  (args, report) => {
    const tempo = tempoConfigs(args.resources).filter((t) => at(t.config, "storage", "trace", "backend") === "s3");
    if (tempo.length === 0) args.notApplicable("no Tempo config with an S3 backend");
    const buckets = args.resources.filter((r) => BUCKET_TYPES.includes(r.type));
    const lifecycles = args.resources.filter((r) => LIFECYCLE_TYPES.includes(r.type));
    for (const { resource, file, config } of tempo) {
      const name = str(at(config, "storage", "trace", "s3", "bucket"));
      if (!name) {
        report(`${file} names no storage.trace.s3.bucket, so its lifecycle cannot be checked.`, resource.urn);
        continue;
      }
      const bucket = buckets.find((b) => bucketKeys(b).has(name));
      const own = lifecycles.filter((l) => str(l.props.bucket) === name || (bucket !== undefined && targets(l, bucket)));
      const carriers = [...own, ...(bucket && arr(bucket.props.lifecycleRules).length > 0 ? [bucket] : [])];
      if (carriers.length === 0) {
        report(`trace bucket "${name}" (from ${file}) has no lifecycle configuration in this stack.`, bucket?.urn ?? resource.urn);
        continue;
      }
      for (const problem of lifecycleProblems(carriers.flatMap(enabledRules))) report(`trace bucket "${name}": ${problem}.`, carriers[0].urn);
    }
  },
);
