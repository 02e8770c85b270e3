/**
 * The capture store's protobuf decoder against the real OpenTelemetry JS
 * serializers: the same SDK spans encoded as OTLP protobuf (what an OTLP gRPC
 * exporter sends) and as OTLP/JSON must decode to the same content.
 */
import { SpanKind, SpanStatusCode, ROOT_CONTEXT, trace } from "@opentelemetry/api";
import { JsonTraceSerializer, ProtobufTraceSerializer } from "@opentelemetry/otlp-transformer";
import { resourceFromAttributes } from "@opentelemetry/resources";
import { InMemorySpanExporter, ReadableSpan, SimpleSpanProcessor, TracerProvider } from "@opentelemetry/sdk-trace";
import { decodeExportTraceRequest, fields } from "../../e2e/captureStore/otlpDecode";
import { parseTrace } from "../../e2e/harness/tempoClient";

function realSpans(): ReadableSpan[] {
  const memory = new InMemorySpanExporter();
  const provider = new TracerProvider({
    resource: resourceFromAttributes({ "service.name": "crm-api", "host.cores": 2 }),
    spanProcessors: [new SimpleSpanProcessor({ exporter: memory })],
  });
  const tracer = provider.getTracer("decode-test", "1.2.3");
  const root = tracer.startSpan("POST /orders", { kind: SpanKind.SERVER, attributes: { "order.id": "ord-1", "http.response.status_code": 202, ratio: 0.25, ok: true, "big.negative": -5, "http.request.header.accept": ["application/json", "text/plain"] } }, ROOT_CONTEXT);
  const publish = tracer.startSpan("orders publish", { kind: SpanKind.PRODUCER, attributes: { "messaging.system": "rabbitmq" } }, trace.setSpan(ROOT_CONTEXT, root));
  publish.addEvent("nack", { "error.type": "nack" });
  publish.setStatus({ code: SpanStatusCode.ERROR, message: "broker refused" });
  publish.end();
  root.setStatus({ code: SpanStatusCode.OK });
  root.end();
  return memory.getFinishedSpans() as ReadableSpan[];
}

describe("OTLP protobuf decoder (capture store)", () => {
  const spans = realSpans();
  const proto = Buffer.from(ProtobufTraceSerializer.serializeRequest(spans) as Uint8Array);
  const json = Buffer.from(JsonTraceSerializer.serializeRequest(spans) as Uint8Array).toString("utf8");
  const fromProto = parseTrace(JSON.stringify(decodeExportTraceRequest(proto)));
  // OTLP/JSON writes enums as numbers; Tempo's API (and the decoder) by name.
  const KINDS = ["SPAN_KIND_UNSPECIFIED", "SPAN_KIND_INTERNAL", "SPAN_KIND_SERVER", "SPAN_KIND_CLIENT", "SPAN_KIND_PRODUCER", "SPAN_KIND_CONSUMER"];
  const CODES = ["STATUS_CODE_UNSET", "STATUS_CODE_OK", "STATUS_CODE_ERROR"];
  const fromJson = {
    spans: parseTrace(json).spans.map((s) => ({ ...s, kind: KINDS[Number(s.kind)] ?? s.kind, status: CODES[Number(s.status)] ?? s.status })),
  };

  it("decodes what the real protobuf serializer wrote to the same spans as its JSON serializer", () => {
    expect(fromProto.spans).toHaveLength(2);
    expect(fromProto.spans).toEqual(fromJson.spans);
  });

  it("keeps kinds, parent links, statuses, events and typed attributes", () => {
    const root = fromProto.spans.find((s) => s.kind === "SPAN_KIND_SERVER");
    const publish = fromProto.spans.find((s) => s.kind === "SPAN_KIND_PRODUCER");
    expect(root?.attributes).toEqual({ "order.id": "ord-1", "http.response.status_code": 202, ratio: 0.25, ok: true, "big.negative": -5, "http.request.header.accept": ["application/json", "text/plain"] });
    expect(root?.resource["service.name"]).toBe("crm-api");
    expect(root?.service).toBe("crm-api");
    expect(root?.status).toBe("STATUS_CODE_OK");
    expect(publish?.parentSpanId).toBe(root?.spanId);
    expect(publish?.traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(publish?.status).toBe("STATUS_CODE_ERROR");
    expect(publish?.statusMessage).toBe("broker refused");
    expect(publish?.events).toEqual([{ name: "nack", attributes: { "error.type": "nack" } }]);
    expect(publish?.startNs).toBeGreaterThan(0n);
  });

  it("skips unknown fields and rejects truncated input", () => {
    // Field 99 (varint) before the real content: ignored.
    const withUnknown = Buffer.concat([Buffer.from([0x98, 0x06, 0x01]), proto]);
    expect(parseTrace(JSON.stringify(decodeExportTraceRequest(withUnknown))).spans).toEqual(fromProto.spans);
    expect(() => fields(proto.subarray(0, proto.length - 3))).toThrow(/truncated/);
  });
});
