/**
 * CIDR parsing and classification, shared by config validation, the exposure
 * helper and the policy pack so that "private" means one thing everywhere.
 */

export interface Cidr {
  readonly text: string;
  readonly family: 4 | 6;
  /** Network address as a big integer (128-bit space for IPv6). */
  readonly network: bigint;
  readonly prefix: number;
}

const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

function parseIpv4(address: string): bigint | undefined {
  const m = IPV4.exec(address);
  if (!m) return undefined;
  let value = 0n;
  for (const octet of m.slice(1)) {
    const n = Number(octet);
    if (n > 255 || (octet.length > 1 && octet.startsWith("0"))) return undefined;
    value = (value << 8n) | BigInt(n);
  }
  return value;
}

function parseIpv6(address: string): bigint | undefined {
  if (!/^[0-9a-fA-F:]+$/.test(address) || address.includes(":::")) return undefined;
  const halves = address.split("::");
  if (halves.length > 2) return undefined;
  const groups = (part: string) => (part === "" ? [] : part.split(":"));
  const head = groups(halves[0]);
  const tail = halves.length === 2 ? groups(halves[1]) : [];
  const missing = 8 - head.length - tail.length;
  if ((halves.length === 1 && missing !== 0) || missing < 0 || (halves.length === 2 && missing < 1)) return undefined;
  const all = [...head, ...Array(halves.length === 2 ? missing : 0).fill("0"), ...tail];
  let value = 0n;
  for (const g of all) {
    if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return undefined;
    value = (value << 16n) | BigInt(parseInt(g, 16));
  }
  return value;
}

/** Parses "a.b.c.d/n" or "x:y::/n"; returns undefined for anything else (including host bits set). */
export function parseCidr(text: string): Cidr | undefined {
  if (typeof text !== "string") return undefined;
  const slash = text.indexOf("/");
  if (slash < 0) return undefined;
  const address = text.slice(0, slash);
  const prefixText = text.slice(slash + 1);
  if (!/^\d{1,3}$/.test(prefixText)) return undefined;
  const prefix = Number(prefixText);
  const v4 = parseIpv4(address);
  const family: 4 | 6 | undefined = v4 !== undefined ? 4 : parseIpv6(address) !== undefined ? 6 : undefined;
  if (family === undefined) return undefined;
  const bits = family === 4 ? 32 : 128;
  if (prefix > bits) return undefined;
  const network = (v4 ?? parseIpv6(address)) as bigint;
  const hostMask = (1n << BigInt(bits - prefix)) - 1n;
  if ((network & hostMask) !== 0n) return undefined;
  return { text, family, network, prefix };
}

/** True when `inner` lies entirely inside `outer`. */
export function cidrContains(outer: Cidr, inner: Cidr): boolean {
  if (outer.family !== inner.family || inner.prefix < outer.prefix) return false;
  const bits = outer.family === 4 ? 32 : 128;
  const shift = BigInt(bits - outer.prefix);
  return inner.network >> shift === outer.network >> shift;
}

/** Private address space: RFC 1918, RFC 6598 (carrier-grade NAT, used by some corporate VPNs) and IPv6 ULA. */
export const PRIVATE_RANGES: readonly Cidr[] = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10", "fc00::/7"].map(
  (c) => parseCidr(c) as Cidr,
);

export function isPrivateCidr(text: string): boolean {
  const cidr = parseCidr(text);
  return cidr !== undefined && PRIVATE_RANGES.some((range) => cidrContains(range, cidr));
}

/** The widest prefix accepted for any allow-listed range (R13): nothing wider than a /8. */
export const WIDEST_PREFIX = 8;

/** Why a CIDR may not be used to admit traffic, or undefined when it may. */
export function cidrProblem(text: string, opts: { requirePrivate: boolean }): string | undefined {
  const cidr = parseCidr(text);
  if (!cidr) return "is not a valid CIDR (for example 10.20.0.0/16; host bits must be zero)";
  if (cidr.prefix === 0) return "opens the range to the whole internet";
  if (cidr.prefix < WIDEST_PREFIX) return `is wider than /${WIDEST_PREFIX}`;
  if (opts.requirePrivate && !isPrivateCidr(text)) {
    return "is not a private range (10/8, 172.16/12, 192.168/16, 100.64/10 or fc00::/7)";
  }
  return undefined;
}
