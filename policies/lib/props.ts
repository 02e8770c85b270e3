/**
 * Defensive readers for resource properties. Policies see whatever a program
 * or a state file holds: missing fields, secrets (synth's "[secret]" or the
 * state's signature object) and odd types must never crash a rule.
 */

export type Rec = Record<string, unknown>;

const SECRET_SIG_KEY = "4dabf18193072939515e22adb298388d";

export function rec(value: unknown): Rec | undefined {
  return value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Rec) : undefined;
}

export function arr(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

export function str(value: unknown): string | undefined {
  return typeof value === "string" ? value : undefined;
}

/** Reads a nested property; undefined as soon as a step is not an object. */
export function at(value: unknown, ...path: string[]): unknown {
  let current = value;
  for (const key of path) {
    const r = rec(current);
    if (!r) return undefined;
    current = r[key];
  }
  return current;
}

/** True for a value the policy cannot read: a redacted or encrypted secret. */
export function isSecret(value: unknown): boolean {
  return value === "[secret]" || rec(value)?.[SECRET_SIG_KEY] !== undefined;
}

/** The engine's sentinels for values not known until apply (preview of a new resource). */
const UNKNOWN_SENTINELS = new Set([
  "04da6b54-80e4-46f7-96ec-b56ff0331ba9",
  "3eeb2bf0-c639-47a8-9e75-3b44932eb421",
  "6a19a0b0-7e62-4c92-b797-7f8e31da9cc2",
  "030794c1-ac77-496b-92df-f27374a8bd58",
  "e48ece36-62e2-4504-bad9-02848725956a",
  "dd056dcd-154b-4c76-9bd3-c8f88648b5ff",
]);

export function isUnknown(value: unknown): boolean {
  return typeof value === "string" && UNKNOWN_SENTINELS.has(value);
}

/** Where inside `value` a secret or an unknown hides ("" for the value itself); undefined when everything is readable. */
export function hiddenPath(value: unknown, path = ""): { path: string; kind: "secret" | "unknown" } | undefined {
  if (isSecret(value)) return { path, kind: "secret" };
  if (isUnknown(value)) return { path, kind: "unknown" };
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = hiddenPath(value[i], `${path}[${i}]`);
      if (found) return found;
    }
    return undefined;
  }
  const r = rec(value);
  if (!r) return undefined;
  for (const [k, v] of Object.entries(r)) {
    const found = hiddenPath(v, path ? `${path}.${k}` : k);
    if (found) return found;
  }
  return undefined;
}

/** Kubernetes-style and Terraform-style booleans: true, "true", "True". */
export function isTrue(value: unknown): boolean {
  return value === true || (typeof value === "string" && value.trim().toLowerCase() === "true");
}

export function isFalse(value: unknown): boolean {
  return value === false || (typeof value === "string" && value.trim().toLowerCase() === "false");
}

/** A value that is a list or a single item, as IAM policies allow. */
export function oneOrMany(value: unknown): unknown[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}

/** Parses a JSON document given as a string or already an object; undefined when unreadable. */
export function jsonDocument(value: unknown): Rec | undefined {
  if (typeof value === "string") {
    try {
      return rec(JSON.parse(value));
    } catch {
      return undefined;
    }
  }
  return isSecret(value) ? undefined : rec(value);
}

export function annotations(props: Rec): Rec {
  return rec(at(props, "metadata", "annotations")) ?? {};
}
