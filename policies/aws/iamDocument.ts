/**
 * Reading IAM policy documents (bucket, key, queue, topic, repository, domain
 * policies and trust policies; a JSON string or an object) and deciding which
 * statements let anyone in (R13). A statement with Principal "*" is restricted
 * only by a condition that narrows the caller: its network (aws:SourceVpc,
 * aws:SourceVpce, aws:SourceIp / aws:VpcSourceIp within the allowed ranges),
 * its organisation or account (aws:PrincipalOrgID, aws:PrincipalAccount,
 * aws:PrincipalArn, kms:CallerAccount ...) or, for a service acting for a
 * resource, that resource (aws:SourceArn, aws:SourceAccount). Conditions such
 * as aws:SecureTransport, negated operators (StringNotEquals), ...IfExists and
 * ForAllValues: narrow nothing, because an anonymous request still matches.
 * A public Allow is also closed by a Deny for everyone that applies unless the
 * caller is narrowed (e.g. Deny * with StringNotEquals aws:SourceVpce).
 */
import { AllowedRanges, isAllowedRange } from "../lib/privateRanges";
import { isFalse, oneOrMany, rec, Rec, str } from "../lib/props";

export function statements(document: Rec): Rec[] {
  return oneOrMany(document.Statement).map((s) => rec(s)).filter((s): s is Rec => s !== undefined);
}

/** Principal "*", {"AWS": "*"} or {"CanonicalUser": "*"} (also in a list): anyone, including anonymous callers. */
export function isPublicPrincipal(principal: unknown): boolean {
  if (principal === "*") return true;
  const p = rec(principal);
  return p !== undefined && ["AWS", "CanonicalUser"].some((k) => oneOrMany(p[k]).includes("*"));
}

export function hasCondition(statement: Rec): boolean {
  return Object.keys(rec(statement.Condition) ?? {}).length > 0;
}

/** Condition keys that identify the caller (lower case). */
const CALLER_KEYS = new Set([
  "aws:sourcevpc",
  "aws:sourcevpce",
  "aws:principalorgid",
  "aws:principalorgpaths",
  "aws:principalaccount",
  "aws:principalarn",
  "aws:sourcearn",
  "aws:sourceaccount",
  "aws:sourceorgid",
  "aws:sourceorgpaths",
  "aws:sourceowner",
  "aws:userid",
  "kms:calleraccount",
]);
const IP_KEYS = new Set(["aws:sourceip", "aws:vpcsourceip"]);
const POSITIVE = new Set(["stringequals", "stringequalsignorecase", "stringlike", "arnequals", "arnlike", "ipaddress"]);
const NEGATED = new Set(["stringnotequals", "stringnotequalsignorecase", "stringnotlike", "arnnotequals", "arnnotlike", "notipaddress"]);

interface ConditionClause {
  /** Operator in lower case without ForAnyValue:/ForAllValues: and IfExists. */
  readonly operator: string;
  readonly ifExists: boolean;
  readonly forAll: boolean;
  readonly key: string;
  /** The key as the document spells it, for messages. */
  readonly name: string;
  readonly values: unknown[];
}

function clauses(statement: Rec): ConditionClause[] {
  const out: ConditionClause[] = [];
  for (const [rawOperator, body] of Object.entries(rec(statement.Condition) ?? {})) {
    let operator = rawOperator.toLowerCase();
    const forAll = operator.startsWith("forallvalues:");
    operator = operator.replace(/^for(any|all)values:/, "");
    const ifExists = operator.endsWith("ifexists");
    if (ifExists) operator = operator.slice(0, -"ifexists".length);
    for (const [key, value] of Object.entries(rec(body) ?? {})) out.push({ operator, ifExists, forAll, key: key.toLowerCase(), name: key, values: oneOrMany(value) });
  }
  return out;
}

/** A value that names one caller, not a pattern matching everyone ("*", "o-*", "arn:aws:iam::*:role/x"). */
function isNarrowValue(value: unknown): boolean {
  const v = str(value);
  if (v === undefined || v.trim() === "" || /^[*?]+$/.test(v)) return false;
  if (!v.startsWith("arn:")) return !/[*?]/.test(v);
  const parts = v.split(":");
  const account = parts[4] ?? "";
  if (account !== "") return !/[*?]/.test(account);
  return !/^[*?]/.test(parts.slice(5).join(":")); // arn:aws:s3:::bucket has no account; the bucket must be literal
}

function narrowsValues(clause: ConditionClause, allowed: AllowedRanges): boolean {
  if (clause.values.length === 0) return false;
  if (IP_KEYS.has(clause.key)) return clause.values.every((v) => isAllowedRange(v, allowed));
  return CALLER_KEYS.has(clause.key) && clause.values.every(isNarrowValue);
}

/** True when the Allow statement's conditions admit only a narrowed set of callers. */
export function narrowsCaller(statement: Rec, allowed: AllowedRanges): boolean {
  return clauses(statement).some(
    (c) => POSITIVE.has(c.operator) && !c.ifExists && !c.forAll && (c.operator === "ipaddress") === IP_KEYS.has(c.key) && narrowsValues(c, allowed),
  );
}

/** Glob match of IAM action/resource patterns, case-insensitive for actions. */
function globMatch(pattern: string, value: string, ignoreCase: boolean): boolean {
  const escaped = pattern.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".");
  return new RegExp(`^${escaped}$`, ignoreCase ? "i" : "").test(value);
}

function covers(patterns: unknown[], values: unknown[], ignoreCase: boolean): boolean {
  const ps = patterns.filter((p): p is string => typeof p === "string");
  if (ps.includes("*")) return true;
  return values.length > 0 && values.every((v) => typeof v === "string" && ps.some((p) => globMatch(p, v, ignoreCase)));
}

/** A Deny for everyone that applies unless the caller is narrowed, and covers the statement's actions and resources. */
function guards(deny: Rec, allow: Rec, allowed: AllowedRanges): boolean {
  if (deny.Effect !== "Deny" || !isPublicPrincipal(deny.Principal) || deny.NotAction !== undefined || deny.NotResource !== undefined) return false;
  const guard = clauses(deny).some((c) => NEGATED.has(c.operator) && !c.forAll && (c.operator === "notipaddress") === IP_KEYS.has(c.key) && narrowsValues(c, allowed));
  if (!guard) return false;
  const allowActions = allow.NotAction !== undefined ? ["*"] : oneOrMany(allow.Action);
  if (!covers(oneOrMany(deny.Action), allowActions, true)) return false;
  if (deny.Resource === undefined) return true; // resource policies may omit Resource: the attached resource
  return covers(oneOrMany(deny.Resource), allow.Resource === undefined ? ["*"] : oneOrMany(allow.Resource), false);
}

export interface PublicStatement {
  /** Sid, or "#<index>". */
  readonly label: string;
  readonly actions: unknown;
  /** Why the statement counts as public. */
  readonly reason: string;
}

function conditionKeys(statement: Rec): string {
  return [...new Set(clauses(statement).map((c) => c.name))].join(", ");
}

/** The statements of `document` that allow anyone in (principal "*" or NotPrincipal) without narrowing the caller. */
export function publicStatements(document: Rec, allowed: AllowedRanges): PublicStatement[] {
  const all = statements(document);
  const denies = all.filter((s) => s.Effect === "Deny");
  const found: PublicStatement[] = [];
  all.forEach((s, i) => {
    if (s.Effect !== "Allow") return;
    const everyone = isPublicPrincipal(s.Principal) || s.NotPrincipal !== undefined;
    if (!everyone || narrowsCaller(s, allowed) || denies.some((d) => guards(d, s, allowed))) return;
    const who = s.NotPrincipal !== undefined ? "everyone except the NotPrincipal" : "any principal";
    const reason = hasCondition(s) ? `${who}; its conditions (${conditionKeys(s)}) do not narrow the caller` : `${who} without a condition`;
    found.push({ label: str(s.Sid) ?? `#${i}`, actions: s.NotAction !== undefined ? { NotAction: s.NotAction } : s.Action, reason });
  });
  return found;
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
