/** Helpers shared by the trace-storage component tests (one stack per test file). */
import { parse } from "yaml";
import { Synthesis } from "../../synth/synthesize";
import { ofType } from "../support/synth";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = Record<string, any>;

/** The one resource of a type that the trace store declares (other components have buckets and roles too). */
export function only(s: Synthesis, type: string): Json {
  const found = traceStoreResources(s, type);
  if (found.length !== 1) throw new Error(`expected exactly one ${type} in the trace store, found ${found.length}`);
  return found[0].inputs as Json;
}

export function traceStoreResources(s: Synthesis, type: string) {
  return ofType(s, type).filter((r) => r.parent?.endsWith("::tracing-trace-store"));
}

export function tempoYaml(s: Synthesis): Json {
  return parse(s.configFiles["tempo.yaml"]) as Json;
}

export function tempoOverridesYaml(s: Synthesis): Json {
  return parse(s.configFiles["tempo-overrides.yaml"]) as Json;
}

export function tempoStatefulSet(s: Synthesis): Json {
  const sts = ofType(s, "kubernetes:apps/v1:StatefulSet").find((r) => (r.inputs as Json).metadata.name === "tempo");
  if (!sts) throw new Error("no tempo StatefulSet");
  return sts.inputs as Json;
}

export function policyJson(s: Synthesis, type: string): Json {
  return JSON.parse(only(s, type).policy as string) as Json;
}
