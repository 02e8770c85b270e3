/**
 * Reads resources for offline policy checks from either
 *  - synth's resources.json: [{urn, type, name, parent, inputs}], or
 *  - `pulumi stack export` output: {version, deployment: {resources: [...]}}
 *    (also a raw state file's {checkpoint: {latest: {resources}}}).
 * Works for any Pulumi project. Providers, the root Stack, resources pending
 * deletion and resources the program only reads (external) are skipped; secrets stay opaque (nothing is decrypted).
 * Stack-export resources carry both their inputs (what the program declared,
 * which resource rules read, as in the engine) and their outputs (the final
 * state, with fields the server filled in, which stack rules read).
 */
import * as fs from "fs";
import { PolicyResourceInput } from "./runner";

export class ResourceFileError extends Error {
  override readonly name = "ResourceFileError";
}

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => v !== null && typeof v === "object" && !Array.isArray(v);

/** The resource name is the URN's last "::" segment (urn:pulumi:stack::project::type::name). */
export function nameFromUrn(urn: string): string {
  const parts = urn.split("::");
  return parts.length >= 4 ? parts.slice(3).join("::") : urn;
}

function skipped(type: string): boolean {
  return type.startsWith("pulumi:providers:") || type === "pulumi:pulumi:Stack";
}

function fromSynth(items: unknown[]): PolicyResourceInput[] {
  return items.map((item, i) => {
    if (!isObject(item) || typeof item.urn !== "string" || typeof item.type !== "string") {
      throw new ResourceFileError(`entry ${i} is not a resource: expected {urn, type, name, parent, inputs}`);
    }
    return {
      urn: item.urn,
      type: item.type,
      name: typeof item.name === "string" ? item.name : nameFromUrn(item.urn),
      parent: typeof item.parent === "string" ? item.parent : null,
      inputs: isObject(item.inputs) ? item.inputs : {},
      ...(isObject(item.outputs) ? { outputs: item.outputs } : {}),
    };
  });
}

function fromDeployment(resources: unknown[]): PolicyResourceInput[] {
  const out: PolicyResourceInput[] = [];
  resources.forEach((item, i) => {
    if (!isObject(item) || typeof item.urn !== "string" || typeof item.type !== "string") {
      throw new ResourceFileError(`deployment.resources[${i}] has no urn/type`);
    }
    // Resources the program only reads (`.get()`, `external` in the state) are not its declarations.
    if (skipped(item.type) || item.delete === true || item.external === true) return;
    const propertyDependencies: Record<string, string[]> = {};
    for (const [k, v] of Object.entries(isObject(item.propertyDependencies) ? item.propertyDependencies : {})) {
      if (Array.isArray(v)) propertyDependencies[k] = v.filter((u): u is string => typeof u === "string");
    }
    out.push({
      urn: item.urn,
      type: item.type,
      name: nameFromUrn(item.urn),
      parent: typeof item.parent === "string" ? item.parent : null,
      // A state without inputs (hand-trimmed, or written by old tooling) can offer only its outputs.
      inputs: isObject(item.inputs) ? item.inputs : isObject(item.outputs) ? item.outputs : {},
      ...(isObject(item.outputs) && Object.keys(item.outputs).length > 0 ? { outputs: item.outputs } : {}),
      ...(typeof item.id === "string" && item.id !== "" ? { id: item.id } : {}),
      protect: item.protect === true,
      custom: item.custom !== false,
      dependencies: Array.isArray(item.dependencies) ? item.dependencies.filter((u): u is string => typeof u === "string") : [],
      propertyDependencies,
    });
  });
  return out;
}

/** Accepts the parsed JSON of a synth resources.json or a stack export. */
export function resourcesFromJson(json: unknown): PolicyResourceInput[] {
  if (Array.isArray(json)) return fromSynth(json).filter((r) => !skipped(r.type));
  if (isObject(json)) {
    const deployment = isObject(json.deployment) ? json.deployment : isObject(json.checkpoint) && isObject(json.checkpoint.latest) ? json.checkpoint.latest : undefined;
    if (deployment) {
      if (deployment.resources === undefined) return []; // an empty stack exports no resources array
      if (!Array.isArray(deployment.resources)) throw new ResourceFileError("deployment.resources is not an array");
      return fromDeployment(deployment.resources);
    }
  }
  throw new ResourceFileError(
    "unrecognised format: expected synth's resources.json (an array of {urn, type, name, parent, inputs}) or `pulumi stack export` output ({version, deployment: {resources}})",
  );
}

export function loadResourcesFile(file: string): PolicyResourceInput[] {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (err) {
    throw new ResourceFileError(`cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new ResourceFileError(`${file} is not valid JSON: ${err instanceof Error ? err.message : String(err)}`);
  }
  return resourcesFromJson(json);
}
