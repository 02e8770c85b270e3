/**
 * Small typed readers for raw stack configuration. Each reader records a
 * problem instead of throwing, so one run reports every bad key at once, and
 * every message names the key, the value and what is allowed.
 */

export const NAMESPACE = "tracing";

/** Raw configuration as Pulumi stores it: every value is a string (objects and lists as JSON). */
export interface RawConfig {
  get(key: string): string | undefined;
}

export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`invalid stack configuration:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "ConfigError";
  }
}

export class FieldReader {
  readonly problems: string[] = [];
  constructor(private readonly raw: RawConfig) {}

  private fail(key: string, value: unknown, allowed: string): void {
    this.problems.push(`${NAMESPACE}:${key} = ${JSON.stringify(value)}: ${allowed}`);
  }

  has(key: string): boolean {
    return this.raw.get(key) !== undefined;
  }

  string(key: string, opts: { default?: string; pattern?: RegExp; allowed: string }): string {
    const value = this.raw.get(key);
    if (value === undefined) {
      if (opts.default !== undefined) return opts.default;
      this.problems.push(`${NAMESPACE}:${key} is required: ${opts.allowed}`);
      return "";
    }
    if (opts.pattern && !opts.pattern.test(value)) this.fail(key, value, opts.allowed);
    return value;
  }

  optionalString(key: string, opts: { pattern: RegExp; allowed: string }): string | undefined {
    const value = this.raw.get(key);
    if (value === undefined || value === "") return undefined;
    if (!opts.pattern.test(value)) this.fail(key, value, opts.allowed);
    return value;
  }

  integer(key: string, opts: { default?: number; min: number; max: number; unit: string }): number {
    const text = this.raw.get(key);
    const allowed = `must be a whole number of ${opts.unit} from ${opts.min} to ${opts.max}`;
    if (text === undefined) {
      if (opts.default !== undefined) return opts.default;
      this.problems.push(`${NAMESPACE}:${key} is required: ${allowed}`);
      return opts.min;
    }
    const value = Number(text.trim());
    if (text.trim() === "" || !Number.isInteger(value) || value < opts.min || value > opts.max) {
      this.fail(key, text, allowed);
      return opts.min;
    }
    return value;
  }

  boolean(key: string, fallback: boolean): boolean {
    const text = this.raw.get(key);
    if (text === undefined) return fallback;
    if (text === "true" || text === "false") return text === "true";
    this.fail(key, text, "must be true or false");
    return fallback;
  }

  oneOf<T extends string>(key: string, choices: readonly T[], fallback: T): T {
    const text = this.raw.get(key);
    if (text === undefined) return fallback;
    if ((choices as readonly string[]).includes(text)) return text as T;
    this.fail(key, text, `must be one of ${choices.join(", ")}`);
    return fallback;
  }

  /** A JSON list of strings; each element checked by `check` (returns a problem or undefined). */
  stringList(
    key: string,
    opts: { default?: readonly string[]; nonEmpty: boolean; allowed: string; check?: (item: string) => string | undefined },
  ): string[] {
    const text = this.raw.get(key);
    if (text === undefined) {
      if (opts.default !== undefined) return [...opts.default];
      this.problems.push(`${NAMESPACE}:${key} is required: ${opts.allowed}`);
      return [];
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      this.fail(key, text, `must be a YAML/JSON list: ${opts.allowed}`);
      return [];
    }
    if (!Array.isArray(parsed) || parsed.some((item) => typeof item !== "string")) {
      this.fail(key, parsed, `must be a list of strings: ${opts.allowed}`);
      return [];
    }
    if (opts.nonEmpty && parsed.length === 0) this.fail(key, parsed, `must not be empty: ${opts.allowed}`);
    for (const item of parsed as string[]) {
      const problem = opts.check?.(item);
      if (problem) this.fail(key, parsed, `${JSON.stringify(item)} ${problem}`);
    }
    return parsed as string[];
  }

  /** A JSON object; returns it for per-field reading with `objectField`. */
  object(key: string, opts: { required: boolean; allowed: string }): Record<string, unknown> | undefined {
    const text = this.raw.get(key);
    if (text === undefined) {
      if (opts.required) this.problems.push(`${NAMESPACE}:${key} is required: ${opts.allowed}`);
      return undefined;
    }
    try {
      const parsed: unknown = JSON.parse(text);
      if (parsed && typeof parsed === "object" && !Array.isArray(parsed)) return parsed as Record<string, unknown>;
    } catch {
      /* reported below */
    }
    this.fail(key, text, `must be an object: ${opts.allowed}`);
    return undefined;
  }

  /** Reads `key.field` from an object value read with `object`. */
  objectField(
    key: string,
    obj: Record<string, unknown> | undefined,
    field: string,
    opts: { default?: string; pattern: RegExp; allowed: string },
  ): string {
    const value = obj?.[field];
    if (value === undefined) {
      if (opts.default !== undefined) return opts.default;
      if (obj !== undefined) this.problems.push(`${NAMESPACE}:${key}.${field} is required: ${opts.allowed}`);
      return "";
    }
    if (typeof value !== "string" || !opts.pattern.test(value)) {
      this.problems.push(`${NAMESPACE}:${key}.${field} = ${JSON.stringify(value)}: ${opts.allowed}`);
      return "";
    }
    return value;
  }

  /** Records a cross-field problem. */
  problem(message: string): void {
    this.problems.push(message);
  }
}
