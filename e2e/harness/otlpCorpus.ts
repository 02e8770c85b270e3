/**
 * Corpus spans through the real gateway: encodes corpus traces as OTLP/JSON
 * (every attribute with its exact OTLP type: int, double, bool, array, kvlist),
 * and a capture sink that receives the gateway's loadbalancing export over
 * OTLP gRPC with mutual TLS (like a sampler pod) and decodes the protobuf back
 * into the same shape, so the judge reads exactly what would be stored.
 */
import * as grpc from "@grpc/grpc-js";
import * as fs from "fs";
import { Attributes, CorpusSpan, CorpusTrace, isList, SpanKind, Value } from "../../tests/collector/privacyCorpus";
import { CertFiles } from "./certs";

const KINDS: SpanKind[] = ["SPAN_KIND_INTERNAL", "SPAN_KIND_SERVER", "SPAN_KIND_CLIENT", "SPAN_KIND_PRODUCER", "SPAN_KIND_CONSUMER"];

/** A deterministic 8-byte span id per corpus index. */
export const corpusSpanId = (index: number) => (0x5c0000000000 + index).toString(16).padStart(16, "0");
const corpusTraceId = (index: number) => `7e57${(index + 1).toString(16).padStart(28, "0")}`;

function anyValue(v: Value): Record<string, unknown> {
  if (typeof v === "string") return { stringValue: v };
  if (typeof v === "boolean") return { boolValue: v };
  if (typeof v === "number") return Number.isInteger(v) ? { intValue: String(v) } : { doubleValue: v };
  if (isList(v)) return { arrayValue: { values: v.map(anyValue) } };
  if ("double" in v) return { doubleValue: v.double };
  return { kvlistValue: { values: keyValues(v.kvlist) } };
}
const keyValues = (a: Readonly<Record<string, Value>>) => Object.entries(a).map(([key, value]) => ({ key, value: anyValue(value) }));

/** One ExportTraceServiceRequest (OTLP/JSON) with one resource, scope and span per corpus trace. */
export function corpusRequest(traces: readonly CorpusTrace[]): string {
  const now = BigInt(Date.now()) * 1_000_000n;
  return JSON.stringify({
    resourceSpans: traces.map((t, i) => ({
      resource: { attributes: keyValues(t.resource) },
      scopeSpans: [
        {
          scope: { name: "privacy-corpus", version: "1", attributes: keyValues(t.scope) },
          spans: [
            {
              traceId: corpusTraceId(i),
              spanId: corpusSpanId(i),
              traceState: t.span.traceState,
              name: t.span.name,
              kind: KINDS.indexOf(t.span.kind) + 1,
              startTimeUnixNano: String(now - 5_000_000n),
              endTimeUnixNano: String(now),
              attributes: keyValues(t.span.attributes),
              events: t.span.events.map((e) => ({ timeUnixNano: String(now - 1_000_000n), name: e.name, attributes: keyValues(e.attributes) })),
              links: t.span.links.map((l) => ({ traceId: l.traceId, spanId: l.spanId, attributes: keyValues(l.attributes) })),
              status: t.span.statusMessage ? { code: 2, message: t.span.statusMessage } : {},
            },
          ],
        },
      ],
    })),
  });
}

// ------------------------------------------------------------------ protobuf decoding
interface Field {
  readonly no: number;
  readonly bytes?: Buffer;
  readonly varint?: bigint;
  readonly fixed64?: Buffer;
}

function varint(buf: Buffer, pos: number): [bigint, number] {
  let result = 0n;
  let shift = 0n;
  for (;;) {
    const byte = buf[pos++];
    result |= BigInt(byte & 0x7f) << shift;
    if (byte < 0x80) return [result, pos];
    shift += 7n;
  }
}

function fields(buf: Buffer): Field[] {
  const out: Field[] = [];
  let pos = 0;
  while (pos < buf.length) {
    const [key, after] = varint(buf, pos);
    pos = after;
    const no = Number(key >> 3n);
    const wire = Number(key & 7n);
    if (wire === 0) {
      const [v, next] = varint(buf, pos);
      out.push({ no, varint: v });
      pos = next;
    } else if (wire === 1) {
      out.push({ no, fixed64: buf.subarray(pos, pos + 8) });
      pos += 8;
    } else if (wire === 5) pos += 4;
    else if (wire === 2) {
      const [len, start] = varint(buf, pos);
      out.push({ no, bytes: buf.subarray(start, start + Number(len)) });
      pos = start + Number(len);
    } else throw new Error(`unsupported protobuf wire type ${wire}`);
  }
  return out;
}

const sub = (buf: Buffer, no: number) => fields(buf).filter((f) => f.no === no && f.bytes).map((f) => f.bytes as Buffer);
const str = (buf: Buffer, no: number) => sub(buf, no)[0]?.toString("utf8") ?? "";

function decodeValue(buf: Buffer): Value {
  const [f] = fields(buf);
  if (!f) return "";
  switch (f.no) {
    case 1:
      return (f.bytes as Buffer).toString("utf8");
    case 2:
      return f.varint === 1n;
    case 3:
      return Number(BigInt.asIntN(64, f.varint as bigint));
    case 4: {
      const d = (f.fixed64 as Buffer).readDoubleLE(0);
      return Number.isInteger(d) ? { double: d } : d;
    }
    case 5:
      return sub(f.bytes as Buffer, 1).map(decodeValue);
    case 6:
      return { kvlist: decodeAttributes(f.bytes as Buffer, 1) };
    default:
      return (f.bytes as Buffer).toString("base64");
  }
}

function decodeAttributes(buf: Buffer, no: number): Attributes {
  return Object.fromEntries(sub(buf, no).map((kv) => [str(kv, 1), decodeValue(sub(kv, 2)[0] ?? Buffer.alloc(0))]));
}

function decodeSpan(buf: Buffer): CorpusSpan & { spanId: string } {
  const kind = Number(fields(buf).find((f) => f.no === 6)?.varint ?? 0n);
  const status = sub(buf, 15)[0];
  return {
    spanId: (sub(buf, 2)[0] ?? Buffer.alloc(0)).toString("hex"),
    traceState: str(buf, 3),
    name: str(buf, 5),
    kind: KINDS[kind - 1] ?? "SPAN_KIND_INTERNAL",
    attributes: decodeAttributes(buf, 9),
    events: sub(buf, 11).map((e) => ({ name: str(e, 2), attributes: decodeAttributes(e, 3) })),
    links: sub(buf, 13).map((l) => ({ traceId: (sub(l, 1)[0] ?? Buffer.alloc(0)).toString("hex"), spanId: (sub(l, 2)[0] ?? Buffer.alloc(0)).toString("hex"), attributes: decodeAttributes(l, 4) })),
    statusMessage: status ? str(status, 2) : "",
  };
}

/** Every span of an ExportTraceServiceRequest with its resource and scope attributes, keyed by span id. */
export function decodeExport(request: Buffer): Map<string, CorpusTrace> {
  const out = new Map<string, CorpusTrace>();
  for (const rs of sub(request, 1)) {
    const resource = sub(rs, 1)[0];
    for (const ss of sub(rs, 2)) {
      const scope = sub(ss, 1)[0];
      for (const s of sub(ss, 2)) {
        const { spanId, ...span } = decodeSpan(s);
        out.set(spanId, { resource: resource ? decodeAttributes(resource, 1) : {}, scope: scope ? decodeAttributes(scope, 3) : {}, span });
      }
    }
  }
  return out;
}

const identity = (b: Buffer) => b;

/** Receives OTLP gRPC exports over mutual TLS and keeps every decoded span. */
export class CaptureSink {
  readonly spans = new Map<string, CorpusTrace>();
  private readonly server = new grpc.Server();

  async start(port: number, tls: CertFiles): Promise<void> {
    const method = { path: "/opentelemetry.proto.collector.trace.v1.TraceService/Export", requestStream: false, responseStream: false, requestSerialize: identity, requestDeserialize: identity, responseSerialize: identity, responseDeserialize: identity };
    this.server.addService({ export: method }, {
      export: (call: grpc.ServerUnaryCall<Buffer, Buffer>, callback: grpc.sendUnaryData<Buffer>) => {
        for (const [id, trace] of decodeExport(call.request)) this.spans.set(id, trace);
        callback(null, Buffer.alloc(0));
      },
    });
    const credentials = grpc.ServerCredentials.createSsl(fs.readFileSync(tls.caFile), [{ cert_chain: fs.readFileSync(tls.certFile), private_key: fs.readFileSync(tls.keyFile) }], true);
    await new Promise<void>((resolve, reject) => this.server.bindAsync(`127.0.0.1:${port}`, credentials, (err) => (err ? reject(err) : resolve())));
  }

  stop(): void {
    this.server.forceShutdown();
  }
}
