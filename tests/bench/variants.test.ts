/** The benchmark's variants are derived from the rendered configs (e2e/bench/variants.ts): no copy to drift. */
import { parse } from "yaml";
import { fairBaseline, benchVariants, CollectorConfig, decisionWaitSeconds, destinationOnly, stagesOf, terminalExporter } from "../../e2e/bench/variants";
import { renderCollectorGateway } from "../../render/collectorGateway";
import { renderCollectorSampler } from "../../render/collectorSampler";
import { memoryLimitsFor } from "../../render/collectorCommon";
import { DEFAULT_SAMPLING } from "../collector/support";

const tls = { certFile: "/t/c", keyFile: "/t/k", caFile: "/t/a" };
const gateway = parse(
  renderCollectorGateway({
    listen: { grpc: "127.0.0.1:4317", http: "127.0.0.1:4318" },
    tls,
    samplerResolver: { static: ["127.0.0.1:5317"] },
    samplerServerName: "collector-sampler",
    healthEndpoint: "127.0.0.1:13133",
    memory: memoryLimitsFor(1024),
  }),
) as CollectorConfig;
const sampler = parse(
  renderCollectorSampler({
    listen: { grpc: "127.0.0.1:5317" },
    tls,
    tempoEndpoint: "127.0.0.1:6317",
    storageDir: "/q",
    healthEndpoint: "127.0.0.1:13134",
    memory: memoryLimitsFor(2048),
    sampling: DEFAULT_SAMPLING,
  }),
) as CollectorConfig;

describe("bench variants from the rendered configs", () => {
  it("the fair baseline keeps topology, receivers and mutual TLS, and drops every processor, connector and tuning", () => {
    for (const rendered of [gateway, sampler]) {
      const base = fairBaseline(rendered);
      expect(Object.values(base.service.pipelines).flatMap((p) => p.processors ?? [])).toEqual([]);
      expect(base.connectors).toBeUndefined();
      expect(base.receivers).toEqual(Object.fromEntries(Object.keys(base.receivers).map((r) => [r, rendered.receivers[r]])));
      expect(Object.keys(base.extensions ?? {})).toEqual(["health_check"]);
      for (const e of Object.values(base.exporters) as Record<string, unknown>[]) {
        expect(e).not.toHaveProperty("sending_queue");
        expect(e).not.toHaveProperty("compression");
      }
    }
    const lb = fairBaseline(gateway).exporters.loadbalancing as { routing_key: string; protocol: { otlp: Record<string, unknown> }; resolver: unknown };
    expect(lb.routing_key).toBe("traceID");
    expect(lb.resolver).toEqual((gateway.exporters.loadbalancing as { resolver: unknown }).resolver);
    expect(lb.protocol.otlp).toEqual({ tls: (gateway.exporters.loadbalancing as { protocol: { otlp: { tls: unknown } } }).protocol.otlp.tls });
    // The sampler's baseline follows the routing connector to a real exporter, with its tenant header.
    expect(terminalExporter(sampler)).toBe("otlp_grpc/orders");
    expect(fairBaseline(sampler).exporters["otlp_grpc/orders"]).toMatchObject({ endpoint: "127.0.0.1:6317", headers: { "X-Scope-OrgID": "orders" } });
  });

  it("has one stage per rendered processor, in pipeline order, plus connectors, exporter settings and everything", () => {
    const processors = gateway.service.pipelines.traces.processors!;
    expect(stagesOf(gateway).map((s) => s.id)).toEqual([...processors.filter((p) => !p.startsWith("attributes/semconv-")), "exporter", "everything"]);
    expect(stagesOf(sampler).map((s) => s.id)).toEqual(["memory_limiter", "tail_sampling", "batch", "connectors", "exporter", "everything"]);
    // The semconv attributes processors are one stage, in pipeline order, as rendered.
    const semconvIds = processors.filter((p) => p.startsWith("attributes/semconv"));
    expect(semconvIds.length).toBeGreaterThan(1);
    const semconv = stagesOf(gateway).find((s) => s.id === "attributes/semconv")!.config;
    expect(semconv.service.pipelines.traces.processors).toEqual(semconvIds);
    for (const id of semconvIds) expect(semconv.processors![id]).toEqual(gateway.processors![id]);
    // The sampler's exporter stage keeps the file-backed queue and its extension.
    const queue = stagesOf(sampler).find((s) => s.id === "exporter")!.config;
    expect((queue.exporters["otlp_grpc/orders"] as { sending_queue: { storage: string } }).sending_queue.storage).toBe("file_storage");
    expect(queue.service.extensions).toContain("file_storage");
  });

  it("measures a processor a renderer adds without any change to the bench", () => {
    const withExtra = structuredClone(gateway);
    withExtra.processors!["attributes/extra"] = { actions: [] };
    withExtra.service.pipelines.traces.processors!.push("attributes/extra");
    expect(benchVariants("prod", { gateway: withExtra, sampler }, true).map((v) => v.id)).toContain("gateway+attributes/extra");
  });

  it("waits decision_wait before measuring only where the sampler holds traces", () => {
    expect(decisionWaitSeconds(sampler)).toBe(30);
    expect(decisionWaitSeconds(fairBaseline(sampler))).toBe(0);
    expect(destinationOnly({ endpoint: "e", compression: "gzip", protocol: { otlp: { tls: {}, timeout: "5s" } } })).toEqual({ endpoint: "e", protocol: { otlp: { tls: {} } } });
  });
});
