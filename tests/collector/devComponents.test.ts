/**
 * The collector tiers in the dev stack: one replica each, no load balancer
 * (tracing:exposeCollector is false), same hardening and wiring.
 */
import { ofType, synthStack } from "../support/synth";
import { expectContainerMatchesConfig, expectHardenedPod, inputs, Obj, podSpec } from "./componentChecks";

const stack = synthStack("dev");

describe("collector in dev", () => {
  it("runs one gateway (HPA up to 2) and one sampler", async () => {
    const s = await stack;
    expect(inputs(s, "tracing-collector-gateway-deployment").spec.replicas).toBe(1);
    expect(inputs(s, "tracing-collector-gateway-hpa").spec).toMatchObject({ minReplicas: 1, maxReplicas: 2 });
    expect(inputs(s, "tracing-collector-sampler-statefulset").spec.replicas).toBe(1);
  });

  it("creates no load balancer for the collector", async () => {
    const s = await stack;
    const lbs = ofType(s, "kubernetes:core/v1:Service").filter((x) => x.name.startsWith("tracing-collector") && (x.inputs.spec as Obj).type === "LoadBalancer");
    expect(lbs).toEqual([]);
  });

  it("hardens the pods and wires config, TLS and memory limits", async () => {
    const s = await stack;
    expectHardenedPod(podSpec(s, "tracing-collector-gateway-deployment"));
    expectHardenedPod(podSpec(s, "tracing-collector-sampler-statefulset"));
    expectContainerMatchesConfig(s, "tracing-collector-gateway-deployment", "collector-gateway.yaml", "collector-gateway-tls");
    const sampler = expectContainerMatchesConfig(s, "tracing-collector-sampler-statefulset", "collector-sampler.yaml", "collector-sampler-tls");
    expect(sampler.processors.tail_sampling.decision_wait).toBe("30s");
    // Sized from tracing:peakSpansPerSecond 2000 / meanSpansPerTrace 10 on one pod: 200 traces/s.
    expect(sampler.processors.tail_sampling.decision_cache.non_sampled_cache_size).toBe(200 * (30 + 60) * 2);
    expect(sampler.processors.tail_sampling.num_traces).toBe(2000 * 30);
  });

  it("has NetworkPolicy flows on the ports the configs listen on", async () => {
    const s = await stack;
    const policies = ofType(s, "kubernetes:networking.k8s.io/v1:NetworkPolicy").map((p) => p.inputs as Obj);
    const portsOf = (name: string) =>
      policies
        .filter((p) => p.metadata.name.includes(name))
        .flatMap((p) => [...(p.spec.ingress ?? []), ...(p.spec.egress ?? [])])
        .flatMap((r: Obj) => (r.ports ?? []).map((x: Obj) => x.port));
    expect(portsOf("apps-to-gateway")).toEqual(expect.arrayContaining([4317, 4318]));
    expect(portsOf("gateway-to-sampler")).toContain(4317);
    expect(portsOf("sampler-to-tempo")).toContain(4317);
  });
});
