/**
 * The platform's rendered configuration files, as the policies see them: the
 * data of ConfigMaps annotated by components/configFiles.ts, keyed by file
 * name. The annotation is repeated here (a test keeps both equal) because the
 * pack must load without the program's Kubernetes SDK.
 */
import { PolicyResource } from "@pulumi/policy";
import { parse as parseYamlText } from "yaml";
import { annotations, rec, Rec } from "../lib/props";
import { CONFIG_MAP } from "../kubernetes/types";

export const CONFIG_FILES_ANNOTATION = "tracing.platform/config-files";

/** File name -> text of an annotated ConfigMap; {} for anything else. Non-text (secret) entries are skipped. */
export function configFilesOf(type: string, props: Rec): Record<string, string> {
  if (type !== CONFIG_MAP || String(annotations(props)[CONFIG_FILES_ANNOTATION] ?? "") !== "true") return {};
  const files: Record<string, string> = {};
  for (const [name, content] of Object.entries(rec(props.data) ?? {})) {
    if (typeof content === "string") files[name] = content;
  }
  return files;
}

export const isGrafanaIni = (file: string): boolean => /(^|[-_.])grafana\.ini$/.test(file);
export const isCollectorConfig = (file: string): boolean => /^collector-.*\.ya?ml$/.test(file);
export const isTempoOverrides = (file: string): boolean => /^tempo.*overrides.*\.ya?ml$|^overrides.*\.ya?ml$/.test(file);
export const isTempoConfig = (file: string): boolean => /^tempo.*\.ya?ml$/.test(file) && !isTempoOverrides(file);

export type ParsedYaml = { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly error: string };

export function parseYaml(text: string): ParsedYaml {
  try {
    return { ok: true, value: parseYamlText(text) };
  } catch (err) {
    return { ok: false, error: err instanceof Error ? err.message.split("\n")[0] : String(err) };
  }
}

/** Every (path, value) of a parsed YAML tree whose key satisfies `match`. */
export function findKeys(tree: unknown, match: (key: string) => boolean, path: string[] = []): { path: string; value: unknown }[] {
  const found: { path: string; value: unknown }[] = [];
  if (Array.isArray(tree)) {
    tree.forEach((item, i) => found.push(...findKeys(item, match, [...path, String(i)])));
  } else if (rec(tree)) {
    for (const [key, value] of Object.entries(tree as Rec)) {
      if (match(key)) found.push({ path: [...path, key].join("."), value });
      found.push(...findKeys(value, match, [...path, key]));
    }
  }
  return found;
}

/** Tempo configs of the stack with the ConfigMap that carries each. */
export function tempoConfigs(resources: readonly PolicyResource[]): { resource: PolicyResource; file: string; config: unknown }[] {
  const out: { resource: PolicyResource; file: string; config: unknown }[] = [];
  for (const r of resources) {
    for (const [file, text] of Object.entries(configFilesOf(r.type, r.props))) {
      if (!isTempoConfig(file)) continue;
      const parsed = parseYaml(text);
      if (parsed.ok) out.push({ resource: r, file, config: parsed.value });
    }
  }
  return out;
}
