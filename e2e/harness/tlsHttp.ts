/** HTTPS requests with client certificates (Tempo's query API, health endpoints, the apps). */
import * as fs from "fs";
import * as https from "https";
import * as http from "http";
import { CertFiles, readPem } from "./certs";

export interface HttpResult {
  readonly status: number;
  readonly body: string;
  readonly headers: http.IncomingHttpHeaders;
}

export interface RequestOptions {
  readonly method?: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string;
  /** Client identity; `caOnly` verifies the server without presenting a certificate. */
  readonly tls?: CertFiles | { readonly caOnly: string };
  /** Name to verify the server certificate against. @default the URL's host */
  readonly servername?: string;
  readonly timeoutMs?: number;
}

export function request(url: string, options: RequestOptions = {}): Promise<HttpResult> {
  const target = new URL(url);
  const isHttps = target.protocol === "https:";
  let tlsOptions: https.RequestOptions = {};
  if (isHttps && options.tls) {
    if ("caOnly" in options.tls) {
      tlsOptions = { ca: fs.readFileSync(options.tls.caOnly) };
    } else {
      const pem = readPem(options.tls);
      tlsOptions = { ca: pem.ca, cert: pem.cert, key: pem.key };
    }
  }
  return new Promise((resolve, reject) => {
    const req = (isHttps ? https : http).request(
      target,
      {
        method: options.method ?? "GET",
        headers: { ...(options.body !== undefined ? { "content-type": "application/json", "content-length": String(Buffer.byteLength(options.body)) } : {}), ...options.headers },
        ...tlsOptions,
        servername: options.servername,
        agent: false,
        timeout: options.timeoutMs ?? 30_000,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8"), headers: res.headers }));
        res.on("error", reject);
      },
    );
    req.on("timeout", () => req.destroy(new Error(`${options.method ?? "GET"} ${url} timed out`)));
    req.on("error", reject);
    if (options.body !== undefined) req.write(options.body);
    req.end();
  });
}
