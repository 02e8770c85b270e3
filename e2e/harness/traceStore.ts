/**
 * The e2e trace store, in one of two modes, and honest about which one ran:
 *
 * - `tempo` (TEMPO_BIN=/path/to/tempo, a Tempo 3.x release binary the user
 *   brings): the real Tempo with the prod stack's rendered tempo.yaml and
 *   tempo-overrides.yaml, changed only as e2e/harness/differences.ts lists;
 * - `capture` (TEMPO_BIN unset, e.g. CI): the project-owned OTLP/gRPC capture
 *   store with the same receiver rules (TLS 1.3, client certificate required,
 *   X-Scope-OrgID), which records exactly what the samplers send to Tempo.
 *
 * Checks that only real Tempo can prove are declared with `itWithRealTempo`:
 * their names start with "real Tempo:", they run only in `tempo` mode, and in
 * `capture` mode they are listed (never silently skipped) in the run's
 * summary, which e2e/harness/modeReporter.js prints.
 */
import * as fs from "fs";
import * as path from "path";
import { CaptureStoreReader } from "./captureStore";
import { FindOptions, SearchHit, SpanMatch, StoredTrace, TempoClient } from "./tempoClient";
import type { StackState } from "./stack";

export type TraceStoreMode = "tempo" | "capture";
export const TEMPO_BIN_ENV = "TEMPO_BIN";
/** Lines `<check name>` of the real-Tempo checks that did not run in this mode (read by the reporter). */
export const NOT_RUN_FILE = "real-tempo-checks-not-run.txt";
/** One line naming the mode (read by the reporter). */
export const MODE_FILE = "trace-store-mode.txt";

export function traceStoreMode(): TraceStoreMode {
  return process.env[TEMPO_BIN_ENV] ? "tempo" : "capture";
}

/** What the checks read from, whichever store ran. */
export interface TraceStore {
  readonly mode: TraceStoreMode;
  /** The trace's spans in `tenant` (`a|b` for several), or undefined when none are stored. */
  trace(tenant: string, traceId: string): Promise<StoredTrace | undefined>;
  /** Traces in `tenant` with a span that matches (`undefined`: any span). Tempo answers with TraceQL. */
  find(tenant: string, match: SpanMatch | undefined, options?: FindOptions): Promise<SearchHit[]>;
  waitForTrace(tenant: string, traceId: string, complete: (t: StoredTrace) => boolean, timeoutMs: number): Promise<StoredTrace>;
}

export function openTraceStore(state: StackState): TraceStore {
  const s = state.traceStore;
  if (s.mode === "tempo" && s.tempo) return new TempoClient(s.tempo.httpPort, state.pki.tester);
  if (s.mode === "capture" && s.captureFile) return new CaptureStoreReader(s.captureFile);
  throw new Error(`the stack state names trace store mode ${s.mode} without its details`);
}

/** The real Tempo's query client; throws in capture mode (use only inside itWithRealTempo). */
export function realTempo(state: StackState): TempoClient {
  const store = openTraceStore(state);
  if (!(store instanceof TempoClient)) throw new Error("this check needs real Tempo: set TEMPO_BIN=/path/to/tempo");
  return store;
}

function runDirOfState(): string | undefined {
  const file = process.env.E2E_STATE_FILE;
  return file ? path.dirname(file) : undefined;
}

/**
 * A check only real Tempo can prove (TraceQL, per-tenant limits and retention
 * as Tempo applies them, -config.verify). Runs only with TEMPO_BIN; otherwise
 * it is recorded as not run, and the e2e summary lists it.
 */
export function itWithRealTempo(name: string, fn: () => Promise<void>, timeoutMs?: number): void {
  const title = `real Tempo: ${name}`;
  if (traceStoreMode() === "tempo") {
    it(title, fn, timeoutMs);
    return;
  }
  const dir = runDirOfState();
  if (dir && fs.existsSync(dir)) fs.appendFileSync(path.join(dir, NOT_RUN_FILE), `${title}\n`);
}
