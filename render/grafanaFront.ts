/**
 * The nginx server in front of Grafana's user-facing port (R8, R11): it
 * terminates TLS on the pod's port, forwards to Grafana on loopback over TLS,
 * and writes one JSON line per request to the front log, including each
 * login attempt and its outcome:
 * - `oauth_start` (GET /login/generic_oauth without code), `oauth_callback`
 *   (with code or error): success when Grafana redirects anywhere but back
 *   to /login (its error path), failure otherwise; `idp_error` holds the
 *   IdP's `error` parameter. The query string (code, state) is never logged.
 * - `form` (POST /login) and `basic` (an Authorization: Basic header): the
 *   login name is the `user` of the form's JSON body (njs `formUser`, never
 *   the password) or nginx's `$remote_user`; success is a 2xx.
 * - `oauth_login` (GET SIGNED_IN_PATH, answered by njs, render/grafanaFrontNjs.ts):
 *   a successful callback is redirected there first; it asks Grafana's
 *   `/api/user` with the new session and logs `login_user` (Grafana's login
 *   name), `login_ref` (the callback's `request_id`) and, when the lookup
 *   fails, `login_detail`; then it redirects to Grafana's original target.
 * - `identity`: Grafana's `X-Grafana-Identity-Id` response header
 *   (`[auth] id_response_header_enabled`), the signed-in user of every
 *   request; the callback itself has none (the session starts with it), the
 *   user's first request after it does.
 * Basic auth and the login form are admitted only from the deployer CIDRs and
 * loopback (kubectl port-forward): nobody else can lock the break-glass admin
 * out with wrong passwords and so block deploys (issue 14).
 * SSO logins wait for the organisations: until the file `ssoGateFile` sets
 * `$sso_ready 1` (the pod annotation written once the organisations exist,
 * components/grafana/provisioning.ts), the OAuth endpoints answer 503, so no
 * one lands in the empty default organisation. Pure.
 */

import { SIGNED_IN_PATH, USER_LOOKUP_PATH } from "./grafanaFrontNjs";

export interface GrafanaFrontOptions {
  /** `address:port` nginx listens on (the pod's Grafana port). */
  readonly listen: string;
  /** Server certificate and key users see (the grafana certificate). */
  readonly serverTls: { readonly cert: string; readonly key: string };
  /** Grafana's loopback `host:port` (HTTPS). */
  readonly upstream: string;
  /** Name on Grafana's certificate (verified). */
  readonly upstreamServerName: string;
  /** CA bundle that verifies Grafana's certificate. */
  readonly upstreamCa: string;
  /** The front log: one JSON object per line. */
  readonly accessLogPath: string;
  /** Sources admitted for basic auth and the login form besides loopback. */
  readonly deployerCidrs: readonly string[];
  /** nginx file (downward API) that sets `$sso_ready 1` once the organisations exist. */
  readonly ssoGateFile: string;
  /** TLS protocols. */
  readonly tlsProtocols: string;
  /** The njs script (render/grafanaFrontNjs.ts) as a file nginx reads; the caller loads the njs module in the main context. */
  readonly njsScriptPath: string;
}

/** Fields of one front-log record. Values are nginx variables; `escape=json` escapes them. */
export const FRONT_FIELDS: readonly (readonly [name: string, variable: string, numeric: boolean])[] = [
  ["time", "$time_iso8601", false],
  ["request_id", "$request_id", false],
  ["client_ip", "$remote_addr", false],
  ["method", "$request_method", false],
  ["path", "$uri", false],
  ["status", "$status", true],
  ["upstream_status", "$upstream_status", false],
  ["login_event", "$login_event", false],
  ["login_outcome", "$login_outcome", false],
  ["login_user", "$login_name", false],
  ["login_ref", "$sso_login_ref", false],
  ["login_detail", "$sso_login_detail", false],
  ["idp_error", "$arg_error", false],
  ["identity", "$upstream_http_x_grafana_identity_id", false],
  ["request_time", "$request_time", true],
  ["bytes_sent", "$bytes_sent", true],
  ["user_agent", "$http_user_agent", false],
];

/** The gate file content that admits SSO logins (written as a pod annotation once the organisations exist). */
export const SSO_GATE_OPEN = "set $sso_ready 1;";

const CIDR = /^[0-9a-fA-F:.]+\/\d{1,3}$/;

export function frontLogFormat(): string {
  return `{${FRONT_FIELDS.map(([n, v, num]) => (num ? `"${n}":${v}` : `"${n}":"${v}"`)).join(",")}}`;
}

/** The http-level maps and the server block; the caller puts them inside `http {}`. */
/** The proxy directives to Grafana; `path` replaces the request's URI (the /api/user lookup). */
function proxyToGrafana(o: GrafanaFrontOptions, path = ""): string {
  return `      proxy_pass https://${o.upstream}${path};
      proxy_http_version 1.1;
      proxy_set_header Host $host;
      # Overwritten, not appended: Grafana's per-IP login protection sees the real client.
      proxy_set_header X-Forwarded-For $remote_addr;
      proxy_set_header X-Real-IP $remote_addr;
      proxy_set_header Upgrade $http_upgrade;
      proxy_set_header Connection $connection_upgrade;
      proxy_ssl_trusted_certificate ${o.upstreamCa};
      proxy_ssl_verify on;
      proxy_ssl_verify_depth 2;
      proxy_ssl_name ${o.upstreamServerName};
      proxy_ssl_server_name on;
      proxy_ssl_protocols ${o.tlsProtocols};
      proxy_hide_header X-Grafana-Identity-Id;
      proxy_read_timeout 300s;`;
}

export function renderGrafanaFront(o: GrafanaFrontOptions): string {
  for (const c of o.deployerCidrs) if (!CIDR.test(c)) throw new Error(`grafana front: deployer CIDR ${JSON.stringify(c)} is not a CIDR`);
  const deployers = ["127.0.0.0/8", "::1/128", ...o.deployerCidrs].map((c) => `    ${c} 1;`).join("\n");
  if (/[\s;{}'"]/.test(o.njsScriptPath)) throw new Error(`grafana front: njsScriptPath ${JSON.stringify(o.njsScriptPath)} must not contain spaces, quotes, braces or ';'`);
  return `  log_format front escape=json '${frontLogFormat()}';

  # Set by the njs script (render/grafanaFrontNjs.ts): SSO logins (js_var) and the login form's user (js_set); empty elsewhere.
  js_import front_audit from ${o.njsScriptPath};
  js_var $sso_login_event;
  js_var $sso_login_outcome;
  js_var $sso_login_user;
  js_var $sso_login_ref;
  js_var $sso_login_detail;
  js_set $form_login_user front_audit.formUser;

  # Basic auth and the login form only from loopback and the deployer CIDRs.
  geo $deployer {
    default 0;
${deployers}
  }
  map $http_authorization $basic_auth {
    ~*^basic 1;
    default 0;
  }
  map "$request_method $uri" $form_login {
    "POST /login" 1;
    default 0;
  }
  map "$basic_auth$form_login$deployer" $refuse_password {
    ~^(10|01|11)0$ 1;
    default 0;
  }
  map "$uri|$arg_code$arg_error" $oauth_step {
    ~^/login/generic_oauth\\|$ oauth_start;
    ~^/login/generic_oauth\\| oauth_callback;
    default "";
  }
  map "$sso_login_event|$oauth_step$form_login$basic_auth" $login_event {
    ~^oauth_login\\| oauth_login;
    ~^\\|oauth_start oauth_start;
    ~^\\|oauth_callback oauth_callback;
    ~^\\|1 form;
    ~^\\|01 basic;
    default "";
  }
  # Grafana's OAuth error path redirects back to /login; success goes anywhere else.
  map "$login_event|$status|$upstream_http_location" $login_outcome {
    ~^oauth_login\\| $sso_login_outcome;
    ~^oauth_callback\\|302\\|(https://[^/]+)?/login failure;
    ~^oauth_callback\\|302\\| success;
    ~^oauth_callback\\| failure;
    ~^(form|basic)\\|2 success;
    ~^(form|basic)\\| failure;
    default "";
  }
  # The SSO login name the njs script looked up, the login form's user, or basic auth's name.
  map "$sso_login_user|$form_login_user" $login_name {
    ~^\\|$ $remote_user;
    ~^\\|(?<form_user>.+)$ $form_user;
    default $sso_login_user;
  }
  map $http_upgrade $connection_upgrade {
    default upgrade;
    "" "";
  }

  server {
    listen ${o.listen} ssl;
    ssl_certificate ${o.serverTls.cert};
    ssl_certificate_key ${o.serverTls.key};
    ssl_protocols ${o.tlsProtocols};
    access_log ${o.accessLogPath} front;
    client_max_body_size 32m;
    # Relative redirects: the pod's port is not the one users reach (443 on the load balancer).
    absolute_redirect off;

    set $sso_ready 0;
    include ${o.ssoGateFile};

    if ($refuse_password) {
      return 403;
    }

    location /login/generic_oauth {
      if ($sso_ready = 0) {
        return 503;
      }
${proxyToGrafana(o)}
      js_header_filter front_audit.markCallback;
    }

    # Who signed in: the successful callback's first stop (R11).
    location = ${SIGNED_IN_PATH} {
      js_content front_audit.signedIn;
    }

    location = ${USER_LOOKUP_PATH} {
      internal;
${proxyToGrafana(o, "/api/user")}
      proxy_pass_request_body off;
      proxy_set_header Content-Length "";
      subrequest_output_buffer_size 64k;
    }

    # The login form (and page): its small JSON body stays in memory, so the log can name the user it tried.
    location = /login {
      client_body_buffer_size 16k;
      client_max_body_size 16k;
${proxyToGrafana(o)}
    }

    location / {
${proxyToGrafana(o)}
    }
  }
`;
}
