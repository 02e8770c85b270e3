/**
 * The benchmark's load: spans shaped like the services' (old and new
 * semconv names, personal data for the scrubber to find), sent continuously
 * at a fixed rate over OTLP gRPC with mutual TLS until stopped.
 */
import { ROOT_CONTEXT, SpanKind, SpanStatusCode, trace } from "@opentelemetry/api";
import { resourceFromAttributes } from "@opentelemetry/resources";
import { InMemorySpanExporter, ReadableSpan, SimpleSpanProcessor, TracerProvider } from "@opentelemetry/sdk-trace";
import { randomUUID } from "crypto";
import { CertFiles } from "../harness/certs";
import { exportSpans, grpcExporter, succeeded } from "../harness/otlpLoad";
import { sleep } from "../harness/supervisor";

export const SPANS_PER_TRACE = 5;
/** Share of traces that are order lifecycles (carry order.id) and that end in an error. */
export const ORDER_SHARE = 0.2;
export const ERROR_SHARE = 0.02;
const CHUNK_TRACES = 100;
const IN_FLIGHT = 8;

export class LoadBuilder {
  private readonly memory = new InMemorySpanExporter();
  private readonly tracer;
  private n = 0;

  /** @param spansPerTrace spans per trace, at least 5: root, publish, render and the rest database calls. */
  constructor(private readonly spansPerTrace = SPANS_PER_TRACE) {
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
      for (let d = 0; d < Math.max(0, this.spansPerTrace - 3); d++) {
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

/** Sends at `rate` spans/s with at most IN_FLIGHT exports outstanding, until stop(). */
export class ContinuousLoad {
  sent = 0;
  failed = 0;
  private stopped = false;
  private done: Promise<void> = Promise.resolve();

  constructor(private readonly port: number, private readonly identity: CertFiles, private readonly rate: number, private readonly spansPerTrace = SPANS_PER_TRACE) {}

  start(): void {
    this.done = this.run();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.done;
  }

  private async run(): Promise<void> {
    const exporter = grpcExporter(this.port, this.identity, 30_000);
    const builder = new LoadBuilder(this.spansPerTrace);
    const started = Date.now();
    const inFlight = new Set<Promise<void>>();
    for (let produced = 0; !this.stopped; ) {
      const due = started + (produced / this.rate) * 1000;
      if (due > Date.now()) await sleep(due - Date.now());
      while (inFlight.size >= IN_FLIGHT) await Promise.race(inFlight);
      const spans = builder.chunk(Math.max(1, Math.round((CHUNK_TRACES * SPANS_PER_TRACE) / this.spansPerTrace)));
      produced += spans.length;
      const p: Promise<void> = exportSpans(exporter, spans).then((result) => {
        if (succeeded(result)) this.sent += spans.length;
        else this.failed += spans.length;
        inFlight.delete(p);
      });
      inFlight.add(p);
    }
    await Promise.all(inFlight);
    await exporter.shutdown();
  }
}
