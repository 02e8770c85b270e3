/**
 * The stack configuration: every `tracing:*` key, parsed once into one typed,
 * validated object. Pure: no Pulumi here, so tests and tools call it directly.
 * The README's configuration reference documents the same keys; a test keeps
 * the two in step.
 */
import { DEFAULT_TEMPO_LIMITS } from "../render/tempoLimits";
import { MAX_SAMPLER_CONTAINER_MIB, samplerCapacity } from "../render/samplerSizing";
import { AlertingConfig, parseAlerting } from "./alerting";
import { cidrProblem } from "./cidr";
import { HOSTNAME } from "./patterns";
import { ConfigError, FieldReader, RawConfig } from "./fields";
import { parseScrubbingConfig } from "./scrubbingConfig";
import { ScrubbingOptions } from "../render/scrubbing";

export type TlsMinVersion = "1.2" | "1.3";
export type ArchiveStorageClass = "GLACIER" | "DEEP_ARCHIVE";
export type GrafanaDatabase = "sqlite" | "postgres";

/** Secret keys: only ever read from `pulumi config set --secret`. */
export const SECRET_KEYS = ["oidcClientSecret", "grafanaAdminPassword", "grafanaDbPassword", "kubeconfig", "alertWebhookUrl", "smtpPassword"] as const;
export type SecretKey = (typeof SECRET_KEYS)[number];
/**
 * Secrets whose presence changes what is deployed, not just a value: the
 * offline synth never invents a placeholder for them. `kubeconfig` replaces
 * the Kubernetes provider built from the cluster settings.
 */
export const OPTIONAL_SECRET_KEYS: readonly SecretKey[] = ["kubeconfig", "smtpPassword"];

export interface OidcConfig {
  /** Display name of the IdP on Grafana's login page. */
  readonly name: string;
  readonly authUrl: string;
  readonly tokenUrl: string;
  readonly apiUrl: string;
  readonly clientId: string;
  readonly scopes: string;
  /** Claim in the ID token / userinfo that lists the user's groups. */
  readonly groupsClaim: string;
  readonly supportGroup: string;
  readonly developerGroup: string;
  readonly adminGroup: string;
  /** Claim whose value is the Grafana login, the `user` of every audit record (R11). @default "preferred_username" */
  readonly loginClaim: string;
  /** Claim holding the user's e-mail address. @default "email" */
  readonly emailClaim: string;
  /** The IdP's end-session endpoint: Grafana's sign-out also ends the IdP session. @default undefined (Grafana's own sign-out only) */
  readonly signoutRedirectUrl?: string;
  /** PEM of the CA that signed the IdP's TLS certificate (a corporate CA). @default undefined (the image's public roots) */
  readonly tlsClientCaPem?: string;
}

export interface ClusterConfig {
  readonly name: string;
  /** ARN of the cluster's IAM OIDC provider (IRSA). */
  readonly oidcProviderArn: string;
  /** The cluster's OIDC issuer without https://, e.g. oidc.eks.eu-central-1.amazonaws.com/id/ABC. */
  readonly oidcIssuer: string;
  readonly vpcId: string;
  readonly vpcCidr: string;
  readonly privateSubnetIds: readonly string[];
  readonly routeTableIds: readonly string[];
}

export interface StackConfig<S> {
  readonly stack: string;
  readonly namespace: string;
  readonly retentionDays: number;
  /** Per-tenant block retention overrides in days (7..30). */
  readonly tenantRetentionDays: Readonly<Record<string, number>>;
  readonly archive: { readonly days: number; readonly storageClass: ArchiveStorageClass };
  /** Tempo's per-tenant limits (the same for every tenant of the stack). */
  readonly tempoLimits: {
    /** MiB per second per tenant. */
    readonly ingestionRateMiB: number;
    /** MiB per tenant: at least the largest single push. */
    readonly ingestionBurstMiB: number;
    /** Live traces per tenant. */
    readonly maxTracesPerTenant: number;
    /** MiB per trace. */
    readonly maxTraceSizeMiB: number;
    /** Hours one search may cover. */
    readonly maxSearchHours: number;
  };
  readonly network: {
    readonly corporateCidrs: readonly string[];
    readonly applicationCidrs: readonly string[];
    readonly applicationNamespaces: readonly string[];
    readonly idpEgressCidrs: readonly string[];
    readonly awsApiEgressCidrs: readonly string[];
    /**
     * Where `pulumi up` runs (the CI runners, break-glass operators): admitted to Grafana's load
     * balancer and NetworkPolicy only, and the only sources allowed Grafana's basic auth.
     */
    readonly deployerCidrs: readonly string[];
    readonly exposeCollector: boolean;
    readonly s3VpcEndpoint: boolean;
  };
  readonly sampling: {
    readonly defaultPercent: number;
    readonly orderPercent: number;
    readonly slowTraceThresholdMs: number;
    readonly maxConsumerDelaySeconds: number;
  };
  /** The traffic the sampler tier is sized for (render/samplerSizing.ts, R7). */
  readonly traffic: {
    /** Peak spans per second arriving at the whole sampler tier. */
    readonly peakSpansPerSecond: number;
    /** Mean spans per trace of that traffic. */
    readonly meanSpansPerTrace: number;
  };
  readonly tls: {
    readonly minVersion: TlsMinVersion;
    readonly certValidityDays: number;
    readonly certRenewBeforeDays: number;
    readonly caValidityDays: number;
    readonly caRenewBeforeDays: number;
  };
  readonly hostnames: { readonly grafana: string; readonly collector?: string };
  /** Route53 private hosted zone for tracing:grafanaHostname; undefined: the DNS team creates the record (docs/deploy.md). */
  readonly privateHostedZoneId?: string;
  readonly oidc: OidcConfig;
  readonly cluster: ClusterConfig;
  readonly replicas: {
    readonly gateway: number;
    readonly gatewayMax: number;
    readonly sampler: number;
    readonly grafana: number;
  };
  readonly grafanaDatabase: GrafanaDatabase;
  /** Additions to the gateway's personal-data allow-lists and the id formats (R12); see config/scrubbingConfig.ts. */
  readonly scrubbing: ScrubbingOptions;
  readonly auditRetentionDays: number;
  /**
   * The only role that may disable, delete or re-policy the audit KMS key and
   * change the audit bucket's Object Lock, versioning or policy (R11).
   */
  readonly auditBreakGlassRoleArn: string;
  readonly storageClassName: string;
  /** Repository of the Collector image built from collector/builder-config.yaml (tagged with COLLECTOR_VERSION). */
  readonly collectorImageRepository: string;
  /** Alert thresholds, receivers and the metrics stores (R5). */
  readonly alerting: AlertingConfig;
  readonly secrets: { readonly [K in SecretKey]?: S };
}

const TENANT = /^[a-z][a-z0-9-]{0,30}$/;
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
const HTTPS_URL = /^https:\/\/[^\s/$.?#][^\s]*$/;
const NON_EMPTY = /^\S(.*\S)?$/;
const AWS_ID = (prefix: string) => new RegExp(`^${prefix}-[0-9a-f]{8,17}$`);
const CLAIM = /^[A-Za-z_][A-Za-z0-9_.-]*$/;
const PEM_CERTIFICATES = /^(-----BEGIN CERTIFICATE-----\n[A-Za-z0-9+/=\n]+-----END CERTIFICATE-----\n?)+$/;
const IAM_ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/[A-Za-z0-9+=,.@_/-]+$/;
/** An optional object field read with default "": undefined when absent. */
const optional = (value: string): string | undefined => (value === "" ? undefined : value);
const IAM_OIDC_ARN = /^arn:aws[a-z-]*:iam::\d{12}:oidc-provider\/\S+$/;
const OIDC_ISSUER = /^(?!https?:\/\/)[a-z0-9.-]+(\/\S*)?$/;

/**
 * Parses raw stack configuration. `secret` returns a secret's value (any
 * type: an Output under Pulumi, a string in tests) or undefined when unset.
 * Throws ConfigError listing every problem.
 */
export function parseStackConfig<S>(stack: string, raw: RawConfig, secret: (key: SecretKey) => S | undefined): StackConfig<S> {
  const r = new FieldReader(raw);

  const namespace = r.string("namespace", { default: "tracing", pattern: DNS_LABEL, allowed: "must be a DNS-1123 label" });
  const retentionDays = r.integer("retentionDays", { min: 7, max: 30, unit: "days", default: 7 });

  const tenantRetentionDays: Record<string, number> = {};
  const overrides = r.object("tenantRetentionDays", { required: false, allowed: "a map of tenant -> days (7..30)" }) ?? {};
  for (const [tenant, days] of Object.entries(overrides)) {
    if (!TENANT.test(tenant) || typeof days !== "number" || !Number.isInteger(days) || days < 7 || days > 30) {
      r.problem(`tracing:tenantRetentionDays.${tenant} = ${JSON.stringify(days)}: tenant must be a lowercase name and days a whole number from 7 to 30`);
    } else {
      tenantRetentionDays[tenant] = days;
    }
  }

  const archive = {
    days: r.integer("archiveDays", { min: 30, max: 3650, unit: "days", default: 365 }),
    storageClass: r.oneOf<ArchiveStorageClass>("archiveStorageClass", ["GLACIER", "DEEP_ARCHIVE"], "GLACIER"),
  };

  // Sizing of these defaults: docs/storage.md, "Per-tenant limits".
  const tempoLimits = {
    ingestionRateMiB: r.integer("tempoIngestionRateMiB", { min: 1, max: 1024, unit: "MiB per second", default: DEFAULT_TEMPO_LIMITS.ingestionRateMiB }),
    ingestionBurstMiB: r.integer("tempoIngestionBurstMiB", { min: 4, max: 4096, unit: "MiB", default: DEFAULT_TEMPO_LIMITS.ingestionBurstMiB }),
    maxTracesPerTenant: r.integer("tempoMaxTracesPerTenant", { min: 1000, max: 10_000_000, unit: "live traces", default: DEFAULT_TEMPO_LIMITS.maxTracesPerTenant }),
    maxTraceSizeMiB: r.integer("tempoMaxTraceSizeMiB", { min: 1, max: 100, unit: "MiB", default: DEFAULT_TEMPO_LIMITS.maxTraceSizeMiB }),
    // Default: search as far back as blocks are kept.
    maxSearchHours: r.integer("tempoMaxSearchHours", { min: 1, max: 720, unit: "hours", default: retentionDays * 24 }),
  };
  if (tempoLimits.ingestionBurstMiB < tempoLimits.ingestionRateMiB) {
    r.problem(`tracing:tempoIngestionBurstMiB = ${tempoLimits.ingestionBurstMiB}: must be at least tracing:tempoIngestionRateMiB (${tempoLimits.ingestionRateMiB})`);
  }

  const privateRange = (item: string) => cidrProblem(item, { requirePrivate: true });
  const anyRange = (item: string) => cidrProblem(item, { requirePrivate: false });
  const network = {
    corporateCidrs: r.stringList("corporateCidrs", {
      nonEmpty: true,
      allowed: "a non-empty list of private CIDRs no wider than /8 (never 0.0.0.0/0 or ::/0)",
      check: privateRange,
    }),
    applicationCidrs: r.stringList("applicationCidrs", {
      default: [],
      nonEmpty: false,
      allowed: "a list of private CIDRs no wider than /8 where Shop/CRM/MES APIs run outside the cluster",
      check: privateRange,
    }),
    applicationNamespaces: r.stringList("applicationNamespaces", {
      default: ["shop-api", "crm-api", "mes-api"],
      nonEmpty: false,
      allowed: "a list of Kubernetes namespace names",
      check: (item) => (DNS_LABEL.test(item) ? undefined : "is not a DNS-1123 label"),
    }),
    idpEgressCidrs: r.stringList("idpEgressCidrs", {
      nonEmpty: true,
      allowed: "a non-empty list of CIDRs (no wider than /8) where the IdP's token and userinfo endpoints live",
      check: anyRange,
    }),
    awsApiEgressCidrs: r.stringList("awsApiEgressCidrs", {
      nonEmpty: true,
      allowed: "a non-empty list of CIDRs (no wider than /8) for the S3 and STS endpoints (or their VPC endpoints)",
      check: anyRange,
    }),
    deployerCidrs: r.stringList("deployerCidrs", {
      default: [],
      nonEmpty: false,
      allowed: "a list of private CIDRs no wider than /8 where the deploy runners run (they reach Grafana's API)",
      check: privateRange,
    }),
    exposeCollector: r.boolean("exposeCollector", false),
    s3VpcEndpoint: r.boolean("s3VpcEndpoint", false),
  };
  if (network.exposeCollector && network.applicationCidrs.length === 0) {
    r.problem("tracing:exposeCollector = true: needs tracing:applicationCidrs (the only source ranges its internal load balancer admits)");
  }

  const sampling = {
    defaultPercent: r.integer("defaultSamplePercent", { min: 1, max: 100, unit: "percent", default: 25 }),
    orderPercent: r.integer("orderSamplePercent", { min: 1, max: 100, unit: "percent", default: 100 }),
    slowTraceThresholdMs: r.integer("slowTraceThresholdMs", { min: 100, max: 600000, unit: "milliseconds", default: 2000 }),
    maxConsumerDelaySeconds: r.integer("maxConsumerDelaySeconds", { min: 1, max: 3600, unit: "seconds", default: 60 }),
  };
  const traffic = {
    peakSpansPerSecond: r.integer("peakSpansPerSecond", { min: 100, max: 1_000_000, unit: "spans per second", default: 5000 }),
    meanSpansPerTrace: r.integer("meanSpansPerTrace", { min: 1, max: 1000, unit: "spans", default: 10 }),
  };

  const tls = {
    minVersion: r.oneOf<TlsMinVersion>("tlsMinVersion", ["1.2", "1.3"], "1.3"),
    certValidityDays: r.integer("certValidityDays", { min: 7, max: 397, unit: "days", default: 90 }),
    certRenewBeforeDays: r.integer("certRenewBeforeDays", { min: 1, max: 396, unit: "days", default: 30 }),
    caValidityDays: r.integer("caValidityDays", { min: 365, max: 3650, unit: "days", default: 1825 }),
    caRenewBeforeDays: r.integer("caRenewBeforeDays", { min: 30, max: 3649, unit: "days", default: 180 }),
  };
  if (tls.certRenewBeforeDays >= tls.certValidityDays) {
    r.problem(`tracing:certRenewBeforeDays = ${tls.certRenewBeforeDays}: must be less than tracing:certValidityDays (${tls.certValidityDays})`);
  }
  if (tls.caRenewBeforeDays >= tls.caValidityDays) {
    r.problem(`tracing:caRenewBeforeDays = ${tls.caRenewBeforeDays}: must be less than tracing:caValidityDays (${tls.caValidityDays})`);
  }

  const hostnames = {
    grafana: r.string("grafanaHostname", { pattern: HOSTNAME, allowed: "must be a lowercase DNS name, e.g. tracing.corp.example.com" }),
    collector: r.optionalString("collectorHostname", { pattern: HOSTNAME, allowed: "must be a lowercase DNS name" }),
  };
  const privateHostedZoneId = r.optionalString("privateHostedZoneId", {
    pattern: /^Z[A-Z0-9]{1,31}$/,
    allowed: "must be a Route53 hosted zone id such as Z0123456789ABCDEFGHIJ (the private zone holding tracing:grafanaHostname)",
  });

  const oidcAllowed = "an object with name, authUrl, tokenUrl, apiUrl, clientId, supportGroup, developerGroup, adminGroup";
  const o = r.object("oidc", { required: true, allowed: oidcAllowed });
  const url = { pattern: HTTPS_URL, allowed: "must be an https:// URL" };
  const text = (fallback?: string) => ({ pattern: NON_EMPTY, allowed: "must be a non-empty string", default: fallback });
  const oidc: OidcConfig = {
    name: r.objectField("oidc", o, "name", text("Corporate SSO")),
    authUrl: r.objectField("oidc", o, "authUrl", url),
    tokenUrl: r.objectField("oidc", o, "tokenUrl", url),
    apiUrl: r.objectField("oidc", o, "apiUrl", url),
    clientId: r.objectField("oidc", o, "clientId", text()),
    scopes: r.objectField("oidc", o, "scopes", text("openid profile email groups")),
    groupsClaim: r.objectField("oidc", o, "groupsClaim", { pattern: CLAIM, allowed: "must be a claim name", default: "groups" }),
    supportGroup: r.objectField("oidc", o, "supportGroup", text()),
    developerGroup: r.objectField("oidc", o, "developerGroup", text()),
    adminGroup: r.objectField("oidc", o, "adminGroup", text()),
    loginClaim: r.objectField("oidc", o, "loginClaim", { pattern: CLAIM, allowed: "must be a claim name", default: "preferred_username" }),
    emailClaim: r.objectField("oidc", o, "emailClaim", { pattern: CLAIM, allowed: "must be a claim name", default: "email" }),
    signoutRedirectUrl: optional(r.objectField("oidc", o, "signoutRedirectUrl", { ...url, default: "" })),
    tlsClientCaPem: optional(r.objectField("oidc", o, "tlsClientCaPem", { pattern: PEM_CERTIFICATES, allowed: "must be one or more PEM certificates", default: "" })),
  };
  const groups = [oidc.supportGroup, oidc.developerGroup, oidc.adminGroup];
  if (o && new Set(groups).size !== groups.length) r.problem(`tracing:oidc groups ${JSON.stringify(groups)}: the three role groups must differ`);
  for (const g of groups) {
    if (g.includes("'") || g.includes("`")) r.problem(`tracing:oidc group ${JSON.stringify(g)}: must not contain quotes (it is embedded in a JMESPath expression)`);
  }

  const c = r.object("cluster", { required: true, allowed: "an object with name, oidcProviderArn, oidcIssuer, vpcId, vpcCidr, privateSubnetIds, routeTableIds" });
  const idList = (field: string, prefix: string): string[] => {
    const value = c?.[field] ?? [];
    if (!Array.isArray(value) || value.some((v) => typeof v !== "string" || !AWS_ID(prefix).test(v))) {
      r.problem(`tracing:cluster.${field} = ${JSON.stringify(value)}: must be a list of ${prefix}-… ids`);
      return [];
    }
    return value as string[];
  };
  const cluster: ClusterConfig = {
    name: r.objectField("cluster", c, "name", { pattern: /^[A-Za-z0-9][A-Za-z0-9_-]{0,99}$/, allowed: "must be an EKS cluster name" }),
    oidcProviderArn: r.objectField("cluster", c, "oidcProviderArn", { pattern: IAM_OIDC_ARN, allowed: "must be an IAM OIDC provider ARN" }),
    oidcIssuer: r.objectField("cluster", c, "oidcIssuer", { pattern: OIDC_ISSUER, allowed: "must be the issuer host and path without https://" }),
    vpcId: r.objectField("cluster", c, "vpcId", { pattern: AWS_ID("vpc"), allowed: "must be a vpc-… id" }),
    vpcCidr: r.objectField("cluster", c, "vpcCidr", { pattern: /\//, allowed: "must be the VPC's private CIDR" }),
    privateSubnetIds: idList("privateSubnetIds", "subnet"),
    routeTableIds: idList("routeTableIds", "rtb"),
  };
  if (c && cluster.vpcCidr) {
    const problem = cidrProblem(cluster.vpcCidr, { requirePrivate: true });
    if (problem) r.problem(`tracing:cluster.vpcCidr = ${JSON.stringify(cluster.vpcCidr)}: ${problem}`);
  }
  if (network.s3VpcEndpoint && c && cluster.routeTableIds.length === 0) {
    r.problem("tracing:s3VpcEndpoint = true: needs tracing:cluster.routeTableIds (the private route tables to attach the endpoint to)");
  }

  const replicas = {
    gateway: r.integer("gatewayReplicas", { min: 1, max: 20, unit: "replicas", default: 2 }),
    gatewayMax: r.integer("gatewayMaxReplicas", { min: 1, max: 50, unit: "replicas", default: 6 }),
    sampler: r.integer("samplerReplicas", { min: 1, max: 20, unit: "replicas", default: 2 }),
    grafana: r.integer("grafanaReplicas", { min: 1, max: 5, unit: "replicas", default: 1 }),
  };
  const capacity = samplerCapacity({ ...traffic, replicas: replicas.sampler }, sampling);
  if (capacity.containerMemoryLimitMiB > MAX_SAMPLER_CONTAINER_MIB) {
    r.problem(
      `tracing:peakSpansPerSecond = ${traffic.peakSpansPerSecond}: needs ${capacity.containerMemoryLimitMiB} MiB per sampler pod with tracing:samplerReplicas = ${replicas.sampler} (one pod may be down); ` +
        `at most ${MAX_SAMPLER_CONTAINER_MIB} MiB is allowed: raise tracing:samplerReplicas`,
    );
  }
  if (replicas.gatewayMax < replicas.gateway) {
    r.problem(`tracing:gatewayMaxReplicas = ${replicas.gatewayMax}: must be at least tracing:gatewayReplicas (${replicas.gateway})`);
  }

  const grafanaDatabase = r.oneOf<GrafanaDatabase>("grafanaDatabase", ["sqlite", "postgres"], "sqlite");
  if (grafanaDatabase === "sqlite" && replicas.grafana > 1) {
    r.problem(`tracing:grafanaReplicas = ${replicas.grafana}: more than one replica needs tracing:grafanaDatabase = postgres`);
  }
  if (grafanaDatabase === "postgres" && c && cluster.privateSubnetIds.length < 2) {
    r.problem("tracing:grafanaDatabase = postgres: needs at least two tracing:cluster.privateSubnetIds for the database subnet group");
  }

  const secrets: { [K in SecretKey]?: S } = {};
  const required: SecretKey[] = ["oidcClientSecret", "grafanaAdminPassword", ...(grafanaDatabase === "postgres" ? (["grafanaDbPassword"] as const) : [])];
  for (const key of SECRET_KEYS) {
    const value = secret(key);
    if (value !== undefined) secrets[key] = value;
    else if (required.includes(key)) r.problem(`tracing:${key} is required: set it with \`pulumi config set --secret tracing:${key} …\``);
  }

  const config: StackConfig<S> = {
    stack,
    namespace,
    retentionDays,
    tenantRetentionDays,
    archive,
    tempoLimits,
    network,
    sampling,
    traffic,
    tls,
    hostnames,
    privateHostedZoneId,
    oidc,
    cluster,
    replicas,
    grafanaDatabase,
    scrubbing: parseScrubbingConfig(r),
    auditRetentionDays: r.integer("auditRetentionDays", { min: 1, max: 3650, unit: "days", default: 365 }),
    auditBreakGlassRoleArn: r.string("auditBreakGlassRoleArn", { pattern: IAM_ROLE_ARN, allowed: "must be an IAM role ARN, e.g. arn:aws:iam::123456789012:role/audit-break-glass" }),
    storageClassName: r.string("storageClassName", { default: "gp3", pattern: DNS_LABEL, allowed: "must be a StorageClass name" }),
    collectorImageRepository: r.string("collectorImageRepository", {
      pattern: /^[a-z0-9.-]+(:\d+)?(\/[a-z0-9._-]+)+$/,
      allowed: "must be an image repository without tag, e.g. 123456789012.dkr.ecr.eu-central-1.amazonaws.com/otelcol-tracing",
    }),
    alerting: parseAlerting(r),
    secrets,
  };
  if (r.problems.length > 0) throw new ConfigError(r.problems);
  return config;
}

/** Every non-secret key the parser reads, for the README reference test. */
export const PLAIN_KEYS = [
  "namespace", "retentionDays", "tenantRetentionDays", "archiveDays", "archiveStorageClass", "tempoIngestionRateMiB",
  "tempoIngestionBurstMiB", "tempoMaxTracesPerTenant", "tempoMaxTraceSizeMiB", "tempoMaxSearchHours", "corporateCidrs",
  "applicationCidrs", "applicationNamespaces", "idpEgressCidrs", "awsApiEgressCidrs", "deployerCidrs", "exposeCollector", "s3VpcEndpoint",
  "defaultSamplePercent", "orderSamplePercent", "slowTraceThresholdMs", "maxConsumerDelaySeconds", "peakSpansPerSecond",
  "meanSpansPerTrace", "tlsMinVersion",
  "certValidityDays", "certRenewBeforeDays", "caValidityDays", "caRenewBeforeDays", "grafanaHostname", "collectorHostname",
  "privateHostedZoneId",
  "oidc", "cluster", "gatewayReplicas", "gatewayMaxReplicas", "samplerReplicas", "grafanaReplicas", "grafanaDatabase",
  "auditRetentionDays", "auditBreakGlassRoleArn", "storageClassName", "collectorImageRepository", "scrubbing", "alerting",
  "alertEmails", "smtp", "metricsRetentionDays", "metricsVolumeGiB",
] as const;
