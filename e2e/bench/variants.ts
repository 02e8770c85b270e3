/**
 * The benchmark's pipeline variants, derived from the RENDERED gateway and
 * sampler configs (parsed YAML), not from a copy of them: whatever
 * processors, connectors or exporter settings the renderers produce are
 * measured automatically.
 *
 * - fair baseline: the same two-tier topology (gateway -> loadbalancing
 *   exporter by trace id -> sampler -> OTLP to the trace store), the same
 *   receivers and mutual TLS, no processors, no connectors, and the
 *   exporters reduced to where they send (endpoint, TLS, headers, routing
 *   key, resolver): everything else takes the upstream defaults.
 * - one stage: the fair baseline plus ONE thing of one tier as rendered: a
 *   processor, the connectors (the rendered pipeline graph without
 *   processors), or the exporter settings (queue, compression, retry,
 *   persistent storage); the other tier stays at its baseline.
 * - everything: one tier as rendered, the other at its baseline.
 * Pure: config objects in, config objects out.
 */

export type CollectorConfig = {
  extensions?: Record<string, unknown>;
  receivers: Record<string, unknown>;
  processors?: Record<string, unknown>;
  connectors?: Record<string, unknown>;
  exporters: Record<string, unknown>;
  service: { extensions?: string[]; pipelines: Record<string, Pipeline>; [key: string]: unknown };
};
type Pipeline = { receivers: string[]; processors?: string[]; exporters: string[] };

/** Exporter keys that say where and how securely data goes; the rest of an exporter's settings are tuning. */
const WHERE_KEYS = ["endpoint", "tls", "headers", "routing_key", "resolver"] as const;
const HEALTH_EXTENSION = "health_check";

export interface TierConfigs {
  readonly gateway: CollectorConfig;
  readonly sampler: CollectorConfig;
}

export interface Variant {
  /** Stable id, e.g. `gateway+transform/scrub`. */
  readonly id: string;
  /** What the row measures, for the table. */
  readonly label: string;
  readonly gateway: CollectorConfig;
  readonly sampler: CollectorConfig;
}

const clone = <T>(v: T): T => structuredClone(v);

/** An exporter reduced to its destination: `protocol.otlp` of a loadbalancing exporter is reduced the same way. */
export function destinationOnly(exporter: unknown): Record<string, unknown> {
  const e = (exporter ?? {}) as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const key of WHERE_KEYS) if (e[key] !== undefined) out[key] = clone(e[key]);
  const protocol = e.protocol as Record<string, unknown> | undefined;
  if (protocol) out.protocol = Object.fromEntries(Object.entries(protocol).map(([k, v]) => [k, destinationOnly(v)]));
  return out;
}

/** The pipeline fed by a real receiver (not a connector): where data enters the tier. */
function entryPipeline(c: CollectorConfig): Pipeline {
  const connectors = new Set(Object.keys(c.connectors ?? {}));
  const entry = Object.values(c.service.pipelines).find((p) => p.receivers.some((r) => !connectors.has(r)));
  if (!entry) throw new Error("collector config has no pipeline fed by a receiver");
  return entry;
}

/** The first real exporter reached from the entry pipeline, following connectors (their first pipeline). */
export function terminalExporter(c: CollectorConfig): string {
  const connectors = new Set(Object.keys(c.connectors ?? {}));
  let pipeline = entryPipeline(c);
  for (let hops = 0; hops < 10; hops++) {
    const real = pipeline.exporters.find((e) => !connectors.has(e));
    if (real) return real;
    const via = pipeline.exporters[0];
    const next = Object.values(c.service.pipelines).find((p) => p.receivers.includes(via));
    if (!next) throw new Error(`connector ${via} feeds no pipeline`);
    pipeline = next;
  }
  throw new Error("connector chain too long");
}

function healthOnly(c: CollectorConfig): Pick<CollectorConfig, "extensions"> & { serviceExtensions: string[] } {
  const health = c.extensions?.[HEALTH_EXTENSION];
  return health ? { extensions: { [HEALTH_EXTENSION]: clone(health) }, serviceExtensions: [HEALTH_EXTENSION] } : { extensions: {}, serviceExtensions: [] };
}

/** One pipeline: the entry receivers -> `processors` -> the terminal exporter (destination only unless `exporterAsRendered`). */
function singlePipeline(c: CollectorConfig, processors: readonly string[], exporterAsRendered = false): CollectorConfig {
  const exporter = terminalExporter(c);
  const entry = entryPipeline(c);
  const health = healthOnly(c);
  return {
    extensions: exporterAsRendered ? clone(c.extensions ?? {}) : health.extensions,
    receivers: Object.fromEntries(entry.receivers.map((r) => [r, clone(c.receivers[r])])),
    processors: Object.fromEntries(processors.map((p) => [p, clone(c.processors?.[p])])),
    exporters: { [exporter]: exporterAsRendered ? clone(c.exporters[exporter]) : destinationOnly(c.exporters[exporter]) },
    service: {
      extensions: exporterAsRendered ? [...(c.service.extensions ?? [])] : health.serviceExtensions,
      pipelines: { traces: { receivers: [...entry.receivers], processors: [...processors], exporters: [exporter] } },
    },
  };
}

export function fairBaseline(c: CollectorConfig): CollectorConfig {
  return singlePipeline(c, []);
}

/** The rendered pipeline graph with every processor removed and the exporters reduced to their destination. */
function connectorsOnly(c: CollectorConfig): CollectorConfig {
  const health = healthOnly(c);
  const pipelines = Object.fromEntries(Object.entries(c.service.pipelines).map(([id, p]) => [id, { receivers: [...p.receivers], processors: [], exporters: [...p.exporters] }]));
  return {
    extensions: health.extensions,
    receivers: clone(c.receivers),
    processors: {},
    connectors: clone(c.connectors),
    exporters: Object.fromEntries(Object.entries(c.exporters).map(([id, e]) => [id, destinationOnly(e)])),
    service: { extensions: health.serviceExtensions, pipelines },
  };
}

/** Processor ids in pipeline order, each once. */
export function processorsInOrder(c: CollectorConfig): string[] {
  return [...new Set(Object.values(c.service.pipelines).flatMap((p) => p.processors ?? []))];
}

/**
 * Processors measured together: one stage per processor, except that a
 * processor `type/name-part` joins the stage of the `type/name` before it
 * (the semconv attributes processors are one stage: one normalisation).
 */
export function processorStages(ids: readonly string[]): string[][] {
  const stages: string[][] = [];
  for (const id of ids) {
    const last = stages[stages.length - 1];
    if (last && id.startsWith(`${last[0]}-`)) last.push(id);
    else stages.push([id]);
  }
  return stages;
}

/** The stages of one tier, as configs of that tier. */
export function stagesOf(c: CollectorConfig): { id: string; label: string; config: CollectorConfig }[] {
  const stages = processorStages(processorsInOrder(c)).map((ids) => ({ id: ids[0], label: `+ ${ids.join(", ")}`, config: singlePipeline(c, ids) }));
  if (Object.keys(c.connectors ?? {}).length > 0) {
    stages.push({ id: "connectors", label: `+ connectors as rendered (${Object.keys(c.connectors ?? {}).join(", ")})`, config: connectorsOnly(c) });
  }
  const exporter = terminalExporter(c);
  stages.push({ id: "exporter", label: `+ ${exporter} settings as rendered (${Object.keys(c.exporters[exporter] as object).filter((k) => !(WHERE_KEYS as readonly string[]).includes(k)).join(", ")})`, config: singlePipeline(c, [], true) });
  stages.push({ id: "everything", label: "everything as rendered", config: clone(c) });
  return stages;
}

/** Every variant of one stack: the fair baseline, each stage of each tier, and the full pipeline. */
export function benchVariants(stack: string, rendered: TierConfigs, withStages: boolean): Variant[] {
  const base = { gateway: fairBaseline(rendered.gateway), sampler: fairBaseline(rendered.sampler) };
  const full: Variant = { id: `${stack}`, label: `full ${stack} pipeline`, gateway: clone(rendered.gateway), sampler: clone(rendered.sampler) };
  if (!withStages) return [full];
  const gatewayStages = stagesOf(rendered.gateway).map((s) => ({ id: s.id === "everything" ? "gateway" : `gateway+${s.id}`, label: `gateway ${s.label}`, gateway: s.config, sampler: base.sampler }));
  const samplerStages = stagesOf(rendered.sampler).map((s) => ({ id: s.id === "everything" ? "sampler" : `sampler+${s.id}`, label: `sampler ${s.label}`, gateway: base.gateway, sampler: s.config }));
  return [{ id: "baseline", label: "fair two-tier baseline (no processors)", ...base }, ...gatewayStages, ...samplerStages, full];
}

/** decision_wait of a tail_sampling processor the config uses, in seconds; 0 when it holds no traces. */
export function decisionWaitSeconds(c: CollectorConfig): number {
  let wait = 0;
  for (const id of processorsInOrder(c)) {
    const p = c.processors?.[id] as { decision_wait?: string } | undefined;
    if (id.split("/")[0] === "tail_sampling") wait = Math.max(wait, Number(/^(\d+)s$/.exec(p?.decision_wait ?? "30s")?.[1] ?? 30));
  }
  return wait;
}
