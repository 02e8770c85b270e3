/**
 * Grafana's AWS side (R11): one KMS key for the audit records and the
 * database, the Object Lock audit bucket, the audit shipper's IRSA role with
 * its write-only policy, and (postgres) prod's RDS database.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { PlatformConfig } from "../../config/load";
import { irsaTrustPolicy } from "../../render/iamPolicies";
import { AuditBucket } from "./auditBucket";
import { auditWriterPolicy } from "./awsPolicies";
import { GrafanaDatabase } from "./database";

export const GRAFANA_SERVICE_ACCOUNT = "grafana";

export interface GrafanaAwsArgs {
  readonly config: PlatformConfig;
  readonly tags: Readonly<Record<string, string>>;
  /** The database password (postgres only). */
  readonly databasePassword?: pulumi.Input<string>;
}

export interface GrafanaAwsResources {
  readonly key: aws.kms.Key;
  readonly audit: AuditBucket;
  /** The audit shipper's IRSA role, annotated on Grafana's service account. */
  readonly shipperRole: aws.iam.Role;
  readonly database?: GrafanaDatabase;
}

/** Declares the AWS resources as children of `parent` (names `${name}-key`, `${name}-audit`, ...). */
export function grafanaAwsResources(name: string, args: GrafanaAwsArgs, parent: pulumi.Resource): GrafanaAwsResources {
  const child = { parent };
  const cfg = args.config;
  const key = new aws.kms.Key(
    `${name}-key`,
    { description: `Grafana audit records and database of ${cfg.stack}`, enableKeyRotation: true, deletionWindowInDays: 30, tags: args.tags },
    child,
  );
  const audit = new AuditBucket(`${name}-audit`, { retentionDays: cfg.auditRetentionDays, kmsKeyArn: key.arn, tags: args.tags }, child);
  const shipperRole = new aws.iam.Role(
    `${name}-audit-role`,
    {
      description: "Grafana pod's audit shipper: write-only to the audit bucket (IRSA)",
      assumeRolePolicy: JSON.stringify(
        irsaTrustPolicy({ oidcProviderArn: cfg.cluster.oidcProviderArn, oidcIssuer: cfg.cluster.oidcIssuer, namespace: cfg.namespace, serviceAccount: GRAFANA_SERVICE_ACCOUNT }),
      ),
      tags: args.tags,
    },
    child,
  );
  new aws.iam.RolePolicy(
    `${name}-audit-write`,
    { role: shipperRole.id, policy: pulumi.all([audit.bucketArn, key.arn]).apply(([b, k]) => JSON.stringify(auditWriterPolicy(b, k))) },
    child,
  );
  const database =
    cfg.grafanaDatabase === "postgres"
      ? new GrafanaDatabase(
          `${name}-db`,
          {
            vpcId: cfg.cluster.vpcId,
            vpcCidr: cfg.cluster.vpcCidr,
            subnetIds: cfg.cluster.privateSubnetIds,
            password: args.databasePassword as pulumi.Input<string>,
            kmsKeyArn: key.arn,
            tags: args.tags,
          },
          child,
        )
      : undefined;
  return { key, audit, shipperRole, database };
}
