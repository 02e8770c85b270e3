/**
 * Pods never reach into the node and never run as root (R13): applies to every
 * kind that carries a pod spec (Pod, Deployment, StatefulSet, DaemonSet,
 * ReplicaSet, Job, CronJob, ...).
 */
import { arr, at, isTrue, rec } from "../lib/props";
import { resourceRule } from "../lib/rule";
import { containersOf, podSpecOf } from "./types";

export const noHostAccess = resourceRule(
  {
    name: "k8s-pod-no-host-access",
    description: "Pods (and workload patches) must not use hostNetwork, hostPID, hostIPC, hostPort, hostPath volumes or privileged containers (R13).",
    requirements: ["R13"],
    remediation: "Remove host namespaces, host ports and hostPath volumes (use a Service and a PersistentVolumeClaim/emptyDir) and set securityContext.privileged to false.",
    enforcementLevel: "mandatory",
  },
  (args, report) => {
    const pod = podSpecOf(args.type, args.props, true);
    if (!pod) return args.notApplicable("no pod spec");
    for (const field of ["hostNetwork", "hostPID", "hostIPC"]) {
      if (isTrue(pod[field])) report(`pod spec sets ${field}: true.`);
    }
    for (const volume of arr(pod.volumes)) {
      if (rec(at(volume, "hostPath"))) report(`volume "${String(at(volume, "name"))}" is a hostPath volume.`);
    }
    for (const { field, name, container } of containersOf(pod)) {
      if (isTrue(at(container, "securityContext", "privileged"))) report(`${field} "${name}" is privileged.`);
      for (const port of arr(container.ports)) {
        const hostPort = at(port, "hostPort");
        if (typeof hostPort === "number" && hostPort > 0) report(`${field} "${name}" binds hostPort ${hostPort}.`);
      }
    }
  },
);

export const nonRootContainers = resourceRule(
  {
    name: "k8s-pod-non-root",
    description: "Every container (including init containers) must run as non-root with allowPrivilegeEscalation false (R13).",
    requirements: ["R13"],
    remediation: "Set securityContext.runAsNonRoot: true and a non-zero runAsUser at pod or container level, and allowPrivilegeEscalation: false on every container.",
    enforcementLevel: "mandatory",
  },
  (args, report) => {
    const pod = podSpecOf(args.type, args.props);
    if (!pod) return args.notApplicable("no pod spec");
    const podContext = rec(pod.securityContext) ?? {};
    for (const { field, name, container } of containersOf(pod)) {
      const context = rec(container.securityContext) ?? {};
      const nonRoot = context.runAsNonRoot ?? podContext.runAsNonRoot;
      const user = context.runAsUser ?? podContext.runAsUser;
      if (!isTrue(nonRoot)) report(`${field} "${name}" does not set runAsNonRoot: true.`);
      if (user === 0 || user === "0") report(`${field} "${name}" runs as user 0 (root).`);
      if (context.allowPrivilegeEscalation !== false) report(`${field} "${name}" does not set allowPrivilegeEscalation: false.`);
    }
  },
);
