/**
 * Helpers for the collector tests: render the configurations the way the
 * stacks do (but with test paths), read them back as the Collector would
 * (YAML, then confmap's `$$` -> `$`), and check pipeline integrity.
 */
import { parse } from "yaml";
import { renderCollectorGateway, CollectorGatewayOptions } from "../../render/collectorGateway";
import { renderCollectorSampler, CollectorSamplerOptions, SamplingPolicyOptions } from "../../render/collectorSampler";

export type Config = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export const TEST_TLS = { certFile: "/test/tls/tls.crt", keyFile: "/test/tls/tls.key", caFile: "/test/tls/ca.crt" };

export function gatewayOptions(overrides: Partial<CollectorGatewayOptions> = {}): CollectorGatewayOptions {
  return {
    listen: { grpc: "127.0.0.1:14317", http: "127.0.0.1:14318" },
    tls: TEST_TLS,
    samplerResolver: { static: ["127.0.0.1:24317"] },
    samplerServerName: "collector-sampler.test.svc.cluster.local",
    healthEndpoint: "127.0.0.1:13133",
    memory: { limitMiB: 400, spikeLimitMiB: 80 },
    ...overrides,
  };
}

export const DEFAULT_SAMPLING: SamplingPolicyOptions = { defaultPercent: 25, orderPercent: 100, slowTraceThresholdMs: 2000, maxConsumerDelaySeconds: 60 };

export function samplerOptions(overrides: Partial<CollectorSamplerOptions> = {}): CollectorSamplerOptions {
  return {
    listen: { grpc: "127.0.0.1:24317" },
    tls: TEST_TLS,
    tempoEndpoint: "localhost:34317",
    storageDir: "/tmp/collector-test-queue",
    healthEndpoint: "127.0.0.1:23133",
    memory: { limitMiB: 400, spikeLimitMiB: 80 },
    sampling: DEFAULT_SAMPLING,
    ...overrides,
  };
}

/** What the Collector sees: YAML parsed, then every string un-escaped from `$$` to `$` (confmap). */
export function asCollectorSees(yamlText: string): Config {
  const unescape = (v: unknown): unknown => {
    if (typeof v === "string") return v.replace(/\$\$/g, "$");
    if (Array.isArray(v)) return v.map(unescape);
    if (v && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, unescape(x)]));
    return v;
  };
  return unescape(parse(yamlText)) as Config;
}

export const gateway = (o: Partial<CollectorGatewayOptions> = {}) => asCollectorSees(renderCollectorGateway(gatewayOptions(o)));
export const sampler = (o: Partial<CollectorSamplerOptions> = {}) => asCollectorSees(renderCollectorSampler(samplerOptions(o)));

/** Problems with pipeline wiring: undefined references and unused definitions. */
export function pipelineProblems(config: Config): string[] {
  const problems: string[] = [];
  const pipelines = config.service?.pipelines ?? {};
  const used = { receivers: new Set<string>(), processors: new Set<string>(), exporters: new Set<string>(), connectors: new Set<string>() };
  const connectors = Object.keys(config.connectors ?? {});
  for (const [name, p] of Object.entries<Config>(pipelines)) {
    for (const r of p.receivers ?? []) {
      if (connectors.includes(r)) used.connectors.add(`${r}:as-receiver`);
      else if (!(r in (config.receivers ?? {}))) problems.push(`${name}: receiver ${r} undefined`);
      used.receivers.add(r);
    }
    for (const x of p.processors ?? []) {
      if (!(x in (config.processors ?? {}))) problems.push(`${name}: processor ${x} undefined`);
      used.processors.add(x);
    }
    for (const e of p.exporters ?? []) {
      if (connectors.includes(e)) used.connectors.add(`${e}:as-exporter`);
      else if (!(e in (config.exporters ?? {}))) problems.push(`${name}: exporter ${e} undefined`);
      used.exporters.add(e);
    }
  }
  for (const kind of ["receivers", "processors", "exporters"] as const) {
    for (const id of Object.keys(config[kind] ?? {})) if (!used[kind].has(id)) problems.push(`${kind} ${id} defined but unused`);
  }
  for (const c of connectors) {
    if (!used.connectors.has(`${c}:as-receiver`) || !used.connectors.has(`${c}:as-exporter`)) problems.push(`connector ${c} not both exporter and receiver`);
  }
  for (const ext of Object.keys(config.extensions ?? {})) if (!(config.service?.extensions ?? []).includes(ext)) problems.push(`extension ${ext} unused`);
  for (const ext of config.service?.extensions ?? []) if (!(ext in (config.extensions ?? {}))) problems.push(`extension ${ext} undefined`);
  return problems;
}

/** Every (path, value) pair in a nested object. */
export function walk(value: unknown, path = ""): [string, unknown][] {
  if (Array.isArray(value)) return value.flatMap((v, i) => walk(v, `${path}[${i}]`));
  if (value && typeof value === "object") return Object.entries(value).flatMap(([k, v]) => walk(v, path ? `${path}.${k}` : k));
  return [[path, value]];
}

/** Every map that is a `tls:` block, with its path. */
export function tlsBlocks(config: Config): [string, Config][] {
  const found: [string, Config][] = [];
  const visit = (v: unknown, path: string) => {
    if (!v || typeof v !== "object") return;
    for (const [k, x] of Object.entries(v)) {
      if (k === "tls") found.push([`${path}.tls`, x as Config]);
      visit(x, `${path}.${k}`);
    }
  };
  visit(config, "");
  return found;
}
