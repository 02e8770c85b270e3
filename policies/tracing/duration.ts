/** Go / Prometheus duration strings ("168h", "7d", "1h30m") to hours; undefined when unreadable. */
const UNIT_HOURS: Readonly<Record<string, number>> = {
  ns: 1 / 3.6e12,
  us: 1 / 3.6e9,
  µs: 1 / 3.6e9,
  ms: 1 / 3.6e6,
  s: 1 / 3600,
  m: 1 / 60,
  h: 1,
  d: 24,
  w: 24 * 7,
  y: 24 * 365,
};

export function durationHours(value: unknown): number | undefined {
  if (typeof value === "number") return value === 0 ? 0 : undefined; // only a bare 0 is unambiguous
  if (typeof value !== "string") return undefined;
  const text = value.trim();
  if (text === "0") return 0;
  if (!/^(\d+(\.\d+)?(ns|us|µs|ms|s|m|h|d|w|y))+$/.test(text)) return undefined;
  let hours = 0;
  for (const m of text.matchAll(/(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h|d|w|y)/g)) hours += Number(m[1]) * UNIT_HOURS[m[2]];
  return hours;
}
