/**
 * OpenTelemetry SDK setup shared by the sample Shop, CRM and MES APIs,
 * following docs/instrumentation.md: W3C tracecontext + baggage, parent-based
 * always-on sampling (the sampler tier decides), OTLP gRPC to the gateway
 * over mutual TLS configured by the documented OTEL_EXPORTER_OTLP_* variables,
 * http/amqplib/pg instrumentations, and a span processor that copies
 * `order.id` and `user.id` from baggage onto every span (R1, R2).
 *
 * Must run before the service module requires http, amqplib or pg.
 */
import { Context, context, propagation, SpanStatusCode, trace } from "@opentelemetry/api";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
import { CompositePropagator, W3CBaggagePropagator, W3CTraceContextPropagator } from "@opentelemetry/core";
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-grpc";
import { registerInstrumentations } from "@opentelemetry/instrumentation";
import { AmqplibInstrumentation } from "@opentelemetry/instrumentation-amqplib";
import { HttpInstrumentation } from "@opentelemetry/instrumentation-http";
import { PgInstrumentation } from "@opentelemetry/instrumentation-pg";
import { resourceFromAttributes } from "@opentelemetry/resources";
import { AlwaysOnSampler, BatchSpanProcessor, ParentBasedSampler, ReadableSpan, Span, SpanProcessor, TracerProvider } from "@opentelemetry/sdk-trace";

/** Baggage keys copied onto every span (docs/instrumentation.md section 2). */
export const COPIED_BAGGAGE = ["order.id", "user.id"] as const;

export class BaggageSpanProcessor implements SpanProcessor {
  onStart(span: Span, parentContext: Context): void {
    const baggage = propagation.getBaggage(parentContext);
    for (const key of COPIED_BAGGAGE) {
      const entry = baggage?.getEntry(key);
      if (entry) span.setAttribute(key, entry.value);
    }
  }
  onEnd(_span: ReadableSpan): void {}
  forceFlush(): Promise<void> {
    return Promise.resolve();
  }
  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}

/** Request headers the services record; the gateway deletes those outside its allow-list (authorization, cookie). */
const CAPTURED_REQUEST_HEADERS = ["accept", "content-type", "content-length", "x-request-id", "x-correlation-id", "authorization", "cookie"];
const CAPTURED_RESPONSE_HEADERS = ["content-type", "content-length"];

export function startTelemetry(serviceName: string): TracerProvider {
  const provider = new TracerProvider({
    resource: resourceFromAttributes({
      "service.name": serviceName,
      "service.version": "e2e",
      "deployment.environment.name": "e2e",
    }),
    sampler: new ParentBasedSampler({ root: new AlwaysOnSampler() }),
    spanProcessors: [
      new BaggageSpanProcessor(),
      // Endpoint, CA, client certificate and key come from OTEL_EXPORTER_OTLP_* (docs/instrumentation.md section 4).
      new BatchSpanProcessor({ exporter: new OTLPTraceExporter(), scheduledDelayMillis: 200, maxQueueSize: 8192, maxExportBatchSize: 512 }),
    ],
  });
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(new CompositePropagator({ propagators: [new W3CTraceContextPropagator(), new W3CBaggagePropagator()] }));
  trace.setGlobalTracerProvider(provider);
  registerInstrumentations({
    tracerProvider: provider,
    instrumentations: [
      new HttpInstrumentation({
        headersToSpanAttributes: {
          server: { requestHeaders: CAPTURED_REQUEST_HEADERS, responseHeaders: CAPTURED_RESPONSE_HEADERS },
          client: { requestHeaders: CAPTURED_REQUEST_HEADERS, responseHeaders: CAPTURED_RESPONSE_HEADERS },
        },
      }),
      new AmqplibInstrumentation({
        // The broker's confirm is the R2 acknowledgement: OK on ack, ERROR with error.type on nack.
        publishConfirmHook: (span, info) => {
          if (info.confirmError) span.setAttribute("error.type", "nack");
          else span.setStatus({ code: SpanStatusCode.OK });
        },
      }),
      new PgInstrumentation(),
    ],
  });
  return provider;
}
