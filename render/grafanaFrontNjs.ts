/**
 * The njs script of the Grafana front proxy (R11, issue 14): it records WHO
 * signed in with SSO. Grafana's OAuth callback starts the session but the
 * front cannot see the user in it, so:
 * - `markCallback` (js_header_filter of /login/generic_oauth): on a successful
 *   callback ($login_outcome = success) it points the browser first at
 *   `SIGNED_IN_PATH?next=<Grafana's target>` and sets a short-lived marker
 *   cookie holding the callback's request id;
 * - `signedIn` (js_content of SIGNED_IN_PATH): with the marker, asks Grafana
 *   `GET /api/user` with the browser's new session (subrequest to
 *   USER_LOOKUP_PATH), puts `login` in `$sso_login_user` for the access log
 *   (event `oauth_login`), and redirects to `next` whatever the lookup gave
 *   (fails open for the user, visibly in `login_detail`).
 * - `formUser` (js_set, read when the access log is written): the `user` a
 *   login-form post tried (the break-glass admin's form login), never the
 *   password; the body is buffered in memory by the /login location.
 * `next` is admitted only as a local path (one leading `/`, no `//`, no
 * backslash, no control character or space), else `/`: no open redirect.
 * Written in the subset that njs 0.7.9 (Debian bookworm) and 0.8.x (the
 * nginx.org module of the deployed image) both run: `var`, `function`,
 * promises with `then`; `r.args` is percent-decoded since njs 0.7.6.
 */

/** Front-owned path the browser visits after a successful SSO callback. */
export const SIGNED_IN_PATH = "/_audit/signed-in";
/** Internal location that proxies to Grafana's `GET /api/user`. */
export const USER_LOOKUP_PATH = "/_audit/user";
/** Cookie carrying the callback's request id to SIGNED_IN_PATH (scoped to that path, 5 min). */
export const LOGIN_MARKER_COOKIE = "audit_login";

const cookie = (value: string, maxAge: number) => `${LOGIN_MARKER_COOKIE}=${value}; Path=${SIGNED_IN_PATH}; Max-Age=${maxAge}; HttpOnly; Secure; SameSite=Lax`;

export function renderGrafanaFrontNjs(): string {
  return `// Rendered by render/grafanaFrontNjs.ts: who signed in with SSO (R11). njs 0.7.9 and 0.8.x.
var MARKER = /^[0-9a-f]{32}$/;
var UNSAFE = /[\\\\\\x00-\\x20\\x7f]/;

// A local path or "/": one leading slash, then no slash or backslash; no space or control character.
function localPath(value) {
  if (typeof value !== "string" || value.length > 4096) return "/";
  if (value.charAt(0) !== "/" || value.charAt(1) === "/" || UNSAFE.test(value)) return "/";
  return value;
}

// A user name field of a JSON body: Grafana's /api/user answer ("login") or its login form ("user").
function nameIn(body, field) {
  try {
    var login = JSON.parse(body)[field];
    if (typeof login === "string" && login.length > 0 && login.length <= 256 && !/[\\x00-\\x1f\\x7f]/.test(login)) return login;
  } catch (e) {
    return undefined;
  }
  return undefined;
}

// js_set $form_login_user: the name a login-form post (POST /login, JSON {"user", "password"}) tried, read from
// the buffered request body at log time; only the "user" field is taken, never the password. "" for other requests.
function formUser(r) {
  if (r.variables.form_login !== "1") return "";
  var body = r.variables.request_body;
  if (typeof body !== "string" || body.length === 0) return "-";
  return nameIn(body, "user") || "-";
}

function markCallback(r) {
  if (r.variables.login_outcome !== "success") return;
  r.headersOut.Location = "${SIGNED_IN_PATH}?next=" + encodeURIComponent(localPath(r.headersOut.Location));
  var cookies = r.headersOut["Set-Cookie"] || [];
  if (typeof cookies === "string") cookies = [cookies];
  cookies.push("${cookie('" + r.variables.request_id + "', 300)}");
  r.headersOut["Set-Cookie"] = cookies;
}

function finish(r, next) {
  r.headersOut["Set-Cookie"] = "${cookie("", 0)}";
  r.headersOut["Cache-Control"] = "no-store";
  r.return(302, next);
}

function signedIn(r) {
  var next = localPath(r.args.next);
  var ref = r.variables.cookie_${LOGIN_MARKER_COOKIE};
  if (typeof ref !== "string" || !MARKER.test(ref)) {
    r.variables.sso_login_detail = "no sign-in in progress";
    finish(r, next);
    return;
  }
  r.variables.sso_login_event = "oauth_login";
  r.variables.sso_login_ref = ref;
  r.variables.sso_login_outcome = "success";
  r.subrequest("${USER_LOOKUP_PATH}", { method: "GET" }).then(
    function (reply) {
      var login = reply.status === 200 ? nameIn(reply.responseText, "login") : undefined;
      r.variables.sso_login_user = login || "-";
      if (!login) r.variables.sso_login_detail = "user lookup failed: GET /api/user answered " + reply.status;
      finish(r, next);
    },
    function (e) {
      r.variables.sso_login_user = "-";
      r.variables.sso_login_detail = "user lookup failed: " + e;
      finish(r, next);
    }
  );
}

export default { formUser: formUser, markCallback: markCallback, signedIn: signedIn };
`;
}
