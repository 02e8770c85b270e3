/**
 * nginx configuration of the audit proxy (R11, R10): a sidecar in the
 * Grafana pod between Grafana's Tempo data sources and Tempo. It listens with
 * TLS on loopback (Grafana presents its client certificate), forwards to
 * Tempo over mutual TLS (verifying Tempo's certificate and name), and writes
 * one JSON line per request: who (X-Grafana-User), which tenant
 * (X-Scope-OrgID), the query (request URI with TraceQL `q=` or
 * /api/traces/<id>), when, the result status, duration and size.
 * Pure: typed options in, nginx.conf text out.
 */

export interface TlsFiles {
  readonly cert: string;
  readonly key: string;
  /** CA bundle that verifies the peer. */
  readonly ca: string;
}

export interface AuditProxyOptions {
  /** Address to listen on; keep it on loopback so only containers of the pod reach it. @default "127.0.0.1" */
  readonly listenAddress?: string;
  /**
   * One TLS listener per tenant set: the port a data source uses fixes the
   * X-Scope-OrgID sent to Tempo, whatever the caller sent (R9), so the
   * Support organisation's data source cannot widen its tenant.
   */
  readonly routes: readonly { readonly port: number; readonly tenant: string }[];
  /** Server certificate of the listener, and the CA that client certificates must chain to. */
  readonly serverTls: TlsFiles;
  /** Tempo's `host:port` (what nginx connects to). */
  readonly upstream: string;
  /** Name Tempo's certificate must carry (SNI and verification). */
  readonly upstreamServerName: string;
  /** Client certificate presented to Tempo, and the CA that Tempo's certificate must chain to. */
  readonly upstreamTls: TlsFiles;
  /** TLS versions for both sides. @default ["TLSv1.2", "TLSv1.3"] */
  readonly tlsProtocols?: readonly ("TLSv1.2" | "TLSv1.3")[];
  /** The audit log: one JSON object per line. */
  readonly auditLogPath: string;
  /** Where nginx writes its pid and temp files (must be writable). */
  readonly runDir: string;
  /** nginx error log target. @default "/dev/stderr" */
  readonly errorLog?: string;
  /** Seconds to wait for Tempo's response. @default 120 */
  readonly readTimeoutSeconds?: number;
  /** More of the http block served by the same nginx: the Grafana front proxy (render/grafanaFront.ts). @default "" */
  readonly extraHttp?: string;
  /** Dynamic modules (`.so` paths) loaded in the main context, e.g. njs for the front proxy. @default [] */
  readonly loadModules?: readonly string[];
}

/** Fields of one audit record, in order; values are nginx variables, JSON-escaped by `escape=json`. */
export const AUDIT_FIELDS: readonly (readonly [name: string, variable: string, numeric: boolean])[] = [
  ["time", "$time_iso8601", false],
  ["user", "$http_x_grafana_user", false],
  ["tenant", "$audit_tenant", false],
  ["requested_tenant", "$http_x_scope_orgid", false],
  ["method", "$request_method", false],
  ["uri", "$request_uri", false],
  ["status", "$status", true],
  ["request_time", "$request_time", true],
  ["bytes_sent", "$bytes_sent", true],
  ["upstream_status", "$upstream_status", false],
  ["client_cert", "$ssl_client_s_dn", false],
  ["request_id", "$request_id", false],
];

export function auditLogFormat(): string {
  const body = AUDIT_FIELDS.map(([name, variable, numeric]) => (numeric ? `"${name}":${variable}` : `"${name}":"${variable}"`)).join(",");
  return `{${body}}`;
}

function checkPath(what: string, value: string): string {
  if (/[\s;{}'"]/.test(value)) throw new Error(`audit proxy: ${what} ${JSON.stringify(value)} must not contain spaces, quotes, braces or ';'`);
  return value;
}

export function renderAuditProxyConfig(o: AuditProxyOptions): string {
  const protocols = (o.tlsProtocols ?? ["TLSv1.2", "TLSv1.3"]).join(" ");
  const run = checkPath("runDir", o.runDir.replace(/\/+$/, ""));
  const address = checkPath("listenAddress", o.listenAddress ?? "127.0.0.1");
  if (o.routes.length === 0) throw new Error("audit proxy: at least one route is required");
  if (new Set(o.routes.map((r) => r.port)).size !== o.routes.length) throw new Error("audit proxy: route ports must differ");
  for (const r of o.routes) {
    if (!/^[a-z][a-z0-9-]*(\|[a-z][a-z0-9-]*)*$/.test(r.tenant)) throw new Error(`audit proxy: tenant ${JSON.stringify(r.tenant)} must be tenant names joined by |`);
  }
  const modules = (o.loadModules ?? []).map((m) => `load_module ${checkPath("loadModules", m)};\n`).join("");
  const upstream = checkPath("upstream", o.upstream);
  const name = checkPath("upstreamServerName", o.upstreamServerName);
  const s = o.serverTls;
  const u = o.upstreamTls;
  for (const [what, path] of Object.entries({ auditLogPath: o.auditLogPath, ...s, ...u })) checkPath(what, path);
  const server = (listen: string, tenant: string) => `  server {
    listen ${listen} ssl;
    set $audit_tenant "${tenant}";
    ssl_certificate ${s.cert};
    ssl_certificate_key ${s.key};
    ssl_protocols ${protocols};
    # Only holders of a certificate from the stack's CA (Grafana) may use the proxy.
    ssl_client_certificate ${s.ca};
    ssl_verify_client on;

    access_log ${o.auditLogPath} audit;

    location / {
      proxy_pass https://${upstream};
      proxy_http_version 1.1;
      proxy_set_header Host ${name};
      proxy_set_header Connection "";
      proxy_set_header X-Scope-OrgID $audit_tenant;
      proxy_ssl_certificate ${u.cert};
      proxy_ssl_certificate_key ${u.key};
      proxy_ssl_trusted_certificate ${u.ca};
      proxy_ssl_verify on;
      proxy_ssl_verify_depth 2;
      proxy_ssl_name ${name};
      proxy_ssl_server_name on;
      proxy_ssl_protocols ${protocols};
      proxy_ssl_session_reuse on;
      proxy_read_timeout ${o.readTimeoutSeconds ?? 120}s;
      proxy_buffering off;
    }
  }`;
  return `# Rendered by render/auditProxy.ts: the Grafana pod's audit proxy to Tempo (R10, R11).
${modules}worker_processes 1;
pid ${run}/nginx.pid;
error_log ${o.errorLog ?? "/dev/stderr"} warn;

events {
  worker_connections 512;
}

http {
  server_tokens off;
  client_body_temp_path ${run}/client_body;
  proxy_temp_path ${run}/proxy;
  fastcgi_temp_path ${run}/fastcgi;
  uwsgi_temp_path ${run}/uwsgi;
  scgi_temp_path ${run}/scgi;

  log_format audit escape=json '${auditLogFormat()}';
  access_log off;

${o.routes.map((r) => server(`${address}:${r.port}`, r.tenant)).join("\n")}
${o.extraHttp ?? ""}}
`;
}
