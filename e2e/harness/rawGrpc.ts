/**
 * What the e2e tier's hand-written OTLP servers share: a unary gRPC method
 * that passes the protobuf bytes through untouched (each server decodes only
 * the fields it needs), and the protobuf varint reader.
 */
import type * as grpc from "@grpc/grpc-js";

const identity = (b: Buffer) => b;

/** A service definition with one unary method `name` at `path` whose request and response are raw bytes. */
export function rawUnaryService(name: string, path: string): grpc.ServiceDefinition {
  return {
    [name]: {
      path,
      requestStream: false,
      responseStream: false,
      requestSerialize: identity,
      requestDeserialize: identity,
      responseSerialize: identity,
      responseDeserialize: identity,
    },
  };
}

export const TRACE_EXPORT_PATH = "/opentelemetry.proto.collector.trace.v1.TraceService/Export";
export const LOGS_EXPORT_PATH = "/opentelemetry.proto.collector.logs.v1.LogsService/Export";

/** Reads a base-128 varint at `pos`; returns [value, next position]. Values above 2^53 lose precision. */
export function readVarint(buf: Buffer, pos: number): [number, number] {
  let value = 0;
  let shift = 0;
  for (;;) {
    const b = buf[pos++];
    value += (b & 0x7f) * 2 ** shift;
    if (b < 0x80) return [value, pos];
    shift += 7;
  }
}
