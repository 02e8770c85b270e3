/**
 * Resources in the exact shape `pulumi stack export` writes them (version 3
 * deployment): type tokens and camelCase property names of @pulumi/aws 7 and
 * @pulumi/kubernetes 4, `inputs` (what the program declared, with the
 * bridge's `__defaults`) next to `outputs` (the state, with what the provider
 * or the Kubernetes API server filled in), ids, providers, parents and
 * property dependencies; secrets as the state's signature object. The cloud
 * and the engine are not involved: these documents are what they leave.
 */
import { PolicyResourceInput, PolicyViolation, RunConfig, runPolicies } from "../../policies/runner";
import { resourcesFromJson } from "../../policies/loadResources";
import { ALL_POLICIES } from "../../policies/all";

export type Json = Record<string, unknown>;

export interface ExportResource {
  readonly urn: string;
  readonly custom: boolean;
  readonly id?: string;
  readonly type: string;
  readonly inputs: Json;
  readonly outputs: Json;
  readonly parent: string;
  readonly provider?: string;
  readonly dependencies?: string[];
  readonly propertyDependencies?: Record<string, string[]>;
  readonly created: string;
  readonly modified: string;
}

export const ACCOUNT = "123456789012";
export const REGION = "eu-west-1";
const TIME = "2026-11-20T10:15:00.000000Z";

/** A value the state encrypted (`pulumi stack export` without --show-secrets). */
export function secret(ciphertext = "v1:c2VjcmV0:ZW5jcnlwdGVk"): Json {
  return { "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", ciphertext };
}

export class ExportBuilder {
  readonly resources: ExportResource[] = [];

  constructor(
    readonly stack = "prod",
    readonly project = "payments",
  ) {}

  get stackUrn(): string {
    return `urn:pulumi:${this.stack}::${this.project}::pulumi:pulumi:Stack::${this.project}-${this.stack}`;
  }

  urn(type: string, name: string): string {
    return `urn:pulumi:${this.stack}::${this.project}::${type}::${name}`;
  }

  private provider(pkg: string): string {
    return `urn:pulumi:${this.stack}::${this.project}::pulumi:providers:${pkg}::default::0f3e5c1a-7d2b-4c9e-8a61-5b4d3c2e1f00`;
  }

  /** An @pulumi/aws resource: outputs = inputs (without __defaults) + what AWS filled in. */
  aws(type: string, name: string, inputs: Json, filled: Json = {}, extra: { id?: string; deps?: Record<string, ExportResource[]> } = {}): ExportResource {
    const { __defaults: _defaults, ...declared } = inputs;
    void _defaults;
    const id = extra.id ?? String(filled.id ?? `${name}-${hash(name)}`);
    const outputs = deepMerge({ ...declared, id, region: REGION, tags: declared.tags ?? {}, tagsAll: declared.tags ?? {} }, filled);
    return this.add({ type, name, inputs: { __defaults: [], ...inputs }, outputs, id, pkg: "aws", deps: extra.deps });
  }

  /** A @pulumi/kubernetes resource: outputs add what the API server fills in (uid, status, spec defaults). */
  k8s(apiVersion: string, kind: string, name: string, body: Json, filled: Json = {}, namespace = "payments"): ExportResource {
    const group = apiVersion.includes("/") ? apiVersion : `core/${apiVersion}`;
    const metadata = { name, ...(namespace ? { namespace } : {}), ...((body.metadata as Json | undefined) ?? {}) };
    const inputs = { apiVersion, kind, ...body, metadata };
    const server = { metadata: { uid: `6f1d2c3b-${hash(name)}-4e5f`, resourceVersion: "48213", creationTimestamp: "2026-11-20T10:15:02Z", generation: 1 } };
    const outputs = deepMerge(deepMerge(inputs, server), filled);
    return this.add({ type: `kubernetes:${group}:${kind}`, name, inputs, outputs, id: namespace ? `${namespace}/${name}` : name, pkg: "kubernetes" });
  }

  /** A resource of any other provider (grafana, cilium CRDs through kubernetes, ...). */
  other(type: string, name: string, inputs: Json, filled: Json = {}, pkg = type.split(":")[0]): ExportResource {
    return this.add({ type, name, inputs, outputs: deepMerge(inputs, filled), id: `${name}-${hash(name)}`, pkg });
  }

  private add(r: { type: string; name: string; inputs: Json; outputs: Json; id: string; pkg: string; deps?: Record<string, ExportResource[]> }): ExportResource {
    const propertyDependencies: Record<string, string[]> = {};
    for (const [k, list] of Object.entries(r.deps ?? {})) propertyDependencies[k] = list.map((d) => d.urn);
    const resource: ExportResource = {
      urn: this.urn(r.type, r.name),
      custom: true,
      id: r.id,
      type: r.type,
      inputs: r.inputs,
      outputs: r.outputs,
      parent: this.stackUrn,
      provider: this.provider(r.pkg),
      dependencies: [...new Set(Object.values(propertyDependencies).flat())],
      propertyDependencies,
      created: TIME,
      modified: TIME,
    };
    this.resources.push(resource);
    return resource;
  }

  /** The whole `pulumi stack export` document. */
  document(): Json {
    const providers = ["aws", "kubernetes", "grafana"].map((pkg) => ({
      urn: this.provider(pkg).replace(/::[0-9a-f-]+$/, ""),
      custom: true,
      id: "0f3e5c1a-7d2b-4c9e-8a61-5b4d3c2e1f00",
      type: `pulumi:providers:${pkg}`,
      inputs: pkg === "kubernetes" ? { kubeconfig: secret("v1:a3ViZWNvbmZpZw==:bm9wZQ==") } : { region: REGION },
      outputs: pkg === "kubernetes" ? { kubeconfig: secret("v1:a3ViZWNvbmZpZw==:bm9wZQ==") } : { region: REGION },
      parent: this.stackUrn,
      created: TIME,
      modified: TIME,
    }));
    return {
      version: 3,
      deployment: {
        manifest: { time: "2026-11-20T10:16:00.000000+00:00", magic: "3c1e9b7f0a2d4e6f8a0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d1e2f", version: "v3.205.0" },
        secrets_providers: { type: "passphrase", state: { salt: "v1:Zm9vYmFy:v1:YmF6cXV4:c2FsdA==" } },
        resources: [{ urn: this.stackUrn, custom: false, type: "pulumi:pulumi:Stack", outputs: {}, created: TIME, modified: TIME }, ...providers, ...this.resources],
      },
    };
  }
}

function hash(text: string): string {
  let h = 2166136261;
  for (const c of text) h = Math.imul(h ^ c.charCodeAt(0), 16777619) >>> 0;
  return h.toString(16).padStart(8, "0").slice(0, 7);
}

export function deepMerge(base: unknown, over: unknown): any {
  const isObj = (v: unknown): v is Json => v !== null && typeof v === "object" && !Array.isArray(v);
  if (!isObj(base) || !isObj(over)) return over === undefined ? base : over;
  const out: Json = { ...base };
  for (const [k, v] of Object.entries(over)) out[k] = deepMerge(base[k], v);
  return out;
}

/** JSON text of an IAM policy document, as the SDK's inputs hold it. */
export function policyJson(...statements: Json[]): string {
  return JSON.stringify({ Version: "2012-10-17", Statement: statements });
}

/** Runs the pack (or some rules) on an export document through the loader, as policy:check does. */
export async function evaluate(doc: Json, options: { policies?: string[]; config?: RunConfig } = {}): Promise<PolicyViolation[]> {
  const resources: PolicyResourceInput[] = resourcesFromJson(JSON.parse(JSON.stringify(doc)));
  const policies = options.policies ? ALL_POLICIES.filter((p) => options.policies?.includes(p.name)) : undefined;
  if (options.policies && policies?.length !== options.policies.length) throw new Error(`unknown policy in ${options.policies.join(", ")}`);
  return runPolicies(resources, { policies, config: options.config });
}
