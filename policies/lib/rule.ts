/**
 * How every rule of the pack is declared: the standard CrossGuard policy
 * fields plus the requirement it serves and remediation steps, which are
 * appended to each violation message so a failing check says how to fix it.
 */
import {
  EnforcementLevel,
  PolicyConfigSchema,
  ResourceValidationArgs,
  ResourceValidationPolicy,
  StackValidationArgs,
  StackValidationPolicy,
} from "@pulumi/policy";

export interface RuleMeta {
  /** Unique policy name (kebab-case). */
  readonly name: string;
  /** One sentence; ends with the requirement ids, e.g. "(R13)". */
  readonly description: string;
  /** Requirement ids this rule serves, e.g. ["R13"]. */
  readonly requirements: readonly string[];
  /** What to change when the rule fails. */
  readonly remediation: string;
  /** Mandatory for anything that exposes data or weakens security. */
  readonly enforcementLevel: EnforcementLevel;
  readonly configSchema?: PolicyConfigSchema;
}

/** Reports one problem; the resource's URN is implied for resource rules. */
export type Report = (message: string, urn?: string) => void;

export type TracingResourcePolicy = ResourceValidationPolicy & { readonly requirements: readonly string[] };
export type TracingStackPolicy = StackValidationPolicy & { readonly requirements: readonly string[] };
export type TracingPolicy = TracingResourcePolicy | TracingStackPolicy;

function base(meta: RuleMeta) {
  return {
    name: meta.name,
    description: meta.description,
    enforcementLevel: meta.enforcementLevel,
    remediationSteps: meta.remediation,
    tags: [...meta.requirements],
    requirements: meta.requirements,
    configSchema: meta.configSchema,
  };
}

function withRemediation(meta: RuleMeta, message: string): string {
  return `${message} Remediation: ${meta.remediation}`;
}

/**
 * A rule evaluated on each resource (the engine passes inputs during preview).
 * `types` limits it to those type tokens; other resources are not applicable.
 */
export function resourceRule(
  meta: RuleMeta & { readonly types?: readonly string[] },
  validate: (args: ResourceValidationArgs, report: Report) => void,
): TracingResourcePolicy {
  return {
    ...base(meta),
    validateResource: (args, reportViolation) => {
      if (meta.types && !meta.types.includes(args.type)) args.notApplicable(`applies to ${meta.types.join(", ")}`);
      validate(args, (message) => reportViolation(withRemediation(meta, message)));
    },
  };
}

/** A rule evaluated once over every resource of the stack (the engine passes outputs). */
export function stackRule(meta: RuleMeta, validate: (args: StackValidationArgs, report: Report) => void): TracingStackPolicy {
  return {
    ...base(meta),
    validateStack: (args, reportViolation) => validate(args, (message, urn) => reportViolation(withRemediation(meta, message), urn)),
  };
}
