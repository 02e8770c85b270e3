/**
 * A capture server for OTLP/gRPC logs (LogsService/Export): it decodes the
 * protobuf by hand (only the fields it needs: ResourceLogs 1 -> ScopeLogs 2
 * -> LogRecord 2 -> body 5 -> AnyValue.string_value 1) and keeps each
 * record's body, in arrival order. It can be switched to refuse exports
 * (UNAVAILABLE) or to answer slowly, to play a failing or slow upload target.
 */
import * as grpc from "@grpc/grpc-js";
import { LOGS_EXPORT_PATH, rawUnaryService, readVarint } from "./rawGrpc";

interface Field {
  readonly field: number;
  readonly bytes?: Buffer;
}


/** Top-level fields of one protobuf message (length-delimited ones with their bytes). */
function fields(buf: Buffer): Field[] {
  const out: Field[] = [];
  let pos = 0;
  while (pos < buf.length) {
    const [key, next] = readVarint(buf, pos);
    pos = next;
    const field = Math.floor(key / 8);
    const wire = key % 8;
    if (wire === 0) pos = readVarint(buf, pos)[1];
    else if (wire === 1) pos += 8;
    else if (wire === 5) pos += 4;
    else if (wire === 2) {
      const [len, start] = readVarint(buf, pos);
      out.push({ field, bytes: buf.subarray(start, start + len) });
      pos = start + len;
    } else throw new Error(`unsupported protobuf wire type ${wire}`);
  }
  return out;
}

const sub = (buf: Buffer, field: number): Buffer[] => fields(buf).flatMap((f) => (f.field === field && f.bytes ? [f.bytes] : []));

/** The string bodies of every log record in an ExportLogsServiceRequest. */
export function logBodies(request: Buffer): string[] {
  return sub(request, 1)
    .flatMap((rl) => sub(rl, 2))
    .flatMap((sl) => sub(sl, 2))
    .flatMap((lr) => sub(lr, 5))
    .flatMap((body) => sub(body, 1))
    .map((s) => s.toString("utf8"));
}

export class OtlpLogsCapture {
  readonly bodies: string[] = [];
  /** Export calls answered (accepted or refused). */
  calls = 0;
  /** When true, every export fails with UNAVAILABLE (a retryable error). */
  refuse = false;
  /** Milliseconds to wait before answering. */
  delayMs = 0;
  private readonly server = new grpc.Server();

  async start(port: number): Promise<void> {
    this.server.addService(
      rawUnaryService("Export", LOGS_EXPORT_PATH),
      {
        Export: (call: grpc.ServerUnaryCall<Buffer, Buffer>, callback: grpc.sendUnaryData<Buffer>) => {
          setTimeout(() => {
            this.calls++;
            if (this.refuse) return callback({ code: grpc.status.UNAVAILABLE, details: "capture refuses (test)" });
            this.bodies.push(...logBodies(call.request));
            callback(null, Buffer.alloc(0));
          }, this.delayMs);
        },
      },
    );
    await new Promise<void>((resolve, reject) =>
      this.server.bindAsync(`127.0.0.1:${port}`, grpc.ServerCredentials.createInsecure(), (err) => (err ? reject(err) : resolve())),
    );
  }

  stop(): Promise<void> {
    this.server.forceShutdown();
    return Promise.resolve();
  }
}
