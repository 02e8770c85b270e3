/** Comparing a rendered config with its e2e variant, leaf by leaf. */

/** Every leaf path whose value differs between two parsed configs (added and removed keys included). */
export function changedPaths(a: unknown, b: unknown, prefix = ""): string[] {
  const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null;
  if (isObject(a) && isObject(b)) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    return [...keys].flatMap((k) => changedPaths(a[k], b[k], prefix ? `${prefix}.${k}` : k));
  }
  if (isObject(a) && b === undefined) return changedPaths(a, {}, prefix);
  if (isObject(b) && a === undefined) return changedPaths({}, b, prefix);
  return JSON.stringify(a) === JSON.stringify(b) ? [] : [prefix];
}
