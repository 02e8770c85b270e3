/**
 * Waits until an HTTPS health endpoint answers through its DNS name, trusting
 * only the given CA: the logic of the dynamic resource the Grafana provider
 * depends on (reachability.ts). A new internal NLB needs minutes before its
 * targets pass health checks and its name resolves, so connection errors,
 * unknown names and non-200 answers are retried until the deadline; a
 * certificate the CA does not accept never fixes itself, so it fails at once.
 *
 * Plain Node (https only, no Pulumi): Pulumi serializes this code into the
 * dynamic provider, and tests run it against real local HTTPS servers.
 */
import * as https from "https";

export interface HttpsHealthCheck {
  /** DNS name the server is reached by, also the name its certificate must carry (tracing:grafanaHostname). */
  readonly hostname: string;
  /** TCP port. @default 443 */
  readonly port?: number;
  /** Request path. @default "/api/health" */
  readonly path?: string;
  /** PEM of the CA that issued the server certificate (the stack CA): the only trust anchor. */
  readonly caCertPem: string;
  /** Give up after this many seconds. @default 900 */
  readonly timeoutSeconds?: number;
  /** Seconds between attempts. @default 10 */
  readonly intervalSeconds?: number;
  /** Seconds one attempt may take. @default 10 */
  readonly attemptTimeoutSeconds?: number;
  /** Progress messages (one per failed attempt). @default no output */
  readonly log?: (message: string) => void;
}

export interface HttpsHealthResult {
  readonly attempts: number;
  readonly elapsedSeconds: number;
}

/**
 * Node's certificate verification error codes (OpenSSL X509_V_ERR_* names plus
 * Node's own name check): an answer with one of these is final.
 */
export const CERTIFICATE_ERROR_CODES: readonly string[] = [
  "UNABLE_TO_GET_ISSUER_CERT", "UNABLE_TO_GET_CRL", "UNABLE_TO_DECRYPT_CERT_SIGNATURE", "UNABLE_TO_DECRYPT_CRL_SIGNATURE",
  "UNABLE_TO_DECODE_ISSUER_PUBLIC_KEY", "CERT_SIGNATURE_FAILURE", "CRL_SIGNATURE_FAILURE", "CERT_NOT_YET_VALID", "CERT_HAS_EXPIRED",
  "CRL_NOT_YET_VALID", "CRL_HAS_EXPIRED", "ERROR_IN_CERT_NOT_BEFORE_FIELD", "ERROR_IN_CERT_NOT_AFTER_FIELD",
  "ERROR_IN_CRL_LAST_UPDATE_FIELD", "ERROR_IN_CRL_NEXT_UPDATE_FIELD", "DEPTH_ZERO_SELF_SIGNED_CERT", "SELF_SIGNED_CERT_IN_CHAIN",
  "UNABLE_TO_GET_ISSUER_CERT_LOCALLY", "UNABLE_TO_VERIFY_LEAF_SIGNATURE", "CERT_CHAIN_TOO_LONG", "CERT_REVOKED", "INVALID_CA",
  "PATH_LENGTH_EXCEEDED", "INVALID_PURPOSE", "CERT_UNTRUSTED", "CERT_REJECTED", "HOSTNAME_MISMATCH", "ERR_TLS_CERT_ALTNAME_INVALID",
];

type Attempt = { readonly ok: true } | { readonly ok: false; readonly reason: string; readonly certificateError?: string };

function attempt(check: HttpsHealthCheck, port: number, path: string, timeoutMs: number): Promise<Attempt> {
  return new Promise((resolve) => {
    const request = https.get(
      // agent: false: a fresh connection (and DNS lookup) every attempt; ca: the stack CA only.
      { host: check.hostname, servername: check.hostname, port, path, ca: check.caCertPem, agent: false, timeout: timeoutMs, minVersion: "TLSv1.2" },
      (response) => {
        let body = "";
        response.setEncoding("utf8");
        response.on("data", (chunk: string) => {
          if (body.length < 65536) body += chunk;
        });
        response.on("end", () => {
          if (response.statusCode !== 200) return resolve({ ok: false, reason: `HTTP ${response.statusCode}` });
          let database: unknown;
          try {
            database = (JSON.parse(body) as { database?: unknown }).database;
          } catch {
            return resolve({ ok: false, reason: "HTTP 200 with a body that is not JSON" });
          }
          resolve(database === "ok" ? { ok: true } : { ok: false, reason: `HTTP 200 but database is ${JSON.stringify(database)}` });
        });
        response.on("error", (err: NodeJS.ErrnoException) => resolve({ ok: false, reason: `${err.code ?? "error"}: ${err.message}` }));
      },
    );
    request.on("timeout", () => request.destroy(Object.assign(new Error(`no answer within ${timeoutMs} ms`), { code: "ETIMEDOUT" })));
    request.on("error", (err: NodeJS.ErrnoException) => {
      const code = err.code ?? "error";
      resolve({ ok: false, reason: `${code}: ${err.message}`, certificateError: CERTIFICATE_ERROR_CODES.includes(code) ? code : undefined });
    });
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Resolves once the endpoint answers 200 with `"database": "ok"`; rejects at once on a certificate error, or at the deadline. */
export async function waitForHttpsHealth(check: HttpsHealthCheck): Promise<HttpsHealthResult> {
  const port = check.port ?? 443;
  const path = check.path ?? "/api/health";
  const timeoutMs = (check.timeoutSeconds ?? 900) * 1000;
  const intervalMs = (check.intervalSeconds ?? 10) * 1000;
  const attemptMs = (check.attemptTimeoutSeconds ?? 10) * 1000;
  const url = `https://${check.hostname}${port === 443 ? "" : `:${port}`}${path}`;
  const start = Date.now();
  const deadline = start + timeoutMs;
  for (let attempts = 1; ; attempts++) {
    // The last attempt still gets a second, so the final error is the server's, not a cut-off.
    const result = await attempt(check, port, path, Math.min(attemptMs, Math.max(1000, deadline - Date.now())));
    const elapsedSeconds = Math.round((Date.now() - start) / 100) / 10;
    if (result.ok) return { attempts, elapsedSeconds };
    if (result.certificateError) {
      throw new Error(
        `${url} presents a certificate the stack CA does not accept (${result.reason}). Waiting does not fix this: ` +
          `check that ${check.hostname} resolves to Grafana's internal load balancer and not to another service, ` +
          `and that Grafana serves the stack's certificate (Secret grafana-tls, issued for ${check.hostname}).`,
      );
    }
    check.log?.(`${url}: attempt ${attempts} after ${elapsedSeconds} s: ${result.reason}`);
    const remaining = deadline - Date.now();
    if (remaining > 0) await sleep(Math.min(intervalMs, remaining));
    if (Date.now() >= deadline) {
      throw new Error(
        `${url} did not answer healthy within ${timeoutMs / 1000} s (${attempts} attempts; last: ${result.reason}). ` +
          `Check that ${check.hostname} resolves from where pulumi runs (the private hosted zone's record), that the NLB's targets are healthy, ` +
          `and that tracing:deployerCidrs contains the runner's address.`,
      );
    }
  }
}
