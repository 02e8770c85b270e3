/** The Grafana front proxy's nginx text (pure; real nginx runs it in e2e/grafanaFront.test.ts). */
import { renderAuditProxyConfig } from "../../render/auditProxy";
import { FRONT_FIELDS, renderGrafanaFront, SSO_GATE_OPEN } from "../../render/grafanaFront";
import { LOGIN_MARKER_COOKIE, renderGrafanaFrontNjs, SIGNED_IN_PATH, USER_LOOKUP_PATH } from "../../render/grafanaFrontNjs";

const base = {
  listen: "0.0.0.0:3000",
  serverTls: { cert: "/tls/tls.crt", key: "/tls/tls.key" },
  upstream: "127.0.0.1:3001",
  upstreamServerName: "tracing.corp.example.com",
  upstreamCa: "/tls/ca.crt",
  accessLogPath: "/var/log/audit/proxy/front.log",
  deployerCidrs: ["10.20.8.0/24"],
  ssoGateFile: "/etc/grafana-sso-gate/sso-gate.conf",
  tlsProtocols: "TLSv1.3",
  njsScriptPath: "/etc/grafana-config/grafana-front.js",
};

describe("Grafana front proxy config", () => {
  const conf = renderGrafanaFront(base);

  it("never logs the query string (OAuth code and state) or a cookie", () => {
    const variables = FRONT_FIELDS.map(([, v]) => v);
    expect(variables).toContain("$uri");
    expect(variables).not.toContain("$request_uri");
    expect(variables).not.toContain("$args");
    expect(variables.some((v) => /cookie|authorization/i.test(v))).toBe(false);
  });

  it("verifies Grafana's certificate and name on the loopback hop (R10)", () => {
    expect(conf).toContain("proxy_ssl_verify on;");
    expect(conf).toContain("proxy_ssl_name tracing.corp.example.com;");
    expect(conf).toContain("proxy_pass https://127.0.0.1:3001;");
  });

  it("overwrites X-Forwarded-For so clients cannot pick the address Grafana's login protection sees", () => {
    expect(conf).toContain("proxy_set_header X-Forwarded-For $remote_addr;");
    expect(conf).not.toContain("$proxy_add_x_forwarded_for");
  });

  it("starts with SSO closed and lets only the gate file open it", () => {
    expect(conf.indexOf("set $sso_ready 0;")).toBeLessThan(conf.indexOf(`include ${base.ssoGateFile};`));
    expect(SSO_GATE_OPEN).toBe("set $sso_ready 1;");
  });

  it("refuses a deployer CIDR that is not a CIDR (no nginx injection through config)", () => {
    expect(() => renderGrafanaFront({ ...base, deployerCidrs: ["10.0.0.0/8 1; default 1"] })).toThrow(/not a CIDR/);
    expect(renderGrafanaFront({ ...base, deployerCidrs: [] })).toMatch(/geo \$deployer \{\n\s+default 0;\n\s+127\.0\.0\.0\/8 1;\n\s+::1\/128 1;\n\s+\}/);
  });
  /** The body of the location block `head {` ... its closing brace at the same indent. */
  const block = (head: string) => {
    const start = conf.indexOf(`    ${head} {\n`);
    expect(start).toBeGreaterThan(-1);
    return conf.slice(start, conf.indexOf("\n    }\n", start));
  };

  it("sends only successful SSO callbacks through the njs signed-in path, which Grafana's /api/user answers over the verified loopback hop (R11)", () => {
    expect(conf).toContain(`js_import front_audit from ${base.njsScriptPath};`);
    expect(block("location /login/generic_oauth")).toContain("js_header_filter front_audit.markCallback;");
    expect(block(`location = ${SIGNED_IN_PATH}`)).toContain("js_content front_audit.signedIn;");
    const lookup = block(`location = ${USER_LOOKUP_PATH}`);
    expect(lookup).toContain("internal;");
    expect(lookup).toContain("proxy_pass https://127.0.0.1:3001/api/user;");
    expect(lookup).toContain("proxy_ssl_verify on;");
    // Redirects stay relative: the pod's port 3000 is not the one browsers reach.
    expect(conf).toContain("absolute_redirect off;");
  });

  it("declares every njs-set variable the log writes, and logs the SSO name where the basic auth name goes", () => {
    const logged = FRONT_FIELDS.map(([, v]) => v).filter((v) => v.startsWith("$sso_"));
    expect(logged).toEqual(["$sso_login_ref", "$sso_login_detail"]);
    for (const v of [...logged, "$sso_login_event", "$sso_login_outcome", "$sso_login_user"]) expect(conf).toContain(`js_var ${v};`);
    expect(FRONT_FIELDS.find(([n]) => n === "login_user")?.[1]).toBe("$login_name");
    // SSO name first, then the login form's user, then basic auth's.
    expect(conf).toMatch(/map "\$sso_login_user\|\$form_login_user" \$login_name \{\n\s+~\^\\\|\$ \$remote_user;\n\s+~\^\\\|\(\?<form_user>\.\+\)\$ \$form_user;\n\s+default \$sso_login_user;/);
    expect(conf).toContain("js_set $form_login_user front_audit.formUser;");
    // The login form's body stays in memory (so $request_body is readable at log time) and small.
    expect(block("location = /login")).toMatch(/client_body_buffer_size 16k;\n\s+client_max_body_size 16k;/);
    expect(conf).toMatch(/map "\$sso_login_event\|[^"]+" \$login_event \{\n\s+~\^oauth_login\\\| oauth_login;/);
  });

  it("refuses an njs script path that could inject nginx directives", () => {
    expect(() => renderGrafanaFront({ ...base, njsScriptPath: "/x.js; load_module /evil.so" })).toThrow(/njsScriptPath/);
  });

  it("loads dynamic modules in nginx's main context, before events, and refuses injected paths", () => {
    const proxy = { routes: [{ port: 3201, tenant: "orders" }], serverTls: { cert: "c", key: "k", ca: "a" }, upstream: "t:3200", upstreamServerName: "t", upstreamTls: { cert: "c", key: "k", ca: "a" }, auditLogPath: "/l", runDir: "/r" };
    const text = renderAuditProxyConfig({ ...proxy, loadModules: ["/usr/lib/nginx/modules/ngx_http_js_module.so"], extraHttp: conf });
    expect(text.indexOf("load_module /usr/lib/nginx/modules/ngx_http_js_module.so;\n")).toBeLessThan(text.indexOf("events {"));
    expect(text.indexOf("load_module")).toBeLessThan(text.indexOf("http {"));
    expect(renderAuditProxyConfig(proxy)).not.toContain("load_module");
    expect(() => renderAuditProxyConfig({ ...proxy, loadModules: ["/m.so; user root"] })).toThrow(/loadModules/);
  });

  describe("njs script", () => {
    const script = renderGrafanaFrontNjs();

    it("is JavaScript that njs 0.7.9 parses: no arrow functions, let/const, classes or template literals; one default export", () => {
      expect(() => new Function(script.replace("export default", "return"))).not.toThrow();
      expect(script).not.toMatch(/=>|\blet\b|\bconst\b|\bclass\b|`|\basync\b|\bawait\b/);
      expect(script.match(/^export default \{ formUser: formUser, markCallback: markCallback, signedIn: signedIn \};$/m)).not.toBeNull();
    });

    it("never puts the OAuth code, state or a cookie other than its own marker into a logged variable", () => {
      const assigned = [...script.matchAll(/r\.variables\.(\w+) = ([^;]+);/g)].map((m) => [m[1], m[2]]);
      expect(assigned.map(([v]) => v).sort()).toEqual(["sso_login_detail", "sso_login_detail", "sso_login_detail", "sso_login_event", "sso_login_outcome", "sso_login_ref", "sso_login_user", "sso_login_user"]);
      expect(assigned.map(([, value]) => value).join(" ")).not.toMatch(/args|cookie|headersIn|responseText/);
      expect(script).toContain(`r.variables.cookie_${LOGIN_MARKER_COOKIE}`);
      expect(script).toContain("var MARKER = /^[0-9a-f]{32}$/;");
      // The login form's user is the "user" field of the body, never another (the password).
      expect(script).toContain('return nameIn(body, "user") || "-";');
      expect(script).not.toMatch(/nameIn\([^)]*"password"|\.password\b|\["password"\]/);
    });
  });
});
