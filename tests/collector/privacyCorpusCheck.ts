/**
 * Judges scrubbed corpus spans (tests/collector/privacyCorpus.ts): a secret
 * leaks when it appears in any part of the scrubbed span (names, status,
 * trace state, resource, scope, attributes, events, links) literally, after
 * percent-decoding (twice), case-insensitively, or, for numeric secrets, as
 * the digits of any one value with its separators removed. A case is partial
 * when some but not all of its secrets leak. A legitimate value is damaged
 * when it does not survive exactly, type included.
 */
import { isDeepStrictEqual } from "util";
import { CorpusCase, CorpusTrace, Location, Value } from "./privacyCorpus";

export interface CaseVerdict {
  readonly id: string;
  readonly cls: string;
  readonly leaked: readonly string[];
  readonly partial: boolean;
  readonly damaged: readonly { readonly where: Location; readonly expected: Value | undefined; readonly actual: Value | undefined }[];
}

function decode(text: string): string {
  let out = text;
  for (let i = 0; i < 2; i++) {
    try {
      out = decodeURIComponent(out.replace(/\+/g, " "));
    } catch {
      out = out.replace(/%([0-9A-Fa-f]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)));
    }
  }
  return out;
}

/** Every string the scrubbed span holds (keys and values), one per entry. */
function strings(trace: CorpusTrace): string[] {
  const out: string[] = [];
  const walk = (v: unknown): void => {
    if (typeof v === "string") out.push(v);
    else if (typeof v === "number" || typeof v === "boolean") out.push(String(v));
    else if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === "object") {
      if ("double" in v) out.push(String((v as { double: number }).double));
      else Object.entries(v).forEach(([k, x]) => (out.push(k), walk(x)));
    }
  };
  const s = trace.span;
  walk([trace.resource, trace.scope, s.name, s.statusMessage, s.traceState, s.attributes, s.events, s.links.map((l) => ({ trace_state: "", attributes: l.attributes }))]);
  return out;
}

export function leakedSecrets(secrets: readonly string[], trace: CorpusTrace | undefined): string[] {
  if (!trace) return [];
  const values = strings(trace);
  const texts = values.flatMap((v) => [v, decode(v)]).map((v) => v.normalize("NFC").toLowerCase());
  const digits = values.map((v) => decode(v).replace(/\D/g, ""));
  return secrets.filter((secret) => {
    const needle = secret.normalize("NFC").toLowerCase();
    if (texts.some((t) => t.includes(needle) || t.includes(decode(needle)))) return true;
    const numeric = secret.replace(/\D/g, "");
    return numeric.length >= 7 && numeric.length >= secret.replace(/[\s.\-()]/g, "").length && digits.some((d) => d.includes(numeric));
  });
}

export function valueAt(trace: CorpusTrace | undefined, where: Location): Value | undefined {
  if (!trace) return undefined;
  switch (where.at) {
    case "span":
      return trace.span.attributes[where.key];
    case "resource":
      return trace.resource[where.key];
    case "scope":
      return trace.scope[where.key];
    case "event":
      return trace.span.events[where.index]?.attributes[where.key];
    case "name":
      return trace.span.name;
    case "status":
      return trace.span.statusMessage;
    case "eventName":
      return trace.span.events[0]?.name;
  }
}

export function judge(c: CorpusCase, scrubbed: CorpusTrace | undefined): CaseVerdict {
  const leaked = leakedSecrets(c.secrets, scrubbed);
  const damaged = c.keep
    .map((k) => ({ where: k.where, expected: k.value, actual: valueAt(scrubbed, k.where) }))
    .filter((d) => !isDeepStrictEqual(d.expected, d.actual));
  return { id: c.id, cls: c.cls, leaked, partial: leaked.length > 0 && leaked.length < c.secrets.length, damaged };
}

export interface CorpusSummary {
  readonly cases: number;
  readonly leakCases: number;
  readonly legitimateValues: number;
  readonly leaked: readonly CaseVerdict[];
  readonly partial: readonly CaseVerdict[];
  readonly damaged: readonly CaseVerdict[];
}

export function summarise(verdicts: readonly CaseVerdict[], corpus: readonly CorpusCase[]): CorpusSummary {
  return {
    cases: corpus.length,
    leakCases: corpus.filter((c) => c.secrets.length > 0).length,
    legitimateValues: corpus.reduce((n, c) => n + c.keep.length, 0),
    leaked: verdicts.filter((v) => v.leaked.length > 0),
    partial: verdicts.filter((v) => v.partial),
    damaged: verdicts.filter((v) => v.damaged.length > 0),
  };
}

export function report(title: string, s: CorpusSummary): string {
  const lines = [
    `${title}: ${s.cases} cases (${s.leakCases} with personal data, ${s.legitimateValues} legitimate values): ` +
      `${s.leaked.length} leaked, ${s.partial.length} partial, ${s.damaged.length} legitimate values damaged`,
    ...s.leaked.map((v) => `  LEAK ${v.id} (${v.cls}): ${v.leaked.join(", ")}`),
    ...s.damaged.map((v) => `  DAMAGED ${v.id}: ${v.damaged.map((d) => `expected ${JSON.stringify(d.expected)}, got ${JSON.stringify(d.actual)}`).join("; ")}`),
  ];
  return lines.join("\n");
}
