import { ConfigError } from "../../config/fields";
import { SecretKey } from "../../config/stackConfig";
import { allSecrets, parseStack, rawStackConfig as rawConfig, stackConfigProblems } from "../support/stackConfig";

const parse = (overrides: Record<string, unknown> = {}, secret: (k: SecretKey) => string | undefined = allSecrets, stack = "dev") => parseStack(overrides, { stack, secret });
const problemsOf = (overrides: Record<string, unknown>, secret: (k: SecretKey) => string | undefined = allSecrets) => stackConfigProblems(overrides, { secret });

describe("stack configuration", () => {
  it("parses the committed dev and prod stacks", () => {
    const dev = parse();
    expect(dev.retentionDays).toBe(7);
    expect(dev.sampling).toEqual({ defaultPercent: 25, orderPercent: 100, slowTraceThresholdMs: 2000, maxConsumerDelaySeconds: 60 });
    expect(dev.network.corporateCidrs).toEqual(["10.100.0.0/16", "10.101.0.0/16"]);
    expect(dev.secrets.oidcClientSecret).toBe("value-of-oidcClientSecret");
    const prod = parse({}, allSecrets, "prod");
    expect(prod.retentionDays).toBe(30);
    expect(prod.grafanaDatabase).toBe("postgres");
    expect(prod.replicas.gateway).toBeGreaterThanOrEqual(2);
  });

  it("applies documented defaults for optional keys", () => {
    const cfg = parse({ retentionDays: undefined, defaultSamplePercent: undefined, orderSamplePercent: undefined, tlsMinVersion: undefined, archiveDays: undefined });
    expect(cfg.retentionDays).toBe(7);
    expect(cfg.sampling.defaultPercent).toBe(25);
    expect(cfg.sampling.orderPercent).toBe(100);
    expect(cfg.tls.minVersion).toBe("1.3");
    expect(cfg.archive.days).toBe(365);
  });

  it.each([["7", 7], ["30", 30], ["14", 14]])("accepts retentionDays %s", (value, expected) => {
    expect(parse({ retentionDays: value }).retentionDays).toBe(expected);
  });

  it.each(["3", "6", "31", "45", "7.5", "seven", ""])("rejects retentionDays %j naming key, value and range", (value) => {
    const problems = problemsOf({ retentionDays: value });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain("tracing:retentionDays");
    expect(problems[0]).toContain(JSON.stringify(value));
    expect(problems[0]).toContain("from 7 to 30");
  });

  it.each(["29", "3651", "x"])("rejects archiveDays %j", (value) => {
    expect(problemsOf({ archiveDays: value })[0]).toMatch(/tracing:archiveDays.*from 30 to 3650/);
  });

  it("rejects an unknown archive storage class", () => {
    expect(problemsOf({ archiveStorageClass: "STANDARD_IA" })[0]).toMatch(/tracing:archiveStorageClass.*GLACIER, DEEP_ARCHIVE/);
  });

  it.each([
    [["0.0.0.0/0"], "whole internet"],
    [["::/0"], "whole internet"],
    [["10.0.0.0/7"], "wider than /8"],
    [["8.8.8.0/24"], "not a private range"],
    [["2001:db8::/32"], "not a private range"],
    [["10.0.0.1/8"], "not a valid CIDR"],
    [["10.0.0.0/33"], "not a valid CIDR"],
    [["10.0.0.0"], "not a valid CIDR"],
    [["10.100.0.0/16", "0.0.0.0/0"], "whole internet"],
  ])("rejects corporateCidrs %j", (value, reason) => {
    const problems = problemsOf({ corporateCidrs: value });
    expect(problems.join("\n")).toContain("tracing:corporateCidrs");
    expect(problems.join("\n")).toContain(reason);
  });

  it("rejects an empty or malformed corporateCidrs list", () => {
    expect(problemsOf({ corporateCidrs: [] })[0]).toMatch(/tracing:corporateCidrs.*must not be empty/);
    expect(problemsOf({ corporateCidrs: "10.0.0.0/8" })[0]).toMatch(/tracing:corporateCidrs.*list/);
    expect(problemsOf({ corporateCidrs: [10] })[0]).toMatch(/tracing:corporateCidrs.*list of strings/);
    expect(problemsOf({ corporateCidrs: undefined })[0]).toMatch(/tracing:corporateCidrs is required/);
  });

  it.each([["10.0.0.0/8"], ["172.16.0.0/12"], ["192.168.10.0/24"], ["100.64.0.0/10"], ["fd12:3456::/32"]])("accepts private corporate range %s", (cidr) => {
    expect(parse({ corporateCidrs: [cidr] }).network.corporateCidrs).toEqual([cidr]);
  });

  it("applies the same CIDR rules to application and egress ranges", () => {
    expect(problemsOf({ applicationCidrs: ["0.0.0.0/0"] })[0]).toContain("tracing:applicationCidrs");
    expect(problemsOf({ idpEgressCidrs: ["0.0.0.0/0"] })[0]).toContain("tracing:idpEgressCidrs");
    expect(problemsOf({ awsApiEgressCidrs: ["16.0.0.0/4"] })[0]).toContain("wider than /8");
  });

  it("reads the deploy runners' CIDRs with the corporate rules, defaulting to none", () => {
    expect(parse().network.deployerCidrs).toEqual(["10.20.8.0/24"]);
    expect(parse({ deployerCidrs: undefined }).network.deployerCidrs).toEqual([]);
    expect(problemsOf({ deployerCidrs: ["0.0.0.0/0"] })[0]).toMatch(/^tracing:deployerCidrs = .*"0\.0\.0\.0\/0" opens the range to the whole internet/);
    // A GitHub-hosted runner's public address is not a deployer range: the runner must be inside the network.
    expect(problemsOf({ deployerCidrs: ["20.201.28.151/32"] })[0]).toMatch(/tracing:deployerCidrs.*not a private range/);
    expect(problemsOf({ deployerCidrs: ["10.0.0.0/7"] })[0]).toMatch(/tracing:deployerCidrs.*(wider than \/8|not a valid CIDR)/);
    expect(problemsOf({ deployerCidrs: "10.20.8.0/24" })[0]).toMatch(/tracing:deployerCidrs.*list/);
  });

  it("checks the private hosted zone id", () => {
    expect(parse().privateHostedZoneId).toBe("Z0DEVEXAMPLE0ZONE0ID");
    expect(parse({ privateHostedZoneId: undefined }).privateHostedZoneId).toBeUndefined();
    expect(problemsOf({ privateHostedZoneId: "/hostedzone/Z0123" })[0]).toMatch(/tracing:privateHostedZoneId = "\/hostedzone\/Z0123": must be a Route53 hosted zone id/);
    expect(problemsOf({ privateHostedZoneId: "z0123abc" })[0]).toMatch(/tracing:privateHostedZoneId/);
  });

  it.each([
    ["defaultSamplePercent", "0"],
    ["defaultSamplePercent", "101"],
    ["orderSamplePercent", "0"],
    ["orderSamplePercent", "150"],
    ["slowTraceThresholdMs", "50"],
    ["maxConsumerDelaySeconds", "0"],
    ["peakSpansPerSecond", "50"],
    ["peakSpansPerSecond", "2000000"],
    ["meanSpansPerTrace", "0"],
    ["gatewayReplicas", "0"],
    ["certValidityDays", "398"],
  ])("rejects %s = %s", (key, value) => {
    const problems = problemsOf({ [key]: value });
    expect(problems[0]).toContain(`tracing:${key} = "${value}"`);
  });

  it("rejects a peak that one sampler pod cannot hold, naming the keys to change", () => {
    // 1M spans/s on 3 pods (2 serving): 500k spans/s x 30 s held per pod, far beyond 16 GiB.
    const problems = problemsOf({ peakSpansPerSecond: "1000000", samplerReplicas: "3" });
    expect(problems.join("\n")).toMatch(/tracing:peakSpansPerSecond = 1000000: needs \d+ MiB per sampler pod with tracing:samplerReplicas = 3.*raise tracing:samplerReplicas/);
    // Spread over 20 pods (19 serving) the same peak fits.
    expect(parse({ peakSpansPerSecond: "1000000", samplerReplicas: "20" }, allSecrets).traffic.peakSpansPerSecond).toBe(1_000_000);
  });

  it("rejects TLS versions below 1.2", () => {
    expect(problemsOf({ tlsMinVersion: "1.1" })[0]).toMatch(/tracing:tlsMinVersion.*1\.2, 1\.3/);
  });

  it("requires certificates to renew before they expire", () => {
    expect(problemsOf({ certValidityDays: "30", certRenewBeforeDays: "30" })[0]).toMatch(/certRenewBeforeDays = 30: must be less than tracing:certValidityDays/);
  });

  it("checks the OIDC settings", () => {
    const oidc = JSON.parse(rawConfig().get("oidc") as string);
    expect(problemsOf({ oidc: { ...oidc, authUrl: "http://sso.example.com/auth" } })[0]).toMatch(/tracing:oidc.authUrl.*https/);
    expect(problemsOf({ oidc: { ...oidc, clientId: undefined } })[0]).toMatch(/tracing:oidc.clientId is required/);
    expect(problemsOf({ oidc: { ...oidc, developerGroup: oidc.supportGroup } })[0]).toMatch(/three role groups must differ/);
    expect(problemsOf({ oidc: "sso" })[0]).toMatch(/tracing:oidc.*must be an object/);
  });

  it("checks the audit and login settings of issue 14", () => {
    const oidc = JSON.parse(rawConfig().get("oidc") as string);
    const dev = parse();
    expect(dev.oidc).toMatchObject({ loginClaim: "preferred_username", emailClaim: "email" });
    expect(dev.oidc.signoutRedirectUrl).toBeUndefined();
    expect(dev.oidc.tlsClientCaPem).toBeUndefined();
    expect(dev.auditBreakGlassRoleArn).toBe("arn:aws:iam::111111111111:role/tracing-audit-break-glass");
    expect(dev.network.deployerCidrs).toEqual(["10.20.8.0/24"]);
    expect(parse({ deployerCidrs: undefined }).network.deployerCidrs).toEqual([]);
    const pem = "-----BEGIN CERTIFICATE-----\nMIIBdzCCAR2gAwIBAgIU\n-----END CERTIFICATE-----\n";
    const set = parse({ oidc: { ...oidc, signoutRedirectUrl: "https://sso.corp.example.com/logout", tlsClientCaPem: pem, loginClaim: "upn" } });
    expect(set.oidc).toMatchObject({ signoutRedirectUrl: "https://sso.corp.example.com/logout", tlsClientCaPem: pem, loginClaim: "upn" });
    expect(problemsOf({ oidc: { ...oidc, signoutRedirectUrl: "http://sso/logout" } })[0]).toMatch(/tracing:oidc.signoutRedirectUrl = "http:\/\/sso\/logout": must be an https:\/\/ URL/);
    expect(problemsOf({ oidc: { ...oidc, tlsClientCaPem: "not a pem" } })[0]).toMatch(/tracing:oidc.tlsClientCaPem.*PEM/);
    expect(problemsOf({ oidc: { ...oidc, loginClaim: "a b" } })[0]).toMatch(/tracing:oidc.loginClaim.*claim name/);
    expect(problemsOf({ auditBreakGlassRoleArn: undefined })[0]).toMatch(/tracing:auditBreakGlassRoleArn is required/);
    expect(problemsOf({ auditBreakGlassRoleArn: "arn:aws:iam::111111111111:user/alice" })[0]).toMatch(/tracing:auditBreakGlassRoleArn.*IAM role ARN/);
    expect(problemsOf({ deployerCidrs: ["0.0.0.0/0"] })[0]).toMatch(/tracing:deployerCidrs/);
    expect(problemsOf({ deployerCidrs: ["8.8.8.0/24"] })[0]).toMatch(/tracing:deployerCidrs/);
  });

  it("checks the cluster and IRSA settings", () => {
    const cluster = JSON.parse(rawConfig().get("cluster") as string);
    expect(problemsOf({ cluster: { ...cluster, oidcProviderArn: "arn:aws:iam::1:role/x" } })[0]).toMatch(/tracing:cluster.oidcProviderArn/);
    expect(problemsOf({ cluster: { ...cluster, oidcIssuer: "https://oidc.eks.example" } })[0]).toMatch(/tracing:cluster.oidcIssuer/);
    expect(problemsOf({ cluster: { ...cluster, vpcCidr: "0.0.0.0/0" } })[0]).toMatch(/tracing:cluster.vpcCidr/);
    expect(problemsOf({ cluster: { ...cluster, privateSubnetIds: ["sub-1"] } })[0]).toMatch(/tracing:cluster.privateSubnetIds/);
  });

  it("checks hostnames", () => {
    expect(problemsOf({ grafanaHostname: "Tracing_Corp" })[0]).toMatch(/tracing:grafanaHostname/);
    expect(problemsOf({ grafanaHostname: undefined })[0]).toMatch(/tracing:grafanaHostname is required/);
  });

  it("checks cross-key rules", () => {
    expect(problemsOf({ exposeCollector: "true", applicationCidrs: [] })[0]).toMatch(/exposeCollector = true: needs tracing:applicationCidrs/);
    expect(problemsOf({ grafanaReplicas: "2", grafanaDatabase: "sqlite" })[0]).toMatch(/more than one replica needs tracing:grafanaDatabase = postgres/);
    expect(problemsOf({ gatewayReplicas: "3", gatewayMaxReplicas: "2" })[0]).toMatch(/gatewayMaxReplicas = 2/);
    expect(problemsOf({ tenantRetentionDays: { orders: 45 } })[0]).toMatch(/tenantRetentionDays.orders = 45/);
  });

  describe("Tempo per-tenant limits (tracing:tempo*)", () => {
    it("defaults to the prod sizing, with search reaching back as far as the retention", () => {
      expect(parse().tempoLimits).toEqual({ ingestionRateMiB: 16, ingestionBurstMiB: 32, maxTracesPerTenant: 50000, maxTraceSizeMiB: 5, maxSearchHours: 168 });
      expect(parse({}, allSecrets, "prod").tempoLimits.maxSearchHours).toBe(720);
    });

    it("reads every key", () => {
      const l = parse({ tempoIngestionRateMiB: "8", tempoIngestionBurstMiB: "12", tempoMaxTracesPerTenant: "20000", tempoMaxTraceSizeMiB: "2", tempoMaxSearchHours: "24" }).tempoLimits;
      expect(l).toEqual({ ingestionRateMiB: 8, ingestionBurstMiB: 12, maxTracesPerTenant: 20000, maxTraceSizeMiB: 2, maxSearchHours: 24 });
    });

    it.each([
      ["tempoIngestionRateMiB", "0", "from 1 to 1024"],
      ["tempoIngestionRateMiB", "1.5", "whole number of MiB per second"],
      ["tempoIngestionBurstMiB", "2", "from 4 to 4096"],
      ["tempoMaxTracesPerTenant", "0", "live traces from 1000"],
      ["tempoMaxTraceSizeMiB", "-1", "from 1 to 100"],
      ["tempoMaxSearchHours", "721", "hours from 1 to 720"],
      ["tempoMaxSearchHours", "7d", "hours from 1 to 720"],
    ])("rejects %s = %j naming key, value and range", (key, value, allowed) => {
      // A low rate keeps the burst case free of the burst >= rate rule.
      const problems = problemsOf({ tempoIngestionRateMiB: key === "tempoIngestionRateMiB" ? value : "1", [key]: value });
      expect(problems).toHaveLength(1);
      expect(problems[0]).toContain(`tracing:${key} = ${JSON.stringify(value)}`);
      expect(problems[0]).toContain(allowed);
    });

    it("rejects a burst smaller than the rate (one push could never fit)", () => {
      expect(problemsOf({ tempoIngestionRateMiB: "64", tempoIngestionBurstMiB: "32" })).toEqual([
        "tracing:tempoIngestionBurstMiB = 32: must be at least tracing:tempoIngestionRateMiB (64)",
      ]);
    });
  });

  it("requires secrets and says how to set them", () => {
    const problems = problemsOf({}, (k) => (k === "grafanaAdminPassword" ? "x" : undefined));
    expect(problems).toEqual([expect.stringContaining("pulumi config set --secret tracing:oidcClientSecret")]);
    const prodProblems = (() => {
      try {
        parse({}, (k) => (k === "grafanaDbPassword" ? undefined : "x"), "prod");
      } catch (e) {
        return (e as ConfigError).problems;
      }
      return [];
    })();
    expect(prodProblems.join("\n")).toContain("tracing:grafanaDbPassword is required");
  });

  it("reports every problem at once", () => {
    const problems = problemsOf({ retentionDays: "45", corporateCidrs: ["0.0.0.0/0"], defaultSamplePercent: "0" });
    expect(problems).toHaveLength(3);
  });
});
