/**
 * Data is never shared with everyone (R13): RDS and EBS snapshots, AMIs, and
 * S3 static website hosting (which serves objects over plain HTTP to anyone).
 */
import { arr, at, rec, str } from "../lib/props";
import { resourceRule } from "../lib/rule";
import { BUCKET_TYPES } from "./s3Buckets";

const RDS_SNAPSHOTS = ["aws:rds/snapshot:Snapshot", "aws:rds/clusterSnapshot:ClusterSnapshot", "aws:rds/snapshotCopy:SnapshotCopy"];
const EBS_VOLUME_PERMISSION = "aws:ec2/snapshotCreateVolumePermission:SnapshotCreateVolumePermission";
const EBS_BLOCK = "aws:ebs/snapshotBlockPublicAccess:SnapshotBlockPublicAccess";
const AMI_PERMISSION = "aws:ec2/amiLaunchPermission:AmiLaunchPermission";
const AMI_BLOCK = "aws:ec2/imageBlockPublicAccess:ImageBlockPublicAccess";

export const snapshotsNotPublic = resourceRule(
  {
    name: "aws-snapshot-not-public",
    description: "RDS (cluster) snapshots and EBS snapshots must not be shared with \"all\", and snapshot block public access must not be unblocked (R13).",
    requirements: ["R13"],
    remediation: "Share snapshots only with named account ids (sharedAccounts / accountId), never \"all\"; set SnapshotBlockPublicAccess state to block-all-sharing.",
    enforcementLevel: "mandatory",
    types: [...RDS_SNAPSHOTS, EBS_VOLUME_PERMISSION, EBS_BLOCK],
    reads: ["sharedAccounts", "accountId", "state"],
  },
  (args, report) => {
    const p = args.props;
    if (RDS_SNAPSHOTS.includes(args.type) && arr(p.sharedAccounts).some((a) => String(a).toLowerCase() === "all")) {
      report(`sharedAccounts includes "all": anyone may restore the snapshot.`);
    }
    if (args.type === EBS_VOLUME_PERMISSION && String(p.accountId).toLowerCase() === "all") report(`createVolumePermission is granted to "all": anyone may copy the volume.`);
    if (args.type === EBS_BLOCK && str(p.state) === "unblocked") report(`snapshot block public access is "unblocked".`);
  },
);

export const amiNotPublic = resourceRule(
  {
    name: "aws-ami-not-public",
    description: "AMI launch permissions must not be granted to group \"all\", and image block public access must not be unblocked (R13).",
    requirements: ["R13"],
    remediation: "Grant launch permission to named account ids or an organization ARN only; set ImageBlockPublicAccess state to block-new-sharing.",
    enforcementLevel: "mandatory",
    types: [AMI_PERMISSION, AMI_BLOCK],
    reads: ["group", "state"],
  },
  (args, report) => {
    if (args.type === AMI_PERMISSION && str(args.props.group) === "all") report(`launch permission group "all" makes the image public.`);
    if (args.type === AMI_BLOCK && str(args.props.state) === "unblocked") report(`image block public access is "unblocked".`);
  },
);

const WEBSITE_TYPES = ["aws:s3/bucketWebsiteConfiguration:BucketWebsiteConfiguration", "aws:s3/bucketWebsiteConfigurationV2:BucketWebsiteConfigurationV2"];

function hasWebsite(value: unknown): boolean {
  const w = rec(value);
  return w !== undefined && ["indexDocument", "redirectAllRequestsTo", "routingRules"].some((k) => w[k] !== undefined && w[k] !== null && w[k] !== "");
}

export const s3NoWebsite = resourceRule(
  {
    name: "s3-no-website-hosting",
    description: "S3 buckets must not enable static website hosting, whose endpoint serves objects over plain HTTP (R10, R13).",
    requirements: ["R10", "R13"],
    remediation: "Remove the website configuration (BucketWebsiteConfiguration or the bucket's website block); serve content through an internal load balancer or presigned URLs.",
    enforcementLevel: "mandatory",
    types: [...WEBSITE_TYPES, ...BUCKET_TYPES],
    reads: ["website", "websites"],
  },
  (args, report) => {
    if (WEBSITE_TYPES.includes(args.type)) {
      report(`static website hosting is configured for bucket ${str(args.props.bucket) ?? "?"}.`);
      return;
    }
    const inline = [args.props.website, ...arr(args.props.websites)];
    if (inline.some(hasWebsite)) report(`the bucket enables static website hosting (${at(args.props, "website") ? "website" : "websites"}).`);
  },
);
