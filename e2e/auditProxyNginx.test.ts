/**
 * The audit proxy's rendered configuration in REAL nginx (R11, R10): a query
 * through the proxy leaves a JSON record with user, tenant, the TraceQL, the
 * status and the time; the proxy demands Grafana's client certificate and
 * refuses a Tempo whose certificate the stack's CA did not sign. Real-binary
 * tier (it needs nginx and openssl, which `npm ci` does not bring). Fails
 * (does not skip) when nginx is missing, naming the install command.
 */
import { ChildProcess, execFileSync, spawn } from "child_process";
import * as fs from "fs";
import * as https from "https";
import * as net from "net";
import * as os from "os";
import * as path from "path";
import { AUDIT_FIELDS, renderAuditProxyConfig } from "../render/auditProxy";
import { requireCommand } from "./harness/paths";

jest.setTimeout(60_000);

/** nginx lives in /usr/sbin, often off a non-root PATH. */
function findNginx(): string | undefined {
  const found = ["/usr/sbin/nginx", "/usr/bin/nginx"].find((p) => fs.existsSync(p));
  if (found) return found;
  try {
    return requireCommand("nginx", "nginx");
  } catch {
    return undefined;
  }
}
const NGINX = findNginx();
const NGINX_MISSING = "`nginx` not found (looked in /usr/sbin, /usr/bin and PATH): run `apt-get install -y nginx`";

interface Pki {
  dir: string;
  file: (name: string) => string;
}

function openssl(args: string[], cwd: string): void {
  execFileSync("openssl", args, { cwd, stdio: "pipe" });
}

/** A CA and certificates signed by it (ECDSA P-256), like components/pki.ts issues. */
function makePki(dir: string): Pki {
  const issue = (ca: string, name: string, san: string) => {
    fs.writeFileSync(path.join(dir, `${name}.ext`), `subjectAltName=${san}\nextendedKeyUsage=serverAuth,clientAuth\nkeyUsage=digitalSignature,keyEncipherment\n`);
    openssl(["req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", `${name}.key`, "-out", `${name}.csr`, "-subj", `/CN=${name}`], dir);
    openssl(["x509", "-req", "-in", `${name}.csr`, "-CA", `${ca}.crt`, "-CAkey", `${ca}.key`, "-CAcreateserial", "-days", "2", "-out", `${name}.crt`, "-extfile", `${name}.ext`], dir);
  };
  for (const ca of ["ca", "rogue-ca"]) {
    openssl(["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", `${ca}.key`, "-out", `${ca}.crt`, "-days", "2", "-subj", `/CN=${ca}`], dir);
  }
  issue("ca", "grafana", "DNS:grafana.test,IP:127.0.0.1");
  issue("ca", "tempo", "DNS:tempo.test");
  issue("rogue-ca", "rogue-tempo", "DNS:tempo.test");
  // nginx workers run as an unprivileged user when the master is root: let them read the test keys.
  for (const f of fs.readdirSync(dir)) fs.chmodSync(path.join(dir, f), 0o644);
  return { dir, file: (name) => path.join(dir, name) };
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
    server.on("error", reject);
  });
}

async function waitForPort(port: number, proc: ChildProcess, errorLog: string): Promise<void> {
  for (let i = 0; i < 100; i++) {
    if (proc.exitCode !== null) throw new Error(`nginx exited ${proc.exitCode}: ${fs.existsSync(errorLog) ? fs.readFileSync(errorLog, "utf8") : ""}`);
    const open = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, "127.0.0.1", () => {
        socket.end();
        resolve(true);
      });
      socket.on("error", () => resolve(false));
    });
    if (open) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`nothing listens on ${port}`);
}

interface Received {
  url?: string;
  tenant?: string;
  clientCn?: string;
}

/** A stand-in for Tempo's HTTP API: mutual TLS, answers every request with an empty search result. */
function startTempo(pki: Pki, certName: string, port: number, received: Received): Promise<https.Server> {
  const server = https.createServer(
    {
      key: fs.readFileSync(pki.file(`${certName}.key`)),
      cert: fs.readFileSync(pki.file(`${certName}.crt`)),
      ca: fs.readFileSync(pki.file("ca.crt")),
      requestCert: true,
      rejectUnauthorized: true,
    },
    (req, res) => {
      received.url = req.url;
      received.tenant = req.headers["x-scope-orgid"] as string | undefined;
      received.clientCn = String((req.socket as import("tls").TLSSocket).getPeerCertificate().subject?.CN);
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ traces: [], metrics: {} }));
    },
  );
  return new Promise((resolve) => server.listen(port, "127.0.0.1", () => resolve(server)));
}

interface Response {
  status: number;
  body: string;
}

function request(port: number, pathAndQuery: string, headers: Record<string, string>, clientCert?: { key: Buffer; cert: Buffer }, ca?: Buffer): Promise<Response> {
  return new Promise((resolve, reject) => {
    const req = https.request(
      { host: "127.0.0.1", port, path: pathAndQuery, method: "GET", headers, servername: "grafana.test", ca, ...clientCert },
      (res) => {
        let body = "";
        res.on("data", (c) => (body += c));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on("error", reject);
    req.end();
  });
}

async function readRecords(file: string, count: number): Promise<Record<string, unknown>[]> {
  for (let i = 0; i < 50; i++) {
    const lines = fs.existsSync(file) ? fs.readFileSync(file, "utf8").split("\n").filter(Boolean) : [];
    if (lines.length >= count) return lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`expected ${count} audit records in ${file}`);
}

describe("audit proxy in real nginx", () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "audit-proxy-"));
  const procs: ChildProcess[] = [];
  const servers: https.Server[] = [];
  let pki: Pki;

  async function startProxy(name: string, upstreamPort: number): Promise<{ port: number; widePort: number; auditLog: string }> {
    const dir = path.join(tmp, name);
    fs.mkdirSync(path.join(dir, "run"), { recursive: true, mode: 0o777 });
    fs.chmodSync(path.join(dir, "run"), 0o777);
    const port = await freePort();
    const widePort = await freePort();
    const auditLog = path.join(dir, "queries.log");
    const errorLog = path.join(dir, "error.log");
    const conf = renderAuditProxyConfig({
      routes: [
        { port, tenant: "orders" },
        { port: widePort, tenant: "orders|platform" },
      ],
      serverTls: { cert: pki.file("grafana.crt"), key: pki.file("grafana.key"), ca: pki.file("ca.crt") },
      upstream: `127.0.0.1:${upstreamPort}`,
      upstreamServerName: "tempo.test",
      upstreamTls: { cert: pki.file("grafana.crt"), key: pki.file("grafana.key"), ca: pki.file("ca.crt") },
      auditLogPath: auditLog,
      runDir: path.join(dir, "run"),
      errorLog,
    });
    const confFile = path.join(dir, "nginx.conf");
    fs.writeFileSync(confFile, conf);
    if (!NGINX) throw new Error(NGINX_MISSING);
    const proc = spawn(NGINX, ["-e", errorLog, "-c", confFile, "-p", dir, "-g", "daemon off;"], { stdio: "ignore" });
    procs.push(proc);
    await waitForPort(port, proc, errorLog);
    await waitForPort(widePort, proc, errorLog);
    return { port, widePort, auditLog };
  }

  beforeAll(() => {
    requireCommand("openssl", "openssl");
    pki = makePki(fs.mkdtempSync(path.join(tmp, "pki-")));
  });

  afterAll(async () => {
    for (const p of procs) if (p.exitCode === null) p.kill("SIGTERM");
    for (const s of servers) await new Promise((r) => s.close(r));
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it("nginx is installed (apt-get install -y nginx)", () => {
    if (!NGINX) throw new Error(NGINX_MISSING);
    expect(fs.existsSync(NGINX)).toBe(true);
  });

  it("records who queried which tenant with which TraceQL, the status and the time", async () => {
    const received: Received = {};
    const tempoPort = await freePort();
    servers.push(await startTempo(pki, "tempo", tempoPort, received));
    const proxy = await startProxy("good", tempoPort);

    const traceql = '{ span.order.id = "o-42" }';
    const before = Date.now();
    const res = await request(
      proxy.port,
      `/api/search?q=${encodeURIComponent(traceql)}&limit=20`,
      { "X-Grafana-User": "u-1234", "X-Scope-OrgID": "orders" },
      { key: fs.readFileSync(pki.file("grafana.key")), cert: fs.readFileSync(pki.file("grafana.crt")) },
      fs.readFileSync(pki.file("ca.crt")),
    );
    expect(res.status).toBe(200);
    // The proxy forwarded over mutual TLS with Grafana's certificate, tenant header intact.
    expect(received.tenant).toBe("orders");
    expect(received.clientCn).toBe("grafana");

    const [record] = await readRecords(proxy.auditLog, 1);
    expect(record.user).toBe("u-1234");
    expect(record.tenant).toBe("orders");
    expect(record.method).toBe("GET");
    expect(record.status).toBe(200);
    expect(record.upstream_status).toBe("200");
    const uri = new URL(String(record.uri), "https://x");
    expect(uri.pathname).toBe("/api/search");
    expect(uri.searchParams.get("q")).toBe(traceql);
    const time = Date.parse(String(record.time));
    expect(time).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000 - 1000);
    expect(time).toBeLessThanOrEqual(Date.now() + 1000);
    expect(Object.keys(record)).toEqual(AUDIT_FIELDS.map(([name]) => name));

    // A trace-by-id lookup is recorded with its id.
    const byId = await request(
      proxy.port,
      "/api/v2/traces/0af7651916cd43dd8448eb211c80319c",
      { "X-Grafana-User": "u-1234", "X-Scope-OrgID": "orders" },
      { key: fs.readFileSync(pki.file("grafana.key")), cert: fs.readFileSync(pki.file("grafana.crt")) },
      fs.readFileSync(pki.file("ca.crt")),
    );
    expect(byId.status).toBe(200);
    const records = await readRecords(proxy.auditLog, 2);
    expect(records[1].uri).toBe("/api/v2/traces/0af7651916cd43dd8448eb211c80319c");
  });

  it("fixes the tenant by port: the orders listener never forwards platform (R9)", async () => {
    const received: Received = {};
    const tempoPort = await freePort();
    servers.push(await startTempo(pki, "tempo", tempoPort, received));
    const proxy = await startProxy("tenant-by-port", tempoPort);
    const client = { key: fs.readFileSync(pki.file("grafana.key")), cert: fs.readFileSync(pki.file("grafana.crt")) };
    const ca = fs.readFileSync(pki.file("ca.crt"));

    const widened = await request(proxy.port, "/api/search?q=%7B%7D", { "X-Grafana-User": "u-1", "X-Scope-OrgID": "orders|platform" }, client, ca);
    expect(widened.status).toBe(200);
    expect(received.tenant).toBe("orders");

    const engineering = await request(proxy.widePort, "/api/search?q=%7B%7D", { "X-Grafana-User": "u-2", "X-Scope-OrgID": "orders|platform" }, client, ca);
    expect(engineering.status).toBe(200);
    expect(received.tenant).toBe("orders|platform");

    const records = await readRecords(proxy.auditLog, 2);
    expect(records[0]).toMatchObject({ user: "u-1", tenant: "orders", requested_tenant: "orders|platform" });
    expect(records[1]).toMatchObject({ user: "u-2", tenant: "orders|platform" });
  });

  it("rejects callers without the client certificate", async () => {
    const tempoPort = await freePort();
    servers.push(await startTempo(pki, "tempo", tempoPort, {}));
    const proxy = await startProxy("no-client-cert", tempoPort);
    const res = await request(proxy.port, "/api/search?q=%7B%7D", { "X-Scope-OrgID": "platform" }, undefined, fs.readFileSync(pki.file("ca.crt")));
    expect(res.status).toBe(400);
    const [record] = await readRecords(proxy.auditLog, 1);
    expect(record.status).toBe(400);
    expect(record.upstream_status).toBe("");
  });

  it("refuses a Tempo whose certificate is not from the stack's CA", async () => {
    const received: Received = {};
    const tempoPort = await freePort();
    servers.push(await startTempo(pki, "rogue-tempo", tempoPort, received));
    const proxy = await startProxy("rogue-upstream", tempoPort);
    const res = await request(
      proxy.port,
      "/api/search?q=%7B%7D",
      { "X-Grafana-User": "u-1234", "X-Scope-OrgID": "orders" },
      { key: fs.readFileSync(pki.file("grafana.key")), cert: fs.readFileSync(pki.file("grafana.crt")) },
      fs.readFileSync(pki.file("ca.crt")),
    );
    expect(res.status).toBe(502);
    expect(received.url).toBeUndefined();
    const [record] = await readRecords(proxy.auditLog, 1);
    expect(record).toMatchObject({ user: "u-1234", tenant: "orders", status: 502 });
  });

  it("Tempo refuses a direct request without a client certificate", async () => {
    const tempoPort = await freePort();
    servers.push(await startTempo(pki, "tempo", tempoPort, {}));
    await expect(
      new Promise((resolve, reject) => {
        const req = https.request(
          { host: "127.0.0.1", port: tempoPort, path: "/api/search", servername: "tempo.test", ca: fs.readFileSync(pki.file("ca.crt")) },
          (res) => {
            res.resume();
            res.on("end", () => resolve(res.statusCode));
          },
        );
        req.on("error", reject);
        req.end();
      }),
    ).rejects.toThrow();
  });
});
