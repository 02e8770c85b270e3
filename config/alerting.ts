/**
 * The alerting keys (R5): per-stack thresholds (`tracing:alerting`), who is
 * notified (`tracing:alertEmails`), the metrics stores' retention and volume.
 * Thresholds are written in minutes and counts; the rules use seconds.
 */
import { AlertThresholds, DEFAULT_THRESHOLDS } from "../render/alertRules";
import { cidrProblem } from "./cidr";
import { FieldReader } from "./fields";
import { HOSTNAME } from "./patterns";

export interface AlertingConfig {
  readonly thresholds: AlertThresholds;
  /** E-mail receivers per organisation; the Engineering contact point also gets the webhook secret when set. */
  readonly emails: { readonly support: readonly string[]; readonly engineering: readonly string[] };
  /** Days the metrics stores keep series (Prometheus `--storage.tsdb.retention.time`). */
  readonly metricsRetentionDays: number;
  /** Size of each metrics store's volume, in GiB. */
  readonly metricsVolumeGiB: number;
  /** The mail relay Grafana sends alert e-mails through; required when any e-mail receiver is set. */
  readonly smtp?: SmtpRelay;
}

/** tracing:smtp: Grafana's [smtp] relay, always with TLS (STARTTLS required, or implicit TLS on 465), R10. */
export interface SmtpRelay {
  readonly host: string;
  /** @default 587 */
  readonly port: number;
  readonly fromAddress: string;
  /** @default "Order tracing alerts" */
  readonly fromName: string;
  /** Login at the relay; its password is the secret tracing:smtpPassword. @default undefined (no authentication) */
  readonly user?: string;
  /** Where the relay is: the only egress Grafana gets for it (NetworkPolicy). */
  readonly egressCidrs: readonly string[];
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

  const emails = { support: list("support"), engineering: list("engineering") };
  const smtp = parseSmtp(r);
  if (!smtp && emails.support.length + emails.engineering.length > 0) {
    r.problem("tracing:alertEmails is set but tracing:smtp is not: Grafana needs a mail relay to send alert e-mails");
  }
  return {
    thresholds: thresholds as unknown as AlertThresholds,
    emails,
    smtp,
    metricsRetentionDays: r.integer("metricsRetentionDays", { min: 1, max: 90, unit: "days", default: 15 }),
    metricsVolumeGiB: r.integer("metricsVolumeGiB", { min: 1, max: 1000, unit: "GiB", default: 20 }),
  };
}

const SMTP_FIELDS = ["host", "port", "fromAddress", "fromName", "user", "egressCidrs"];

function parseSmtp(r: FieldReader): SmtpRelay | undefined {
  const raw = r.object("smtp", { required: false, allowed: `an object with ${SMTP_FIELDS.join(", ")}` });
  if (!raw) return undefined;
  const bad = (field: string, allowed: string) => r.problem(`tracing:smtp.${field} = ${JSON.stringify(raw[field])}: ${allowed}`);
  for (const key of Object.keys(raw)) if (!SMTP_FIELDS.includes(key)) r.problem(`tracing:smtp.${key}: unknown field; allowed: ${SMTP_FIELDS.join(", ")}`);
  const host = raw.host;
  if (typeof host !== "string" || !HOSTNAME.test(host)) bad("host", "must be the relay's lowercase DNS name");
  const port = raw.port ?? 587;
  if (port !== 587 && port !== 465 && port !== 25) bad("port", "must be 587 (STARTTLS), 465 (implicit TLS) or 25 (STARTTLS required)");
  const fromAddress = raw.fromAddress;
  if (typeof fromAddress !== "string" || !EMAIL.test(fromAddress)) bad("fromAddress", "must be an e-mail address");
  const fromName = raw.fromName ?? "Order tracing alerts";
  if (typeof fromName !== "string" || fromName.length === 0 || /[\r\n]/.test(fromName)) bad("fromName", "must be a one-line name");
  const user = raw.user;
  if (user !== undefined && (typeof user !== "string" || user.length === 0 || /\s/.test(user))) bad("user", "must be a login without spaces");
  const egress = raw.egressCidrs;
  const egressProblems = Array.isArray(egress) && egress.length > 0 ? egress.map((c) => (typeof c === "string" ? cidrProblem(c, { requirePrivate: false }) : "is not a string")).filter(Boolean) : ["is empty"];
  if (egressProblems.length > 0) bad("egressCidrs", `must be a non-empty list of CIDRs no wider than /8 where the relay is (${egressProblems.join("; ")})`);
  return { host: String(host), port: Number(port), fromAddress: String(fromAddress), fromName: String(fromName), user: user as string | undefined, egressCidrs: (Array.isArray(egress) ? egress : []) as string[] };
}
