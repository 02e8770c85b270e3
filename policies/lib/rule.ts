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
import { AllowedRanges, allowedRanges, RANGE_CONFIG_SCHEMA, RangeConfig } from "./privateRanges";

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
  /** The rule judges address ranges: it accepts privateCidrs / allowedCidrs config (lib/privateRanges.ts). */
  readonly usesRanges?: boolean;
  /**
   * Properties (dotted paths of the resource's inputs) the rule must read to
   * decide; when one is a secret or unknown, exposure-unverifiable reports it.
   */
  readonly reads?: readonly string[];
  /** Further reasons the rule cannot judge a resource (beyond `reads`), for exposure-unverifiable. */
  readonly hidden?: (type: string, props: Record<string, any>) => string[];
}

/** Reports one problem; the resource's URN is implied for resource rules. */
export type Report = (message: string, urn?: string) => void;

export type TracingResourcePolicy = ResourceValidationPolicy & {
  readonly requirements: readonly string[];
  readonly types?: readonly string[];
  readonly reads?: readonly string[];
  readonly hidden?: (type: string, props: Record<string, any>) => string[];
};
export type TracingStackPolicy = StackValidationPolicy & { readonly requirements: readonly string[] };
export type TracingPolicy = TracingResourcePolicy | TracingStackPolicy;

function schemaOf(meta: RuleMeta): PolicyConfigSchema | undefined {
  if (!meta.usesRanges) return meta.configSchema;
  return { ...meta.configSchema, properties: { ...RANGE_CONFIG_SCHEMA.properties, ...meta.configSchema?.properties } };
}

/** The allowed (private) ranges configured for the rule being evaluated. */
export function rangesOf(args: { getConfig: <T extends object>() => T }): AllowedRanges {
  return allowedRanges(args.getConfig<RangeConfig>());
}

function base(meta: RuleMeta) {
  return {
    name: meta.name,
    description: meta.description,
    enforcementLevel: meta.enforcementLevel,
    remediationSteps: meta.remediation,
    tags: [...meta.requirements],
    requirements: meta.requirements,
    configSchema: schemaOf(meta),
  };
}

function withRemediation(meta: RuleMeta, message: string): string {
  return `${message} Remediation: ${meta.remediation}`;
}

/**
 * A rule evaluated on each resource, on its inputs (what the program declared; the engine passes inputs).
 * `types` limits it to those type tokens; other resources are not applicable.
 */
export function resourceRule(
  meta: RuleMeta & { readonly types?: readonly string[] },
  validate: (args: ResourceValidationArgs, report: Report) => void,
): TracingResourcePolicy {
  return {
    ...base(meta),
    ...(meta.types ? { types: meta.types } : {}),
    ...(meta.reads ? { reads: meta.reads } : {}),
    ...(meta.hidden ? { hidden: meta.hidden } : {}),
    validateResource: (args, reportViolation) => {
      if (meta.types && !meta.types.includes(args.type)) args.notApplicable(`applies to ${meta.types.join(", ")}`);
      validate(args, (message) => reportViolation(withRemediation(meta, message)));
    },
  };
}

/** A rule evaluated once over every resource of the stack, on their outputs (the engine passes the resulting state). */
export function stackRule(meta: RuleMeta, validate: (args: StackValidationArgs, report: Report) => void): TracingStackPolicy {
  return {
    ...base(meta),
    validateStack: (args, reportViolation) => validate(args, (message, urn) => reportViolation(withRemediation(meta, message), urn)),
  };
}
