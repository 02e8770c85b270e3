/**
 * A private metrics store (R5, R10): Prometheus as a remote-write receiver
 * behind TLS that requires a client certificate from the stack's CA, with
 * optional scrape jobs over mutual TLS (Tempo's readiness). Pure: typed
 * options in, prometheus.yml, web config and command-line flags out.
 */
import { stringify } from "yaml";

export interface PrometheusTlsFiles {
  readonly certFile: string;
  readonly keyFile: string;
  /** CA that client certificates must chain to, and that verifies scrape targets. */
  readonly caFile: string;
}

export interface ScrapeJob {
  /** Becomes the `job` label (the alert rules select on it). */
  readonly job: string;
  /** `host:port` targets. */
  readonly targets: readonly string[];
  /** HTTPS with our client certificate, verifying this server name; undefined: plain HTTP (e2e loopback only). */
  readonly tlsServerName?: string;
  /** @default "/metrics" */
  readonly metricsPath?: string;
}

export interface PrometheusOptions {
  /** `host:port` Prometheus listens on. */
  readonly listen: string;
  readonly tls: PrometheusTlsFiles;
  readonly tlsMinVersion: "1.2" | "1.3";
  /** Where the TSDB lives (the volume). */
  readonly dataDir: string;
  readonly retentionDays: number;
  readonly configFile: string;
  readonly webConfigFile: string;
  /** Rule files Prometheus evaluates itself. @default [] (Grafana evaluates the alerts) */
  readonly ruleFiles?: readonly string[];
  readonly scrapeJobs?: readonly ScrapeJob[];
  /** Scrape and rule evaluation interval, in seconds. @default 30 */
  readonly intervalSeconds?: number;
}

const TLS_VERSION = { "1.2": "TLS12", "1.3": "TLS13" } as const;

export function renderPrometheusConfig(o: PrometheusOptions): string {
  const interval = `${o.intervalSeconds ?? 30}s`;
  const config = {
    global: { scrape_interval: interval, evaluation_interval: interval },
    ...(o.ruleFiles && o.ruleFiles.length > 0 ? { rule_files: [...o.ruleFiles] } : {}),
    scrape_configs: (o.scrapeJobs ?? []).map((j) => ({
      job_name: j.job,
      metrics_path: j.metricsPath ?? "/metrics",
      scheme: j.tlsServerName ? "https" : "http",
      ...(j.tlsServerName
        ? { tls_config: { ca_file: o.tls.caFile, cert_file: o.tls.certFile, key_file: o.tls.keyFile, server_name: j.tlsServerName, min_version: TLS_VERSION[o.tlsMinVersion] } }
        : {}),
      static_configs: [{ targets: [...j.targets] }],
    })),
  };
  return `# Rendered by render/prometheusConfig.ts; do not edit.\n${stringify(config, { lineWidth: 0 })}`;
}

/** The web configuration: TLS only, and only holders of a certificate from the stack's CA (R10). */
export function renderPrometheusWebConfig(o: PrometheusOptions): string {
  const web = {
    tls_server_config: {
      cert_file: o.tls.certFile,
      key_file: o.tls.keyFile,
      client_ca_file: o.tls.caFile,
      client_auth_type: "RequireAndVerifyClientCert",
      min_version: TLS_VERSION[o.tlsMinVersion],
    },
  };
  return `# Rendered by render/prometheusConfig.ts; do not edit.\n${stringify(web, { lineWidth: 0 })}`;
}

/** Command-line flags: remote-write receiver on, admin API and lifecycle endpoints off (their defaults). */
export function prometheusArgs(o: PrometheusOptions): string[] {
  return [
    `--config.file=${o.configFile}`,
    `--web.config.file=${o.webConfigFile}`,
    `--web.listen-address=${o.listen}`,
    `--storage.tsdb.path=${o.dataDir}`,
    `--storage.tsdb.retention.time=${o.retentionDays}d`,
    "--web.enable-remote-write-receiver",
  ];
}
