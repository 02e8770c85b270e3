/**
 * grafana.ini for Grafana OSS 12 (R5, R8, R9, R10, R11, R13). Pure: typed
 * options in, file text out. The file holds no secret: the OIDC client
 * secret, the break-glass admin password, the database password and the
 * encryption key are read from mounted files with Grafana's `$__file{path}`
 * expansion, the database host with `$__env{NAME}`.
 *
 * Access model (DESIGN.md section 2): Grafana OSS has no data-source
 * permissions, so organisations are the isolation boundary. IdP groups map
 * to organisations and roles with `org_mapping`; `role_attribute_path` gives
 * the role floor (and Grafana server admin for the Admin group).
 */
import { IniDocument, renderIni } from "./ini";

/** The organisations Grafana users land in; provisioning creates exactly these. */
export const GRAFANA_ORGS = { support: "Order Support", engineering: "Engineering" } as const;

export interface RoleGroups {
  /** Claim (in the ID token or userinfo) that lists the user's groups. */
  readonly groupsClaim: string;
  /** Support: Viewer in "Order Support" only (R9). */
  readonly supportGroup: string;
  /** Developer: Editor in "Engineering". */
  readonly developerGroup: string;
  /** Admin: Admin in both organisations and Grafana server admin. */
  readonly adminGroup: string;
}

export interface GrafanaOidcOptions extends RoleGroups {
  /** Display name on the login button. */
  readonly name: string;
  readonly authUrl: string;
  readonly tokenUrl: string;
  readonly apiUrl: string;
  readonly clientId: string;
  /** Space-separated OAuth scopes, e.g. "openid profile email groups". */
  readonly scopes: string;
  /** Claim that becomes the Grafana login: the `user` of every audit record, so it must not change between logins (R11). */
  readonly loginClaim: string;
  /** Claim that holds the e-mail address. */
  readonly emailClaim: string;
  /** The IdP's end-session endpoint; Grafana's sign-out redirects there. @default undefined (Grafana's sign-out only) */
  readonly signoutRedirectUrl?: string;
}

export type GrafanaDatabaseOptions =
  | { readonly type: "sqlite" }
  | {
      readonly type: "postgres";
      /** Environment variable that holds `host:port` of the database (an RDS endpoint known only at deploy time). */
      readonly hostEnvVar: string;
      /** Database name. */
      readonly name: string;
      /** Database user. */
      readonly user: string;
      /** File with the CA bundle that signed the server certificate (RDS CA bundle), for ssl_mode verify-full. */
      readonly caCertPath: string;
    };

export interface GrafanaIniOptions {
  /** Corporate DNS name users browse to (domain, root_url, cookie scope). */
  readonly hostname: string;
  /** Port Grafana serves HTTPS on inside the pod. @default 3000 */
  readonly httpsPort?: number;
  /** Address Grafana listens on; loopback when a front proxy owns the pod's port. @default "" (all interfaces) */
  readonly httpAddr?: string;
  /** Minimum TLS version Grafana's HTTPS server accepts. */
  readonly tlsMinVersion: "1.2" | "1.3";
  /** Server certificate and key files (the PKI's grafana certificate). */
  readonly certFile: string;
  readonly keyFile: string;
  readonly oidc: GrafanaOidcOptions;
  /** Login of the break-glass admin (local user; its password only in a secret file). @default "admin" */
  readonly adminUser?: string;
  /** Files holding secrets, each mounted from a Kubernetes Secret. */
  readonly secretFiles: {
    readonly oidcClientSecret: string;
    readonly adminPassword: string;
    /** Key that encrypts data-source secrets in Grafana's database. */
    readonly secretKey: string;
    /** Database password (postgres only). */
    readonly databasePassword?: string;
    /** The mail relay's password (only with smtp.user). */
    readonly smtpPassword?: string;
  };
  /** The mail relay for alert e-mails (R5), always over TLS (R10). @default undefined ([smtp] off) */
  readonly smtp?: { readonly host: string; readonly port: number; readonly user?: string; readonly fromAddress: string; readonly fromName: string };
  readonly database: GrafanaDatabaseOptions;
  /**
   * Show the username/password form (break-glass admin only: no other local
   * users exist). Off in prod; dev keeps it for the break-glass admin.
   * @default false
   */
  readonly loginForm?: boolean;
  /** Directory of Grafana's JSON log file (grafana.log), shipped to the audit bucket (R11). */
  readonly logDir: string;
  /** Grafana's data directory. @default "/var/lib/grafana" */
  readonly dataDir?: string;
  /** HSTS max age in seconds. @default 31536000 (one year) */
  readonly hstsMaxAgeSeconds?: number;
  /** File with the CA bundle that verifies the IdP's TLS certificate (a corporate CA). @default undefined (system roots) */
  readonly idpCaFile?: string;
  /** A session idle this long must log in again (Grafana duration). @default "2h" */
  readonly sessionInactiveLifetime?: string;
  /** A session this old must log in again, active or not (Grafana duration). @default "12h" */
  readonly sessionMaxLifetime?: string;
  /**
   * Days Grafana keeps rotated log files before deleting them. The shipper
   * uploads within seconds; this is the local copy for a replay after a
   * failed upload, and must exceed the time to notice the alert. @default 14
   */
  readonly logMaxDays?: number;
}

/** A JMESPath identifier for a claim name, quoted unless it is a plain identifier. */
export function claimIdentifier(claim: string): string {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(claim) ? claim : JSON.stringify(claim);
}

/**
 * JMESPath that maps the groups claim to a Grafana role; the highest role
 * wins. No matching group yields `false`, which is not a role: with
 * role_attribute_strict the login is denied.
 */
export function roleAttributePath(g: RoleGroups): string {
  // A missing claim becomes an empty list, so contains() never sees null.
  const groups = `(${claimIdentifier(g.groupsClaim)} || \`[]\`)`;
  const literal = (s: string) => `'${s}'`; // group names are validated to contain no quotes
  return [
    `contains(${groups}, ${literal(g.adminGroup)}) && 'GrafanaAdmin'`,
    `contains(${groups}, ${literal(g.developerGroup)}) && 'Editor'`,
    `contains(${groups}, ${literal(g.supportGroup)}) && 'Viewer'`,
  ].join(" || ");
}

export interface OrgMappingEntry {
  readonly group: string;
  readonly org: string;
  readonly role: "Viewer" | "Editor" | "Admin";
}

/** Which group gets which role in which organisation. Support never maps to Engineering (R9). */
export function orgMappingEntries(g: RoleGroups): OrgMappingEntry[] {
  return [
    { group: g.supportGroup, org: GRAFANA_ORGS.support, role: "Viewer" },
    { group: g.developerGroup, org: GRAFANA_ORGS.engineering, role: "Editor" },
    { group: g.adminGroup, org: GRAFANA_ORGS.support, role: "Admin" },
    { group: g.adminGroup, org: GRAFANA_ORGS.engineering, role: "Admin" },
  ];
}

/**
 * org_mapping in Grafana's JSON list syntax (org names contain spaces, which
 * the plain syntax would split on); `:` inside a group name is escaped as `\:`.
 */
export function orgMappingSetting(g: RoleGroups): string {
  const esc = (s: string) => s.replace(/:/g, "\\:");
  return JSON.stringify(orgMappingEntries(g).map((e) => `${esc(e.group)}:${esc(e.org)}:${e.role}`));
}

/** Content-Security-Policy: Grafana's default template without grafana.com (no outbound calls). */
export const CONTENT_SECURITY_POLICY =
  "script-src 'self' 'unsafe-eval' 'unsafe-inline' 'strict-dynamic' $NONCE;object-src 'none';font-src 'self';" +
  "style-src 'self' 'unsafe-inline' blob:;img-src 'self' data:;base-uri 'self';connect-src 'self' wss://$ROOT_PATH;" +
  "manifest-src 'self';media-src 'none';form-action 'self';frame-ancestors 'none';";

export function renderGrafanaIni(o: GrafanaIniOptions): string {
  const file = (path: string) => `$__file{${path}}`;
  const loginForm = o.loginForm ?? false;
  const groups = claimIdentifier(o.oidc.groupsClaim);
  const db = o.database;
  const doc: IniDocument = [
    ["paths", [
      ["data", o.dataDir ?? "/var/lib/grafana"],
      ["logs", o.logDir],
    ]],
    ["server", [
      ["protocol", "https"],
      ["http_addr", o.httpAddr ?? ""],
      ["http_port", o.httpsPort ?? 3000],
      ["domain", o.hostname],
      ["root_url", `https://${o.hostname}/`],
      ["enforce_domain", true],
      ["cert_file", o.certFile],
      ["cert_key", o.keyFile],
      ["min_tls_version", `TLS${o.tlsMinVersion}`],
      // R11: every HTTP request (user, path, status) lands in the shipped log.
      ["router_logging", true],
    ]],
    ["database", db.type === "sqlite"
      ? [["type", "sqlite3"], ["path", "grafana.db"], ["wal", true]]
      : [
          ["type", "postgres"],
          ["host", `$__env{${db.hostEnvVar}}`],
          ["name", db.name],
          ["user", db.user],
          ["password", file(required(o.secretFiles.databasePassword, "secretFiles.databasePassword"))],
          // R10: TLS to the database, server certificate and name verified.
          ["ssl_mode", "verify-full"],
          ["ca_cert_path", db.caCertPath],
        ]],
    ["security", [
      ["admin_user", o.adminUser ?? "admin"],
      ["admin_password", file(o.secretFiles.adminPassword)],
      ["secret_key", file(o.secretFiles.secretKey)],
      ["disable_gravatar", true],
      ["disable_brute_force_login_protection", false],
      ["cookie_secure", true],
      // lax, not strict: the IdP redirects back cross-site to /login/generic_oauth, and a strict
      // cookie would not accompany that navigation, so Grafana could not match its OAuth state.
      ["cookie_samesite", "lax"],
      ["allow_embedding", false],
      ["strict_transport_security", true],
      ["strict_transport_security_max_age_seconds", o.hstsMaxAgeSeconds ?? 31536000],
      ["strict_transport_security_subdomains", false],
      ["x_content_type_options", true],
      ["x_xss_protection", true],
      ["content_security_policy", true],
      ["content_security_policy_template", CONTENT_SECURITY_POLICY],
      // No angular_support_enabled: Grafana 12's default is already false, and 13 no longer reads the key
      // (tests/grafana/grafanaHardening.test.ts); whether 12.2.1 still reads it could not be confirmed.
      // Check the Origin/Referer of every state-changing request, not only cookie-authenticated ones.
      ["csrf_always_check", true],
    ]],
    // Snapshots copy query results into Grafana's database, outside Tempo's retention and the
    // audit proxy (R6, R11): off entirely, not only the external publishing.
    ["snapshots", [
      ["enabled", false],
      ["external_enabled", false],
    ]],
    ["public_dashboards", [["enabled", false]]],
    ["users", [
      ["allow_sign_up", false],
      ["allow_org_create", false],
    ]],
    ["auth", [
      ["disable_login_form", !loginForm],
      ["oauth_allow_insecure_email_lookup", false],
      ["login_maximum_inactive_lifetime_duration", o.sessionInactiveLifetime ?? "2h"],
      ["login_maximum_lifetime_duration", o.sessionMaxLifetime ?? "12h"],
      // R11: every response names its signed-in user (X-Grafana-Identity-Id), logged by the front proxy.
      ["id_response_header_enabled", true],
      ["id_response_header_prefix", "X-Grafana"],
      ["id_response_header_namespaces", "user"],
      ...(o.oidc.signoutRedirectUrl ? [["signout_redirect_url", o.oidc.signoutRedirectUrl] as const] : []),
    ]],
    // SSO is defined here only: no provider (above all generic_oauth, whose role and org mapping
    // decide who sees what, R9) may be reconfigured through the SSO settings API or UI.
    ["sso_settings", [["configurable_providers", ""]]],
    // API basic auth stays on: only the break-glass admin has a password, and
    // the Pulumi Grafana provider provisions organisations with it. The front
    // proxy admits basic auth only from the deployer CIDRs (render/grafanaFront.ts).
    ["auth.basic", [["enabled", true], ["password_policy", true]]],
    ["auth.anonymous", [["enabled", false]]],
    ["auth.generic_oauth", [
      ["enabled", true],
      ["name", o.oidc.name],
      ["allow_sign_up", true],
      ["client_id", o.oidc.clientId],
      ["client_secret", file(o.secretFiles.oidcClientSecret)],
      ["scopes", o.oidc.scopes],
      ["auth_url", o.oidc.authUrl],
      ["token_url", o.oidc.tokenUrl],
      ["api_url", o.oidc.apiUrl],
      ["use_pkce", true],
      ["use_refresh_token", true],
      ["groups_attribute_path", groups],
      // Explicit, so the login (the audited user) never falls back to another claim.
      ["login_attribute_path", claimIdentifier(o.oidc.loginClaim)],
      ["email_attribute_path", claimIdentifier(o.oidc.emailClaim)],
      ["allowed_groups", JSON.stringify([o.oidc.supportGroup, o.oidc.developerGroup, o.oidc.adminGroup])],
      ["role_attribute_path", roleAttributePath(o.oidc)],
      ["role_attribute_strict", true],
      ["allow_assign_grafana_admin", true],
      ["skip_org_role_sync", false],
      ["org_attribute_path", groups],
      ["org_mapping", orgMappingSetting(o.oidc)],
      ["tls_skip_verify_insecure", false],
      ...(o.idpCaFile ? [["tls_client_ca", o.idpCaFile] as const] : []),
    ]],
    // R11: the Tempo data sources carry X-Grafana-User to the audit proxy.
    ["dataproxy", [["send_user_header", true]]],
    // No plugin is installed at start or from the UI: the image's plugins are the only code Grafana runs.
    ["plugins", [
      ["preinstall_disabled", true],
      ["plugin_admin_enabled", false],
    ]],
    ["news", [["news_feed_enabled", false]]],
    // Alert e-mails (R5) only through the configured relay, and only over TLS (R10): STARTTLS is
    // required, except on 465 where the connection starts with TLS.
    ["smtp", o.smtp
      ? [
          ["enabled", true],
          ["host", `${o.smtp.host}:${o.smtp.port}`],
          ...(o.smtp.user ? [["user", o.smtp.user] as const] : []),
          ...(o.smtp.user && o.secretFiles.smtpPassword ? [["password", file(o.secretFiles.smtpPassword)] as const] : []),
          ["skip_verify", false],
          ["from_address", o.smtp.fromAddress],
          ["from_name", o.smtp.fromName],
          ...(o.smtp.port === 465 ? [] : [["startTLS_policy", "MandatoryStartTLS"] as const]),
        ]
      : [["enabled", false]]],
    ["analytics", [
      ["reporting_enabled", false],
      ["check_for_updates", false],
      ["check_for_plugin_updates", false],
      ["feedback_links_enabled", false],
    ]],
    ["log", [
      ["mode", "console file"],
      ["level", "info"],
    ]],
    ["log.console", [["format", "json"]]],
    ["log.file", [
      ["format", "json"],
      ["log_rotate", true],
      ["daily_rotate", true],
      ["max_days", o.logMaxDays ?? 14],
    ]],
  ];
  return renderIni(doc, "Rendered by render/grafanaIni.ts. Holds no secret: see $__file{} and $__env{} references.");
}

function required<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`grafana.ini: ${what} is required for a postgres database`);
  return value;
}
