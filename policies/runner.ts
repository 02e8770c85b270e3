/**
 * Offline policy evaluation: runs every rule of the pack over a list of
 * resources the way the Pulumi engine would, without the engine. Resource
 * rules get one resource at a time with its inputs (what the program
 * declared, as the engine passes them), stack rules get every resource with
 * its outputs (the resulting state); args mirror the engine's (type, props,
 * urn, name, opts, isType/asType comparing the class's __pulumiType,
 * getConfig with the schema defaults, notApplicable).
 * synth (scripts/synth.ts) and `npm run policy:check` call runPolicies.
 */
import {
  PolicyResource,
  PolicyResourceOptions,
  ResourceValidationArgs,
  ResourceValidationPolicy,
  StackValidationArgs,
  StackValidationPolicy,
} from "@pulumi/policy";
import { ALL_POLICIES } from "./all";
import { TracingPolicy } from "./lib/rule";
import { synthOutputs } from "./synthOutputs";

export type EnforcementLevel = "advisory" | "mandatory" | "remediate" | "disabled";

export interface PolicyResourceInput {
  readonly urn: string;
  readonly type: string;
  readonly name: string;
  readonly parent?: string | null;
  readonly inputs: Record<string, unknown>;
  /** Final state (stack export); stack rules see these, resource rules always see the inputs. */
  readonly outputs?: Record<string, unknown>;
  /** Provider id (stack export), added to props as `id` when they lack one, as bridged providers' outputs carry it. */
  readonly id?: string;
  readonly protect?: boolean;
  /** False for component resources (stack export's `custom`). */
  readonly custom?: boolean;
  readonly dependencies?: readonly string[];
  readonly propertyDependencies?: Readonly<Record<string, readonly string[]>>;
}

export interface PolicyViolation {
  readonly policy: string;
  readonly enforcementLevel: EnforcementLevel;
  readonly urn: string;
  readonly message: string;
}

/**
 * Per-policy configuration, as in a policy config file: an enforcement level
 * and/or properties. The key "all" applies to every policy first (its
 * properties too, e.g. {"all": {"allowedCidrs": ["203.0.113.0/24"]}}).
 */
export type RunConfig = Readonly<Record<string, EnforcementLevel | ({ enforcementLevel?: EnforcementLevel } & Record<string, unknown>)>>;

export interface RunOptions {
  readonly policies?: readonly TracingPolicy[];
  readonly config?: RunConfig;
  /** Level of policies that set none. @default "advisory" (the engine's default) */
  readonly defaultEnforcementLevel?: EnforcementLevel;
}

class NotApplicable extends Error {
  constructor(readonly reason?: string) {
    super(reason ?? "not applicable");
  }
}

function throwNotApplicable(reason?: string): never {
  throw new NotApplicable(reason);
}

/** Mirrors the engine's isTypeOf: the class's __pulumiType, else its isInstance. */
function isTypeOf(type: string, resourceClass: unknown): boolean {
  const pulumiType = (resourceClass as { __pulumiType?: unknown } | undefined)?.__pulumiType;
  if (typeof pulumiType === "string" && pulumiType.length > 0) return type === pulumiType;
  const isInstance = (resourceClass as { isInstance?: unknown } | undefined)?.isInstance;
  return typeof isInstance === "function" && isInstance({ __pulumiType: type }) === true;
}

/** What resource rules see: the declared inputs (never server-filled fields such as assigned node ports). */
function inputsOf(r: PolicyResourceInput): Record<string, any> {
  return { ...(r.inputs ?? {}) };
}

/** What stack rules see: the outputs (with the provider id). */
function outputsOf(r: PolicyResourceInput): Record<string, any> {
  // Synth's resources carry neither outputs, id nor custom: use the mocks' outputs, a superset of the inputs.
  const fromSynth = r.outputs === undefined && r.id === undefined && r.custom === undefined;
  const outputs = r.outputs ?? (fromSynth ? synthOutputs(r.type, r.name, r.inputs ?? {}) : undefined);
  const props: Record<string, unknown> = { ...(outputs ?? r.inputs ?? {}) };
  if (r.id !== undefined && props.id === undefined) props.id = r.id;
  return props;
}

function optionsOf(r: PolicyResourceInput): PolicyResourceOptions {
  return {
    protect: r.protect ?? false,
    ignoreChanges: [],
    aliases: [],
    customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
    additionalSecretOutputs: [],
    ...(r.parent ? { parent: r.parent } : {}),
  };
}

type PolicyConfig = { enforcementLevel?: EnforcementLevel } & Record<string, unknown>;

/** The "all" entry then the policy's own, merged. */
function configFor(policy: TracingPolicy, options: RunOptions): PolicyConfig {
  const entry = (value: RunConfig[string] | undefined): PolicyConfig => (typeof value === "string" ? { enforcementLevel: value } : (value ?? {}));
  return { ...entry(options.config?.all), ...entry(options.config?.[policy.name]) };
}

function levelOf(policy: TracingPolicy, options: RunOptions): EnforcementLevel {
  const fromConfig = configFor(policy, options).enforcementLevel;
  const level = fromConfig ?? policy.enforcementLevel ?? options.defaultEnforcementLevel ?? "advisory";
  // As the engine does: a violation that survives remediation is mandatory.
  return level === "remediate" ? "mandatory" : level;
}

function configOf(policy: TracingPolicy, options: RunOptions): () => any {
  const defaults: Record<string, unknown> = {};
  for (const [key, schema] of Object.entries(policy.configSchema?.properties ?? {})) {
    if ((schema as { default?: unknown }).default !== undefined) defaults[key] = (schema as { default?: unknown }).default;
  }
  const { enforcementLevel: _level, ...properties } = configFor(policy, options);
  void _level;
  const merged = { ...defaults, ...properties };
  return () => merged;
}

/** Builds the engine's PolicyResource graph: parents and dependencies as objects. */
function stackResources(resources: readonly PolicyResourceInput[], propsOf: (r: PolicyResourceInput) => Record<string, any>): PolicyResource[] {
  const byUrn = new Map<string, PolicyResource>();
  const built = resources.map((r) => {
    const props = propsOf(r);
    const resource: PolicyResource = {
      type: r.type,
      props,
      urn: r.urn,
      name: r.name,
      opts: optionsOf(r),
      dependencies: [],
      propertyDependencies: {},
      isType: (cls) => isTypeOf(r.type, cls),
      asType: (cls) => (isTypeOf(r.type, cls) ? (props as any) : undefined),
    };
    byUrn.set(r.urn, resource);
    return resource;
  });
  resources.forEach((r, i) => {
    const resource = built[i];
    if (r.parent && byUrn.has(r.parent)) resource.parent = byUrn.get(r.parent);
    resource.dependencies = (r.dependencies ?? []).map((u) => byUrn.get(u)).filter((d): d is PolicyResource => d !== undefined);
    for (const [key, urns] of Object.entries(r.propertyDependencies ?? {})) {
      resource.propertyDependencies[key] = urns.map((u) => byUrn.get(u)).filter((d): d is PolicyResource => d !== undefined);
    }
  });
  return built;
}

function isStackPolicy(p: TracingPolicy): p is TracingPolicy & StackValidationPolicy {
  return typeof (p as StackValidationPolicy).validateStack === "function";
}

async function guarded(policy: TracingPolicy, what: string, run: () => Promise<void> | void): Promise<void> {
  try {
    await run();
  } catch (err) {
    if (err instanceof NotApplicable) return;
    throw new Error(`policy ${policy.name} failed on ${what}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
}

export async function runPolicies(resources: readonly PolicyResourceInput[], options: RunOptions = {}): Promise<PolicyViolation[]> {
  const policies = options.policies ?? ALL_POLICIES;
  const violations: PolicyViolation[] = [];
  const stackUrn = resources.find((r) => r.type === "pulumi:pulumi:Stack")?.urn ?? "";
  const graph = stackResources(resources, outputsOf);
  const declared = stackResources(resources, inputsOf);

  for (const policy of policies) {
    const enforcementLevel = levelOf(policy, options);
    if (enforcementLevel === "disabled") continue;
    const getConfig = configOf(policy, options);
    if (isStackPolicy(policy)) {
      const args: StackValidationArgs = { resources: graph, stackTags: new Map(), getConfig, notApplicable: throwNotApplicable };
      await guarded(policy, "the stack", () =>
        policy.validateStack(args, (message, urn) => violations.push({ policy: policy.name, enforcementLevel, urn: urn ?? stackUrn, message })),
      );
      continue;
    }
    const validations = ([] as NonNullable<ResourceValidationPolicy["validateResource"]>[]).concat(policy.validateResource ?? []).flat();
    const types = (policy as { types?: readonly string[] }).types;
    for (const resource of declared) {
      if (types && !types.includes(resource.type)) continue; // the rule would call notApplicable

      for (const validate of validations) {
        const args: ResourceValidationArgs = {
          type: resource.type,
          props: resource.props,
          urn: resource.urn,
          name: resource.name,
          opts: resource.opts,
          stackTags: new Map(),
          isType: resource.isType,
          asType: ((cls: unknown) => (isTypeOf(resource.type, cls) ? resource.props : undefined)) as ResourceValidationArgs["asType"],
          getConfig,
          notApplicable: throwNotApplicable,
        };
        // The URN argument is ignored for resource rules, as in the engine.
        await guarded(policy, resource.urn, () => validate(args, (message) => violations.push({ policy: policy.name, enforcementLevel, urn: resource.urn, message })));
      }
    }
  }
  return violations;
}
