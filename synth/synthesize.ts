/**
 * Runs the real program (index.ts) under Pulumi's mock runtime with a
 * stack's configuration and returns what it declared: every resource with
 * its parent and inputs (secrets redacted) and every deployed configuration
 * file. One synthesis per process: the Pulumi runtime is process-global.
 */
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { CONFIG_FILES_ANNOTATION } from "../components/configFiles";
import { RecordedResource, RecordingMocks } from "./mocks";
import { readStackConfigFile } from "./stackFile";

export const SECRET_MARK = "[secret]";
const SECRET_SIG_KEY = "4dabf18193072939515e22adb298388d";
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";

export interface SynthResource {
  readonly urn: string;
  readonly type: string;
  readonly name: string;
  readonly parent: string | null;
  readonly inputs: Record<string, unknown>;
  /** URN of the explicit provider the resource uses (own or inherited); absent: the default provider. */
  readonly provider?: string;
  /** The resource's ignoreChanges option, when set. */
  readonly ignoreChanges?: string[];
  /** URNs of the resources named in its dependsOn option, when set (sorted). */
  readonly dependsOn?: string[];
}

export interface Synthesis {
  readonly stack: string;
  readonly project: string;
  /** Sorted by URN. */
  readonly resources: SynthResource[];
  /** File name -> content, exactly as the ConfigMaps carry them. */
  readonly configFiles: Record<string, string>;
}

/** Replaces every secret (and any value containing one) with SECRET_MARK. */
export function redactSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redactSecrets);
  if (value && typeof value === "object") {
    const obj = value as Record<string, unknown>;
    if (obj[SECRET_SIG_KEY] === SECRET_SIG) return SECRET_MARK;
    // Key order is left to canonicalJson, which sorts when the files are written.
    return Object.fromEntries(Object.entries(obj).map(([k, v]) => [k, redactSecrets(v)]));
  }
  return value;
}

/** A dynamic resource's serialized provider code: replaced by a marker (it is the program's own code, and large). */
export const DYNAMIC_PROVIDER_MARK = "[dynamic provider code]";
function dropDynamicProviderCode(inputs: Record<string, unknown>): Record<string, unknown> {
  return "__provider" in inputs ? { ...inputs, __provider: DYNAMIC_PROVIDER_MARK } : inputs;
}

/** The resources of a dependsOn option given as a resource or a plain list (the only forms the program uses). */
function dependsOnList(dependsOn: pulumi.ResourceOptions["dependsOn"]): pulumi.Resource[] {
  const list: unknown[] = Array.isArray(dependsOn) ? dependsOn : dependsOn ? [dependsOn] : [];
  return list.filter((r): r is pulumi.Resource => pulumi.Resource.isInstance(r));
}

function outputValue<T>(output: pulumi.Output<T>): Promise<T> {
  return new Promise((resolve) => output.apply((v) => resolve(v)));
}

/** Collects config files from ConfigMaps marked with CONFIG_FILES_ANNOTATION; names must be unique. */
export function extractConfigFiles(resources: readonly SynthResource[]): Record<string, string> {
  const files: Record<string, string> = {};
  for (const r of resources) {
    if (r.type !== "kubernetes:core/v1:ConfigMap") continue;
    const metadata = r.inputs.metadata as { annotations?: Record<string, string> } | undefined;
    if (metadata?.annotations?.[CONFIG_FILES_ANNOTATION] !== "true") continue;
    for (const [file, content] of Object.entries((r.inputs.data ?? {}) as Record<string, unknown>)) {
      if (files[file] !== undefined) throw new Error(`config file ${file} is declared by more than one ConfigMap (${r.urn})`);
      if (typeof content !== "string") throw new Error(`config file ${file} in ${r.urn} is not plain text (a secret or unknown value)`);
      files[file] = content;
    }
  }
  return files;
}

/**
 * @param program the Pulumi program: a file to require, or a function that loads it (the compiled synth passes its
 *   bundled copy). @default `<projectDir>/index.ts`
 */
export async function synthesize(projectDir: string, stack: string, program: string | (() => unknown) = path.join(projectDir, "index.ts")): Promise<Synthesis> {
  const { project, config, secretKeys } = readStackConfigFile(projectDir, stack);
  const region = config["aws:region"] ?? "eu-central-1";
  const mocks = new RecordingMocks(region);
  await pulumi.runtime.setMocks(mocks, project, stack, false);
  pulumi.runtime.setAllConfig(config, secretKeys);

  // Each resource object with its type, name and parent, in declaration order.
  const declared: { resource: pulumi.Resource; type: string; name: string; parent?: pulumi.Resource; ignoreChanges?: string[]; dependsOn: pulumi.Resource[] }[] = [];
  await pulumi.runtime.runInPulumiStack(async () => {
    pulumi.runtime.registerStackTransformation((args) => {
      declared.push({ resource: args.resource, type: args.type, name: args.name, parent: args.opts.parent, ignoreChanges: args.opts.ignoreChanges, dependsOn: dependsOnList(args.opts.dependsOn) });
      return undefined;
    });
    // The program reads its config and declares resources when loaded, exactly as under `pulumi up`.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return typeof program === "function" ? program() : require(program);
  });

  const stackResource = pulumi.runtime.getStackResource();
  if (!stackResource) throw new Error("the root Stack resource was not created");
  const stackUrn = await outputValue(stackResource.urn);
  const urnOf = new Map<pulumi.Resource, string>();
  for (const d of declared) {
    // Parents not seen by the transformation (the root Stack) are resolved too.
    for (const r of [d.resource, ...(d.parent ? [d.parent] : []), ...d.dependsOn]) {
      if (!urnOf.has(r)) urnOf.set(r, await outputValue(r.urn));
    }
  }

  const recorded = new Map<string, RecordedResource>();
  for (const r of mocks.resources) {
    const key = `${r.type}::${r.name}`;
    if (recorded.has(key)) throw new Error(`two resources share type and name ${key}; give one a distinct name`);
    recorded.set(key, r);
  }

  const stackEntry: SynthResource = { urn: stackUrn, type: "pulumi:pulumi:Stack", name: `${project}-${stack}`, parent: null, inputs: {} };
  const resources: SynthResource[] = [
    stackEntry,
    ...declared.map((d) => {
      const record = recorded.get(`${d.type}::${d.name}`);
      return {
        urn: urnOf.get(d.resource)!,
        type: d.type,
        name: d.name,
        // Resources declared without a parent belong to the Stack, as under `pulumi up`.
        parent: d.parent ? urnOf.get(d.parent)! : stackUrn,
        inputs: dropDynamicProviderCode(redactSecrets(record?.inputs ?? {}) as Record<string, unknown>),
        // Reference `<urn>::<id>`: the URN alone is stable and enough.
        ...(record?.provider ? { provider: record.provider.split("::").slice(0, -1).join("::") } : {}),
        ...(d.ignoreChanges?.length ? { ignoreChanges: [...d.ignoreChanges].sort() } : {}),
        ...(d.dependsOn.length ? { dependsOn: d.dependsOn.map((r) => urnOf.get(r)!).sort() } : {}),
      };
    }),
  ];
  resources.sort((a, b) => (a.urn < b.urn ? -1 : a.urn > b.urn ? 1 : 0));
  return { stack, project, resources, configFiles: extractConfigFiles(resources) };
}
