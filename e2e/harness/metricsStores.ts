/**
 * The local metrics stores: Debian's Prometheus with the stores' rendered web
 * config (TLS, client certificates required) and remote-write receiver, as
 * the deployed stores run them (differences metrics-stores, metrics-timing,
 * collector-self-metrics). `metrics-all` also scrapes the Tempo stand-in;
 * the Collectors push their own metrics through the gateway, as deployed.
 */
import * as fs from "fs";
import * as path from "path";
import { metricsStoreOptions } from "../../components/metricsStore";
import { prometheusArgs, renderPrometheusConfig, renderPrometheusWebConfig, ScrapeJob } from "../../render/prometheusConfig";
import { METRICS_STORES, MetricsStoreSpec } from "../../specs/metricsStores";
import { CERT_NAMESPACE, CertFiles } from "./certs";
import { requireCommand } from "./paths";
import { ManagedProcess, Supervisor, waitFor } from "./supervisor";
import { request } from "./tlsHttp";

/** Scrape and evaluation interval of the local stores, in seconds (difference metrics-timing). */
export const E2E_METRICS_INTERVAL_SECONDS = 2;

export interface LocalStoreTargets {
  readonly tempoHttpPort: number;
  readonly tempoServerName: string;
}

export function startMetricsStore(supervisor: Supervisor, spec: MetricsStoreSpec, port: number, tls: CertFiles, targets: LocalStoreTargets): ManagedProcess {
  const dir = path.join(supervisor.runDir, spec.workload);
  fs.mkdirSync(path.join(dir, "data"), { recursive: true });
  const deployed = metricsStoreOptions(spec, CERT_NAMESPACE, "1.3", 1);
  const jobs: ScrapeJob[] = [];
  if (spec.scrapesTempo) {
    jobs.push({ job: "tempo", targets: [`127.0.0.1:${targets.tempoHttpPort}`], tlsServerName: targets.tempoServerName });
  }
  const options = {
    ...deployed,
    listen: `127.0.0.1:${port}`,
    tls: tls,
    dataDir: path.join(dir, "data"),
    configFile: path.join(dir, "prometheus.yml"),
    webConfigFile: path.join(dir, "web.yml"),
    scrapeJobs: jobs,
    intervalSeconds: E2E_METRICS_INTERVAL_SECONDS,
  };
  fs.writeFileSync(options.configFile, renderPrometheusConfig(options));
  fs.writeFileSync(options.webConfigFile, renderPrometheusWebConfig(options));
  return supervisor.start({ name: spec.workload, command: requireCommand("prometheus", "prometheus"), args: prometheusArgs(options), cwd: dir });
}

export function startMetricsStores(supervisor: Supervisor, ports: Readonly<Record<string, number>>, tls: Readonly<Record<MetricsStoreSpec["workload"], CertFiles>>, targets: LocalStoreTargets) {
  return METRICS_STORES.map((spec) => ({ spec, port: ports[spec.store], process: startMetricsStore(supervisor, spec, ports[spec.store], tls[spec.workload], targets) }));
}

export async function waitForMetricsStore(p: ManagedProcess, port: number, client: CertFiles): Promise<void> {
  await waitFor(`${p.spec.name} /-/ready`, async () => (await request(`https://127.0.0.1:${port}/-/ready`, { tls: client, timeoutMs: 2000 })).status === 200, {
    timeoutMs: 60_000,
    process: p,
    intervalMs: 300,
  });
}

/** A PromQL instant query against a local store (client certificate required); the vector's samples. */
export async function promQuery(port: number, client: CertFiles, query: string): Promise<{ metric: Record<string, string>; value: number }[]> {
  const res = await request(`https://127.0.0.1:${port}/api/v1/query?query=${encodeURIComponent(query)}`, { tls: client, timeoutMs: 10_000 });
  const body = JSON.parse(res.body) as { status: string; error?: string; data?: { resultType: string; result: { metric: Record<string, string>; value: [number, string] }[] } };
  if (body.status !== "success" || !body.data) throw new Error(`query ${query} failed: ${res.status} ${body.error ?? res.body}`);
  if (body.data.resultType !== "vector") throw new Error(`query ${query}: expected a vector, got ${body.data.resultType}`);
  return body.data.result.map((r) => ({ metric: r.metric, value: Number(r.value[1]) }));
}
