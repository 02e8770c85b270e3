/**
 * The capture store of the e2e runs (TEMPO_BIN unset): starts
 * e2e/captureStore/server.ts as its own process (so the outage check can stop
 * and restart it like Tempo) and reads what it recorded: exactly the requests
 * the samplers sent to "Tempo", with their X-Scope-OrgID. Reads follow Tempo's
 * semantics where the tests rely on them: `a|b` reads several tenants, a trace
 * is the union of its spans (a span re-sent after a retry counts once).
 */
import * as fs from "fs";
import * as path from "path";
import { CapturedRequest, TLS_MIN_NODE_OPTION } from "../captureStore/server";
import { CertFiles } from "./certs";
import { REPO_ROOT, TSX } from "./paths";
import { ManagedProcess, Supervisor, waitForLog } from "./supervisor";
import { FindOptions, parseTrace, pollTrace, SearchHit, SpanMatch, StoredSpan, StoredTrace } from "./tempoClient";

const SERVER = path.join(REPO_ROOT, "e2e", "captureStore", "server.ts");

export interface CaptureStoreOptions {
  readonly otlpGrpcPort: number;
  /** Where `/ready` and `/metrics` answer over the same mutual TLS (Tempo's HTTP port). */
  readonly httpPort: number;
  /** The server certificate (Tempo's) and the CA that client certificates must chain to. */
  readonly tls: CertFiles;
  /** JSON-lines file the requests are appended to. */
  readonly file: string;
}

export async function startCaptureStore(supervisor: Supervisor, o: CaptureStoreOptions, name = "capture-store"): Promise<ManagedProcess> {
  const p = supervisor.start({
    name,
    command: TSX,
    args: [SERVER, `127.0.0.1:${o.otlpGrpcPort}`, o.tls.certFile, o.tls.keyFile, o.tls.caFile, o.file, `127.0.0.1:${o.httpPort}`],
    env: { NODE_OPTIONS: TLS_MIN_NODE_OPTION },
  });
  await waitForLog(p, /capture store listening/, 30_000);
  return p;
}

interface Captured {
  readonly at: number;
  readonly tenant: string;
  readonly client: string;
  readonly raw: string;
  readonly spans: readonly StoredSpan[];
}

/** Reads the capture file incrementally (only bytes appended since the last read). */
export class CaptureStoreReader {
  readonly mode = "capture" as const;
  private readonly records: Captured[] = [];
  private offset = 0;
  private partial = "";

  constructor(readonly file: string) {}

  /** Every request recorded so far, oldest first. */
  requests(): readonly Captured[] {
    if (!fs.existsSync(this.file)) return this.records;
    const size = fs.statSync(this.file).size;
    if (size > this.offset) {
      const fd = fs.openSync(this.file, "r");
      const buf = Buffer.alloc(size - this.offset);
      fs.readSync(fd, buf, 0, buf.length, this.offset);
      fs.closeSync(fd);
      this.offset = size;
      const lines = (this.partial + buf.toString("utf8")).split("\n");
      this.partial = lines.pop() ?? "";
      for (const line of lines.filter((l) => l.trim() !== "")) {
        const r = JSON.parse(line) as CapturedRequest;
        const raw = Buffer.from(r.raw, "base64").toString("utf8");
        this.records.push({ at: Date.parse(r.at), tenant: r.tenant, client: r.client, raw, spans: parseTrace(JSON.stringify(r.request)).spans });
      }
    }
    return this.records;
  }

  private inTenants(tenant: string): Captured[] {
    const tenants = new Set(tenant.split("|"));
    return this.requests().filter((r) => tenants.has(r.tenant));
  }

  async trace(tenant: string, traceId: string): Promise<StoredTrace | undefined> {
    const spans = new Map<string, StoredSpan>();
    const raws: string[] = [];
    for (const r of this.inTenants(tenant)) {
      const mine = r.spans.filter((s) => s.traceId === traceId);
      if (mine.length === 0) continue;
      raws.push(r.raw);
      for (const s of mine) if (!spans.has(s.spanId)) spans.set(s.spanId, s);
    }
    if (spans.size === 0) return undefined;
    // raw: the request bodies exactly as sent (all of their content, not just this trace's spans).
    return { spans: [...spans.values()], raw: raws.join("\n") };
  }

  async find(tenant: string, match: SpanMatch | undefined, options: FindOptions = {}): Promise<SearchHit[]> {
    const since = Date.now() - (options.sinceSeconds ?? 3600) * 1000;
    const hits = new Map<string, Set<string>>();
    for (const r of this.inTenants(tenant)) {
      if (r.at < since) continue;
      for (const s of r.spans) {
        if (!matches(s, match)) continue;
        const ids = hits.get(s.traceId) ?? new Set<string>();
        ids.add(s.spanId);
        hits.set(s.traceId, ids);
      }
    }
    return [...hits].slice(0, options.limit ?? 1000).map(([traceID, ids]) => ({ traceID, matched: ids.size }));
  }

  waitForTrace(tenant: string, traceId: string, complete: (t: StoredTrace) => boolean, timeoutMs: number): Promise<StoredTrace> {
    return pollTrace(this, tenant, traceId, complete, timeoutMs);
  }
}

function matches(s: StoredSpan, match: SpanMatch | undefined): boolean {
  if (!match) return true;
  const value = s.attributes[match.attribute];
  if (typeof value !== "string") return false;
  return match.equals !== undefined ? value === match.equals : value.includes(match.contains ?? "");
}
