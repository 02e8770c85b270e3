/**
 * The committed stack files as the Pulumi CLI would pass them to the config
 * parser, with overrides: what the config tests parse and expect refused.
 */
import { ConfigError } from "../../config/fields";
import { parseStackConfig, SecretKey } from "../../config/stackConfig";
import { readStackConfigFile } from "../../synth/stackFile";
import { PROJECT_DIR } from "./synth";

export type Overrides = Record<string, unknown>;
export type SecretLookup = (key: SecretKey) => string | undefined;

/** Every secret set, to `value-of-<key>`. */
export const allSecrets: SecretLookup = (key) => `value-of-${key}`;

/** The stack's raw `tracing:*` config with overrides (objects as JSON); `undefined` deletes a key. */
export function rawStackConfig(overrides: Overrides = {}, stack = "dev"): Map<string, string> {
  const { config } = readStackConfigFile(PROJECT_DIR, stack);
  const raw = new Map<string, string>();
  for (const [k, v] of Object.entries(config)) if (k.startsWith("tracing:")) raw.set(k.slice("tracing:".length), v);
  for (const [k, v] of Object.entries(overrides)) {
    if (v === undefined) raw.delete(k);
    else raw.set(k, typeof v === "string" ? v : JSON.stringify(v));
  }
  return raw;
}

export function parseStack(overrides: Overrides = {}, o: { stack?: string; secret?: SecretLookup } = {}) {
  const stack = o.stack ?? "dev";
  const raw = rawStackConfig(overrides, stack);
  return parseStackConfig(stack, { get: (k) => raw.get(k) }, o.secret ?? allSecrets);
}

/** The problems the parser reports for these overrides; fails the test if it accepts them. */
export function stackConfigProblems(overrides: Overrides, o: { stack?: string; secret?: SecretLookup } = {}): string[] {
  try {
    parseStack(overrides, o);
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return [...(e as ConfigError).problems];
  }
  throw new Error(`expected ${JSON.stringify(overrides)} to be rejected`);
}
