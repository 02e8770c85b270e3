/**
 * Runs the rendered gateway's processors, in pipeline order, over a trace in
 * the OTTL simulator: transform processors statement by statement, filter
 * processors by their conditions. Unknown processor types make it throw.
 */
import { CorpusTrace } from "./privacyCorpus";
import { applyFilter, applyGroups, SimGroup, SimTrace } from "./ottlSim";
import { Config } from "./support";

export function runGatewayProcessors(config: Config, trace: SimTrace): SimTrace {
  for (const id of config.service.pipelines.traces.processors as string[]) {
    const processor = config.processors[id];
    if (id.startsWith("transform/")) applyGroups(processor.trace_statements as SimGroup[], trace);
    else if (id.startsWith("filter/")) applyFilter(processor.trace_conditions as string[], trace);
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
