/**
 * The benchmark's baseline: the same Collector binary with a bare pipeline,
 * OTLP in (mutual TLS) -> OTLP out (mutual TLS), no processors. The
 * difference to the gateway + sampler pipeline is the cost of what the
 * platform adds: scrubbing, semconv normalisation, filtering, load balancing,
 * tail sampling, routing, batching and the persistent queue.
 */
import { mutualTlsClient, mutualTlsServer, renderCollectorYaml, TlsFiles } from "../../render/collectorCommon";

export function renderBareCollector(o: { listen: string; healthEndpoint: string; exportTo: string; serverName: string; tls: TlsFiles }): string {
  return renderCollectorYaml(["Benchmark baseline: OTLP in -> OTLP out, no processors."], {
    extensions: { health_check: { endpoint: o.healthEndpoint, path: "/", tls: { cert_file: o.tls.certFile, key_file: o.tls.keyFile } } },
    receivers: { otlp: { protocols: { grpc: { endpoint: o.listen, tls: mutualTlsServer(o.tls, "1.3") } } } },
    exporters: { otlp_grpc: { endpoint: o.exportTo, tls: mutualTlsClient(o.tls, "1.3", o.serverName), compression: "gzip" } },
    service: { extensions: ["health_check"], pipelines: { traces: { receivers: ["otlp"], exporters: ["otlp_grpc"] } } },
  });
}
