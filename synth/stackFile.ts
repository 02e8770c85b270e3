/**
 * Reads Pulumi.<stack>.yaml the way the Pulumi CLI hands it to a program:
 * every value a string (lists and objects as JSON), secure values marked
 * secret. Without the CLI nothing can be decrypted, so every secret, set or
 * not, becomes a clearly marked placeholder (except the optional secrets whose
 * presence changes what is deployed: those only when the stack file sets them).
 */
import * as fs from "fs";
import * as path from "path";
import * as YAML from "yaml";
import { NAMESPACE } from "../config/fields";
import { OPTIONAL_SECRET_KEYS, SECRET_KEYS } from "../config/stackConfig";

export interface StackConfigFile {
  readonly project: string;
  readonly config: Record<string, string>;
  readonly secretKeys: string[];
}

export function secretPlaceholder(key: string, encrypted: boolean): string {
  return encrypted ? `<synth placeholder: encrypted value of ${key}>` : `<synth placeholder: ${key} is not set>`;
}

function toConfigString(value: unknown): string {
  return typeof value === "string" ? value : JSON.stringify(value);
}

export function readStackConfigFile(projectDir: string, stack: string): StackConfigFile {
  const projectFile = path.join(projectDir, "Pulumi.yaml");
  const project = (YAML.parse(fs.readFileSync(projectFile, "utf8")) as { name: string }).name;
  const stackFile = path.join(projectDir, `Pulumi.${stack}.yaml`);
  if (!fs.existsSync(stackFile)) throw new Error(`no stack file ${stackFile}: pass --stack with one of ${listStacks(projectDir).join(", ")}`);
  const parsed = (YAML.parse(fs.readFileSync(stackFile, "utf8")) ?? {}) as { config?: Record<string, unknown> };
  const config: Record<string, string> = {};
  const secretKeys: string[] = [];
  for (const [key, value] of Object.entries(parsed.config ?? {})) {
    const fullKey = key.includes(":") ? key : `${project}:${key}`;
    if (value && typeof value === "object" && "secure" in (value as object)) {
      config[fullKey] = secretPlaceholder(fullKey, true);
      secretKeys.push(fullKey);
    } else {
      config[fullKey] = toConfigString(value);
    }
  }
  for (const key of SECRET_KEYS) {
    if (OPTIONAL_SECRET_KEYS.includes(key)) continue;
    const fullKey = `${NAMESPACE}:${key}`;
    if (config[fullKey] === undefined) {
      config[fullKey] = secretPlaceholder(fullKey, false);
      secretKeys.push(fullKey);
    }
  }
  return { project, config, secretKeys };
}

export function listStacks(projectDir: string): string[] {
  return fs
    .readdirSync(projectDir)
    .map((f) => /^Pulumi\.(.+)\.yaml$/.exec(f)?.[1])
    .filter((s): s is string => s !== undefined)
    .sort();
}
