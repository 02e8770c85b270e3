/**
 * Runs the rendered gateway's processors, in pipeline order, over a trace in
 * the OTTL simulator: transform processors statement by statement, filter
 * processors by their conditions, attributes processors by their actions.
 * Unknown processor types make it throw.
 */
import { CorpusTrace } from "./privacyCorpus";
import { applyFilter, applyGroups, SimGroup, SimTrace } from "./ottlSim";
import { Config } from "./support";
import { AttributesProcessorConfig } from "../../render/semconv";

/**
 * The attributes processor (contrib v0.148.0) as far as the gateway uses it:
 * insert from_attribute (only when the key is absent), delete, update (only
 * when present); include by exact span kinds and exact attribute values.
 * Anything else throws, so the simulator never silently differs from it.
 */
function applyAttributes(p: AttributesProcessorConfig, trace: SimTrace): SimTrace {
  const allowed = new Set(["include", "actions"]);
  for (const key of Object.keys(p)) if (!allowed.has(key)) throw new Error(`gatewaySim: attributes processor key ${key} not simulated`);
  if (p.include && p.include.match_type !== "strict") throw new Error("gatewaySim: only strict include is simulated");
  for (const span of trace.spans) {
    if (p.include?.span_kinds && !p.include.span_kinds.includes(span.kind)) continue;
    if (p.include?.attributes && !p.include.attributes.every((a) => span.attributes[a.key] === a.value)) continue;
    const attrs = span.attributes;
    for (const a of p.actions) {
      if (a.action === "insert") {
        if (!(a.key in attrs) && a.from_attribute in attrs) attrs[a.key] = attrs[a.from_attribute];
      } else if (a.action === "delete") delete attrs[a.key];
      else if (a.action === "update") {
        if (a.key in attrs) attrs[a.key] = a.value;
      } else throw new Error(`gatewaySim: attributes action ${(a as { action: string }).action} not simulated`);
    }
  }
  return trace;
}

export function runGatewayProcessors(config: Config, trace: SimTrace): SimTrace {
  for (const id of config.service.pipelines.traces.processors as string[]) {
    const processor = config.processors[id];
    if (id.startsWith("transform/")) applyGroups(processor.trace_statements as SimGroup[], trace);
    else if (id.startsWith("filter/")) applyFilter(processor.trace_conditions as string[], trace);
    else if (id.startsWith("attributes/")) applyAttributes(processor as unknown as AttributesProcessorConfig, trace);
    else if (id !== "memory_limiter") throw new Error(`gatewaySim: cannot simulate ${id}`);
  }
  return trace;
}

/** One corpus trace through the processors; undefined when its span was dropped. */
export function scrubCorpusTrace(config: Config, t: CorpusTrace): CorpusTrace | undefined {
  const copy = JSON.parse(JSON.stringify(t)) as CorpusTrace; // not structuredClone: under jest it builds objects of another realm
  const out = runGatewayProcessors(config, { resource: copy.resource, scope: copy.scope, spans: [copy.span] });
  const span = out.spans[0];
  return span ? { resource: out.resource, scope: out.scope ?? {}, span: { ...span, traceState: span.traceState ?? "", links: span.links ?? [] } } : undefined;
}
