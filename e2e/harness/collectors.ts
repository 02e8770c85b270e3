/** Runs rendered Collector configs in the built distribution and waits for their health_check extension. */
import * as fs from "fs";
import * as path from "path";
import { collectorEnv, telemetryOverlay } from "./differences";
import { requireBuilt } from "./paths";
import { ManagedProcess, Supervisor, waitFor } from "./supervisor";
import { request } from "./tlsHttp";

export interface CollectorRun {
  readonly name: string;
  /** Rendered configuration text. */
  readonly config: string;
  /** memory_limiter's limit_mib: GOMEMLIMIT, as the pod sets it. */
  readonly memoryLimitMiB: number;
  readonly healthPort: number;
  /** Port of the Collector's own Prometheus metrics (difference internal-telemetry). */
  readonly metricsPort: number;
}

export function startCollector(supervisor: Supervisor, run: CollectorRun): ManagedProcess {
  const configFile = path.join(supervisor.runDir, "config", `${run.name}.yaml`);
  fs.mkdirSync(path.dirname(configFile), { recursive: true });
  fs.writeFileSync(configFile, run.config);
  const overlayFile = path.join(supervisor.runDir, "config", `${run.name}.telemetry.yaml`);
  fs.writeFileSync(overlayFile, telemetryOverlay(run.metricsPort, run.config));
  return supervisor.start({
    name: run.name,
    command: requireBuilt("collector"),
    // The rendered file first; the overlay only adds service.telemetry (confmap merges maps).
    args: [`--config=${configFile}`, `--config=${overlayFile}`],
    env: collectorEnv(run.memoryLimitMiB, run.name),
  });
}

/** health_check serves HTTPS with the server certificate only (kubelet probes have no client certificate). */
export async function waitForCollector(p: ManagedProcess, healthPort: number, caFile: string, timeoutMs = 60_000): Promise<void> {
  await waitFor(
    `${p.spec.name} health_check`,
    async () => (await request(`https://127.0.0.1:${healthPort}/`, { tls: { caOnly: caFile }, timeoutMs: 2000 })).status === 200,
    { timeoutMs, process: p, intervalMs: 300 },
  );
}

/** Scrapes one counter of the Collector's own metrics, summed over its label sets (e.g. otelcol_receiver_accepted_spans_total). */
export async function collectorMetric(metricsPort: number, name: string): Promise<number> {
  const res = await request(`http://127.0.0.1:${metricsPort}/metrics`, { timeoutMs: 5000 });
  let total = 0;
  for (const line of res.body.split("\n")) {
    if (line.startsWith(`${name}{`) || line.startsWith(`${name} `)) total += Number(line.slice(line.lastIndexOf(" ") + 1));
  }
  return total;
}
