/**
 * Grafana, access and audit (R5, R8, R9, R10, R11, R13): composes the AWS
 * side (audit key, Object Lock audit bucket, shipper role, prod database),
 * the Kubernetes configuration (service account, secrets, rendered files),
 * the workload (StatefulSet and the corporate internal load balancer), the
 * DNS record and the wait until Grafana answers by its name, and the API
 * provisioning (organisations, tenant-fixed Tempo data sources, folders,
 * dashboards). Each concern has its own file.
 */
import * as pulumi from "@pulumi/pulumi";
import { PlatformConfig } from "../../config/load";
import { IssuedCertificate } from "../pki";
import { grafanaAwsResources } from "./awsResources";
import { grafanaConfiguration } from "./configuration";
import { OrgKey } from "./dataSources";
import { grafanaDeployment } from "./deployment";
import { provisionGrafana } from "./provisioning";
import { grafanaReachability } from "./reachability";

export { GRAFANA_SERVICE_ACCOUNT } from "./awsResources";
export { BREAK_GLASS_ADMIN } from "./configuration";
export { RDS_CA_CONFIG_MAP } from "./deployment";

export interface GrafanaArgs {
  readonly config: PlatformConfig;
  /** Namespace resource output, so objects wait for it. */
  readonly namespaceRef: pulumi.Input<string>;
  /** Name of the grafana TLS Secret (cert with cfg.hostnames.grafana among its SANs). */
  readonly tlsSecretName: pulumi.Input<string>;
  /** Grafana's certificate and key: client certificate of the data sources, server certificate of the audit proxy. */
  readonly certificate: IssuedCertificate;
  readonly caCertPem: pulumi.Input<string>;
  readonly region: string;
  readonly tags: Readonly<Record<string, string>>;
}

export class Grafana extends pulumi.ComponentResource {
  public readonly url: string;
  public readonly auditBucketName: pulumi.Output<string>;
  public readonly organizationIds: Readonly<Record<OrgKey, pulumi.Output<number>>>;

  constructor(name: string, args: GrafanaArgs, opts?: pulumi.ComponentResourceOptions) {
    super("tracing:grafana:Grafana", name, {}, opts);
    const cfg = args.config;
    const postgres = cfg.grafanaDatabase === "postgres";
    const secret = (key: keyof typeof cfg.secrets) => {
      const value = cfg.secrets[key];
      if (!value) throw new Error(`Grafana needs tracing:${key}`);
      return value;
    };
    const databasePassword = postgres ? secret("grafanaDbPassword") : undefined;

    const aws = grafanaAwsResources(name, { config: cfg, tags: args.tags, databasePassword, region: args.region }, this);
    const configuration = grafanaConfiguration(
      name,
      {
        config: cfg,
        namespaceRef: args.namespaceRef,
        shipperRoleArn: aws.shipperRole.arn,
        auditBucketName: aws.audit.bucketName,
        region: args.region,
        secrets: {
          oidcClientSecret: secret("oidcClientSecret"),
          adminPassword: secret("grafanaAdminPassword"),
          databasePassword,
          // The relay's password matters only with a relay login.
          smtpPassword: cfg.alerting.smtp?.user ? cfg.secrets.smtpPassword : undefined,
        },
      },
      this,
    );
    const workload = grafanaDeployment(name, { config: cfg, namespaceRef: args.namespaceRef, configuration, databaseEndpoint: aws.database?.endpoint }, this);

    this.url = `https://${cfg.hostnames.grafana}`;
    // The provider below calls Grafana through its name: wait until that works (DNS, NLB target health).
    const reachable = grafanaReachability(
      name,
      {
        hostname: cfg.hostnames.grafana,
        privateHostedZoneId: cfg.privateHostedZoneId,
        service: workload.service,
        caCertPem: args.caCertPem,
        dependsOn: [workload.statefulSet],
      },
      this,
    );
    this.organizationIds = provisionGrafana(
      name,
      {
        url: this.url,
        namespace: cfg.namespace,
        namespaceRef: args.namespaceRef,
        adminPassword: secret("grafanaAdminPassword"),
        certificate: args.certificate,
        caCertPem: args.caCertPem,
        dependsOn: [workload.statefulSet, workload.service, reachable],
        statefulSet: workload.statefulSet,
        alerting: cfg.alerting,
        alertWebhookUrl: cfg.secrets.alertWebhookUrl,
      },
      this,
    );
    this.auditBucketName = aws.audit.bucketName;
    this.registerOutputs({ url: this.url, auditBucketName: this.auditBucketName, organizationIds: this.organizationIds });
  }
}
