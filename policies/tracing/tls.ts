/**
 * Every hop of the tracing platform is encrypted (R10): each Collector and
 * Tempo receiver and Tempo's HTTP and gRPC servers have TLS, nothing turns
 * verification off, no client talks plain http://, and Grafana serves HTTPS.
 */
import { at, isTrue, rec, Rec } from "../lib/props";
import { resourceRule } from "../lib/rule";
import { configFilesOf, findKeys, isCollectorConfig, isGrafanaIni, isTempoConfig, isTempoOverrides, parseYaml } from "./configFiles";
import { iniValue, parseIni } from "./ini";

const INSECURE_KEYS = ["insecure", "insecure_skip_verify", "tls_insecure_skip_verify"];

function hasServerTls(tls: unknown): boolean {
  const t = rec(tls);
  return t !== undefined && ["cert_file", "cert_pem", "cert"].some((k) => typeof t[k] === "string" && (t[k] as string).length > 0);
}

/** Receivers without TLS: each protocol of a `protocols` map, or the receiver itself when it listens on `endpoint`. */
export function receiversWithoutTls(receivers: unknown, prefix: string): string[] {
  const problems: string[] = [];
  for (const [name, config] of Object.entries(rec(receivers) ?? {})) {
    const protocols = rec(at(config, "protocols"));
    if (protocols) {
      for (const [protocol, settings] of Object.entries(protocols)) {
        if (!hasServerTls(at(settings, "tls"))) problems.push(`${prefix}.${name}.protocols.${protocol} has no tls (cert_file/key_file)`);
      }
    } else if (at(config, "endpoint") !== undefined && !hasServerTls(at(config, "tls"))) {
      problems.push(`${prefix}.${name} listens without tls`);
    }
  }
  return problems;
}

function collectorProblems(config: Rec): string[] {
  const problems = receiversWithoutTls(config.receivers, "receivers");
  for (const section of ["exporters", "extensions"]) {
    for (const { path, value } of findKeys(config[section], (k) => k === "endpoint")) {
      if (typeof value === "string" && value.toLowerCase().startsWith("http://")) problems.push(`${section}.${path} is plain http (${value})`);
    }
  }
  return problems;
}

function tempoProblems(config: Rec): string[] {
  const problems = receiversWithoutTls(at(config, "distributor", "receivers"), "distributor.receivers");
  for (const server of ["http_tls_config", "grpc_tls_config"]) {
    if (!hasServerTls(at(config, "server", server))) problems.push(`server.${server} has no cert_file`);
  }
  return problems;
}

export const tracingTlsEverywhere = resourceRule(
  {
    name: "tracing-tls-everywhere",
    description: "Collector, Tempo and Grafana configs must serve TLS on every receiver and server and never disable verification (R10).",
    requirements: ["R10"],
    remediation:
      "Give every receiver protocol and Tempo's server.http_tls_config/grpc_tls_config a tls block with the workload's certificate and key files, remove insecure / insecure_skip_verify: true, use https:// endpoints, and set [server] protocol = https in grafana.ini.",
    enforcementLevel: "mandatory",
  },
  (args, report) => {
    const files = configFilesOf(args.type, args.props);
    const relevant = Object.keys(files).filter((f) => isCollectorConfig(f) || isTempoConfig(f) || isTempoOverrides(f) || isGrafanaIni(f));
    if (relevant.length === 0) args.notApplicable("no Collector, Tempo or Grafana config file");
    for (const file of relevant) {
      if (isGrafanaIni(file)) {
        const protocol = iniValue(parseIni(files[file]), "server", "protocol") ?? "http";
        if (!["https", "h2"].includes(protocol.toLowerCase())) report(`${file}: [server] protocol is "${protocol}", not https.`);
        continue;
      }
      const parsed = parseYaml(files[file]);
      if (!parsed.ok) {
        report(`${file} is not valid YAML (${parsed.error}), so TLS cannot be verified.`);
        continue;
      }
      const config = rec(parsed.value) ?? {};
      for (const { path, value } of findKeys(config, (k) => INSECURE_KEYS.includes(k))) {
        if (isTrue(value)) report(`${file}: ${path} is true.`);
      }
      const problems = isCollectorConfig(file) ? collectorProblems(config) : isTempoConfig(file) ? tempoProblems(config) : [];
      for (const problem of problems) report(`${file}: ${problem}.`);
    }
  },
);

