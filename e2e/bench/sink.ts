/**
 * A tiny OTLP/gRPC trace sink for the benchmark: serves TraceService/Export
 * over mutual TLS (like Tempo's receiver), counts spans with a minimal
 * protobuf walk and answers with an empty ExportTraceServiceResponse.
 */
import * as grpc from "@grpc/grpc-js";
import { rawUnaryService, readVarint, TRACE_EXPORT_PATH } from "../harness/rawGrpc";
import * as fs from "fs";
import { CertFiles } from "../harness/certs";


/** Calls `onField(fieldNumber, bytes)` for each length-delimited field of a message; skips the others. */
function forEachBytesField(buf: Buffer, onField: (field: number, value: Buffer) => void): void {
  let pos = 0;
  while (pos < buf.length) {
    const [key, afterKey] = readVarint(buf, pos);
    pos = afterKey;
    const field = Math.floor(key / 8);
    const wire = key & 7;
    if (wire === 0) pos = readVarint(buf, pos)[1];
    else if (wire === 1) pos += 8;
    else if (wire === 5) pos += 4;
    else if (wire === 2) {
      const [len, start] = readVarint(buf, pos);
      onField(field, buf.subarray(start, start + len));
      pos = start + len;
    } else throw new Error(`unsupported wire type ${wire}`);
  }
}

/** Spans in an ExportTraceServiceRequest: resource_spans(1) -> scope_spans(2) -> spans(2). */
export function countSpans(request: Buffer): number {
  let spans = 0;
  forEachBytesField(request, (f, resourceSpans) => {
    if (f !== 1) return;
    forEachBytesField(resourceSpans, (g, scopeSpans) => {
      if (g !== 2) return;
      forEachBytesField(scopeSpans, (h) => {
        if (h === 2) spans++;
      });
    });
  });
  return spans;
}

export class OtlpSink {
  spans = 0;
  requests = 0;
  private readonly server = new grpc.Server();

  async start(port: number, tls: CertFiles): Promise<void> {
    this.server.addService(
      rawUnaryService("export", TRACE_EXPORT_PATH),
      {
        export: (call: grpc.ServerUnaryCall<Buffer, Buffer>, callback: grpc.sendUnaryData<Buffer>) => {
          this.requests++;
          this.spans += countSpans(call.request);
          callback(null, Buffer.alloc(0));
        },
      },
    );
    const credentials = grpc.ServerCredentials.createSsl(fs.readFileSync(tls.caFile), [{ cert_chain: fs.readFileSync(tls.certFile), private_key: fs.readFileSync(tls.keyFile) }], true);
    await new Promise<void>((resolve, reject) => this.server.bindAsync(`127.0.0.1:${port}`, credentials, (err) => (err ? reject(err) : resolve())));
  }

  stop(): Promise<void> {
    return new Promise((resolve) => this.server.tryShutdown(() => resolve()));
  }
}
