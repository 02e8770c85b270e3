/** Reading S3 bucket policy documents (a JSON string or an object). */
import { isFalse, oneOrMany, rec, Rec } from "../lib/props";

export function statements(document: Rec): Rec[] {
  return oneOrMany(document.Statement).map((s) => rec(s)).filter((s): s is Rec => s !== undefined);
}

/** Principal "*" or {"AWS": "*"} (also in a list): anyone, including anonymous callers. */
export function isPublicPrincipal(principal: unknown): boolean {
  if (principal === "*") return true;
  const p = rec(principal);
  return p !== undefined && oneOrMany(p.AWS).includes("*");
}

export function hasCondition(statement: Rec): boolean {
  return Object.keys(rec(statement.Condition) ?? {}).length > 0;
}

/** A statement that grants anyone access without any condition. */
export function isPublicAllow(statement: Rec): boolean {
  return statement.Effect === "Allow" && (isPublicPrincipal(statement.Principal) || statement.NotPrincipal !== undefined) && !hasCondition(statement);
}

/** A Deny for every principal and every S3 action whenever the request is not TLS (aws:SecureTransport false). */
export function isTlsOnlyDeny(statement: Rec): boolean {
  if (statement.Effect !== "Deny" || !isPublicPrincipal(statement.Principal)) return false;
  const actions = oneOrMany(statement.Action);
  if (!actions.some((a) => a === "*" || a === "s3:*")) return false;
  for (const [operator, body] of Object.entries(rec(statement.Condition) ?? {})) {
    if (operator.toLowerCase() !== "bool") continue;
    for (const [key, value] of Object.entries(rec(body) ?? {})) {
      if (key.toLowerCase() === "aws:securetransport" && oneOrMany(value).some(isFalse)) return true;
    }
  }
  return false;
}
