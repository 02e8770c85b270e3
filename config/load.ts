/**
 * Reads the `tracing:*` stack configuration through Pulumi and parses it.
 * The only place that touches pulumi.Config; everything downstream takes the
 * typed StackConfig.
 */
import * as pulumi from "@pulumi/pulumi";
import { NAMESPACE } from "./fields";
import { parseStackConfig, SecretKey, StackConfig } from "./stackConfig";

export type PlatformConfig = StackConfig<pulumi.Output<string>>;

/** Reports whether a key arrived as a secret (`pulumi config set --secret`). */
function isSecretKey(key: string): boolean {
  // isConfigSecret is exported by the SDK's runtime but marked internal in its typings.
  const check = (pulumi.runtime as unknown as { isConfigSecret?: (k: string) => boolean }).isConfigSecret;
  return check ? check(`${NAMESPACE}:${key}`) : true;
}

export function loadStackConfig(): PlatformConfig {
  const config = new pulumi.Config(NAMESPACE);
  const plaintextSecrets: string[] = [];
  const secret = (key: SecretKey) => {
    if (config.get(key) === undefined) return undefined;
    if (!isSecretKey(key)) plaintextSecrets.push(key);
    return config.requireSecret(key);
  };
  const parsed = parseStackConfig(pulumi.getStack(), { get: (key) => config.get(key) }, secret);
  if (plaintextSecrets.length > 0) {
    throw new Error(
      plaintextSecrets.map((k) => `${NAMESPACE}:${k} is stored in plaintext: remove it and set it with \`pulumi config set --secret ${NAMESPACE}:${k} …\``).join("\n"),
    );
  }
  return parsed;
}
