/**
 * Resources synthesized by `npm run synth` carry only their inputs, but stack
 * rules (like the engine's) correlate resources by outputs: a bucket's id and
 * name, which its public access block, policy and Tempo's config refer to.
 * Under synth those outputs are exactly what synth/mocks.ts answered, so the
 * runner asks the same mocks again for resources that have no outputs.
 */
import { RecordingMocks } from "../synth/mocks";

const mocks = new RecordingMocks("eu-central-1");

/** True for resources a provider manages (components and the Stack have no outputs of their own). */
function isCustom(type: string): boolean {
  return !type.startsWith("pulumi:") && !type.startsWith("tracing:");
}

/** The mock outputs (with `id`) of a synthesized resource, or undefined for components. */
export function synthOutputs(type: string, name: string, inputs: Record<string, unknown>): Record<string, unknown> | undefined {
  if (!isCustom(type)) return undefined;
  const { id, state } = mocks.newResource({ type, name, inputs, custom: true });
  mocks.resources.length = 0; // keep no history
  return { ...state, ...(id !== undefined ? { id } : {}) };
}
