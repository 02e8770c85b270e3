/**
 * The Grafana front proxy's rendered nginx configuration in REAL nginx (R8,
 * R11, issue 14): each login attempt leaves an access record with its event
 * and outcome and never the OAuth code; basic auth and the login form are
 * refused outside the deployer CIDRs; SSO answers 503 until the
 * organisations' gate file opens it; the example queries of docs/grafana.md
 * (run with real jq) return the records. Grafana itself cannot run here: a
 * stand-in answers as Grafana's OAuth handler does (302 to `/` on success, to
 * `/login` on error) and sets X-Grafana-Identity-Id on signed-in requests.
 * Needs `apt-get install -y nginx jq openssl`.
 */
import { ChildProcess, execFileSync, spawn } from "child_process";
import * as fs from "fs";
import * as https from "https";
import * as os from "os";
import * as path from "path";
import { renderAuditProxyConfig } from "../render/auditProxy";
import { renderGrafanaFront, SSO_GATE_OPEN } from "../render/grafanaFront";
import { requireCommand } from "./harness/paths";
import { canConnect, freePort } from "./harness/ports";

const HOST = "tracing.test";
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function openssl(args: string[], cwd: string): void {
  execFileSync(requireCommand("openssl", "openssl"), args, { cwd, stdio: "pipe" });
}

/** The machine's first non-loopback IPv4 address: a client outside the deployer CIDRs. */
function outsideAddress(): string {
  for (const list of Object.values(os.networkInterfaces())) for (const a of list ?? []) if (a.family === "IPv4" && !a.internal) return a.address;
  throw new Error("the front proxy test needs a non-loopback IPv4 address");
}

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
}

function get(address: string, port: number, pathAndQuery: string, ca: Buffer, headers: Record<string, string> = {}, method = "GET"): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = https.request({ host: address, port, path: pathAndQuery, method, headers: { host: HOST, ...headers }, servername: HOST, ca }, (res) => {
      res.resume();
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers }));
    });
    req.on("error", reject);
    req.end();
  });
}

/** Answers like Grafana's OAuth and API handlers (see the file comment). */
function grafanaStandIn(key: Buffer, cert: Buffer, seen: string[]): https.Server {
  return https.createServer({ key, cert }, (req, res): void => {
    seen.push(`${req.method} ${req.url}`);
    const url = new URL(req.url ?? "/", `https://${HOST}`);
    const auth = req.headers.authorization;
    if (url.pathname === "/login/generic_oauth") {
      if (!url.searchParams.has("code") && !url.searchParams.has("error")) {
        res.writeHead(302, { location: "https://idp.test/authorize?state=s" });
      } else if (url.searchParams.get("code") === "good-code") {
        res.writeHead(302, { location: "/", "set-cookie": ["grafana_session=abc; Path=/; HttpOnly; Secure", "oauth_state=; Max-Age=0"] });
      } else {
        res.writeHead(302, { location: "/login", "set-cookie": "redirect_error=x; Path=/" });
      }
      res.end();
      return;
    }
    if (auth?.startsWith("Basic ")) {
      const [user, password] = Buffer.from(auth.slice(6), "base64").toString().split(":");
      res.writeHead(user === "admin" && password === "right" ? 200 : 401, { "x-grafana-identity-id": user === "admin" && password === "right" ? "user:admin-uid" : "" });
      res.end("{}");
      return;
    }
    if (req.method === "POST" && url.pathname === "/login") {
      res.writeHead(401);
      res.end();
      return;
    }
    if (req.headers.cookie?.includes("grafana_session=abc")) {
      res.writeHead(200, { "x-grafana-identity-id": "user:u-42" });
      res.end("{}");
      return;
    }
    res.writeHead(302, { location: "/login" });
    res.end();
  });
}

describe("Grafana front proxy in real nginx", () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "grafana-front-"));
  fs.chmodSync(tmp, 0o755);
  const procs: ChildProcess[] = [];
  const seen: string[] = [];
  let upstream: https.Server;
  let ca: Buffer;
  let nginx: string;
  const outside = outsideAddress();

  async function startFront(name: string, deployerCidrs: string[], gate: string) {
    const dir = path.join(tmp, name);
    fs.mkdirSync(path.join(dir, "run"), { recursive: true });
    fs.chmodSync(dir, 0o777);
    fs.chmodSync(path.join(dir, "run"), 0o777);
    const [port, dummy, upstreamPort] = [await freePort(), await freePort(), (upstream.address() as { port: number }).port];
    const gateFile = path.join(dir, "sso-gate.conf");
    fs.writeFileSync(gateFile, gate);
    const front = renderGrafanaFront({
      listen: `0.0.0.0:${port}`,
      serverTls: { cert: path.join(tmp, "grafana.crt"), key: path.join(tmp, "grafana.key") },
      upstream: `127.0.0.1:${upstreamPort}`,
      upstreamServerName: HOST,
      upstreamCa: path.join(tmp, "ca.crt"),
      accessLogPath: path.join(dir, "front.log"),
      deployerCidrs,
      ssoGateFile: gateFile,
      tlsProtocols: "TLSv1.2 TLSv1.3",
    });
    const tls = { cert: path.join(tmp, "grafana.crt"), key: path.join(tmp, "grafana.key"), ca: path.join(tmp, "ca.crt") };
    const conf = renderAuditProxyConfig({
      routes: [{ port: dummy, tenant: "orders" }],
      serverTls: tls,
      upstream: "127.0.0.1:9",
      upstreamServerName: "tempo.test",
      upstreamTls: tls,
      auditLogPath: path.join(dir, "queries.log"),
      runDir: path.join(dir, "run"),
      errorLog: path.join(dir, "error.log"),
      extraHttp: front,
    });
    const confFile = path.join(dir, "nginx.conf");
    fs.writeFileSync(confFile, conf);
    const proc = spawn(nginx, ["-e", path.join(dir, "error.log"), "-c", confFile, "-p", dir, "-g", "daemon off;"], { stdio: "ignore" });
    procs.push(proc);
    for (let i = 0; i < 100 && !(await canConnect(port)); i++) {
      if (proc.exitCode !== null) throw new Error(`nginx exited: ${fs.readFileSync(path.join(dir, "error.log"), "utf8")}`);
      await sleep(100);
    }
    const log = path.join(dir, "front.log");
    const records = async (n: number) => {
      for (let i = 0; i < 50; i++) {
        const lines = fs.existsSync(log) ? fs.readFileSync(log, "utf8").split("\n").filter(Boolean) : [];
        if (lines.length >= n) return lines.map((l) => JSON.parse(l) as Record<string, string | number>);
        await sleep(100);
      }
      throw new Error(`expected ${n} records in ${log}`);
    };
    return { port, log, records };
  }

  beforeAll(async () => {
    nginx = requireCommand("nginx", "nginx");
    openssl(["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", "ca.key", "-out", "ca.crt", "-days", "2", "-subj", "/CN=ca"], tmp);
    fs.writeFileSync(path.join(tmp, "g.ext"), `subjectAltName=DNS:${HOST},IP:127.0.0.1,IP:${outside}\nextendedKeyUsage=serverAuth\n`);
    openssl(["req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", "grafana.key", "-out", "g.csr", "-subj", "/CN=grafana"], tmp);
    openssl(["x509", "-req", "-in", "g.csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial", "-days", "2", "-out", "grafana.crt", "-extfile", "g.ext"], tmp);
    for (const f of fs.readdirSync(tmp)) fs.chmodSync(path.join(tmp, f), 0o644);
    ca = fs.readFileSync(path.join(tmp, "ca.crt"));
    upstream = grafanaStandIn(fs.readFileSync(path.join(tmp, "grafana.key")), fs.readFileSync(path.join(tmp, "grafana.crt")), seen);
    await new Promise<void>((r) => upstream.listen(0, "127.0.0.1", () => r()));
  });

  afterAll(async () => {
    for (const p of procs) if (p.exitCode === null) p.kill("SIGTERM");
    await new Promise((r) => upstream.close(r));
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it("answers SSO logins with 503 until the organisations' gate opens, without reaching Grafana", async () => {
    const front = await startFront("gate-closed", [], "");
    const before = seen.length;
    expect((await get("127.0.0.1", front.port, "/login/generic_oauth", ca)).status).toBe(503);
    expect((await get("127.0.0.1", front.port, "/login/generic_oauth?code=good-code&state=s", ca)).status).toBe(503);
    expect(seen.length).toBe(before);
    const open = await startFront("gate-open", [], `${SSO_GATE_OPEN} # organisations 2,3\n`);
    expect((await get("127.0.0.1", open.port, "/login/generic_oauth", ca)).status).toBe(302);
  });

  it("records each login's event and outcome, never the OAuth code, and the signed-in identity; the docs' queries return them", async () => {
    const front = await startFront("logins", [], SSO_GATE_OPEN);
    const basic = (u: string, p: string) => ({ authorization: `Basic ${Buffer.from(`${u}:${p}`).toString("base64")}` });
    const good = await get("127.0.0.1", front.port, "/login/generic_oauth?code=good-code&state=s", ca);
    expect(good.headers.location).toBe("/");
    await get("127.0.0.1", front.port, "/login/generic_oauth?code=bad-code&state=s", ca);
    await get("127.0.0.1", front.port, "/login/generic_oauth?error=access_denied&state=s", ca);
    const signedIn = await get("127.0.0.1", front.port, "/api/user", ca, { cookie: "grafana_session=abc" });
    expect(signedIn.headers["x-grafana-identity-id"]).toBeUndefined(); // kept out of the browser, logged only
    await get("127.0.0.1", front.port, "/api/org", ca, basic("admin", "wrong"));
    await get("127.0.0.1", front.port, "/api/org", ca, basic("admin", "right"));

    const records = await front.records(6);
    const byPath = records.map((r) => [r.login_event, r.login_outcome, r.status]);
    expect(byPath).toEqual([
      ["oauth_callback", "success", 302],
      ["oauth_callback", "failure", 302],
      ["oauth_callback", "failure", 302],
      ["", "", 200],
      ["basic", "failure", 401],
      ["basic", "success", 200],
    ]);
    expect(records[2].idp_error).toBe("access_denied");
    expect(records[3].identity).toBe("user:u-42");
    expect(records[4].login_user).toBe("admin");
    expect(fs.readFileSync(front.log, "utf8")).not.toMatch(/good-code|bad-code|state=s/);

    // The example queries of docs/grafana.md on these real lines.
    const docs = fs.readFileSync(path.join(__dirname, "..", "docs", "grafana.md"), "utf8");
    const filters = [...docs.matchAll(/prod\/access\/[^\n]*jq -c '([^']+)'/g)].map((m) => m[1]);
    expect(filters).toHaveLength(2);
    const jq = requireCommand("jq", "jq");
    const run = (filter: string) => execFileSync(jq, ["-c", filter, front.log], { encoding: "utf8" }).split("\n").filter(Boolean).map((l) => JSON.parse(l));
    const logins = run(filters[0]);
    expect(logins.map((l) => `${l.login_event}:${l.login_outcome}`)).toEqual(["oauth_callback:success", "oauth_callback:failure", "oauth_callback:failure", "basic:failure", "basic:success"]);
    expect(logins[3]).toMatchObject({ login_user: "admin", client_ip: "127.0.0.1" });
    expect(run(filters[1]).map((l) => l.identity)).toEqual(["user:u-42", "user:admin-uid"]);
  });

  it("refuses basic auth and the login form outside the deployer CIDRs (nobody else can lock the admin out) and admits them inside", async () => {
    const closed = await startFront("outsiders", [], SSO_GATE_OPEN);
    const before = seen.length;
    const basic = { authorization: `Basic ${Buffer.from("admin:guess").toString("base64")}` };
    expect((await get(outside, closed.port, "/api/org", ca, basic)).status).toBe(403);
    expect((await get(outside, closed.port, "/login", ca, { "content-type": "application/json" }, "POST")).status).toBe(403);
    expect(seen.length).toBe(before); // Grafana never saw the attempts, so it counts no failed login
    // SSO and ordinary requests from the same client are not affected.
    expect((await get(outside, closed.port, "/login/generic_oauth", ca)).status).toBe(302);

    const deployers = await startFront("deployers", [`${outside}/32`], SSO_GATE_OPEN);
    expect((await get(outside, deployers.port, "/api/org", ca, basic)).status).toBe(401);
    const injected = { listen: "x", serverTls: { cert: "c", key: "k" }, upstream: "u", upstreamServerName: "n", upstreamCa: "a", accessLogPath: "l", ssoGateFile: "g", tlsProtocols: "TLSv1.3" };
    expect(() => renderGrafanaFront({ ...injected, deployerCidrs: ["10.0.0.0/8; allow all"] })).toThrow(/not a CIDR/);
  });
});
