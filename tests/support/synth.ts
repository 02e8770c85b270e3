/**
 * Component tests run the real program (index.ts) under Pulumi's mock runtime
 * via synth, and assert on the recorded inputs. One synthesis per test file:
 * jest gives each file its own module registry and so its own Pulumi runtime.
 */
import * as path from "path";
import { SynthResource, Synthesis, synthesize } from "../../synth/synthesize";

export const PROJECT_DIR = path.resolve(__dirname, "..", "..");

let cached: Promise<Synthesis> | undefined;
let cachedStack: string | undefined;

/** Synthesizes a stack once per test file. */
export function synthStack(stack: string): Promise<Synthesis> {
  if (cached && cachedStack !== stack) throw new Error(`this test file already synthesized ${cachedStack}; use one stack per file`);
  cachedStack = stack;
  cached ??= synthesize(PROJECT_DIR, stack);
  return cached;
}

export function ofType(synthesis: Synthesis, type: string): SynthResource[] {
  return synthesis.resources.filter((r) => r.type === type);
}

export function named(synthesis: Synthesis, name: string): SynthResource {
  const found = synthesis.resources.find((r) => r.name === name);
  if (!found) throw new Error(`no resource named ${name}; have ${synthesis.resources.map((r) => r.name).join(", ")}`);
  return found;
}
