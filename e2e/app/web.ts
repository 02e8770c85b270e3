/**
 * A tiny HTTP router for the sample services. Plain node:http (instrumented
 * by instrumentation-http); the router sets the route template the way a
 * framework instrumentation would, so server spans carry `http.route` (R2).
 */
import { context, trace } from "@opentelemetry/api";
import { getRPCMetadata, RPCType } from "@opentelemetry/core";
import * as http from "http";

export interface Request {
  readonly method: string;
  readonly path: string;
  readonly query: URLSearchParams;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: unknown;
}

export interface Response {
  readonly status: number;
  readonly body?: unknown;
}

export type Handler = (req: Request) => Promise<Response>;

export interface Route {
  readonly method: string;
  /** Route template, e.g. `/orders`; matched exactly. */
  readonly route: string;
  readonly handler: Handler;
}

function readBody(req: http.IncomingMessage): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const text = Buffer.concat(chunks).toString("utf8");
      try {
        resolve(text ? JSON.parse(text) : undefined);
      } catch (e) {
        reject(e);
      }
    });
    req.on("error", reject);
  });
}

export function serve(port: number, routes: readonly Route[]): Promise<http.Server> {
  const server = http.createServer(async (req, res) => {
    const url = new URL(req.url ?? "/", "http://localhost");
    const route = routes.find((r) => r.method === req.method && r.route === url.pathname);
    let response: Response;
    try {
      if (!route) {
        response = { status: 404, body: { error: "not found" } };
      } else {
        const rpc = getRPCMetadata(context.active());
        if (rpc?.type === RPCType.HTTP) rpc.route = route.route;
        response = await route.handler({ method: req.method ?? "GET", path: url.pathname, query: url.searchParams, headers: req.headers, body: await readBody(req) });
      }
    } catch (e) {
      // Careless on purpose: exception messages may carry personal data; the gateway blanks them (R12).
      trace.getActiveSpan()?.recordException(e as Error);
      response = { status: 500, body: { error: "internal error" } };
    }
    const payload = JSON.stringify(response.body ?? {});
    res.writeHead(response.status, { "content-type": "application/json", "content-length": Buffer.byteLength(payload) });
    res.end(payload);
  });
  return new Promise((resolve) => server.listen(port, "127.0.0.1", () => resolve(server)));
}

/** JSON over HTTP to another service (instrumented: a CLIENT span, traceparent and baggage injected). */
export function callJson(url: string, body: unknown, headers: Record<string, string> = {}): Promise<{ status: number; body: any }> { // eslint-disable-line @typescript-eslint/no-explicit-any
  const payload = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = http.request(
      url,
      { method: "POST", headers: { "content-type": "application/json", "content-length": String(Buffer.byteLength(payload)), ...headers } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => {
          const text = Buffer.concat(chunks).toString("utf8");
          resolve({ status: res.statusCode ?? 0, body: text ? JSON.parse(text) : undefined });
        });
      },
    );
    req.on("error", reject);
    req.end(payload);
  });
}
