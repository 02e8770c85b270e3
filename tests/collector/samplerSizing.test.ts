import { memoryLimitsFor } from "../../render/collectorCommon";
import { renderCollectorSampler } from "../../render/collectorSampler";
import { containerLimitFor, SAMPLER_MEMORY_MODEL, samplerCapacity } from "../../render/samplerSizing";
import { parse } from "yaml";
import { DEFAULT_SAMPLING } from "./support";

const MiB = 1024 * 1024;
const softLimit = (containerMiB: number) => memoryLimitsFor(containerMiB).limitMiB - memoryLimitsFor(containerMiB).spikeLimitMiB;

describe("sampler sizing from the configured peak traffic (render/samplerSizing.ts)", () => {
  it("spreads the peak over the pods left when one is down, and turns spans into traces", () => {
    const c = samplerCapacity({ peakSpansPerSecond: 20_000, meanSpansPerTrace: 10, replicas: 3 }, { ...DEFAULT_SAMPLING, maxConsumerDelaySeconds: 120 });
    expect(c.servingPods).toBe(2);
    expect(c.perPodSpansPerSecond).toBe(10_000);
    expect(c.perPodTracesPerSecond).toBe(1_000);
    expect(c.tailSampling.decisionWaitSeconds).toBe(30);
    expect(c.heldSpans).toBe(300_000);
    // Bounded by spans: even 1-span traces (10k traces/s) are not evicted before their decision.
    expect(c.tailSampling.numTraces).toBe(10_000 * 30);
    expect(c.tailSampling.decisionCacheSize).toBe(1_000 * (30 + 120) * 2);
    // 64 MiB + 300k spans x 1792 B + 2 caches x 300k ids x 128 B + 300k slots x 16 B = 64 + 512.7 + 73.2 + 4.6 -> 655 MiB.
    expect(c.memoryNeedMiB).toBe(655);
    expect(c.containerMemoryLimitMiB).toBe(1024);
  });

  it("a single pod carries the whole peak (nothing to fail over to)", () => {
    const one = samplerCapacity({ peakSpansPerSecond: 2_000, meanSpansPerTrace: 10, replicas: 1 }, DEFAULT_SAMPLING);
    expect(one.servingPods).toBe(1);
    expect(one.perPodSpansPerSecond).toBe(2_000);
    expect(samplerCapacity({ peakSpansPerSecond: 2_000, meanSpansPerTrace: 10, replicas: 2 }, DEFAULT_SAMPLING).perPodSpansPerSecond).toBe(2_000);
  });

  it("memory_limiter's soft limit always holds what the peak needs, with the smallest 256 MiB step", () => {
    for (const peak of [100, 1_000, 4_000, 20_000, 100_000, 1_000_000]) {
      for (const spans of [1, 5, 10, 100]) {
        for (const replicas of [1, 2, 3, 10]) {
          const c = samplerCapacity({ peakSpansPerSecond: peak, meanSpansPerTrace: spans, replicas }, DEFAULT_SAMPLING);
          const held = (c.heldSpans * SAMPLER_MEMORY_MODEL.bytesPerHeldSpan) / MiB;
          expect(c.memoryNeedMiB).toBeGreaterThanOrEqual(SAMPLER_MEMORY_MODEL.baseMiB + held);
          expect(softLimit(c.containerMemoryLimitMiB)).toBeGreaterThanOrEqual(c.memoryNeedMiB);
          expect(c.containerMemoryLimitMiB % 256).toBe(0);
          if (c.containerMemoryLimitMiB > 512) expect(softLimit(c.containerMemoryLimitMiB - 256)).toBeLessThan(c.memoryNeedMiB);
          // num_traces covers every trace waiting for its decision at the peak, twice over, and any
          // number of traces the peak's spans can form (traces smaller than meanSpansPerTrace).
          expect(c.tailSampling.numTraces).toBeGreaterThanOrEqual(2 * c.perPodTracesPerSecond * c.tailSampling.decisionWaitSeconds);
          expect(c.tailSampling.numTraces).toBeGreaterThanOrEqual(c.heldSpans);
        }
      }
    }
  });

  it("more traffic or a longer decision_wait never needs less memory", () => {
    let last = 0;
    for (const peak of [500, 1_000, 5_000, 50_000]) {
      const need = samplerCapacity({ peakSpansPerSecond: peak, meanSpansPerTrace: 10, replicas: 3 }, DEFAULT_SAMPLING).memoryNeedMiB;
      expect(need).toBeGreaterThan(last);
      last = need;
    }
    const short = samplerCapacity({ peakSpansPerSecond: 5_000, meanSpansPerTrace: 10, replicas: 3 }, { ...DEFAULT_SAMPLING, maxConsumerDelaySeconds: 10 });
    const long = samplerCapacity({ peakSpansPerSecond: 5_000, meanSpansPerTrace: 10, replicas: 3 }, { ...DEFAULT_SAMPLING, maxConsumerDelaySeconds: 60 });
    expect(long.memoryNeedMiB).toBeGreaterThan(short.memoryNeedMiB);
  });

  it("containerLimitFor steps up until the soft limit holds the need", () => {
    expect(containerLimitFor(1)).toBe(512);
    expect(softLimit(containerLimitFor(328))).toBeGreaterThanOrEqual(328);
    expect(containerLimitFor(329)).toBe(768);
    expect(containerLimitFor(656)).toBe(1024);
    expect(containerLimitFor(657)).toBe(1280);
  });

  it("the rendered tail_sampling processor carries the per-pod rate the capacity was computed for", () => {
    const c = samplerCapacity({ peakSpansPerSecond: 20_000, meanSpansPerTrace: 10, replicas: 3 }, DEFAULT_SAMPLING);
    const yaml = parse(
      renderCollectorSampler({
        listen: { grpc: "0.0.0.0:4317" },
        tls: { certFile: "c", keyFile: "k", caFile: "a" },
        tempoEndpoint: "tempo:4317",
        storageDir: "/q",
        healthEndpoint: "0.0.0.0:13133",
        memory: memoryLimitsFor(c.containerMemoryLimitMiB),
        sampling: DEFAULT_SAMPLING,
        sizing: c.sizing,
      }),
    );
    expect(yaml.processors.tail_sampling.expected_new_traces_per_sec).toBe(1_000);
    expect(yaml.processors.tail_sampling.num_traces).toBe(c.tailSampling.numTraces);
    expect(yaml.processors.memory_limiter).toEqual({ check_interval: "1s", limit_mib: 819, spike_limit_mib: 163 });
  });
});
