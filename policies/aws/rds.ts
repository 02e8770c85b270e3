/** Databases are never publicly reachable and always encrypted at rest (R12, R13). */
import { isTrue } from "../lib/props";
import { resourceRule } from "../lib/rule";

const INSTANCE = "aws:rds/instance:Instance";
const CLUSTER = "aws:rds/cluster:Cluster";
const CLUSTER_INSTANCE = "aws:rds/clusterInstance:ClusterInstance";
const REDSHIFT = "aws:redshift/cluster:Cluster";
const DMS = "aws:dms/replicationInstance:ReplicationInstance";
const MQ = "aws:mq/broker:Broker";
const REDSHIFT_SERVERLESS = "aws:redshiftserverless/workgroup:Workgroup";

export const rdsNotPublic = resourceRule(
  {
    name: "aws-rds-not-public",
    description: "RDS instances, Redshift clusters and workgroups, DMS replication instances and Amazon MQ brokers must not be publicly accessible (R13).",
    requirements: ["R13"],
    remediation: "Set publiclyAccessible: false and use a subnet group of private subnets.",
    enforcementLevel: "mandatory",
    types: [INSTANCE, CLUSTER_INSTANCE, REDSHIFT, REDSHIFT_SERVERLESS, DMS, MQ],
    reads: ["publiclyAccessible"],
  },
  (args, report) => {
    if (isTrue(args.props.publiclyAccessible)) report("publiclyAccessible is true.");
  },
);

export const rdsEncrypted = resourceRule(
  {
    name: "aws-rds-storage-encrypted",
    description: "RDS instances and clusters must encrypt storage at rest (R12).",
    requirements: ["R12"],
    remediation: "Set storageEncrypted: true (with kmsKeyId for a customer-managed key); an existing database must be restored from an encrypted snapshot.",
    enforcementLevel: "mandatory",
    types: [INSTANCE, CLUSTER],
    reads: ["storageEncrypted"],
  },
  (args, report) => {
    if (!isTrue(args.props.storageEncrypted)) report("storageEncrypted is not true.");
  },
);
