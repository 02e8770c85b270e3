/**
 * Offline policy evaluation. PLACEHOLDER until the policy-pack issue lands:
 * the signature is the contract synth and policy:check rely on.
 */
export type EnforcementLevel = "advisory" | "mandatory" | "remediate" | "disabled";

export interface PolicyResourceInput {
  readonly urn: string;
  readonly type: string;
  readonly name: string;
  readonly parent?: string | null;
  readonly inputs: Record<string, unknown>;
  readonly outputs?: Record<string, unknown>;
}

export interface PolicyViolation {
  readonly policy: string;
  readonly enforcementLevel: EnforcementLevel;
  readonly urn: string;
  readonly message: string;
}

export async function runPolicies(resources: readonly PolicyResourceInput[]): Promise<PolicyViolation[]> {
  void resources;
  return [];
}
