/**
 * What counts as "private" for the exposure rules (R13), from policy config so
 * that a company whose corporate ranges are public addresses can use the pack:
 * `privateCidrs` (default RFC 1918, 100.64.0.0/10 and fc00::/7) plus
 * `allowedCidrs` (the corporate ranges, default none). A range is allowed only
 * when it lies entirely inside one of them; anything else, of any size (a
 * public /24, a cloud provider's /8, 0.0.0.0/0), is public.
 */
import { PolicyConfigSchema } from "@pulumi/policy";
import { Cidr, cidrContains, parseCidr } from "./cidr";
import { hiddenPath } from "./props";

export const DEFAULT_PRIVATE_CIDRS: readonly string[] = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10", "fc00::/7"];

/** Config properties every range-reading rule accepts (`--policy-pack-config` / `policy:check --config`). */
export const RANGE_CONFIG_SCHEMA: PolicyConfigSchema = {
  properties: {
    privateCidrs: { type: "array", items: { type: "string" }, default: [...DEFAULT_PRIVATE_CIDRS] },
    allowedCidrs: { type: "array", items: { type: "string" }, default: [] },
  },
};

export interface RangeConfig {
  /** Private address space. @default DEFAULT_PRIVATE_CIDRS */
  readonly privateCidrs?: readonly string[];
  /** Further ranges that count as private, e.g. public corporate egress ranges. @default [] */
  readonly allowedCidrs?: readonly string[];
}

export interface AllowedRanges {
  readonly ranges: readonly Cidr[];
  /** For messages: the allowed set as configured. */
  readonly label: string;
}

const cache = new Map<string, AllowedRanges>();

export function allowedRanges(config: RangeConfig | undefined): AllowedRanges {
  const texts = [...(config?.privateCidrs ?? DEFAULT_PRIVATE_CIDRS), ...(config?.allowedCidrs ?? [])].filter((t) => typeof t === "string");
  const key = texts.join(",");
  let found = cache.get(key);
  if (!found) {
    found = { ranges: texts.map(parseRange).filter((c): c is Cidr => c !== undefined), label: texts.join(", ") };
    cache.set(key, found);
  }
  return found;
}

/** A CIDR, or a bare address taken as a single host (/32, /128), as IAM conditions and annotations allow. */
export function parseRange(text: string): Cidr | undefined {
  const t = text.trim();
  if (t.includes("/")) return parseCidr(t) ?? parseLoose(t);
  return parseCidr(`${t}/${t.includes(":") ? 128 : 32}`);
}

/** "10.1.2.3/16" (host bits set, which AWS and Kubernetes accept) as its network. */
function parseLoose(text: string): Cidr | undefined {
  const [address, prefixText] = text.split("/");
  const host = parseCidr(`${address}/${address.includes(":") ? 128 : 32}`);
  const prefix = Number(prefixText);
  if (!host || !/^\d{1,3}$/.test(prefixText) || prefix > (host.family === 4 ? 32 : 128)) return undefined;
  const bits = host.family === 4 ? 32 : 128;
  const mask = ((1n << BigInt(bits)) - 1n) ^ ((1n << BigInt(bits - prefix)) - 1n);
  return { text, family: host.family, network: host.network & mask, prefix };
}

/** True when the range lies entirely inside the allowed set. Unparsable text is not allowed. */
export function isAllowedRange(text: unknown, allowed: AllowedRanges): boolean {
  if (typeof text !== "string") return false;
  const cidr = parseRange(text);
  return cidr !== undefined && allowed.ranges.some((r) => cidrContains(r, cidr));
}

/** "<range> (why it is public)", or undefined when it is allowed or hidden (a secret or unknown: exposure-unverifiable reports it). */
export function publicRangeProblem(text: unknown, allowed: AllowedRanges): string | undefined {
  if (isAllowedRange(text, allowed) || hiddenPath(text) !== undefined) return undefined;
  if (typeof text !== "string" || parseRange(text) === undefined) return `${JSON.stringify(text)} (not a valid CIDR, so it cannot be shown to be private)`;
  const cidr = parseRange(text) as Cidr;
  if (cidr.prefix === 0) return `${text} (the whole internet)`;
  return `${text} (outside the private ranges ${allowed.label})`;
}

/** The public ranges among `ranges`, each with its reason. */
export function publicRanges(ranges: readonly unknown[], allowed: AllowedRanges): string[] {
  return ranges.map((r) => publicRangeProblem(r, allowed)).filter((p): p is string => p !== undefined);
}
