/**
 * Assertions on the synthesized collector objects shared by the dev and prod
 * component tests (each test file synthesizes one stack).
 */
import { parse } from "yaml";
import { PORTS, TLS_MOUNT } from "../../specs/topology";
import { Synthesis } from "../../synth/synthesize";
import { named, ofType } from "../support/synth";

export type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** The first element matching, or a failing assertion. */
export function find(list: unknown, predicate: (o: Obj) => boolean): Obj {
  const found = (list as Obj[]).find(predicate);
  if (!found) throw new Error("expected element not found");
  return found;
}

export const inputs = (s: Synthesis, name: string) => named(s, name).inputs as Obj;
export const podSpec = (s: Synthesis, name: string) => inputs(s, name).spec.template.spec as Obj;
export const container = (s: Synthesis, name: string) => podSpec(s, name).containers[0] as Obj;

export function expectHardenedPod(spec: Obj): void {
  expect(spec.automountServiceAccountToken).toBe(false);
  expect(spec.hostNetwork).toBeUndefined();
  expect(spec.securityContext).toMatchObject({ runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" } });
  expect(spec.securityContext.runAsUser).toBeGreaterThan(0);
  for (const c of spec.containers as Obj[]) {
    expect(c.securityContext).toMatchObject({
      runAsNonRoot: true,
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ["ALL"] },
      seccompProfile: { type: "RuntimeDefault" },
    });
    expect(c.resources.requests.cpu).toBeDefined();
    expect(c.resources.requests.memory).toBeDefined();
    expect(c.resources.limits.cpu).toBeDefined();
    expect(c.resources.limits.memory).toBeDefined();
    for (const probe of [c.livenessProbe, c.readinessProbe]) {
      expect(probe.httpGet).toEqual({ path: "/", port: "health", scheme: "HTTPS" });
    }
    expect(find(c.ports, (p) => p.name === "health").containerPort).toBe(PORTS.healthCheck);
    for (const p of c.ports as Obj[]) expect(p.hostPort).toBeUndefined();
  }
}

/** The config file the container runs, GOMEMLIMIT vs memory_limiter, TLS mount vs TLS paths in the file. */
export function expectContainerMatchesConfig(s: Synthesis, workloadResource: string, file: string, secretName: string): Obj {
  const spec = podSpec(s, workloadResource);
  const c = spec.containers[0] as Obj;
  expect(c.args).toEqual([`--config=/etc/otelcol/${file}`]);
  const config = parse(s.configFiles[file] as string) as Obj;
  const goMemLimit = find(c.env, (e) => e.name === "GOMEMLIMIT").value;
  expect(goMemLimit).toBe(`${config.processors.memory_limiter.limit_mib}MiB`);
  const limitMiB = Number(String(c.resources.limits.memory).replace(/Mi$/, ""));
  expect(config.processors.memory_limiter.limit_mib).toBeLessThan(limitMiB);

  const tlsMount = find(c.volumeMounts, (m) => m.mountPath === TLS_MOUNT.dir);
  expect(tlsMount.readOnly).toBe(true);
  const tlsVolume = find(spec.volumes, (v) => v.name === tlsMount.name);
  expect(tlsVolume.secret.secretName).toBe(secretName);
  const configMount = find(c.volumeMounts, (m) => m.mountPath === "/etc/otelcol");
  const configVolume = find(spec.volumes, (v) => v.name === configMount.name);
  const configMap = ofType(s, "kubernetes:core/v1:ConfigMap").find((m) => (m.inputs.data as Obj | undefined)?.[file] !== undefined);
  expect(configVolume.configMap.name).toBe((configMap!.inputs.metadata as Obj).name);

  const text = s.configFiles[file] as string;
  const paths = new Set([...text.matchAll(/(?:cert_file|key_file|ca_file|client_ca_file): (\S+)/g)].map((m) => m[1]));
  expect([...paths].sort()).toEqual([TLS_MOUNT.ca, TLS_MOUNT.cert, TLS_MOUNT.key].sort());
  return config;
}
