/** tracing:alerting, tracing:alertEmails and the metrics-store keys (R5): parsed into seconds, every bad value named. */
import { DEFAULT_THRESHOLDS } from "../../render/alertRules";
import { parseStack, stackConfigProblems } from "../support/stackConfig";

const parse = (overrides: Record<string, unknown>, stack = "dev") => parseStack(overrides, { stack });
const problems = (overrides: Record<string, unknown>) => stackConfigProblems(overrides);

describe("alerting configuration", () => {
  it("parses the committed stacks into seconds", () => {
    const prod = parse({}, "prod").alerting;
    expect(prod.thresholds).toEqual({ ...DEFAULT_THRESHOLDS, dbP95Ms: 300, trafficDropSeconds: 900, lostOrderSeconds: 600 });
    expect(prod.emails).toEqual({ support: ["order-support@corp.example.com"], engineering: ["tracing-oncall@corp.example.com"] });
    expect(prod.metricsRetentionDays).toBe(30);
    const dev = parse({}).alerting;
    expect(dev.thresholds.trafficDropSeconds).toBe(1800);
    expect(dev.metricsVolumeGiB).toBe(10);
  });

  it("defaults every threshold when tracing:alerting is absent", () => {
    expect(parse({ alerting: undefined }).alerting.thresholds).toEqual(DEFAULT_THRESHOLDS);
  });

  it("names key, value and what is allowed for bad thresholds and unknown fields", () => {
    expect(problems({ alerting: { dbP95Ms: 0, windowMinutes: 1.5, lostOrder: 3 } })).toEqual([
      "tracing:alerting.lostOrder: unknown field; allowed: windowMinutes, publishFailures, consumerErrors, consumeWithinMinutes, dbErrors, dbP95Ms, lostOrderMinutes, lostOrders, trafficDropMinutes, samplerQueuePercent, pendingMinutes",
      "tracing:alerting.windowMinutes = 1.5: must be a whole number of minutes from 1 to 60",
      "tracing:alerting.dbP95Ms = 0: must be a whole number of milliseconds from 1 to 600000",
    ]);
    expect(problems({ alerting: "fast" })).toEqual([expect.stringMatching(/^tracing:alerting = "fast": must be an object/)]);
  });

  it("rejects bad receivers and store sizes", () => {
    expect(problems({ alertEmails: { support: ["not-an-address"], ops: [] } })).toEqual([
      "tracing:alertEmails.ops: unknown organisation; allowed: support, engineering",
      'tracing:alertEmails.support = ["not-an-address"]: must be a list of e-mail addresses',
    ]);
    expect(problems({ metricsRetentionDays: "365" })).toEqual(['tracing:metricsRetentionDays = "365": must be a whole number of days from 1 to 90']);
  });
});

describe("tracing:smtp, the mail relay of alert e-mails (R5, R10)", () => {
  const relay = { host: "smtp.corp.example.com", fromAddress: "alerts@corp.example.com", egressCidrs: ["10.20.200.25/32"] };

  it("parses the committed stacks, with defaults", () => {
    expect(parse({}, "prod").alerting.smtp).toEqual({ host: "smtp.corp.example.com", port: 587, fromAddress: "tracing-alerts@corp.example.com", fromName: "Order tracing alerts", user: "tracing-alerts", egressCidrs: ["10.30.200.25/32"] });
    expect(parse({ smtp: relay }).alerting.smtp).toEqual({ ...relay, port: 587, fromName: "Order tracing alerts", user: undefined });
  });

  it("is required as soon as anyone gets alert e-mails, and not without them", () => {
    expect(problems({ smtp: undefined })).toEqual([expect.stringMatching(/tracing:alertEmails is set but tracing:smtp is not/)]);
    expect(parse({ smtp: undefined, alertEmails: { support: [], engineering: [] } }).alerting.smtp).toBeUndefined();
  });

  it.each([
    [{ ...relay, port: 2525 }, "tracing:smtp.port"],
    [{ ...relay, host: "SMTP relay" }, "tracing:smtp.host"],
    [{ ...relay, fromAddress: "alerts" }, "tracing:smtp.fromAddress"],
    [{ ...relay, egressCidrs: [] }, "tracing:smtp.egressCidrs"],
    [{ ...relay, egressCidrs: ["0.0.0.0/0"] }, "tracing:smtp.egressCidrs"],
    [{ ...relay, fromName: "a\r\nBcc: x@y.z" }, "tracing:smtp.fromName"],
    [{ ...relay, tls: false }, "tracing:smtp.tls"],
  ])("refuses %j naming %s", (smtp, key) => {
    expect(problems({ smtp }).join("\n")).toContain(key);
  });
});
