/**
 * Reads what Tempo stored, through its HTTP API over mutual TLS with an
 * explicit tenant (X-Scope-OrgID; `a|b` reads several tenants), and turns
 * OTLP JSON into flat spans that tests can assert on. `find` is the
 * store-neutral lookup (e2e/harness/traceStore.ts), done here with TraceQL.
 */
import { CertFiles } from "./certs";
import { sleep } from "./supervisor";
import { request } from "./tlsHttp";

export type AttributeValue = string | number | boolean | AttributeValue[] | undefined;

export interface StoredSpan {
  readonly traceId: string;
  readonly spanId: string;
  readonly parentSpanId?: string;
  readonly name: string;
  /** e.g. SPAN_KIND_SERVER */
  readonly kind: string;
  /** e.g. STATUS_CODE_OK, STATUS_CODE_ERROR, or STATUS_CODE_UNSET */
  readonly status: string;
  readonly statusMessage?: string;
  readonly startNs: bigint;
  readonly endNs: bigint;
  readonly service: string;
  readonly resource: Readonly<Record<string, AttributeValue>>;
  readonly attributes: Readonly<Record<string, AttributeValue>>;
  readonly events: readonly { readonly name: string; readonly attributes: Readonly<Record<string, AttributeValue>> }[];
}

export interface StoredTrace {
  readonly spans: readonly StoredSpan[];
  /** The response body as Tempo sent it: searched for personal data. */
  readonly raw: string;
}

export interface SearchHit {
  readonly traceID: string;
  readonly rootServiceName?: string;
  /** Spans of the trace that matched the query (all of them when spss is large enough). */
  readonly matched: number;
}

interface OtlpAnyValue {
  stringValue?: string;
  intValue?: string | number;
  doubleValue?: number;
  boolValue?: boolean;
  arrayValue?: { values?: OtlpAnyValue[] };
}
interface OtlpKeyValue {
  key: string;
  value: OtlpAnyValue;
}

function value(v: OtlpAnyValue | undefined): AttributeValue {
  if (!v) return undefined;
  if (v.stringValue !== undefined) return v.stringValue;
  if (v.intValue !== undefined) return Number(v.intValue);
  if (v.doubleValue !== undefined) return v.doubleValue;
  if (v.boolValue !== undefined) return v.boolValue;
  if (v.arrayValue) return (v.arrayValue.values ?? []).map(value);
  return undefined;
}

function attributes(list: OtlpKeyValue[] | undefined): Record<string, AttributeValue> {
  return Object.fromEntries((list ?? []).map((kv) => [kv.key, value(kv.value)]));
}

/** Tempo's JSON carries ids as base64 (protobuf bytes) or hex depending on the endpoint; tests use hex. */
export function hexId(id: string | undefined): string | undefined {
  if (!id) return undefined;
  if (/^[0-9a-f]+$/i.test(id) && (id.length === 16 || id.length === 32)) return id.toLowerCase();
  return Buffer.from(id, "base64").toString("hex");
}

/* eslint-disable @typescript-eslint/no-explicit-any */
export function parseTrace(body: string): StoredTrace {
  const json = JSON.parse(body) as any;
  const batches: any[] = json.batches ?? json.resourceSpans ?? json.trace?.resourceSpans ?? [];
  const spans: StoredSpan[] = [];
  for (const batch of batches) {
    const resource = attributes(batch.resource?.attributes);
    for (const scope of batch.scopeSpans ?? batch.instrumentationLibrarySpans ?? []) {
      for (const s of scope.spans ?? []) {
        spans.push({
          traceId: hexId(s.traceId) as string,
          spanId: hexId(s.spanId) as string,
          parentSpanId: hexId(s.parentSpanId),
          name: s.name,
          kind: s.kind ?? "SPAN_KIND_UNSPECIFIED",
          status: s.status?.code ?? "STATUS_CODE_UNSET",
          statusMessage: s.status?.message,
          startNs: BigInt(s.startTimeUnixNano ?? 0),
          endNs: BigInt(s.endTimeUnixNano ?? 0),
          service: String(resource["service.name"] ?? ""),
          resource,
          attributes: attributes(s.attributes),
          events: (s.events ?? []).map((e: any) => ({ name: e.name, attributes: attributes(e.attributes) })),
        });
      }
    }
  }
  return { spans, raw: body };
}
/* eslint-enable @typescript-eslint/no-explicit-any */

/** A span attribute condition: equal to, or containing, a string. */
export interface SpanMatch {
  readonly attribute: string;
  readonly equals?: string;
  readonly contains?: string;
}

export interface FindOptions {
  readonly limit?: number;
  /** Only traces stored in the last this many seconds. @default 3600 */
  readonly sinceSeconds?: number;
  /** Matching spans counted per trace (Tempo's spss). @default 3 */
  readonly spansPerTrace?: number;
}

const quoted = (v: string) => JSON.stringify(v);
const regexEscape = (v: string) => v.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** The TraceQL of a SpanMatch: `{ span.a = "v" }`, `{ span.a =~ ".*v.*" }`, or `{ }` for any span. */
export function traceqlOf(match: SpanMatch | undefined): string {
  if (!match) return "{ }";
  if (match.equals !== undefined) return `{ span.${match.attribute} = ${quoted(match.equals)} }`;
  return `{ span.${match.attribute} =~ ${quoted(`.*${regexEscape(match.contains ?? "")}.*`)} }`;
}

export class TempoClient {
  readonly mode = "tempo" as const;
  private readonly base: string;

  constructor(
    httpPort: number,
    private readonly tls: CertFiles,
  ) {
    this.base = `https://127.0.0.1:${httpPort}`;
  }

  /** The full trace as stored in `tenant`, or undefined when Tempo has none. */
  async trace(tenant: string, traceId: string): Promise<StoredTrace | undefined> {
    const res = await request(`${this.base}/api/traces/${traceId}`, { tls: this.tls, headers: { "X-Scope-OrgID": tenant } });
    if (res.status === 404) return undefined;
    if (res.status !== 200) throw new Error(`GET /api/traces/${traceId} (tenant ${tenant}): HTTP ${res.status} ${res.body.slice(0, 300)}`);
    const parsed = parseTrace(res.body);
    return parsed.spans.length > 0 ? parsed : undefined;
  }

  /** TraceQL search over the last `sinceSeconds` (ingesters and backend blocks). */
  async search(tenant: string, traceql: string, options: { limit?: number; spss?: number; sinceSeconds?: number } = {}): Promise<SearchHit[]> {
    const end = Math.ceil(Date.now() / 1000) + 60;
    const start = end - (options.sinceSeconds ?? 3600) - 60;
    const params = new URLSearchParams({ q: traceql, limit: String(options.limit ?? 1000), spss: String(options.spss ?? 3), start: String(start), end: String(end) });
    const res = await request(`${this.base}/api/search?${params}`, { tls: this.tls, headers: { "X-Scope-OrgID": tenant } });
    if (res.status !== 200) throw new Error(`search ${traceql} (tenant ${tenant}): HTTP ${res.status} ${res.body.slice(0, 300)}`);
    const json = JSON.parse(res.body) as { traces?: { traceID: string; rootServiceName?: string; spanSets?: { matched?: number }[]; spanSet?: { matched?: number } }[] };
    return (json.traces ?? []).map((t) => ({
      traceID: hexId(t.traceID.padStart(32, "0")) as string,
      rootServiceName: t.rootServiceName,
      matched: Math.max(0, ...(t.spanSets ?? (t.spanSet ? [t.spanSet] : [])).map((s) => s.matched ?? 0)),
    }));
  }

  /** Traces in `tenant` with a span that matches (TraceQL). */
  find(tenant: string, match: SpanMatch | undefined, options: FindOptions = {}): Promise<SearchHit[]> {
    return this.search(tenant, traceqlOf(match), { limit: options.limit, spss: options.spansPerTrace, sinceSeconds: options.sinceSeconds });
  }

  /** Polls until the trace exists in `tenant` and `complete` accepts it; fails with what was last seen. */
  waitForTrace(tenant: string, traceId: string, complete: (t: StoredTrace) => boolean, timeoutMs: number): Promise<StoredTrace> {
    return pollTrace(this, tenant, traceId, complete, timeoutMs);
  }

}

/** Polls `store.trace` until the trace exists in `tenant` and `complete` accepts it; fails with what was last seen. */
export async function pollTrace(
  store: { trace(tenant: string, traceId: string): Promise<StoredTrace | undefined> },
  tenant: string,
  traceId: string,
  complete: (t: StoredTrace) => boolean,
  timeoutMs: number,
): Promise<StoredTrace> {
  const deadline = Date.now() + timeoutMs;
  let last: StoredTrace | undefined;
  for (;;) {
    last = await store.trace(tenant, traceId);
    if (last && complete(last)) return last;
    if (Date.now() > deadline) {
      const seen = last ? last.spans.map((s) => `${s.service}:${s.name}`).join(", ") : "nothing";
      throw new Error(`trace ${traceId} incomplete in tenant ${tenant} after ${timeoutMs} ms; stored: ${seen}`);
    }
    await sleep(1000);
  }
}
