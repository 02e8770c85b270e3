/**
 * The trace store of the e2e runs: the pre-3.0 Tempo that `npm run e2e:build`
 * can build (see TEMPO_GAP in differences.ts), with a minimal 2.x config
 * written here. It keeps what the tests rely on from the deployed Tempo:
 * multitenancy (X-Scope-OrgID, `a|b` cross-tenant reads), an OTLP gRPC
 * receiver and an HTTP API that both require client certificates from the
 * test CA (R10), TLS on the internal gRPC server too. Storage is the local
 * backend; ingester intervals are short so traces become searchable within
 * seconds.
 */
import { execFile } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { promisify } from "util";
import { stringify } from "yaml";
import { CertFiles } from "./certs";
import { requireBuilt } from "./paths";
import { ManagedProcess, stopRecorded, Supervisor, waitFor } from "./supervisor";
import { request } from "./tlsHttp";

export interface TempoStandInOptions {
  readonly httpPort: number;
  readonly grpcPort: number;
  readonly otlpGrpcPort: number;
  readonly tls: CertFiles;
  /** Name in Tempo's certificate that its own gRPC clients verify. */
  readonly serverName: string;
  readonly dataDir: string;
}

export function renderTempoStandIn(o: TempoStandInOptions): string {
  const mutualTls = { cert_file: o.tls.certFile, key_file: o.tls.keyFile, client_auth_type: "RequireAndVerifyClientCert", client_ca_file: o.tls.caFile };
  const grpcClient = {
    tls_enabled: true,
    tls_cert_path: o.tls.certFile,
    tls_key_path: o.tls.keyFile,
    tls_ca_path: o.tls.caFile,
    tls_server_name: o.serverName,
    tls_min_version: "VersionTLS13",
  };
  const config = {
    target: "all",
    multitenancy_enabled: true,
    stream_over_http_enabled: true,
    usage_report: { reporting_enabled: false },
    server: {
      http_listen_address: "127.0.0.1",
      http_listen_port: o.httpPort,
      grpc_listen_address: "127.0.0.1",
      grpc_listen_port: o.grpcPort,
      tls_min_version: "VersionTLS13",
      http_tls_config: mutualTls,
      grpc_tls_config: mutualTls,
      log_level: "info",
      // Open OTLP streams from the samplers would hold a graceful stop for the 30 s default.
      graceful_shutdown_timeout: "5s",
    },
    distributor: {
      receivers: {
        otlp: {
          protocols: {
            grpc: {
              endpoint: `127.0.0.1:${o.otlpGrpcPort}`,
              tls: { cert_file: o.tls.certFile, key_file: o.tls.keyFile, client_ca_file: o.tls.caFile, min_version: "1.3" },
            },
          },
        },
      },
    },
    ingester_client: { grpc_client_config: grpcClient },
    querier: { frontend_worker: { frontend_address: `127.0.0.1:${o.grpcPort}`, grpc_client_config: grpcClient } },
    ingester: {
      // Traces idle for 1 s are cut to the searchable head block; blocks are completed and flushed quickly.
      trace_idle_period: "1s",
      flush_check_period: "1s",
      max_block_duration: "1m",
      lifecycler: { min_ready_duration: "0s", final_sleep: "0s" },
    },
    storage: {
      trace: {
        backend: "local",
        local: { path: path.join(o.dataDir, "blocks") },
        wal: { path: path.join(o.dataDir, "wal") },
        blocklist_poll: "5s",
      },
    },
  };
  return stringify(config, { lineWidth: 0 });
}

/** `tempo -config.verify`: the binary parses the file strictly and runs its config checks. */
export async function verifyTempoConfig(configFile: string): Promise<{ ok: boolean; output: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(requireBuilt("tempo"), [`-config.file=${configFile}`, "-config.verify"], { encoding: "utf8" });
    return { ok: true, output: stdout + stderr };
  } catch (e) {
    const err = e as { stdout?: string; stderr?: string; message: string };
    return { ok: false, output: `${err.stdout ?? ""}${err.stderr ?? ""}` || err.message };
  }
}

/** Writes the config (verified) and returns the process spec's pieces. */
export async function prepareTempo(o: TempoStandInOptions): Promise<string> {
  fs.mkdirSync(o.dataDir, { recursive: true });
  const configFile = path.join(o.dataDir, "tempo-standin.yaml");
  fs.writeFileSync(configFile, renderTempoStandIn(o));
  const verified = await verifyTempoConfig(configFile);
  if (!verified.ok) throw new Error(`tempo -config.verify rejected the stand-in config ${configFile}:\n${verified.output}`);
  return configFile;
}

export function startTempo(supervisor: Supervisor, configFile: string, name = "tempo"): ManagedProcess {
  return supervisor.start({ name, command: requireBuilt("tempo"), args: [`-config.file=${configFile}`] });
}

/** Ready = /ready answers 200 over mutual TLS. */
export async function waitForTempo(p: ManagedProcess | undefined, httpPort: number, client: CertFiles, timeoutMs = 90_000): Promise<void> {
  await waitFor(
    "tempo /ready",
    async () => (await request(`https://127.0.0.1:${httpPort}/ready`, { tls: client, timeoutMs: 2000 })).status === 200,
    { timeoutMs, process: p, intervalMs: 500 },
  );
}

/** Stops the running Tempo of a run (whichever process started it), gracefully: SIGTERM, then its shutdown. */
export async function stopTempo(runDir: string): Promise<number> {
  const stopped = await stopRecorded(runDir, 30_000, (r) => r.name.startsWith("tempo"));
  return stopped.length;
}

/** Starts Tempo again on the same config, data and ports; recorded in the run's pid file like the first one. */
export async function restartTempo(runDir: string, configFile: string, httpPort: number, client: CertFiles): Promise<ManagedProcess> {
  const p = startTempo(new Supervisor(runDir), configFile, `tempo-restart-${Date.now()}`);
  await waitForTempo(p, httpPort, client);
  return p;
}
