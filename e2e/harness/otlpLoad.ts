/**
 * Synthetic traces sent straight to a Collector over OTLP gRPC (or OTLP/HTTP
 * JSON), with a chosen client identity: for the TLS refusal checks, the Tempo
 * outage load and the benchmark. Spans are built with the real SDK (so they
 * look like the services' spans) and exported with the real OTLP exporter,
 * whose result says whether the Collector accepted them.
 */
import { credentials } from "@grpc/grpc-js";
import { ROOT_CONTEXT, SpanKind, SpanStatusCode, trace } from "@opentelemetry/api";
import { ExportResult, ExportResultCode } from "@opentelemetry/core";
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-grpc";
import { resourceFromAttributes } from "@opentelemetry/resources";
import { InMemorySpanExporter, ReadableSpan, SimpleSpanProcessor, TracerProvider } from "@opentelemetry/sdk-trace";
import * as fs from "fs";
import { CertFiles } from "./certs";
import { request } from "./tlsHttp";

export interface TraceSpec {
  /** Attributes on every span of the trace (e.g. order.id, a run marker). */
  readonly attributes: Readonly<Record<string, string | number>>;
  /** Spans per trace, root included. */
  readonly spans: number;
  readonly error?: boolean;
}

/** Builds finished spans: one SERVER root and CLIENT children per trace. */
export class SpanFactory {
  private readonly memory = new InMemorySpanExporter();
  private readonly provider: TracerProvider;

  constructor(serviceName: string) {
    this.provider = new TracerProvider({
      resource: resourceFromAttributes({ "service.name": serviceName, "deployment.environment.name": "e2e" }),
      spanProcessors: [new SimpleSpanProcessor({ exporter: this.memory })],
    });
  }

  build(traces: readonly TraceSpec[]): ReadableSpan[] {
    const tracer = this.provider.getTracer("e2e-load");
    for (const spec of traces) {
      const root = tracer.startSpan("GET /catalog", { kind: SpanKind.SERVER, attributes: { ...spec.attributes, "http.request.method": "GET", "http.route": "/catalog", "http.response.status_code": spec.error ? 500 : 200 } }, ROOT_CONTEXT);
      const parent = trace.setSpan(ROOT_CONTEXT, root);
      for (let i = 1; i < spec.spans; i++) {
        const child = tracer.startSpan(`SELECT catalog ${i}`, { kind: SpanKind.CLIENT, attributes: { ...spec.attributes, "db.system.name": "postgresql", "db.query.text": "SELECT sku, price FROM catalog WHERE sku = $1" } }, parent);
        child.end();
      }
      if (spec.error) root.setStatus({ code: SpanStatusCode.ERROR });
      root.end();
    }
    const spans = this.memory.getFinishedSpans();
    this.memory.reset();
    return [...spans];
  }
}

export type GrpcIdentity = CertFiles | { readonly caOnly: string } | "insecure";

export function grpcExporter(port: number, identity: GrpcIdentity, timeoutMillis = 10_000): OTLPTraceExporter {
  if (identity === "insecure") return new OTLPTraceExporter({ url: `http://127.0.0.1:${port}`, credentials: credentials.createInsecure(), timeoutMillis });
  const ca = fs.readFileSync("caOnly" in identity ? identity.caOnly : identity.caFile);
  const creds = "caOnly" in identity ? credentials.createSsl(ca) : credentials.createSsl(ca, fs.readFileSync(identity.keyFile), fs.readFileSync(identity.certFile));
  return new OTLPTraceExporter({ url: `https://127.0.0.1:${port}`, credentials: creds, timeoutMillis, concurrencyLimit: 64 });
}

export function exportSpans(exporter: OTLPTraceExporter, spans: ReadableSpan[]): Promise<ExportResult> {
  return new Promise((resolve) => exporter.export(spans, resolve));
}

export function succeeded(result: ExportResult): boolean {
  return result.code === ExportResultCode.SUCCESS;
}

/** One span as OTLP/JSON, sent to the OTLP/HTTP receiver; resolves with the HTTP status or the connection error. */
export async function postOtlpJson(url: string, tls: CertFiles | { caOnly: string } | undefined, attributes: Record<string, string>): Promise<{ status?: number; error?: string }> {
  const now = BigInt(Date.now()) * 1_000_000n;
  const body = JSON.stringify({
    resourceSpans: [
      {
        resource: { attributes: [{ key: "service.name", value: { stringValue: "crm-api" } }] },
        scopeSpans: [
          {
            scope: { name: "e2e" },
            spans: [
              {
                traceId: randomHex(16),
                spanId: randomHex(8),
                name: "POST /customers/orders",
                kind: 2,
                startTimeUnixNano: String(now - 5_000_000n),
                endTimeUnixNano: String(now),
                attributes: Object.entries(attributes).map(([key, v]) => ({ key, value: { stringValue: v } })),
              },
            ],
          },
        ],
      },
    ],
  });
  try {
    const res = await request(url, { method: "POST", body, tls, timeoutMs: 10_000 });
    return { status: res.status };
  } catch (e) {
    return { error: (e as Error).message };
  }
}

function randomHex(bytes: number): string {
  return Buffer.from(Array.from({ length: bytes }, () => Math.floor(Math.random() * 256))).toString("hex");
}
