/**
 * A deliberately small interpreter for the OTTL statement shapes the gateway's
 * scrubbing uses, so tests run the statements that ship (taken from the
 * rendered YAML) over planted personal data. Any statement shape it does not
 * know makes it throw: the tests then fail instead of silently skipping a rule.
 * Regexes are RE2 written in the JavaScript-compatible subset; `(?i)` becomes
 * the `i` flag and Go's `${n}` group references become `$n`.
 */

export type Attributes = Record<string, unknown>;
export interface SimSpan {
  name: string;
  kind: "SPAN_KIND_SERVER" | "SPAN_KIND_CLIENT" | "SPAN_KIND_PRODUCER" | "SPAN_KIND_CONSUMER" | "SPAN_KIND_INTERNAL";
  statusMessage: string;
  attributes: Attributes;
  events: { name: string; attributes: Attributes }[];
}
export interface SimTrace {
  resource: Attributes;
  spans: SimSpan[];
}

const STR = '"(?:\\\\.|[^"\\\\])*"';
const unquote = (s: string): string => JSON.parse(s) as string;

/** Go RE2 pattern -> JavaScript RegExp (global). */
export function goRegex(pattern: string): RegExp {
  let flags = "g";
  let source = pattern;
  if (source.startsWith("(?i)")) {
    flags += "i";
    source = source.slice(4);
  }
  if (/\(\?[a-z]/.test(source)) throw new Error(`unsupported inline flag in ${pattern}`);
  return new RegExp(source, flags);
}
export const goReplacement = (r: string): string => r.replace(/\$\{(\d+)\}/g, "$$$1");

interface Ctx {
  attrs: Attributes;
  get(path: string): unknown;
  set(path: string, value: unknown): void;
  kind?: string;
}

function evalCondition(cond: string | undefined, ctx: Ctx): boolean {
  if (!cond) return true;
  return cond.split(/\s+or\s+/).some((alt) =>
    alt.split(/\s+and\s+/).every((c) => {
      const t = c.trim().replace(/^\(|\)$/g, "");
      let m: RegExpMatchArray | null;
      if ((m = t.match(/^(.+?) != nil$/))) return ctx.get(m[1]) !== undefined;
      if ((m = t.match(/^(.+?) == nil$/))) return ctx.get(m[1]) === undefined;
      if ((m = t.match(/^span\.kind == (SPAN_KIND_[A-Z]+)$/))) return ctx.kind === m[1];
      if ((m = t.match(new RegExp(`^(.+?) != (${STR})$`)))) return ctx.get(m[1]) !== unquote(m[2]);
      if ((m = t.match(new RegExp(`^(.+?) == (${STR})$`)))) return ctx.get(m[1]) === unquote(m[2]);
      throw new Error(`ottlSim: unsupported condition ${t}`);
    }),
  );
}

/** Runs one statement against a context; throws on unknown shapes. */
export function runStatement(statement: string, ctx: Ctx): void {
  const [body, cond] = statement.split(/ where /, 2) as [string, string | undefined];
  if (!evalCondition(cond, ctx)) return;
  let m: RegExpMatchArray | null;
  const attrsPath = "(resource|span|spanevent)\\.attributes";
  if ((m = body.match(new RegExp(`^delete_matching_keys\\(${attrsPath}, (${STR})\\)$`)))) {
    const re = goRegex(unquote(m[2]));
    for (const k of Object.keys(ctx.attrs)) if (new RegExp(re.source, re.flags.replace("g", "")).test(k)) delete ctx.attrs[k];
    return;
  }
  if ((m = body.match(new RegExp(`^delete_key\\(${attrsPath}, (${STR})\\)$`)))) {
    delete ctx.attrs[unquote(m[2])];
    return;
  }
  if ((m = body.match(new RegExp(`^replace_all_patterns\\(${attrsPath}, "(key|value)", (${STR}), (${STR})\\)$`)))) {
    const re = goRegex(unquote(m[3]));
    const repl = goReplacement(unquote(m[4]));
    const tester = new RegExp(re.source, re.flags.replace("g", ""));
    if (m[2] === "value") {
      for (const [k, v] of Object.entries(ctx.attrs)) if (typeof v === "string" && tester.test(v)) ctx.attrs[k] = v.replace(re, repl);
    } else {
      const entries = Object.entries(ctx.attrs).map(([k, v]) => [tester.test(k) ? k.replace(re, repl) : k, v] as const);
      for (const k of Object.keys(ctx.attrs)) delete ctx.attrs[k];
      for (const [k, v] of entries) ctx.attrs[k] = v;
    }
    return;
  }
  if ((m = body.match(new RegExp(`^replace_pattern\\((\\S+?), (${STR}), (${STR})\\)$`)))) {
    const value = ctx.get(m[1]);
    if (typeof value === "string") ctx.set(m[1], value.replace(goRegex(unquote(m[2])), goReplacement(unquote(m[3]))));
    return;
  }
  if ((m = body.match(new RegExp(`^set\\((\\S+?), (${STR})\\)$`)))) {
    ctx.set(m[1], unquote(m[2]));
    return;
  }
  if ((m = body.match(/^set\((\S+?), \{"v": (\S+?)\}\)$/))) {
    ctx.set(m[1], { v: ctx.get(m[2]) });
    return;
  }
  if ((m = body.match(/^set\((\S+?), (\S+?)\["v"\]\)$/))) {
    ctx.set(m[1], (ctx.get(m[2]) as { v: unknown }).v);
    return;
  }
  if ((m = body.match(/^set\((\S+?), String\((\S+?)\)\)$/))) {
    // OTTL's String(): lists and maps become their JSON text.
    const value = ctx.get(m[2]);
    ctx.set(m[1], typeof value === "string" ? value : JSON.stringify(value));
    return;
  }
  if ((m = body.match(/^set\((\S+?), (\S+?\.attributes\["[^"]+"\])\)$/))) {
    ctx.set(m[1], ctx.get(m[2]));
    return;
  }
  throw new Error(`ottlSim: unsupported statement ${statement}`);
}

function context(prefix: string, attrs: Attributes, fields: Record<string, { get(): unknown; set(v: unknown): void }>, kind?: string): Ctx {
  const attrRe = new RegExp(`^${prefix}\\.attributes\\[("[^"]+")\\]$`);
  return {
    attrs,
    kind,
    get(path) {
      const m = path.match(attrRe);
      if (m) return attrs[unquote(m[1])];
      if (fields[path]) return fields[path].get();
      throw new Error(`ottlSim: unsupported path ${path}`);
    },
    set(path, value) {
      const m = path.match(attrRe);
      if (m) attrs[unquote(m[1])] = value;
      else if (fields[path]) fields[path].set(value);
      else throw new Error(`ottlSim: unsupported path ${path}`);
    },
  };
}

/** Applies transform-processor statement groups ({context, statements}) to a trace, like the processor does. */
export function applyGroups(groups: { context: string; statements: string[] }[], trace: SimTrace): SimTrace {
  for (const group of groups) {
    if (group.context === "resource") {
      const ctx = context("resource", trace.resource, {});
      for (const s of group.statements) runStatement(s, ctx);
    } else if (group.context === "span") {
      for (const span of trace.spans) {
        const ctx = context("span", span.attributes, {
          "span.name": { get: () => span.name, set: (v) => (span.name = v as string) },
          "span.status.message": { get: () => span.statusMessage, set: (v) => (span.statusMessage = v as string) },
        }, span.kind);
        for (const s of group.statements) runStatement(s, ctx);
      }
    } else if (group.context === "spanevent") {
      for (const span of trace.spans)
        for (const event of span.events) {
          const ctx = context("spanevent", event.attributes, {
            "spanevent.name": { get: () => event.name, set: (v) => (event.name = v as string) },
          }, span.kind);
          for (const s of group.statements) runStatement(s, ctx);
        }
    } else throw new Error(`ottlSim: unsupported context ${group.context}`);
  }
  return trace;
}
