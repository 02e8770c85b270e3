/**
 * A small OTTL interpreter for the statements the gateway ships, so unit
 * tests run the rendered transform and filter processors (taken from the
 * YAML) over planted data. It parses statements and conditions into a tree
 * and evaluates the functions the gateway uses; any function, path or syntax
 * it does not know makes it throw, so a test fails instead of silently
 * skipping a rule. The real binary stays the judge (e2e/privacyCorpus.test.ts).
 *
 * Semantics follow pkg/ottl at v0.148.0: replace_pattern touches strings only
 * (Go ReplaceAllString, `${n}` of a group that did not take part is empty);
 * IsMatch/String read ints, doubles, lists and maps as their Go JSON text;
 * `<`/`>` between different types are false; group `conditions` are ORed.
 * Regexes are RE2 written in the JavaScript-compatible subset (run with the
 * `u` flag; `(?m)`/`(?s)`/`(?i)` prefixes become flags, `\x{…}` becomes `\u{…}`).
 */
import { Attributes, isList, Value } from "./privacyCorpus";

export type { Attributes } from "./privacyCorpus";
export type SpanKind = "SPAN_KIND_SERVER" | "SPAN_KIND_CLIENT" | "SPAN_KIND_PRODUCER" | "SPAN_KIND_CONSUMER" | "SPAN_KIND_INTERNAL";
export interface SimSpan {
  name: string;
  kind: SpanKind;
  statusMessage: string;
  traceState?: string;
  attributes: Attributes;
  events: { name: string; attributes: Attributes }[];
  links?: { traceId: string; spanId: string; attributes: Attributes }[];
}
export interface SimTrace {
  resource: Attributes;
  scope?: Attributes;
  spans: SimSpan[];
}
export interface SimGroup {
  context: string;
  conditions?: string[];
  statements: string[];
}

/** Go RE2 pattern -> JavaScript RegExp (global, unicode). */
export function goRegex(pattern: string): RegExp {
  let flags = "gu";
  let source = pattern;
  for (let m = /^\(\?([ims]+)\)/.exec(source); m; m = /^\(\?([ims]+)\)/.exec(source)) {
    flags += m[1];
    source = source.slice(m[0].length);
  }
  if (/\(\?[a-z]/.test(source)) throw new Error(`ottlSim: unsupported inline flag in ${pattern}`);
  return new RegExp(source.replace(/\\x\{([0-9A-Fa-f]+)\}/g, "\\u{$1}"), flags);
}

/** Go's Regexp.ReplaceAllString: `${n}`/`$n` expand to the group or "", `$$` is `$`. */
export function goReplace(value: string, re: RegExp, replacement: string): string {
  return value.replace(re, (...args) => {
    const groups = args.slice(1, -2) as (string | undefined)[];
    return replacement.replace(/\$\$|\$\{(\d+)\}|\$(\d+)/g, (t, a?: string, b?: string) => (t === "$$" ? "$" : (groups[Number(a ?? b) - 1] ?? "")));
  });
}

/** Go encoding/json text of an attribute value (pcommon AsRaw): sorted map keys, <>& escaped. */
export function goJson(v: Value): string {
  const raw = (x: Value): unknown => {
    if (isList(x)) return x.map(raw);
    if (x && typeof x === "object") return "double" in x ? x.double : Object.fromEntries(Object.entries(x.kvlist).sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, y]) => [k, raw(y)]));
    return x;
  };
  return JSON.stringify(raw(v)).replace(/</g, "\\u003c").replace(/>/g, "\\u003e").replace(/&/g, "\\u0026");
}

function stringLike(v: Value | undefined): string | undefined {
  if (v === undefined) return undefined;
  return typeof v === "string" ? v : goJson(v);
}

// ---------------------------------------------------------------- parsing
type Node =
  | { t: "lit"; v: Value | undefined }
  | { t: "enum"; name: string }
  | { t: "path"; parts: string[]; keys: string[] }
  | { t: "call"; name: string; args: Node[] }
  | { t: "list"; items: Node[] }
  | { t: "map"; entries: [string, Node][] }
  | { t: "cmp"; op: string; l: Node; r: Node }
  | { t: "and" | "or"; items: Node[] }
  | { t: "not"; x: Node };

const TOKEN = /\s*("(?:\\.|[^"\\])*"|-?\d+\.\d+|-?\d+|==|!=|<=|>=|[<>()[\]{},.:]|[A-Za-z_][A-Za-z0-9_]*)/y;

function tokenize(text: string): string[] {
  const out: string[] = [];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < text.length) {
    const start = TOKEN.lastIndex;
    const m = TOKEN.exec(text);
    if (!m) {
      if (/^\s*$/.test(text.slice(start))) break;
      throw new Error(`ottlSim: cannot tokenize at ${JSON.stringify(text.slice(start, start + 30))}`);
    }
    out.push(m[1]);
  }
  return out;
}

class Parser {
  private i = 0;
  constructor(private readonly tokens: string[]) {}
  peek = () => this.tokens[this.i];
  next = () => this.tokens[this.i++];
  expect(t: string): void {
    if (this.next() !== t) throw new Error(`ottlSim: expected ${t} in ${this.tokens.join(" ")}`);
  }
  done = () => this.i >= this.tokens.length;

  bool(): Node {
    const items = [this.conj()];
    while (this.peek() === "or") (this.next(), items.push(this.conj()));
    return items.length === 1 ? items[0] : { t: "or", items };
  }
  conj(): Node {
    const items = [this.factor()];
    while (this.peek() === "and") (this.next(), items.push(this.factor()));
    return items.length === 1 ? items[0] : { t: "and", items };
  }
  factor(): Node {
    if (this.peek() === "not") return (this.next(), { t: "not", x: this.factor() });
    if (this.peek() === "(") {
      this.next();
      const inner = this.bool();
      this.expect(")");
      return inner;
    }
    const l = this.value();
    const op = this.peek();
    if (op && ["==", "!=", "<", ">", "<=", ">="].includes(op)) return (this.next(), { t: "cmp", op, l, r: this.value() });
    return l;
  }
  value(): Node {
    const t = this.next();
    if (t === undefined) throw new Error("ottlSim: unexpected end");
    if (t.startsWith('"')) return { t: "lit", v: JSON.parse(t) as string };
    if (/^-?\d+$/.test(t)) return { t: "lit", v: Number(t) };
    if (/^-?\d+\.\d+$/.test(t)) return { t: "lit", v: Number(t) };
    if (t === "nil") return { t: "lit", v: undefined };
    if (t === "true" || t === "false") return { t: "lit", v: t === "true" };
    if (t === "[") return { t: "list", items: this.items("]") };
    if (t === "{") {
      const entries: [string, Node][] = [];
      while (this.peek() !== "}") {
        const k = JSON.parse(this.next()) as string;
        this.expect(":");
        entries.push([k, this.value()]);
        if (this.peek() === ",") this.next();
      }
      this.next();
      return { t: "map", entries };
    }
    if (/^SPAN_KIND_/.test(t)) return { t: "enum", name: t };
    if (this.peek() === "(") return (this.next(), { t: "call", name: t, args: this.items(")") });
    const parts = [t];
    while (this.peek() === ".") (this.next(), parts.push(this.next()));
    const keys: string[] = [];
    while (this.peek() === "[") {
      this.next();
      keys.push(JSON.parse(this.next()) as string);
      this.expect("]");
    }
    return { t: "path", parts, keys };
  }
  items(close: string): Node[] {
    const out: Node[] = [];
    while (this.peek() !== close) {
      out.push(this.value());
      if (this.peek() === ",") this.next();
    }
    this.next();
    return out;
  }
}

const cache = new Map<string, { body: Node; where?: Node }>();
function parseStatement(text: string): { body: Node; where?: Node } {
  let parsed = cache.get(text);
  if (!parsed) {
    const p = new Parser(tokenize(text));
    const body = p.value();
    let where: Node | undefined;
    if (p.peek() === "where") (p.next(), (where = p.bool()));
    if (!p.done()) throw new Error(`ottlSim: trailing tokens in ${text}`);
    parsed = { body, where };
    cache.set(text, parsed);
  }
  return parsed;
}
function parseCondition(text: string): Node {
  const p = new Parser(tokenize(text));
  const n = p.bool();
  if (!p.done()) throw new Error(`ottlSim: trailing tokens in ${text}`);
  return n;
}

// ---------------------------------------------------------------- evaluation
/** A transform context: resolves paths to values and setters. */
interface Ctx {
  readonly name: string;
  maps: Record<string, Attributes>;
  fields: Record<string, { get(): Value | undefined; set(v: Value): void }>;
}

function resolve(ctx: Ctx, n: Extract<Node, { t: "path" }>): { get(): Value | undefined; set(v: Value): void; map?: Attributes } {
  const dotted = n.parts.join(".");
  if (n.parts[n.parts.length - 1] === "attributes") {
    const map = ctx.maps[dotted];
    if (!map) throw new Error(`ottlSim: unsupported path ${dotted} in context ${ctx.name}`);
    if (n.keys.length === 0) return { map, get: () => undefined, set: () => undefined };
    if (n.keys.length !== 1) throw new Error(`ottlSim: nested keys unsupported: ${dotted}`);
    const k = n.keys[0];
    return { get: () => map[k], set: (v) => void (map[k] = v) };
  }
  const field = ctx.fields[dotted];
  if (!field || n.keys.length > 0) throw new Error(`ottlSim: unsupported path ${dotted} in context ${ctx.name}`);
  return field;
}

function evaluate(ctx: Ctx, n: Node): Value | undefined {
  switch (n.t) {
    case "lit":
      return n.v;
    case "enum":
      return n.name;
    case "path":
      return resolve(ctx, n).get();
    case "list":
      return n.items.map((x) => evaluate(ctx, x) as Value);
    case "map":
      return { kvlist: Object.fromEntries(n.entries.map(([k, x]) => [k, evaluate(ctx, x) as Value])) };
    case "not":
      return !evaluate(ctx, n.x);
    case "and":
      return n.items.every((x) => evaluate(ctx, x) === true);
    case "or":
      return n.items.some((x) => evaluate(ctx, x) === true);
    case "cmp": {
      const l = evaluate(ctx, n.l);
      const r = evaluate(ctx, n.r);
      if (n.op === "==") return l === r;
      if (n.op === "!=") return l !== r;
      if (typeof l !== "number" || typeof r !== "number") return false;
      return n.op === "<" ? l < r : n.op === ">" ? l > r : n.op === "<=" ? l <= r : l >= r;
    }
    case "call":
      return call(ctx, n);
  }
}

const pathArg = (n: Node) => {
  if (n.t !== "path") throw new Error("ottlSim: expected a path argument");
  return n;
};
const stringArg = (ctx: Ctx, n: Node) => {
  const v = evaluate(ctx, n);
  if (typeof v !== "string") throw new Error("ottlSim: expected a string argument");
  return v;
};

function call(ctx: Ctx, n: Extract<Node, { t: "call" }>): Value | undefined {
  const a = n.args;
  const v = () => evaluate(ctx, a[0]);
  switch (n.name) {
    case "IsMatch": {
      const s = stringLike(v());
      return s !== undefined && new RegExp(goRegex(stringArg(ctx, a[1])).source, goRegex(stringArg(ctx, a[1])).flags.replace("g", "")).test(s);
    }
    case "IsString":
      return typeof v() === "string";
    case "IsBool":
      return typeof v() === "boolean";
    case "IsInt": {
      const x = v();
      return typeof x === "number" && Number.isInteger(x);
    }
    case "IsList":
      return Array.isArray(v());
    case "Len": {
      const x = v();
      return Array.isArray(x) ? x.length : typeof x === "string" ? x.length : 0;
    }
    case "String":
      return stringLike(v());
    case "Concat": {
      const items = v();
      if (!Array.isArray(items)) throw new Error("ottlSim: Concat needs a list");
      return items.map((x) => stringLike(x) ?? "").join(stringArg(ctx, a[1]));
    }
    case "set": {
      const value = evaluate(ctx, a[1]);
      if (value !== undefined) resolve(ctx, pathArg(a[0])).set(value);
      return undefined;
    }
    case "delete_key": {
      delete (resolve(ctx, pathArg(a[0])).map as Attributes)[stringArg(ctx, a[1])];
      return undefined;
    }
    case "keep_keys": {
      const map = resolve(ctx, pathArg(a[0])).map as Attributes;
      const keep = new Set(evaluate(ctx, a[1]) as string[]);
      for (const k of Object.keys(map)) if (!keep.has(k)) delete map[k];
      return undefined;
    }
    case "replace_pattern": {
      const target = resolve(ctx, pathArg(a[0]));
      const s = target.get();
      if (typeof s === "string") target.set(goReplace(s, goRegex(stringArg(ctx, a[1])), stringArg(ctx, a[2])));
      return undefined;
    }
    case "replace_all_patterns": {
      const map = resolve(ctx, pathArg(a[0])).map as Attributes;
      const mode = stringArg(ctx, a[1]);
      const re = goRegex(stringArg(ctx, a[2]));
      const repl = stringArg(ctx, a[3]);
      if (mode === "value") for (const [k, x] of Object.entries(map)) if (typeof x === "string") map[k] = goReplace(x, re, repl);
      if (mode === "key") {
        const entries = Object.entries(map).map(([k, x]) => [goReplace(k, re, repl), x] as const);
        for (const k of Object.keys(map)) delete map[k];
        for (const [k, x] of entries) map[k] = x;
      }
      return undefined;
    }
    default:
      throw new Error(`ottlSim: unsupported function ${n.name}`);
  }
}

function runStatements(ctx: Ctx, statements: string[]): void {
  for (const s of statements) {
    const { body, where } = parseStatement(s);
    if (!where || evaluate(ctx, where) === true) evaluate(ctx, body);
  }
}

function spanCtx(trace: SimTrace, span: SimSpan): Ctx {
  return {
    name: "span",
    maps: { "span.attributes": span.attributes, "resource.attributes": trace.resource, "scope.attributes": trace.scope ?? {} },
    fields: {
      "span.name": { get: () => span.name, set: (v) => void (span.name = String(v)) },
      "span.kind": { get: () => span.kind, set: () => undefined },
      "span.status.message": { get: () => span.statusMessage, set: (v) => void (span.statusMessage = String(v)) },
      "span.trace_state": { get: () => span.traceState ?? "", set: (v) => void (span.traceState = String(v)) },
      "span.links": { get: () => (span.links ?? []).map(() => ""), set: () => undefined },
    },
  };
}

/** Applies transform-processor statement groups ({context, conditions, statements}) to a trace, in order. */
export function applyGroups(groups: SimGroup[], trace: SimTrace): SimTrace {
  trace.scope ??= {};
  for (const group of groups) {
    const conditions = (group.conditions ?? []).map(parseCondition);
    const applies = (ctx: Ctx) => conditions.length === 0 || conditions.some((c) => evaluate(ctx, c) === true);
    const contexts: Ctx[] =
      group.context === "resource"
        ? [{ name: "resource", maps: { "resource.attributes": trace.resource }, fields: {} }]
        : group.context === "scope"
          ? [{ name: "scope", maps: { "scope.attributes": trace.scope, "resource.attributes": trace.resource }, fields: {} }]
          : group.context === "span"
            ? trace.spans.map((s) => spanCtx(trace, s))
            : group.context === "spanevent"
              ? trace.spans.flatMap((s) =>
                  s.events.map((e) => {
                    const c = spanCtx(trace, s);
                    return {
                      name: "spanevent",
                      maps: { ...c.maps, "spanevent.attributes": e.attributes },
                      fields: { ...c.fields, "spanevent.name": { get: () => e.name, set: (v: Value) => void (e.name = String(v)) } },
                    };
                  }),
                )
              : (() => {
                  throw new Error(`ottlSim: unsupported context ${group.context}`);
                })();
    for (const ctx of contexts) if (applies(ctx)) runStatements(ctx, group.statements);
  }
  return trace;
}

/** The filter processor: drops every span for which one condition holds. */
export function applyFilter(conditions: string[], trace: SimTrace): SimTrace {
  const parsed = conditions.map(parseCondition);
  trace.spans = trace.spans.filter((s) => !parsed.some((c) => evaluate(spanCtx(trace, s), c) === true));
  return trace;
}
