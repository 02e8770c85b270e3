/**
 * Grafana's hardening settings (R8, R11, issue 14), each asserted on the
 * rendered grafana.ini, and every key the renderer writes checked against
 * the keys Grafana 12.2 reads.
 *
 * GRAFANA_12_KEYS: section -> keys that conf/defaults.ini of Grafana
 * (github.com/grafana/grafana, AGPL: read, never vendored) lists BOTH before
 * and after v12.2.1, read in the search index on 2026-12-01:
 * - before: AritraDey-Dev/grafana (a fork), conf/defaults.ini commit
 *   9ceb3882c081f43f01697c4f5ea2fbca9b1ef2a9 (index id 3720075627, 86,651
 *   chars); the same fork's package.json in the index says "12.1.0-pre",
 *   and the file has no [plugins] preinstall_auto_update (which the later
 *   file has): a Grafana 12.1 development version;
 * - after: EneAlexandruC/grafana (a fork), conf/defaults.ini commit
 *   d7dcdbff178eb1c6ea6a6ba05c92c4a8048e96ef (index id 66280660514, 101,805
 *   chars), Grafana 13 development: its [dataproxy] user_agent comment
 *   gives `Grafana/13.0.0` as the example.
 * A key in both files, in the same section, is taken to be read by 12.2.1
 * (inference: nothing was found that removes and re-adds a key in between).
 * Neither v12.2.1 itself (build commit 563109b696e9c1cbaf345f2ab7a11f7f78422982)
 * nor v12.2.0 (92f1fba9b4b6700328e99e97328d6639df8ddc3d) is stored in the
 * index, the repository is over fetch's size limit, the Go proxy refuses the
 * module, and the docs corpus returns only the first lines of
 * grafana.com/docs/grafana/v12.2 pages, so no 12.2.x file was read.
 * Not confirmed, so not listed and not written: [security]
 * angular_support_enabled (in the 12.1 file, gone from the 13 file),
 * csrf_trusted_origins, csrf_additional_headers, [plugins] preinstall_async
 * (in neither file).
 */
import { GrafanaIniOptions, renderGrafanaIni } from "../../render/grafanaIni";
import { parseIni } from "../../render/ini";

const GRAFANA_12_KEYS: Readonly<Record<string, readonly string[]>> = {
  paths: ["data", "logs", "plugins", "provisioning", "temp_data_lifetime"],
  server: ["protocol", "http_addr", "http_port", "domain", "enforce_domain", "root_url", "serve_from_sub_path", "router_logging", "cert_file", "cert_key", "min_tls_version", "enable_gzip", "read_timeout"],
  database: ["type", "host", "name", "user", "password", "url", "ssl_mode", "ca_cert_path", "client_key_path", "client_cert_path", "server_cert_name", "path", "wal", "cache_mode", "max_idle_conn", "max_open_conn", "conn_max_lifetime"],
  security: [
    "disable_initial_admin_creation", "admin_user", "admin_password", "admin_email", "secret_key", "disable_gravatar", "disable_brute_force_login_protection",
    "cookie_secure", "cookie_samesite", "allow_embedding", "strict_transport_security", "strict_transport_security_max_age_seconds",
    "strict_transport_security_preload", "strict_transport_security_subdomains", "x_content_type_options", "x_xss_protection",
    "content_security_policy", "content_security_policy_template", "csrf_always_check",
  ],
  snapshots: ["enabled", "external_enabled", "external_snapshot_url", "public_mode"],
  public_dashboards: ["enabled"],
  users: ["allow_sign_up", "allow_org_create", "auto_assign_org", "auto_assign_org_id", "auto_assign_org_role"],
  auth: [
    "login_cookie_name", "login_maximum_inactive_lifetime_duration", "login_maximum_lifetime_duration", "token_rotation_interval_minutes",
    "disable_login_form", "disable_signout_menu", "signout_redirect_url", "oauth_auto_login", "oauth_allow_insecure_email_lookup",
    "id_response_header_enabled", "id_response_header_prefix", "id_response_header_namespaces",
  ],
  sso_settings: ["reload_interval", "configurable_providers"],
  "auth.basic": ["enabled", "password_policy"],
  "auth.anonymous": ["enabled", "org_name", "org_role", "hide_version"],
  "auth.generic_oauth": [
    "name", "icon", "enabled", "allow_sign_up", "auto_login", "client_id", "client_secret", "scopes", "empty_scopes", "email_attribute_name",
    "email_attribute_path", "login_attribute_path", "name_attribute_path", "role_attribute_path", "role_attribute_strict", "groups_attribute_path",
    "id_token_attribute_name", "team_ids_attribute_path", "auth_url", "token_url", "api_url", "teams_url", "allowed_domains", "team_ids",
    "allowed_organizations", "allowed_groups", "tls_skip_verify_insecure", "tls_client_cert", "tls_client_key", "tls_client_ca", "use_pkce",
    "use_refresh_token", "auth_style", "allow_assign_grafana_admin", "skip_org_role_sync", "org_attribute_path", "org_mapping", "signout_redirect_url",
  ],
  dataproxy: ["logging", "timeout", "send_user_header"],
  plugins: ["enable_alpha", "allow_loading_unsigned_plugins", "plugin_admin_enabled", "plugin_admin_external_manage_enabled", "preinstall", "preinstall_sync", "preinstall_disabled"],
  news: ["news_feed_enabled"],
  smtp: ["enabled", "host", "user", "password", "cert_file", "key_file", "skip_verify", "from_address", "from_name", "ehlo_identity", "startTLS_policy"],
  analytics: ["reporting_enabled", "check_for_updates", "check_for_plugin_updates", "feedback_links_enabled"],
  log: ["mode", "level", "filters"],
  "log.console": ["level", "format"],
  "log.file": ["level", "format", "log_rotate", "max_lines", "max_size_shift", "daily_rotate", "max_days"],
};

const base: GrafanaIniOptions = {
  hostname: "tracing.corp.example.com",
  tlsMinVersion: "1.3",
  certFile: "/tls/tls.crt",
  keyFile: "/tls/tls.key",
  oidc: {
    groupsClaim: "groups", supportGroup: "s", developerGroup: "d", adminGroup: "a", name: "SSO", authUrl: "https://idp/auth", tokenUrl: "https://idp/token",
    apiUrl: "https://idp/userinfo", clientId: "grafana", scopes: "openid groups", loginClaim: "preferred_username", emailClaim: "email",
  },
  secretFiles: { oidcClientSecret: "/s/oidc", adminPassword: "/s/admin", secretKey: "/s/key" },
  database: { type: "sqlite" },
  logDir: "/var/log/grafana",
};
const ini = parseIni(renderGrafanaIni(base));
const full = parseIni(renderGrafanaIni({ ...base, idpCaFile: "/idp/ca.pem", oidc: { ...base.oidc, signoutRedirectUrl: "https://idp/logout" } }));

describe("grafana.ini keys against Grafana's defaults.ini before and after v12.2.1", () => {
  it("writes only sections and keys Grafana reads", () => {
    for (const doc of [ini, full]) {
      for (const [section, entries] of Object.entries(doc)) {
        if (section === "") continue;
        expect({ section, known: section in GRAFANA_12_KEYS }).toEqual({ section, known: true });
        for (const key of Object.keys(entries)) expect({ section, key, known: GRAFANA_12_KEYS[section].includes(key) }).toEqual({ section, key, known: true });
      }
    }
  });
});

describe("hardening (issue 14)", () => {
  it("checks CSRF on every state-changing request", () => expect(ini.security.csrf_always_check).toBe("true"));

  it("ends idle sessions after 2 h and every session after 12 h, both overridable", () => {
    expect(ini.auth.login_maximum_inactive_lifetime_duration).toBe("2h");
    expect(ini.auth.login_maximum_lifetime_duration).toBe("12h");
    const custom = parseIni(renderGrafanaIni({ ...base, sessionInactiveLifetime: "30m", sessionMaxLifetime: "8h" }));
    expect(custom.auth).toMatchObject({ login_maximum_inactive_lifetime_duration: "30m", login_maximum_lifetime_duration: "8h" });
  });

  it("signs out at the IdP when its end-session endpoint is given, and writes no empty redirect otherwise", () => {
    expect(full.auth.signout_redirect_url).toBe("https://idp/logout");
    expect(ini.auth.signout_redirect_url).toBeUndefined();
  });

  it("trusts a corporate IdP CA only when one is configured, never skips verification", () => {
    expect(full["auth.generic_oauth"].tls_client_ca).toBe("/idp/ca.pem");
    expect(ini["auth.generic_oauth"].tls_client_ca).toBeUndefined();
    expect(full["auth.generic_oauth"].tls_skip_verify_insecure).toBe("false");
  });

  it("takes the login and e-mail from explicit claims (the audited user name is stable), quoting odd claim names", () => {
    expect(ini["auth.generic_oauth"]).toMatchObject({ login_attribute_path: "preferred_username", email_attribute_path: "email" });
    const odd = parseIni(renderGrafanaIni({ ...base, oidc: { ...base.oidc, loginClaim: "https://corp/upn" } }));
    expect(odd["auth.generic_oauth"].login_attribute_path).toBe('"https://corp/upn"');
  });

  it("installs no plugin at start or from the UI and shows no news feed", () => {
    expect(ini.plugins).toEqual({ preinstall_disabled: "true", plugin_admin_enabled: "false" });
    expect(ini.news.news_feed_enabled).toBe("false");
  });

  it("enforces Grafana's password policy for the break-glass admin", () => expect(ini["auth.basic"]).toEqual({ enabled: "true", password_policy: "true" }));

  it("lets no SSO provider, above all generic_oauth, be reconfigured at run time", () => {
    expect(ini.sso_settings.configurable_providers).toBe("");
    expect(renderGrafanaIni(base)).toMatch(/^\[sso_settings\]\nconfigurable_providers = $/m);
  });

  it("keeps rotated Grafana logs 14 days (the replay window after a failed upload), not 2", () => {
    expect(ini["log.file"].max_days).toBe("14");
    expect(parseIni(renderGrafanaIni({ ...base, logMaxDays: 30 }))["log.file"].max_days).toBe("30");
  });
});

describe("[smtp]: alert e-mails only through the configured relay, only over TLS (R5, R10)", () => {
  const relay = { host: "smtp.corp.example.com", port: 587, fromAddress: "alerts@corp.example.com", fromName: "Order tracing alerts" };

  it("is off without a relay", () => {
    expect(ini.smtp).toEqual({ enabled: "false" });
  });

  it("requires STARTTLS on 587, verifies the relay's certificate, and reads the password from a file only with a login", () => {
    const withLogin = parseIni(renderGrafanaIni({ ...base, smtp: { ...relay, user: "tracing" }, secretFiles: { ...base.secretFiles, smtpPassword: "/s/smtp" } }));
    expect(withLogin.smtp).toEqual({
      enabled: "true", host: "smtp.corp.example.com:587", user: "tracing", password: "$__file{/s/smtp}", skip_verify: "false",
      from_address: "alerts@corp.example.com", from_name: "Order tracing alerts", startTLS_policy: "MandatoryStartTLS",
    });
    const anonymous = parseIni(renderGrafanaIni({ ...base, smtp: relay, secretFiles: { ...base.secretFiles, smtpPassword: "/s/smtp" } }));
    expect(anonymous.smtp).not.toHaveProperty("password");
    expect(anonymous.smtp).not.toHaveProperty("user");
  });

  it("uses implicit TLS on 465 (no STARTTLS policy)", () => {
    const smtps = parseIni(renderGrafanaIni({ ...base, smtp: { ...relay, port: 465 } }));
    expect(smtps.smtp).toMatchObject({ host: "smtp.corp.example.com:465", skip_verify: "false" });
    expect(smtps.smtp).not.toHaveProperty("startTLS_policy");
  });
});
