/**
 * Grafana's shared PostgreSQL for prod (several replicas need one database):
 * RDS in the VPC's private subnets, encrypted with KMS, not publicly
 * accessible, TLS forced (rds.force_ssl), reachable on 5432 only from the
 * VPC, deletion protection and backups on (R10, R13).
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { PORTS } from "../../specs/topology";

export interface GrafanaDatabaseArgs {
  readonly vpcId: string;
  /** The VPC's CIDR: the only source admitted on 5432 (the Grafana pods' addresses). */
  readonly vpcCidr: string;
  /** Private subnets for the DB subnet group (at least two AZs). */
  readonly subnetIds: readonly string[];
  /** Master password (a Pulumi secret). */
  readonly password: pulumi.Input<string>;
  readonly kmsKeyArn: pulumi.Input<string>;
  /** Instance class. @default "db.t4g.small" */
  readonly instanceClass?: string;
  /** Allocated storage in GiB. @default 20 */
  readonly allocatedStorageGb?: number;
  /** Days of automated backups. @default 14 */
  readonly backupRetentionDays?: number;
  readonly tags: Readonly<Record<string, string>>;
}

/** PostgreSQL major version; the parameter group family follows it. */
export const POSTGRES_MAJOR = "16";
export const GRAFANA_DB_NAME = "grafana";
export const GRAFANA_DB_USER = "grafana";

export class GrafanaDatabase extends pulumi.ComponentResource {
  /** `host:port` of the instance. */
  public readonly endpoint: pulumi.Output<string>;

  constructor(name: string, args: GrafanaDatabaseArgs, opts?: pulumi.ComponentResourceOptions) {
    super("tracing:grafana:GrafanaDatabase", name, {}, opts);
    const child = { parent: this };

    const subnets = new aws.rds.SubnetGroup(`${name}-subnets`, { subnetIds: [...args.subnetIds], tags: args.tags }, child);
    const sg = new aws.ec2.SecurityGroup(
      `${name}-sg`,
      {
        vpcId: args.vpcId,
        description: "Grafana database: PostgreSQL from the VPC only",
        ingress: [{ protocol: "tcp", fromPort: PORTS.postgres, toPort: PORTS.postgres, cidrBlocks: [args.vpcCidr], description: "Grafana pods" }],
        egress: [],
        tags: args.tags,
      },
      child,
    );
    const params = new aws.rds.ParameterGroup(
      `${name}-params`,
      {
        family: `postgres${POSTGRES_MAJOR}`,
        description: "Grafana database: TLS required",
        parameters: [{ name: "rds.force_ssl", value: "1", applyMethod: "pending-reboot" }],
        tags: args.tags,
      },
      child,
    );
    const instance = new aws.rds.Instance(
      `${name}-instance`,
      {
        engine: "postgres",
        engineVersion: POSTGRES_MAJOR,
        instanceClass: args.instanceClass ?? "db.t4g.small",
        allocatedStorage: args.allocatedStorageGb ?? 20,
        storageType: "gp3",
        dbName: GRAFANA_DB_NAME,
        username: GRAFANA_DB_USER,
        password: args.password,
        dbSubnetGroupName: subnets.name,
        vpcSecurityGroupIds: [sg.id],
        parameterGroupName: params.name,
        storageEncrypted: true,
        kmsKeyId: args.kmsKeyArn,
        publiclyAccessible: false,
        multiAz: true,
        deletionProtection: true,
        backupRetentionPeriod: args.backupRetentionDays ?? 14,
        copyTagsToSnapshot: true,
        skipFinalSnapshot: false,
        finalSnapshotIdentifier: `${name}-final`,
        autoMinorVersionUpgrade: true,
        caCertIdentifier: "rds-ca-rsa2048-g1",
        tags: args.tags,
      },
      child,
    );
    this.endpoint = pulumi.interpolate`${instance.address}:${instance.port}`;
    this.registerOutputs({ endpoint: this.endpoint });
  }
}
