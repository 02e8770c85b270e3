/** The Grafana front proxy's nginx text (pure; real nginx runs it in e2e/grafanaFront.test.ts). */
import { FRONT_FIELDS, renderGrafanaFront, SSO_GATE_OPEN } from "../../render/grafanaFront";

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
});
