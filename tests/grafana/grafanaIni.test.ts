/** grafana.ini: roles from IdP groups (JMESPath evaluated for real), org mapping, hardening keys. */
import * as jmespath from "jmespath";
import { parse } from "yaml";
import { renderAuditShipperConfig } from "../../render/auditShipper";
import { GRAFANA_ORGS, GrafanaIniOptions, orgMappingSetting, renderGrafanaIni, roleAttributePath } from "../../render/grafanaIni";
import { parseIni } from "../../render/ini";

const groups = { groupsClaim: "groups", supportGroup: "tracing-support", developerGroup: "tracing-developers", adminGroup: "tracing-admins" };
const options: GrafanaIniOptions = {
  hostname: "tracing.corp.example.com",
  tlsMinVersion: "1.3",
  certFile: "/tls/tls.crt",
  keyFile: "/tls/tls.key",
  oidc: { ...groups, name: "SSO", authUrl: "https://idp/auth", tokenUrl: "https://idp/token", apiUrl: "https://idp/userinfo", clientId: "grafana", scopes: "openid groups", loginClaim: "preferred_username", emailClaim: "email" },
  secretFiles: { oidcClientSecret: "/s/oidc", adminPassword: "/s/admin", secretKey: "/s/key", databasePassword: "/s/db" },
  database: { type: "postgres", hostEnvVar: "DB_HOST", name: "grafana", user: "grafana", caCertPath: "/ca/rds.pem" },
  logDir: "/var/log/audit",
};
const ini = parseIni(renderGrafanaIni(options));

/** Evaluates role_attribute_path exactly as written into grafana.ini. */
const roleOf = (claims: Record<string, unknown>) => jmespath.search(claims, ini["auth.generic_oauth"].role_attribute_path);
const VALID_ROLES = ["Viewer", "Editor", "Admin", "GrafanaAdmin"];

describe("role_attribute_path", () => {
  it("maps each group to its role", () => {
    expect(roleOf({ groups: ["tracing-support"] })).toBe("Viewer");
    expect(roleOf({ groups: ["tracing-developers"] })).toBe("Editor");
    expect(roleOf({ groups: ["tracing-admins"] })).toBe("GrafanaAdmin");
  });

  it("gives the highest role to members of several groups", () => {
    expect(roleOf({ groups: ["tracing-support", "tracing-developers"] })).toBe("Editor");
    expect(roleOf({ groups: ["tracing-developers", "tracing-admins", "tracing-support"] })).toBe("GrafanaAdmin");
  });

  it("yields no role (login denied under role_attribute_strict) without a role group", () => {
    for (const claims of [{ groups: [] }, { groups: ["everyone", "tracing-supportx"] }, {}]) {
      expect(VALID_ROLES).not.toContain(roleOf(claims));
    }
    expect(ini["auth.generic_oauth"].role_attribute_strict).toBe("true");
    expect(ini["auth.generic_oauth"].allow_assign_grafana_admin).toBe("true");
  });

  it("quotes claim names that are not plain identifiers", () => {
    const path = roleAttributePath({ ...groups, groupsClaim: "https://corp/groups" });
    expect(jmespath.search({ "https://corp/groups": ["tracing-developers"] }, path)).toBe("Editor");
  });
});

describe("org_mapping", () => {
  const entries = (JSON.parse(ini["auth.generic_oauth"].org_mapping) as string[]).map((e) => e.split(":"));
  const orgsOf = (group: string) => entries.filter(([g]) => g === group).map(([, org, role]) => `${org}=${role}`);

  it("puts Support only in Order Support, as Viewer, never in Engineering (R9)", () => {
    expect(orgsOf("tracing-support")).toEqual([`${GRAFANA_ORGS.support}=Viewer`]);
  });

  it("puts Developers in Engineering as Editor and Admins in both as Admin", () => {
    expect(orgsOf("tracing-developers")).toEqual([`${GRAFANA_ORGS.engineering}=Editor`]);
    expect(orgsOf("tracing-admins").sort()).toEqual([`${GRAFANA_ORGS.engineering}=Admin`, `${GRAFANA_ORGS.support}=Admin`]);
  });

  it("reads organisations from the groups claim and uses the JSON list syntax (org names contain spaces)", () => {
    expect(ini["auth.generic_oauth"].org_attribute_path).toBe("groups");
    expect(ini["auth.generic_oauth"].org_mapping.startsWith("[")).toBe(true);
    expect(orgMappingSetting({ ...groups, supportGroup: "a:b" })).toContain("a\\\\:b:Order Support:Viewer");
  });

  it("admits only the three groups", () => {
    expect(JSON.parse(ini["auth.generic_oauth"].allowed_groups)).toEqual(["tracing-support", "tracing-developers", "tracing-admins"]);
    expect(ini["auth.generic_oauth"].groups_attribute_path).toBe("groups");
  });
});

describe("hardening", () => {
  const expected: Record<string, Record<string, string>> = {
    server: { protocol: "https", enforce_domain: "true", domain: "tracing.corp.example.com", root_url: "https://tracing.corp.example.com/", min_tls_version: "TLS1.3", router_logging: "true", cert_file: "/tls/tls.crt", cert_key: "/tls/tls.key" },
    "auth.anonymous": { enabled: "false" },
    public_dashboards: { enabled: "false" },
    snapshots: { enabled: "false", external_enabled: "false" },
    security: {
      allow_embedding: "false",
      cookie_secure: "true",
      cookie_samesite: "lax",
      strict_transport_security: "true",
      content_security_policy: "true",
      disable_gravatar: "true",
      admin_password: "$__file{/s/admin}",
      secret_key: "$__file{/s/key}",
    },
    users: { allow_sign_up: "false", allow_org_create: "false" },
    analytics: { reporting_enabled: "false", check_for_updates: "false" },
    dataproxy: { send_user_header: "true" },
    auth: { disable_login_form: "true" },
    "auth.generic_oauth": { enabled: "true", use_pkce: "true", use_refresh_token: "true", skip_org_role_sync: "false", client_secret: "$__file{/s/oidc}" },
    database: { type: "postgres", ssl_mode: "verify-full", password: "$__file{/s/db}", host: "$__env{DB_HOST}", ca_cert_path: "/ca/rds.pem" },
    log: { mode: "console file" },
    "log.file": { format: "json" },
  };
  for (const [section, keys] of Object.entries(expected)) {
    it(`[${section}]`, () => expect(ini[section]).toMatchObject(keys));
  }

  it("sets a year of HSTS and a CSP without outside hosts", () => {
    expect(Number(ini.security.strict_transport_security_max_age_seconds)).toBeGreaterThanOrEqual(31536000);
    expect(ini.security.content_security_policy_template).toContain("frame-ancestors 'none'");
    expect(ini.security.content_security_policy_template).not.toContain("grafana.com");
  });

  it("holds no secret value, only file and environment references", () => {
    const text = renderGrafanaIni(options);
    for (const line of text.split("\n").filter((l) => /(password|secret)\w* =/.test(l) && !l.startsWith("password_policy ="))) expect(line).toMatch(/\$__file\{/);
  });

  it("keeps the login form for the break-glass admin only when asked (dev)", () => {
    const dev = parseIni(renderGrafanaIni({ ...options, loginForm: true, database: { type: "sqlite" } }));
    expect(dev.auth.disable_login_form).toBe("false");
    expect(dev.database.type).toBe("sqlite3");
  });
});

describe("audit shipper config", () => {
  const config = parse(
    renderAuditShipperConfig({ region: "eu-central-1", bucket: "audit", prefix: "dev", queryLogPath: "/a/queries.log", grafanaLogPath: "/a/grafana.log", storageDir: "/a/.s" }),
  );
  it("tails both logs into the bucket under per-stream prefixes with durable positions and queue", () => {
    expect(config.receivers["filelog/queries"]).toMatchObject({ include: ["/a/queries.log"], storage: "file_storage/audit", start_at: "beginning" });
    expect(config.receivers["filelog/grafana"].include).toEqual(["/a/grafana.log", "/a/grafana.log.*"]);
    expect(config.exporters["awss3/queries"].s3uploader).toMatchObject({ s3_bucket: "audit", s3_prefix: "dev/queries", region: "eu-central-1" });
    expect(config.exporters["awss3/grafana"].s3uploader.s3_prefix).toBe("dev/grafana");
    expect(config.exporters["awss3/queries"].sending_queue).toMatchObject({ enabled: true, storage: "file_storage/audit" });
    expect(config.service.pipelines["logs/queries"].exporters).toEqual(["awss3/queries"]);
  });
});
