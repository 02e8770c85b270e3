/**
 * Sizing of the sampler tier from the configured peak traffic (R7): the
 * tail-sampling buffers (num_traces, decision caches) and the container
 * memory, so that memory_limiter never refuses spans at the configured peak.
 * Pure arithmetic; the memory model's constants are measured by
 * `npm run bench` (docs/e2e.md, "Sampler memory").
 */
import { memoryLimitsFor } from "./collectorCommon";
import { SamplerSizingOptions, SamplingPolicyOptions, TailSamplingSizing, tailSamplingSizing } from "./collectorSampler";

export interface SamplerTraffic {
  /** Peak spans per second arriving at the whole sampler tier (all pods together), spans/s. */
  readonly peakSpansPerSecond: number;
  /** Mean spans per trace of that traffic (turns spans/s into traces/s for num_traces and the caches). */
  readonly meanSpansPerTrace: number;
  /** Sampler pods (tracing:samplerReplicas). */
  readonly replicas: number;
}

/**
 * Memory of one sampler process (measured with the v0.148.0 binary, GOMEMLIMIT
 * set, traces of 5 spans with ~10 attributes each): a fixed part plus a cost
 * per span held while its trace waits for the decision, plus the decision
 * caches' trace ids. bytesPerHeldSpan is the upper end of the measured range
 * (1.0–1.7 KiB); spans with many or large attributes cost more.
 */
export const SAMPLER_MEMORY_MODEL = {
  /** Process footprint with no traces held, MiB. */
  baseMiB: 64,
  /** Heap per span held in the tail sampler, bytes. */
  bytesPerHeldSpan: 1792,
  /** Heap per trace id in a decision cache (LRU entry, map slot, key), bytes. */
  bytesPerCachedDecision: 128,
  /** Preallocated per num_traces slot (the trace-id ring of the tail sampler), bytes. */
  bytesPerTraceSlot: 16,
} as const;

/** Container memory limits are whole multiples of this, MiB. */
const MEMORY_STEP_MIB = 256;
const MIN_CONTAINER_MIB = 512;
/** Largest sampler container the configuration accepts (beyond it, add pods), MiB. */
export const MAX_SAMPLER_CONTAINER_MIB = 16_384;
const MiB = 1024 * 1024;

export interface SamplerCapacity {
  /** Pods that carry the peak: one may be down (rollout, PodDisruptionBudget maxUnavailable 1). */
  readonly servingPods: number;
  /** Peak spans/s one pod receives. */
  readonly perPodSpansPerSecond: number;
  /** Peak new traces/s one pod receives (expected_new_traces_per_sec). */
  readonly perPodTracesPerSecond: number;
  /** Spans one pod holds at the peak: they wait decision_wait for their decision. */
  readonly heldSpans: number;
  readonly tailSampling: TailSamplingSizing;
  /** Live memory one pod needs at the peak, MiB. */
  readonly memoryNeedMiB: number;
  /** Container memory limit: memory_limiter's soft limit (limit_mib − spike_limit_mib) is at least memoryNeedMiB, MiB. */
  readonly containerMemoryLimitMiB: number;
  /** The renderer's sizing options (traces/s per pod). */
  readonly sizing: SamplerSizingOptions;
}

export function samplerCapacity(traffic: SamplerTraffic, sampling: SamplingPolicyOptions): SamplerCapacity {
  const servingPods = Math.max(1, traffic.replicas - 1);
  const perPodSpansPerSecond = Math.ceil(traffic.peakSpansPerSecond / servingPods);
  const perPodTracesPerSecond = Math.ceil(perPodSpansPerSecond / traffic.meanSpansPerTrace);
  // num_traces is bounded by spans, not the mean trace size: smaller traces than assumed must not be evicted undecided.
  const sizing: SamplerSizingOptions = { expectedTracesPerSecond: perPodTracesPerSecond, maxTracesPerSecond: perPodSpansPerSecond };
  const tailSampling = tailSamplingSizing(sampling, sizing);
  const heldSpans = perPodSpansPerSecond * tailSampling.decisionWaitSeconds;
  const m = SAMPLER_MEMORY_MODEL;
  const memoryNeedMiB = Math.ceil(
    m.baseMiB +
      (heldSpans * m.bytesPerHeldSpan) / MiB +
      (2 * tailSampling.decisionCacheSize * m.bytesPerCachedDecision) / MiB +
      (tailSampling.numTraces * m.bytesPerTraceSlot) / MiB,
  );
  return {
    servingPods,
    perPodSpansPerSecond,
    perPodTracesPerSecond,
    heldSpans,
    tailSampling,
    memoryNeedMiB,
    containerMemoryLimitMiB: containerLimitFor(memoryNeedMiB),
    sizing,
  };
}

/** The smallest container limit (a multiple of MEMORY_STEP_MIB) whose memory_limiter soft limit holds `needMiB`. */
export function containerLimitFor(needMiB: number): number {
  let container = Math.max(MIN_CONTAINER_MIB, Math.ceil(needMiB / MEMORY_STEP_MIB) * MEMORY_STEP_MIB);
  const soft = (c: number) => memoryLimitsFor(c).limitMiB - memoryLimitsFor(c).spikeLimitMiB;
  while (soft(container) < needMiB) container += MEMORY_STEP_MIB;
  return container;
}
