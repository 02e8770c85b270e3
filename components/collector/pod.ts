/**
 * The hardened pod template both Collector tiers share: non-root, read-only
 * root filesystem, no capabilities, RuntimeDefault seccomp, no service
 * account token, the TLS Secret and the config file mounted read-only,
 * GOMEMLIMIT equal to memory_limiter's limit, probes on health_check (HTTPS).
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { restrictedContainerSecurityContext, restrictedPodSecurityContext } from "../../specs/podSecurity";
import { PORTS, TLS_MOUNT, Workload, workloadLabels } from "../../specs/topology";
import { tlsSecretName } from "../pki";

/** UID/GID of the Collector process (the contrib images use 10001). */
export const COLLECTOR_UID = 10001;
/** Where the ConfigMap with the rendered configuration is mounted. */
export const CONFIG_DIR = "/etc/otelcol";

export interface CollectorResources {
  readonly cpuRequest: string;
  readonly cpuLimit: string;
  /** Memory request and limit, in MiB (memory_limiter and GOMEMLIMIT derive from the limit). */
  readonly memoryRequestMiB: number;
  readonly memoryLimitMiB: number;
}

export interface CollectorPodArgs {
  readonly workload: Workload;
  readonly image: string;
  readonly configMapName: pulumi.Input<string>;
  readonly configFile: string;
  readonly resources: CollectorResources;
  /** GOMEMLIMIT, in MiB: the memory_limiter's limit_mib. */
  readonly goMemLimitMiB: number;
  readonly ports: readonly { readonly name: string; readonly containerPort: number }[];
  readonly extraVolumes?: k8s.types.input.core.v1.Volume[];
  readonly extraMounts?: k8s.types.input.core.v1.VolumeMount[];
}

export function collectorPodTemplate(args: CollectorPodArgs): k8s.types.input.core.v1.PodTemplateSpec {
  const labels = workloadLabels(args.workload);
  const probe = (failureThreshold: number, initialDelaySeconds: number) => ({
    httpGet: { path: "/", port: "health", scheme: "HTTPS" },
    initialDelaySeconds,
    periodSeconds: 10,
    timeoutSeconds: 3,
    failureThreshold,
  });
  return {
    metadata: { labels },
    spec: {
      automountServiceAccountToken: false,
      enableServiceLinks: false,
      securityContext: restrictedPodSecurityContext(COLLECTOR_UID),
      terminationGracePeriodSeconds: 60,
      topologySpreadConstraints: [
        { maxSkew: 1, topologyKey: "topology.kubernetes.io/zone", whenUnsatisfiable: "ScheduleAnyway", labelSelector: { matchLabels: labels } },
        { maxSkew: 1, topologyKey: "kubernetes.io/hostname", whenUnsatisfiable: "ScheduleAnyway", labelSelector: { matchLabels: labels } },
      ],
      containers: [
        {
          name: "otelcol",
          image: args.image,
          // The image's entrypoint is the otelcol-tracing binary.
          args: [`--config=${CONFIG_DIR}/${args.configFile}`],
          env: [
            { name: "GOMEMLIMIT", value: `${args.goMemLimitMiB}MiB` },
            { name: "POD_IP", valueFrom: { fieldRef: { fieldPath: "status.podIP" } } },
            // service.instance.id of the Collector's own metrics: the `instance` label in metrics-all.
            { name: "POD_NAME", valueFrom: { fieldRef: { fieldPath: "metadata.name" } } },
          ],
          ports: [
            ...args.ports.map((p) => ({ name: p.name, containerPort: p.containerPort, protocol: "TCP" })),
            { name: "health", containerPort: PORTS.healthCheck, protocol: "TCP" },
          ],
          resources: {
            requests: { cpu: args.resources.cpuRequest, memory: `${args.resources.memoryRequestMiB}Mi` },
            limits: { cpu: args.resources.cpuLimit, memory: `${args.resources.memoryLimitMiB}Mi` },
          },
          livenessProbe: probe(6, 10),
          readinessProbe: probe(3, 5),
          securityContext: restrictedContainerSecurityContext(COLLECTOR_UID),
          volumeMounts: [
            { name: "config", mountPath: CONFIG_DIR, readOnly: true },
            { name: "tls", mountPath: TLS_MOUNT.dir, readOnly: true },
            ...(args.extraMounts ?? []),
          ],
        },
      ],
      volumes: [
        { name: "config", configMap: { name: args.configMapName } },
        { name: "tls", secret: { secretName: tlsSecretName(args.workload), defaultMode: 0o440 } },
        ...(args.extraVolumes ?? []),
      ],
    },
  };
}

/** The TLS file paths inside the container, in the renderers' shape. */
export const MOUNTED_TLS = { certFile: TLS_MOUNT.cert, keyFile: TLS_MOUNT.key, caFile: TLS_MOUNT.ca } as const;
