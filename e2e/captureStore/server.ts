/**
 * The project-owned OTLP/gRPC capture store: the e2e trace store when no
 * Tempo binary is given (TEMPO_BIN unset). It applies the rules of Tempo's
 * OTLP receiver as render/tempoConfig.ts configures it:
 *
 * - TLS 1.3 minimum (receiver `tls.min_version: "1.3"`);
 * - a client certificate signed by the stack CA is required and verified
 *   (receiver `tls.client_ca_file`);
 * - exactly one tenant in X-Scope-OrgID (multitenancy_enabled: Tempo refuses
 *   a push without one), else UNAUTHENTICATED.
 *
 * Each accepted request is appended to a JSON-lines file BEFORE it is
 * acknowledged (so an acknowledged span is a recorded span): the tenant, the
 * client certificate's subject, the raw request (base64) and its decoded
 * spans. The tests read that file (e2e/harness/captureStore.ts).
 *
 * Usage: tsx e2e/captureStore/server.ts <host:port> <cert> <key> <ca> <out.jsonl>
 */
import * as grpc from "@grpc/grpc-js";
import { rawUnaryService, TRACE_EXPORT_PATH } from "../harness/rawGrpc";
import * as fs from "fs";
import * as https from "https";
import * as tls from "tls";
import { decodeExportTraceRequest } from "./otlpDecode";

/** grpc-js takes no TLS version option, so the process runs with node's --tls-min-v1.3 (NODE_OPTIONS); checked at start. */
export const TLS_MIN_NODE_OPTION = "--tls-min-v1.3";

/** What one line of the capture file holds. */
export interface CapturedRequest {
  /** ISO time the request was recorded. */
  readonly at: string;
  readonly tenant: string;
  /** Subject of the client certificate (e.g. CN=collector-sampler). */
  readonly client: string;
  /** The request body as sent, base64 (searched for personal data). */
  readonly raw: string;
  readonly request: ReturnType<typeof decodeExportTraceRequest>;
}

/** Tenant ids Tempo accepts (dskit tenant.ValidTenantID: at most 150 of these characters); `|` joins tenants for reads only. */
const TENANT_ID = /^[A-Za-z0-9!\-_.*'()]{1,150}$/;

function tenantOf(call: grpc.ServerUnaryCall<Buffer, Buffer>): string | undefined {
  const values = call.metadata.get("x-scope-orgid").map(String);
  if (values.length !== 1 || !TENANT_ID.test(values[0]) || values[0] === "." || values[0] === "..") return undefined;
  return values[0];
}

function clientSubject(call: grpc.ServerUnaryCall<Buffer, Buffer>): string {
  const cert = call.getAuthContext?.().sslPeerCertificate;
  const subject = cert?.subject as Record<string, string> | undefined;
  return subject ? Object.entries(subject).map(([k, v]) => `${k}=${v}`).join(",") : "";
}

/**
 * Tempo's HTTP side as far as the metrics store needs it: `/ready` and a
 * Prometheus `/metrics` over the same mutual TLS, so the `tempo` scrape and the
 * Tempo-not-ready alert see an up store in capture mode (and a down one while
 * the outage check has it stopped).
 */
function serveReadiness(listen: string, files: { certFile: string; keyFile: string; caFile: string }, accepted: () => number): void {
  const [host, port] = [listen.slice(0, listen.lastIndexOf(":")), Number(listen.slice(listen.lastIndexOf(":") + 1))];
  const server = https.createServer(
    { cert: fs.readFileSync(files.certFile), key: fs.readFileSync(files.keyFile), ca: fs.readFileSync(files.caFile), requestCert: true, rejectUnauthorized: true, minVersion: "TLSv1.3" },
    (req, res) => {
      if (req.url === "/ready") return void res.writeHead(200, { "content-type": "text/plain" }).end("ready\n");
      if (req.url === "/metrics") {
        res.writeHead(200, { "content-type": "text/plain; version=0.0.4" });
        return void res.end(`# HELP capture_store_accepted_requests_total OTLP export requests recorded.\n# TYPE capture_store_accepted_requests_total counter\ncapture_store_accepted_requests_total ${accepted()}\n`);
      }
      res.writeHead(404).end();
    },
  );
  server.listen(port, host);
}

function main(): void {
  const [listen, certFile, keyFile, caFile, outFile, httpListen] = process.argv.slice(2);
  if (!outFile) throw new Error("usage: server.ts <host:port> <cert> <key> <ca> <out.jsonl> [<http host:port>]");
  if (tls.DEFAULT_MIN_VERSION !== "TLSv1.3") throw new Error(`Error: start the capture store with NODE_OPTIONS=${TLS_MIN_NODE_OPTION} (minimum TLS is ${tls.DEFAULT_MIN_VERSION})`);
  let accepted = 0;
  if (httpListen) serveReadiness(httpListen, { certFile, keyFile, caFile }, () => accepted);
  const server = new grpc.Server();
  server.addService(
    rawUnaryService("export", TRACE_EXPORT_PATH),
    {
      export: (call: grpc.ServerUnaryCall<Buffer, Buffer>, callback: grpc.sendUnaryData<Buffer>) => {
        const tenant = tenantOf(call);
        if (!tenant) {
          callback({ code: grpc.status.UNAUTHENTICATED, details: "no org id" });
          return;
        }
        let request: CapturedRequest["request"];
        try {
          request = decodeExportTraceRequest(call.request);
        } catch (e) {
          callback({ code: grpc.status.INVALID_ARGUMENT, details: `cannot decode ExportTraceServiceRequest: ${(e as Error).message}` });
          return;
        }
        const record: CapturedRequest = { at: new Date().toISOString(), tenant, client: clientSubject(call), raw: call.request.toString("base64"), request };
        fs.appendFileSync(outFile, `${JSON.stringify(record)}\n`);
        accepted++;
        // An empty ExportTraceServiceResponse: everything accepted.
        callback(null, Buffer.alloc(0));
      },
    },
  );
  const credentials = grpc.ServerCredentials.createSsl(fs.readFileSync(caFile), [{ cert_chain: fs.readFileSync(certFile), private_key: fs.readFileSync(keyFile) }], true);
  server.bindAsync(listen, credentials, (err) => {
    if (err) {
      console.error(`Error: capture store cannot listen on ${listen}: ${err.message}`);
      process.exit(1);
    }
    console.log(`capture store listening on ${listen} (TLS 1.3, client certificate required), recording to ${outFile}`);
  });
  const stop = () => server.tryShutdown(() => process.exit(0));
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
}

if (require.main === module) main();
