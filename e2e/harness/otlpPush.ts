/**
 * One span pushed straight to a trace store's OTLP gRPC receiver (Tempo or
 * the capture store), as a sampler would: a chosen client certificate,
 * highest TLS version and X-Scope-OrgID. Resolves with whether the receiver
 * accepted it.
 */
import { credentials, Metadata } from "@grpc/grpc-js";
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-grpc";
import * as fs from "fs";
import * as tls from "tls";
import { CertFiles } from "./certs";
import { exportSpans, SpanFactory, succeeded } from "./otlpLoad";

export interface PushAttempt {
  /** Client certificate; none = TLS without a client certificate. */
  readonly client?: CertFiles;
  /** Highest TLS version the client offers. @default "TLSv1.3" */
  readonly maxTls?: "TLSv1.2" | "TLSv1.3";
  /** X-Scope-OrgID; none = header absent. */
  readonly tenant?: string;
}

export async function pushSpan(port: number, caFile: string, attempt: PushAttempt, attributes: Readonly<Record<string, string>>): Promise<boolean> {
  const ctx = tls.createSecureContext({
    ca: fs.readFileSync(caFile),
    ...(attempt.client ? { cert: fs.readFileSync(attempt.client.certFile), key: fs.readFileSync(attempt.client.keyFile) } : {}),
    maxVersion: attempt.maxTls ?? "TLSv1.3",
  });
  const metadata = new Metadata();
  if (attempt.tenant) metadata.set("X-Scope-OrgID", attempt.tenant);
  const exporter = new OTLPTraceExporter({ url: `https://127.0.0.1:${port}`, credentials: credentials.createFromSecureContext(ctx), metadata, timeoutMillis: 5000 });
  try {
    return succeeded(await exportSpans(exporter, new SpanFactory("crm-api").build([{ attributes, spans: 1 }])));
  } finally {
    await exporter.shutdown();
  }
}
