/**
 * Grafana's AWS side (R11): a dedicated KMS key for the audit records (its
 * policy lets only the break-glass role disable, delete or re-policy it), a
 * separate key for the database, the Object Lock audit bucket, the audit shipper's IRSA role with
 * its write-only policy, and (postgres) prod's RDS database.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { PlatformConfig } from "../../config/load";
import { irsaTrustPolicy } from "../../render/iamPolicies";
import { AuditBucket } from "./auditBucket";
import { auditKeyPolicy, auditWriterPolicy } from "./awsPolicies";
import { GrafanaDatabase } from "./database";

export const GRAFANA_SERVICE_ACCOUNT = "grafana";

export interface GrafanaAwsArgs {
  readonly config: PlatformConfig;
  readonly tags: Readonly<Record<string, string>>;
  /** The database password (postgres only). */
  readonly databasePassword?: pulumi.Input<string>;
  /** AWS region of the stack. */
  readonly region: string;
}

/** The account id of an IAM ARN (arn:aws:iam::<account>:...). */
export function accountIdOf(arn: string): string {
  const account = arn.split(":")[4];
  if (!/^\d{12}$/.test(account ?? "")) throw new Error(`no account id in ARN ${JSON.stringify(arn)}`);
  return account;
}

export interface GrafanaAwsResources {
  /** Encrypts the database (prod). */
  readonly key: aws.kms.Key;
  /** Encrypts the audit records only. */
  readonly auditKey: aws.kms.Key;
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
    { description: `Grafana database of ${cfg.stack}`, enableKeyRotation: true, deletionWindowInDays: 30, tags: args.tags },
    child,
  );
  const breakGlassRoleArn = cfg.auditBreakGlassRoleArn;
  const auditKey = new aws.kms.Key(
    `${name}-audit-key`,
    {
      description: `Grafana audit records of ${cfg.stack} (R11): only ${breakGlassRoleArn} may disable or delete it`,
      enableKeyRotation: true,
      deletionWindowInDays: 30,
      policy: JSON.stringify(auditKeyPolicy({ accountId: accountIdOf(cfg.cluster.oidcProviderArn), region: args.region, breakGlassRoleArn })),
      // The deployer deliberately cannot PutKeyPolicy afterwards; KMS's lockout check would refuse that policy.
      bypassPolicyLockoutSafetyCheck: true,
      tags: args.tags,
    },
    child,
  );
  const audit = new AuditBucket(`${name}-audit`, { retentionDays: cfg.auditRetentionDays, kmsKeyArn: auditKey.arn, breakGlassRoleArn, tags: args.tags }, child);
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
    { role: shipperRole.id, policy: pulumi.all([audit.bucketArn, auditKey.arn]).apply(([b, k]) => JSON.stringify(auditWriterPolicy(b, k))) },
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
  return { key, auditKey, audit, shipperRole, database };
}
