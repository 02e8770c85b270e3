/**
 * Grafana's workload (R8, R11, R13): the data volume (sqlite), the
 * StatefulSet (Kubernetes' provider waits until it is ready) and the
 * Service, reachable only through the corporate internal load balancer.
 *
 * A StatefulSet, not a Deployment, so that each replica's audit volumes
 * (logs, read positions, upload queue) outlive its pod: a replaced pod gets
 * the same claims back and the shipper resumes where the old one stopped
 * (R11). Rolling updates replace one pod at a time, the old one first, which
 * is also what dev's single sqlite pod on a ReadWriteOnce volume needs
 * (formerly the Deployment's Recreate). Claims are kept when the set scales
 * down, so an unshipped tail waits for the replica to come back.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { PlatformConfig } from "../../config/load";
import { PORTS, workloadLabels } from "../../specs/topology";
import { AUDIT_SHIPPER_IMAGE } from "../../versions/collector";
import { AUDIT_PROXY_IMAGE, GRAFANA_IMAGE } from "../../versions/grafana";
import { internalEndpoint } from "../internalEndpoint";
import { GRAFANA_SERVICE_ACCOUNT } from "./awsResources";
import { GrafanaConfiguration, GRAFANA_CONFIG_MAP, GRAFANA_SECRET } from "./configuration";
import { TEMPO_DATA_SOURCES } from "./dataSources";
import { auditVolumeClaimTemplates, grafanaPodTemplate } from "./workload";

/** ConfigMap (created by the operator, see docs/deploy.md) with the RDS CA bundle for ssl_mode=verify-full. */
export const RDS_CA_CONFIG_MAP = "grafana-rds-ca";

export interface GrafanaDeploymentArgs {
  readonly config: PlatformConfig;
  /** Namespace resource output, so objects wait for it. */
  readonly namespaceRef: pulumi.Input<string>;
  readonly configuration: GrafanaConfiguration;
  /** Database `host:port` (postgres only). */
  readonly databaseEndpoint?: pulumi.Output<string>;
}

export interface GrafanaWorkload {
  readonly statefulSet: k8s.apps.v1.StatefulSet;
  readonly service: k8s.core.v1.Service;
}

function dataClaim(name: string, args: GrafanaDeploymentArgs, parent: pulumi.Resource): k8s.core.v1.PersistentVolumeClaim {
  return new k8s.core.v1.PersistentVolumeClaim(
    `${name}-data`,
    {
      metadata: { name: "grafana-data", namespace: args.namespaceRef, labels: workloadLabels("grafana") },
      spec: { accessModes: ["ReadWriteOnce"], storageClassName: args.config.storageClassName, resources: { requests: { storage: "5Gi" } } },
    },
    { parent },
  );
}

/** Declares the workload as children of `parent`. */
export function grafanaDeployment(name: string, args: GrafanaDeploymentArgs, parent: pulumi.Resource): GrafanaWorkload {
  const child = { parent };
  const cfg = args.config;
  const postgres = cfg.grafanaDatabase === "postgres";
  const claim = postgres ? undefined : dataClaim(name, args, parent);
  const { configMap, secrets, serviceAccount, checksum } = args.configuration;
  const statefulSet = new k8s.apps.v1.StatefulSet(
    `${name}-statefulset`,
    {
      metadata: { name: "grafana", namespace: args.namespaceRef, labels: workloadLabels("grafana") },
      spec: {
        serviceName: "grafana",
        replicas: postgres ? cfg.replicas.grafana : 1,
        podManagementPolicy: "Parallel",
        // One pod at a time, the old one deleted before its successor starts (sqlite: never two pods at once).
        updateStrategy: { type: "RollingUpdate", rollingUpdate: { partition: 0 } },
        persistentVolumeClaimRetentionPolicy: { whenDeleted: "Retain", whenScaled: "Retain" },
        volumeClaimTemplates: auditVolumeClaimTemplates(cfg.storageClassName),
        selector: { matchLabels: workloadLabels("grafana") },
        template: pulumi.all([checksum, args.databaseEndpoint ?? ""]).apply(([sum, endpoint]) =>
          grafanaPodTemplate({
            grafanaImage: GRAFANA_IMAGE,
            proxyImage: AUDIT_PROXY_IMAGE,
            shipperImage: AUDIT_SHIPPER_IMAGE,
            serviceAccountName: GRAFANA_SERVICE_ACCOUNT,
            configMapName: GRAFANA_CONFIG_MAP,
            secretName: GRAFANA_SECRET,
            tlsSecretName: "grafana-tls",
            dataClaimName: claim ? "grafana-data" : undefined,
            rdsCaConfigMap: postgres ? RDS_CA_CONFIG_MAP : undefined,
            databaseHost: postgres ? endpoint : undefined,
            annotations: { "checksum/config": sum },
            proxyPorts: TEMPO_DATA_SOURCES.map((d) => d.proxyPort),
          }),
        ) as unknown as pulumi.Input<k8s.types.input.core.v1.PodTemplateSpec>,
      },
    },
    { ...child, dependsOn: [configMap, secrets, serviceAccount, ...(claim ? [claim] : [])] },
  );
  const service = internalEndpoint(
    `${name}-service`,
    {
      namespace: args.namespaceRef,
      serviceName: "grafana",
      audience: "corporate",
      allowedCidrs: { corporate: cfg.network.corporateCidrs, applications: cfg.network.applicationCidrs },
      // The Grafana provider calls the API through this load balancer from the deploy runners.
      deployerCidrs: cfg.network.deployerCidrs,
      selector: workloadLabels("grafana"),
      ports: [{ name: "https", port: PORTS.https, targetPort: PORTS.grafanaHttps }],
      annotations: {
        "service.beta.kubernetes.io/aws-load-balancer-healthcheck-protocol": "HTTPS",
        "service.beta.kubernetes.io/aws-load-balancer-healthcheck-path": "/api/health",
      },
    },
    { ...child, dependsOn: [statefulSet] },
  );
  return { statefulSet, service };
}
