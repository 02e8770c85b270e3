/**
 * npm run bench: what the platform's Collector pipeline costs.
 *
 * Sends the same fixed load (BENCH_SPANS spans, default 200 000, at
 * BENCH_RATE spans/s, default 4 000, over OTLP gRPC with mutual TLS) through
 *   1. gateway + sampler rendered from the PROD stack's options (the
 *      differences.ts changes only: addresses, test certificates, queue
 *      directory; decision_wait stays 30 s), and
 *   2. a bare OTLP-in/OTLP-out config of the same binary,
 * into a tiny OTLP sink, and reports CPU seconds (utime+stime from
 * /proc/<pid>/stat, from just before the load until the sink has received
 * everything) per 100k spans, spans per CPU second, and peak memory (VmHWM).
 * Prints a markdown table.
 */
import { ROOT_CONTEXT, SpanKind, SpanStatusCode, trace } from "@opentelemetry/api";
import { resourceFromAttributes } from "@opentelemetry/resources";
import { InMemorySpanExporter, ReadableSpan, SimpleSpanProcessor, TracerProvider } from "@opentelemetry/sdk-trace";
import { randomUUID } from "crypto";
import * as fs from "fs";
import * as path from "path";
import { memoryLimitsFor } from "../../render/collectorCommon";
import { renderCollectorGateway } from "../../render/collectorGateway";
import { renderCollectorSampler } from "../../render/collectorSampler";
import { serviceDnsNames } from "../../specs/topology";
import { CERT_NAMESPACE, generateTestPki, TestPki } from "../harness/certs";
import { collectorMetric, startCollector, waitForCollector } from "../harness/collectors";
import { deployedGatewayOptions, deployedSamplerOptions, GATEWAY_MEMORY_LIMIT_MIB, stackConfig } from "../harness/deployedOptions";
import { gatewayForE2e, samplerForE2e } from "../harness/differences";
import { progress } from "../harness/log";
import { exportSpans, grpcExporter, succeeded } from "../harness/otlpLoad";
import { requireBuilt, requireCommand } from "../harness/paths";
import { freePorts } from "../harness/ports";
import { newRunDir } from "../harness/stack";
import { ManagedProcess, sleep, Supervisor } from "../harness/supervisor";
import { renderBareCollector } from "./bareConfig";
import { cpuSeconds, machineDescription, peakRssMiB } from "./procStats";
import { OtlpSink } from "./sink";

const TOTAL_SPANS = Number(process.env.BENCH_SPANS ?? 200_000);
const RATE = Number(process.env.BENCH_RATE ?? 4_000);
const SPANS_PER_TRACE = 5;
const CHUNK_TRACES = 100;
const IN_FLIGHT = 8;
/** Share of traces that are order lifecycles (carry order.id) and that end in an error. */
const ORDER_SHARE = 0.2;
const ERROR_SHARE = 0.02;

interface Measurement {
  readonly pipeline: string;
  readonly processes: { readonly name: string; readonly cpu: number; readonly peakMiB: number }[];
  readonly sent: number;
  readonly accepted: number;
  readonly delivered: number;
  readonly loadSeconds: number;
}

/** Spans shaped like the services' (old and new semconv, personal data for the scrubber to find). */
class LoadBuilder {
  private readonly memory = new InMemorySpanExporter();
  private readonly tracer;
  private n = 0;

  constructor() {
    const provider = new TracerProvider({
      resource: resourceFromAttributes({ "service.name": "shop-api", "service.version": "bench", "deployment.environment.name": "bench" }),
      spanProcessors: [new SimpleSpanProcessor({ exporter: this.memory })],
    });
    this.tracer = provider.getTracer("bench");
  }

  chunk(traces: number): ReadableSpan[] {
    for (let i = 0; i < traces; i++, this.n++) {
      const isOrder = this.n % Math.round(1 / ORDER_SHARE) === 0;
      const isError = this.n % Math.round(1 / ERROR_SHARE) === 1;
      const common: Record<string, string> = isOrder ? { "order.id": `ORD-${randomUUID()}`, "user.id": "7f3a9c0e1b2d4e5f" } : {};
      const root = this.tracer.startSpan(isOrder ? "POST /orders" : "GET /catalog", {
        kind: SpanKind.SERVER,
        attributes: {
          ...common,
          "http.request.method": isOrder ? "POST" : "GET",
          "url.path": isOrder ? "/orders" : "/catalog",
          "url.query": "page=2&email=jane.doe%40example.com",
          "http.route": isOrder ? "/orders" : "/catalog",
          "http.response.status_code": isError ? 500 : 200,
          "http.request.header.user-agent": ["Mozilla/5.0 (X11; Linux x86_64)"],
          "http.request.header.x-request-id": [`req-${this.n}`],
          "client.address": "10.30.64.17",
        },
      }, ROOT_CONTEXT);
      // Explicit parent context: the benchmark registers no context manager.
      const parent = trace.setSpan(ROOT_CONTEXT, root);
      for (let d = 0; d < 2; d++) {
        this.tracer.startSpan("pg.query:SELECT", { kind: SpanKind.CLIENT, attributes: { ...common, "db.system": "postgresql", "db.statement": `SELECT * FROM orders WHERE customer_id = ${this.n} AND email = 'jane.doe@example.com'`, "net.peer.name": "mes-db" } }, parent).end();
      }
      this.tracer.startSpan("orders publish", { kind: SpanKind.PRODUCER, attributes: { ...common, "messaging.system": "rabbitmq", "messaging.destination": "", "messaging.rabbitmq.routing_key": "orders", "messaging.protocol": "AMQP" } }, parent).end();
      this.tracer.startSpan("render", { kind: SpanKind.INTERNAL, attributes: common }, parent).end();
      if (isError) root.setStatus({ code: SpanStatusCode.ERROR, message: "payment failed for jane.doe@example.com" });
      root.end();
    }
    const spans = [...this.memory.getFinishedSpans()];
    this.memory.reset();
    return spans;
  }
}

/** Sends TOTAL_SPANS at RATE spans/s with at most IN_FLIGHT exports outstanding; returns the spans the gateway acknowledged. */
async function sendLoad(port: number, pki: TestPki): Promise<{ sent: number; failed: number; seconds: number }> {
  const exporter = grpcExporter(port, pki.clients["shop-api"], 30_000);
  const builder = new LoadBuilder();
  const started = Date.now();
  let sent = 0;
  let failed = 0;
  const inFlight = new Set<Promise<void>>();
  for (let produced = 0; produced < TOTAL_SPANS; ) {
    const traces = Math.min(CHUNK_TRACES, Math.ceil((TOTAL_SPANS - produced) / SPANS_PER_TRACE));
    const due = started + (produced / RATE) * 1000;
    if (due > Date.now()) await sleep(due - Date.now());
    while (inFlight.size >= IN_FLIGHT) await Promise.race(inFlight);
    const spans = builder.chunk(traces);
    produced += spans.length;
    const p: Promise<void> = exportSpans(exporter, spans).then((result) => {
      if (succeeded(result)) sent += spans.length;
      else failed += spans.length;
      inFlight.delete(p);
    });
    inFlight.add(p);
  }
  await Promise.all(inFlight);
  await exporter.shutdown();
  return { sent, failed, seconds: (Date.now() - started) / 1000 };
}

/** Waits until the sink has received nothing new for `quietMs`, but at least `minMs`. */
async function settle(sink: OtlpSink, minMs: number, quietMs = 8_000): Promise<void> {
  const start = Date.now();
  let last = sink.spans;
  let lastChange = Date.now();
  for (;;) {
    await sleep(1000);
    if (sink.spans !== last) {
      last = sink.spans;
      lastChange = Date.now();
    }
    if (Date.now() - start >= minMs && Date.now() - lastChange >= quietMs) return;
  }
}

async function measure(pipeline: string, processes: ManagedProcess[], gatewayPort: number, gatewayMetricsPort: number, pki: TestPki, sink: OtlpSink, settleMinMs: number): Promise<Measurement> {
  const sinkBefore = sink.spans;
  const cpuBefore = processes.map((p) => cpuSeconds(p.pid));
  const acceptedBefore = await collectorMetric(gatewayMetricsPort, "otelcol_receiver_accepted_spans_total");
  progress(`${pipeline}: sending ${TOTAL_SPANS} spans at ${RATE}/s`);
  const load = await sendLoad(gatewayPort, pki);
  progress(`${pipeline}: sent ${load.sent} (${load.failed} refused) in ${load.seconds.toFixed(1)} s; waiting for delivery`);
  await settle(sink, settleMinMs);
  for (const p of processes) p.assertRunning();
  const accepted = (await collectorMetric(gatewayMetricsPort, "otelcol_receiver_accepted_spans_total")) - acceptedBefore;
  return {
    pipeline,
    processes: processes.map((p, i) => ({ name: p.spec.name, cpu: cpuSeconds(p.pid) - cpuBefore[i], peakMiB: peakRssMiB(p.pid) })),
    sent: load.sent,
    accepted,
    delivered: sink.spans - sinkBefore,
    loadSeconds: load.seconds,
  };
}

function table(results: Measurement[]): string {
  const fmt = (n: number, digits = 1) => n.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits });
  const lines = [
    "| pipeline | process | CPU s | CPU s per 100k spans | spans per CPU s | peak RSS (VmHWM) |",
    "|---|---|---:|---:|---:|---:|",
  ];
  for (const r of results) {
    const rows = r.processes.length > 1 ? [...r.processes, { name: "**total**", cpu: r.processes.reduce((s, p) => s + p.cpu, 0), peakMiB: r.processes.reduce((s, p) => s + p.peakMiB, 0) }] : r.processes;
    rows.forEach((p, i) =>
      lines.push(`| ${i === 0 ? r.pipeline : ""} | ${p.name} | ${fmt(p.cpu, 2)} | ${fmt((p.cpu / r.sent) * 100_000, 2)} | ${fmt(r.sent / p.cpu, 0)} | ${fmt(p.peakMiB, 0)} MiB |`),
    );
  }
  lines.push("");
  for (const r of results) {
    lines.push(`- ${r.pipeline}: ${fmt(r.sent, 0)} spans sent and acknowledged, ${fmt(r.accepted, 0)} accepted by the receiver, ${fmt(r.delivered, 0)} delivered to the sink (${fmt((100 * r.delivered) / r.sent, 1)}%), load sent in ${fmt(r.loadSeconds, 1)} s.`);
  }
  return lines.join("\n");
}

async function main(): Promise<void> {
  requireBuilt("collector");
  requireCommand("openssl", "openssl");
  const runDir = newRunDir();
  const supervisor = new Supervisor(runDir);
  const sink = new OtlpSink();
  progress(`bench: run directory ${runDir}`);
  try {
    const pki = generateTestPki(path.join(runDir, "pki"));
    const [sinkPort, gwGrpc, gwHttp, gwHealth, gwMetrics, smGrpc, smHealth, smMetrics, bareGrpc, bareHealth, bareMetrics] = await freePorts(11);
    const tempoName = serviceDnsNames("tempo", CERT_NAMESPACE).at(-1) as string;
    await sink.start(sinkPort, { ...pki.workloads.tempo });
    const cfg = stackConfig("prod");
    const results: Measurement[] = [];

    // 1. The platform pipeline, prod options.
    const queue = path.join(runDir, "sampler-queue");
    fs.mkdirSync(queue);
    const samplerOptions = samplerForE2e(deployedSamplerOptions(cfg), { grpcPort: smGrpc, healthPort: smHealth, tls: pki.workloads["collector-sampler"], tempoOtlpPort: sinkPort, storageDir: queue });
    const sampler = startCollector(supervisor, { name: "collector-sampler", config: renderCollectorSampler(samplerOptions), memoryLimitMiB: samplerOptions.memory.limitMiB, healthPort: smHealth, metricsPort: smMetrics });
    const gatewayOptions = gatewayForE2e(deployedGatewayOptions(cfg), { grpcPort: gwGrpc, httpPort: gwHttp, healthPort: gwHealth, tls: pki.workloads["collector-gateway"], samplers: [`127.0.0.1:${smGrpc}`] });
    const gateway = startCollector(supervisor, { name: "collector-gateway", config: renderCollectorGateway(gatewayOptions), memoryLimitMiB: gatewayOptions.memory.limitMiB, healthPort: gwHealth, metricsPort: gwMetrics });
    await Promise.all([waitForCollector(sampler, smHealth, pki.caFile), waitForCollector(gateway, gwHealth, pki.caFile)]);
    const decisionWaitMs = Number(/decision_wait: (\d+)s/.exec(renderCollectorSampler(samplerOptions))?.[1] ?? 30) * 1000;
    results.push(await measure("platform (prod config): gateway + sampler", [gateway, sampler], gwGrpc, gwMetrics, pki, sink, decisionWaitMs + 10_000));
    await gateway.stop();
    await sampler.stop();

    // 2. The bare baseline, same binary.
    const bare = startCollector(supervisor, {
      name: "otelcol-bare",
      config: renderBareCollector({ listen: `127.0.0.1:${bareGrpc}`, healthEndpoint: `127.0.0.1:${bareHealth}`, exportTo: `127.0.0.1:${sinkPort}`, serverName: tempoName, tls: pki.workloads["collector-gateway"] }),
      memoryLimitMiB: memoryLimitsFor(GATEWAY_MEMORY_LIMIT_MIB).limitMiB,
      healthPort: bareHealth,
      metricsPort: bareMetrics,
    });
    await waitForCollector(bare, bareHealth, pki.caFile);
    results.push(await measure("bare OTLP in -> OTLP out", [bare], bareGrpc, bareMetrics, pki, sink, 5_000));
    await bare.stop();

    const sampling = cfg.sampling;
    const out = [
      `### Collector benchmark (\`npm run bench\`, ${new Date().toISOString().slice(0, 10)})`,
      "",
      `Machine: ${machineDescription()}. Load: ${TOTAL_SPANS.toLocaleString("en-US")} spans in traces of ${SPANS_PER_TRACE} (${ORDER_SHARE * 100}% orders, ${ERROR_SHARE * 100}% errors), ${RATE.toLocaleString("en-US")} spans/s over OTLP gRPC with mutual TLS; prod sampling ${sampling.defaultPercent}% / orders ${sampling.orderPercent}%, decision_wait ${decisionWaitMs / 1000} s. CPU = utime+stime of each Collector process from the first span until the sink went quiet.`,
      "",
      table(results),
      "",
    ].join("\n");
    process.stdout.write(`\n${out}\n`);
    fs.writeFileSync(path.join(runDir, "bench.md"), out);
  } finally {
    await supervisor.stopAll();
    await sink.stop();
  }
  if (process.env.E2E_KEEP === "1") progress(`kept ${runDir}`);
  else fs.rmSync(runDir, { recursive: true, force: true });
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(`bench failed: ${(e as Error).stack ?? e}`);
    process.exit(1);
  },
);
