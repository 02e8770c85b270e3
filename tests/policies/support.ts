/** Builders for policy tests: resources shaped as the engine (and a stack export) presents them. */
import { PolicyResourceInput, PolicyViolation, runPolicies } from "../../policies/runner";
import { TracingPolicy } from "../../policies/lib/rule";

export const STACK_URN = "urn:pulumi:test::proj::pulumi:pulumi:Stack::proj-test";

/** A custom resource whose props (outputs) are `props`; `id` defaults to the name so no mock outputs are used. */
export function res(type: string, name: string, props: Record<string, unknown>, extra: Partial<PolicyResourceInput> = {}): PolicyResourceInput {
  return { urn: `urn:pulumi:test::proj::${type}::${name}`, type, name, parent: STACK_URN, inputs: props, outputs: props, id: name, ...extra };
}

export function stack(): PolicyResourceInput {
  return { urn: STACK_URN, type: "pulumi:pulumi:Stack", name: "proj-test", parent: null, inputs: {}, custom: false };
}

export async function check(policy: TracingPolicy, resources: PolicyResourceInput[]): Promise<PolicyViolation[]> {
  return runPolicies([stack(), ...resources], { policies: [policy] });
}

/** Messages reported for one resource. */
export function messagesFor(violations: PolicyViolation[], r: PolicyResourceInput): string[] {
  return violations.filter((v) => v.urn === r.urn).map((v) => v.message);
}

export function k8s(kind: string, name: string, body: Record<string, unknown>, apiVersion = "v1", namespace = "team"): PolicyResourceInput {
  const group = apiVersion.includes("/") ? apiVersion : `core/${apiVersion}`;
  const meta = (body.metadata as Record<string, unknown> | undefined) ?? {};
  return res(`kubernetes:${group}:${kind}`, name, { apiVersion, kind, ...body, metadata: { name, namespace, ...meta } });
}
