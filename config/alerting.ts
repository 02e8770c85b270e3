/**
 * The alerting keys (R5): per-stack thresholds (`tracing:alerting`), who is
 * notified (`tracing:alertEmails`), the metrics stores' retention and volume.
 * Thresholds are written in minutes and counts; the rules use seconds.
 */
import { AlertThresholds, DEFAULT_THRESHOLDS } from "../render/alertRules";
import { FieldReader } from "./fields";

export interface AlertingConfig {
  readonly thresholds: AlertThresholds;
  /** E-mail receivers per organisation; the Engineering contact point also gets the webhook secret when set. */
  readonly emails: { readonly support: readonly string[]; readonly engineering: readonly string[] };
  /** Days the metrics stores keep series (Prometheus `--storage.tsdb.retention.time`). */
  readonly metricsRetentionDays: number;
  /** Size of each metrics store's volume, in GiB. */
  readonly metricsVolumeGiB: number;
}

/** Fields of tracing:alerting: name, [min, max], unit, default, how it maps to a threshold. */
const FIELDS = [
  ["windowMinutes", 1, 60, "minutes", DEFAULT_THRESHOLDS.windowSeconds / 60, "windowSeconds", 60],
  ["publishFailures", 0, 100000, "publishes", DEFAULT_THRESHOLDS.publishFailures, "publishFailures", 1],
  ["consumerErrors", 0, 100000, "messages", DEFAULT_THRESHOLDS.consumerErrors, "consumerErrors", 1],
  ["consumeWithinMinutes", 1, 1440, "minutes", DEFAULT_THRESHOLDS.consumeWithinSeconds / 60, "consumeWithinSeconds", 60],
  ["dbErrors", 0, 100000, "queries", DEFAULT_THRESHOLDS.dbErrors, "dbErrors", 1],
  ["dbP95Ms", 1, 600000, "milliseconds", DEFAULT_THRESHOLDS.dbP95Ms, "dbP95Ms", 1],
  ["lostOrderMinutes", 1, 1440, "minutes", DEFAULT_THRESHOLDS.lostOrderSeconds / 60, "lostOrderSeconds", 60],
  ["lostOrders", 0, 100000, "orders", DEFAULT_THRESHOLDS.lostOrders, "lostOrders", 1],
  ["trafficDropMinutes", 5, 1440, "minutes", DEFAULT_THRESHOLDS.trafficDropSeconds / 60, "trafficDropSeconds", 60],
  ["samplerQueuePercent", 10, 99, "percent", DEFAULT_THRESHOLDS.samplerQueuePercent, "samplerQueuePercent", 1],
  ["pendingMinutes", 0, 60, "minutes", DEFAULT_THRESHOLDS.pendingSeconds / 60, "pendingSeconds", 60],
] as const;

export const ALERTING_FIELDS: readonly string[] = FIELDS.map((f) => f[0]);
const EMAIL = /^[^\s@,;<>"]+@[a-z0-9.-]+\.[a-z]{2,63}$/i;

export function parseAlerting(r: FieldReader): AlertingConfig {
  const raw = r.object("alerting", { required: false, allowed: `an object with ${ALERTING_FIELDS.join(", ")}` }) ?? {};
  const thresholds: Record<string, number> = { ...DEFAULT_THRESHOLDS };
  for (const key of Object.keys(raw)) {
    if (!ALERTING_FIELDS.includes(key)) r.problem(`tracing:alerting.${key}: unknown field; allowed: ${ALERTING_FIELDS.join(", ")}`);
  }
  for (const [name, min, max, unit, , target, factor] of FIELDS) {
    const value = raw[name];
    if (value === undefined) continue;
    if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max) {
      r.problem(`tracing:alerting.${name} = ${JSON.stringify(value)}: must be a whole number of ${unit} from ${min} to ${max}`);
    } else {
      thresholds[target] = value * factor;
    }
  }

  const emailsRaw = r.object("alertEmails", { required: false, allowed: "an object with support and engineering lists of e-mail addresses" }) ?? {};
  const list = (org: "support" | "engineering"): string[] => {
    const value = emailsRaw[org] ?? [];
    if (!Array.isArray(value) || value.some((v) => typeof v !== "string" || !EMAIL.test(v))) {
      r.problem(`tracing:alertEmails.${org} = ${JSON.stringify(value)}: must be a list of e-mail addresses`);
      return [];
    }
    return value as string[];
  };
  for (const key of Object.keys(emailsRaw)) if (key !== "support" && key !== "engineering") r.problem(`tracing:alertEmails.${key}: unknown organisation; allowed: support, engineering`);

  return {
    thresholds: thresholds as unknown as AlertThresholds,
    emails: { support: list("support"), engineering: list("engineering") },
    metricsRetentionDays: r.integer("metricsRetentionDays", { min: 1, max: 90, unit: "days", default: 15 }),
    metricsVolumeGiB: r.integer("metricsVolumeGiB", { min: 1, max: 1000, unit: "GiB", default: 20 }),
  };
}
