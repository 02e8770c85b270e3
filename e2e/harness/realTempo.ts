/**
 * The real Tempo of a TEMPO_BIN run: a Tempo 3.x release binary the user
 * brings (the project never builds or vendors Tempo, which is AGPL), running
 * a stack's rendered tempo.yaml and tempo-overrides.yaml with only the
 * tempo-* and tls-files differences of differences.ts.
 */
import { execFile } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { promisify } from "util";
import { deployedTempoConfigOptions, deployedTempoOverridesOptions } from "../../components/tempo";
import { renderTempoConfig, renderTempoOverrides } from "../../render/tempoConfig";
import { tenantLimitsFromStack } from "../../render/tempoLimits";
import { TEMPO_VERSION } from "../../versions/tempo";
import { CertFiles } from "./certs";
import { stackConfig, StackName } from "./deployedOptions";
import { LocalTempo, tempoForE2e } from "./differences";
import { MissingPrerequisite } from "./paths";
import { ManagedProcess, stopRecorded, Supervisor, waitFor } from "./supervisor";
import { request } from "./tlsHttp";
import { TEMPO_BIN_ENV } from "./traceStore";

/** How to get a release binary; printed whenever TEMPO_BIN is wrong. */
export const TEMPO_BIN_HELP =
  `${TEMPO_BIN_ENV} must name a Tempo ${TEMPO_VERSION} release binary: download tempo_${TEMPO_VERSION}_linux_amd64.tar.gz from ` +
  `https://github.com/grafana/tempo/releases/tag/v${TEMPO_VERSION}, unpack it and run \`TEMPO_BIN=$PWD/tempo npm run e2e\` (or unset ${TEMPO_BIN_ENV} to run against the capture store)`;

export function tempoBinary(): string {
  const bin = process.env[TEMPO_BIN_ENV] ?? "";
  try {
    fs.accessSync(bin, fs.constants.X_OK);
    if (fs.statSync(bin).isFile()) return bin;
  } catch {
    /* reported below */
  }
  throw new MissingPrerequisite(`${TEMPO_BIN_ENV}=${JSON.stringify(bin)} is not an executable file. ${TEMPO_BIN_HELP}`);
}

/** `tempo -version` -> "3.0.3" (the first line reads `tempo, version 3.0.3 (branch: ..., revision: ...)`). */
export async function tempoVersion(bin: string): Promise<string> {
  const { stdout, stderr } = await promisify(execFile)(bin, ["-version"], { encoding: "utf8" });
  const match = /version (\S+)/.exec(stdout + stderr);
  if (!match) throw new Error(`cannot read the version from \`${bin} -version\`: ${stdout}${stderr}`);
  return match[1];
}

/** `tempo -config.verify=true` (a bare trailing `-config.verify` is a flag error in 3.x). Success prints nothing. */
export async function verifyTempoConfig(bin: string, configFile: string): Promise<{ code: number; output: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(bin, [`-config.file=${configFile}`, "-config.verify=true"], { encoding: "utf8" });
    return { code: 0, output: stdout + stderr };
  } catch (e) {
    const err = e as { code?: number; stdout?: string; stderr?: string; message: string };
    return { code: typeof err.code === "number" ? err.code : -1, output: `${err.stdout ?? ""}${err.stderr ?? ""}` || err.message };
  }
}

export interface RenderedTempo {
  readonly configFile: string;
  readonly overridesFile: string;
}

/** Writes a stack's tempo.yaml and tempo-overrides.yaml, as deployed but for the listed differences, into `local.dataDir`. */
export function writeTempoFiles(stack: StackName, local: Omit<LocalTempo, "overridesFile">): RenderedTempo {
  const cfg = stackConfig(stack);
  const limits = tenantLimitsFromStack(cfg.tempoLimits);
  const deployed = deployedTempoConfigOptions({
    namespace: cfg.namespace,
    tlsMinVersion: cfg.tls.minVersion,
    // Replaced by the local backend (difference tempo-storage).
    bucket: "unused-in-e2e",
    region: "eu-central-1",
    kmsKeyId: "unused-in-e2e",
    retentionDays: cfg.retentionDays,
    limits,
  });
  fs.mkdirSync(local.dataDir, { recursive: true });
  const overridesFile = path.join(local.dataDir, "tempo-overrides.yaml");
  const configFile = path.join(local.dataDir, "tempo.yaml");
  fs.writeFileSync(configFile, renderTempoConfig(tempoForE2e(deployed, { ...local, overridesFile })));
  fs.writeFileSync(overridesFile, renderTempoOverrides(deployedTempoOverridesOptions({ retentionDays: cfg.retentionDays, tenantRetentionDays: cfg.tenantRetentionDays, limits })));
  return { configFile, overridesFile };
}

export function startTempo(supervisor: Supervisor, bin: string, configFile: string, name = "tempo"): ManagedProcess {
  return supervisor.start({ name, command: bin, args: [`-config.file=${configFile}`] });
}

/** Ready = /ready answers 200 over mutual TLS on the query port. */
export async function waitForTempo(p: ManagedProcess | undefined, httpPort: number, client: CertFiles, timeoutMs = 120_000): Promise<void> {
  await waitFor(
    "tempo /ready",
    async () => (await request(`https://127.0.0.1:${httpPort}/ready`, { tls: client, timeoutMs: 2000 })).status === 200,
    { timeoutMs, process: p, intervalMs: 500 },
  );
}

/** Stops the run's trace store (Tempo or the capture store, whichever process started it): SIGTERM, then its shutdown. */
export async function stopTraceStoreProcess(runDir: string): Promise<number> {
  const stopped = await stopRecorded(runDir, 30_000, (r) => r.name.startsWith("tempo") || r.name.startsWith("capture-store"));
  return stopped.length;
}
