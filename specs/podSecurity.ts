/**
 * Security contexts every platform pod and container runs with: non-root,
 * no privilege escalation, no capabilities, read-only root filesystem and the
 * runtime's seccomp profile (the namespace enforces Pod Security "restricted").
 */

export function restrictedPodSecurityContext(uid: number) {
  return {
    runAsNonRoot: true,
    runAsUser: uid,
    runAsGroup: uid,
    fsGroup: uid,
    fsGroupChangePolicy: "OnRootMismatch",
    seccompProfile: { type: "RuntimeDefault" },
  };
}

/** `gid` lets sidecars share files through one group. @default uid */
export function restrictedContainerSecurityContext(uid: number, gid: number = uid) {
  return {
    runAsNonRoot: true,
    runAsUser: uid,
    runAsGroup: gid,
    allowPrivilegeEscalation: false,
    readOnlyRootFilesystem: true,
    privileged: false,
    capabilities: { drop: ["ALL"] },
    seccompProfile: { type: "RuntimeDefault" },
  };
}
