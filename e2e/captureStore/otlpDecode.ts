/**
 * Decodes an OTLP ExportTraceServiceRequest (protobuf, as the sampler's
 * otlp_grpc exporter sends it) into OTLP/JSON's shape (ids in hex, 64-bit
 * numbers as decimal strings, enums by name), the shape Tempo's trace API
 * answers with, so e2e/harness/tempoClient.ts parseTrace reads both.
 *
 * A small protobuf walk over the fields of
 * opentelemetry/proto/{collector/trace,trace,common,resource}/v1/*.proto;
 * unknown fields are skipped, as protobuf requires. Project-owned: no
 * generated code and no dependency.
 */

type Value = bigint | Buffer;
interface Field {
  readonly no: number;
  readonly wire: number;
  readonly value: Value;
}

function readVarint(buf: Buffer, pos: number): [bigint, number] {
  let result = 0n;
  let shift = 0n;
  for (;;) {
    if (pos >= buf.length) throw new Error("truncated varint");
    const byte = buf[pos++];
    result |= BigInt(byte & 0x7f) << shift;
    if (byte < 0x80) return [result, pos];
    shift += 7n;
    if (shift > 63n) throw new Error("varint longer than 64 bits");
  }
}

/** Every field of one message, in order (repeated fields appear once per element). */
export function fields(buf: Buffer): Field[] {
  const out: Field[] = [];
  let pos = 0;
  while (pos < buf.length) {
    const [key, afterKey] = readVarint(buf, pos);
    pos = afterKey;
    const no = Number(key >> 3n);
    const wire = Number(key & 7n);
    if (wire === 0) {
      const [v, next] = readVarint(buf, pos);
      out.push({ no, wire, value: v });
      pos = next;
    } else if (wire === 1 || wire === 5) {
      const size = wire === 1 ? 8 : 4;
      if (pos + size > buf.length) throw new Error("truncated fixed field");
      out.push({ no, wire, value: buf.subarray(pos, pos + size) });
      pos += size;
    } else if (wire === 2) {
      const [len, start] = readVarint(buf, pos);
      const end = start + Number(len);
      if (end > buf.length) throw new Error("truncated length-delimited field");
      out.push({ no, wire, value: buf.subarray(start, end) });
      pos = end;
    } else {
      throw new Error(`unsupported wire type ${wire}`);
    }
  }
  return out;
}

const bytesOf = (f: Field[], no: number): Buffer[] => f.filter((x) => x.no === no && x.wire === 2).map((x) => x.value as Buffer);
const one = (f: Field[], no: number): Buffer | undefined => bytesOf(f, no).at(-1);
const text = (f: Field[], no: number): string | undefined => one(f, no)?.toString("utf8");
const varint = (f: Field[], no: number): bigint | undefined => f.filter((x) => x.no === no && x.wire === 0).map((x) => x.value as bigint).at(-1);
const fixed64 = (f: Field[], no: number): string | undefined => {
  const b = f.filter((x) => x.no === no && x.wire === 1).at(-1)?.value as Buffer | undefined;
  return b ? b.readBigUInt64LE().toString() : undefined;
};
const hex = (b: Buffer | undefined): string | undefined => (b && b.length > 0 ? b.toString("hex") : undefined);

export type JsonAnyValue =
  | { stringValue: string }
  | { boolValue: boolean }
  | { intValue: string }
  | { doubleValue: number }
  | { arrayValue: { values: JsonAnyValue[] } }
  | { kvlistValue: { values: JsonKeyValue[] } }
  | { bytesValue: string }
  | Record<string, never>;
export interface JsonKeyValue {
  key: string;
  value: JsonAnyValue;
}

function anyValue(buf: Buffer): JsonAnyValue {
  const f = fields(buf);
  const last = f.at(-1);
  if (!last) return {};
  switch (last.no) {
    case 1:
      return { stringValue: (last.value as Buffer).toString("utf8") };
    case 2:
      return { boolValue: (last.value as bigint) !== 0n };
    case 3:
      return { intValue: BigInt.asIntN(64, last.value as bigint).toString() };
    case 4:
      return { doubleValue: (last.value as Buffer).readDoubleLE() };
    case 5:
      return { arrayValue: { values: bytesOf(fields(last.value as Buffer), 1).map(anyValue) } };
    case 6:
      return { kvlistValue: { values: bytesOf(fields(last.value as Buffer), 1).map(keyValue) } };
    case 7:
      return { bytesValue: (last.value as Buffer).toString("base64") };
    default:
      return {};
  }
}

function keyValue(buf: Buffer): JsonKeyValue {
  const f = fields(buf);
  const value = one(f, 2);
  return { key: text(f, 1) ?? "", value: value ? anyValue(value) : {} };
}

const attributes = (f: Field[], no: number): JsonKeyValue[] => bytesOf(f, no).map(keyValue);

const SPAN_KINDS = ["SPAN_KIND_UNSPECIFIED", "SPAN_KIND_INTERNAL", "SPAN_KIND_SERVER", "SPAN_KIND_CLIENT", "SPAN_KIND_PRODUCER", "SPAN_KIND_CONSUMER"];
const STATUS_CODES = ["STATUS_CODE_UNSET", "STATUS_CODE_OK", "STATUS_CODE_ERROR"];

function span(buf: Buffer): Record<string, unknown> {
  const f = fields(buf);
  const status = one(f, 15);
  const statusFields = status ? fields(status) : [];
  return {
    traceId: hex(one(f, 1)),
    spanId: hex(one(f, 2)),
    traceState: text(f, 3),
    parentSpanId: hex(one(f, 4)),
    name: text(f, 5) ?? "",
    kind: SPAN_KINDS[Number(varint(f, 6) ?? 0n)] ?? "SPAN_KIND_UNSPECIFIED",
    startTimeUnixNano: fixed64(f, 7) ?? "0",
    endTimeUnixNano: fixed64(f, 8) ?? "0",
    attributes: attributes(f, 9),
    events: bytesOf(f, 11).map((e) => {
      const ef = fields(e);
      return { timeUnixNano: fixed64(ef, 1) ?? "0", name: text(ef, 2) ?? "", attributes: attributes(ef, 3) };
    }),
    links: bytesOf(f, 13).map((l) => {
      const lf = fields(l);
      return { traceId: hex(one(lf, 1)), spanId: hex(one(lf, 2)), traceState: text(lf, 3), attributes: attributes(lf, 4) };
    }),
    status: { code: STATUS_CODES[Number(varint(statusFields, 3) ?? 0n)] ?? "STATUS_CODE_UNSET", message: text(statusFields, 2) },
  };
}

/** ExportTraceServiceRequest -> `{ resourceSpans: [...] }` in OTLP/JSON form. */
export function decodeExportTraceRequest(buf: Buffer): { resourceSpans: Record<string, unknown>[] } {
  return {
    resourceSpans: bytesOf(fields(buf), 1).map((rs) => {
      const rf = fields(rs);
      const resource = one(rf, 1);
      return {
        resource: { attributes: resource ? attributes(fields(resource), 1) : [] },
        scopeSpans: bytesOf(rf, 2).map((ss) => {
          const sf = fields(ss);
          const scope = one(sf, 1);
          const scopeFields = scope ? fields(scope) : [];
          return {
            scope: { name: text(scopeFields, 1) ?? "", version: text(scopeFields, 2), attributes: attributes(scopeFields, 3) },
            spans: bytesOf(sf, 2).map(span),
          };
        }),
      };
    }),
  };
}
