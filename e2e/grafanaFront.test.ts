/**
 * The Grafana front proxy's rendered nginx configuration in REAL nginx (R8,
 * R11, issue 14): each login attempt leaves an access record with its event
 * and outcome and never the OAuth code; basic auth and the login form are
 * refused outside the deployer CIDRs; SSO answers 503 until the
 * organisations' gate file opens it; a successful SSO callback passes the
 * browser through the front's signed-in path, whose njs records Grafana's
 * login name; the example queries of docs/grafana.md (run with real jq)
 * return the records. Grafana itself cannot run here: a stand-in answers as
 * Grafana's OAuth handler does (302 to its target on success, to `/login` on
 * error), `/api/user` with `{"login": ...}` for a valid session (401 without),
 * and sets X-Grafana-Identity-Id on signed-in requests.
 * njs: here Debian bookworm's libnginx-mod-http-js 0.7.9 on nginx 1.22; the
 * deployed image nginxinc/nginx-unprivileged:1.27.4-alpine ships njs 0.8.9 at
 * /usr/lib/nginx/modules/ngx_http_js_module.so (read upstream:
 * nginxinc/docker-nginx-unprivileged commit 2cc5e1e, mainline/alpine/Dockerfile,
 * `nginx-module-njs=${NGINX_VERSION}.${NJS_VERSION}`, NJS_VERSION=0.8.9; nginx/pkg-oss
 * tag 1.27.4-1, alpine/Makefile, `--modules-path=/usr/lib/nginx/modules`);
 * versions/grafana.ts AUDIT_PROXY_NJS_MODULE holds that path.
 * Needs `apt-get install -y nginx libnginx-mod-http-js jq openssl`.
 */
import { ChildProcess, execFileSync, spawn } from "child_process";
import * as fs from "fs";
import * as https from "https";
import * as os from "os";
import * as path from "path";
import { renderAuditProxyConfig } from "../render/auditProxy";
import { renderGrafanaFront, SSO_GATE_OPEN } from "../render/grafanaFront";
import { LOGIN_MARKER_COOKIE, renderGrafanaFrontNjs, SIGNED_IN_PATH } from "../render/grafanaFrontNjs";
import { requireCommand, requireNjsModule } from "./harness/paths";
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
  /** Header names as sent, one per header line (Node folds duplicate Location lines into one). */
  headerNames: string[];
}

function get(address: string, port: number, pathAndQuery: string, ca: Buffer, headers: Record<string, string> = {}, method = "GET", body?: string): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = https.request({ host: address, port, path: pathAndQuery, method, headers: { host: HOST, ...headers }, servername: HOST, ca }, (res) => {
      res.resume();
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, headerNames: res.rawHeaders.filter((_, i) => i % 2 === 0).map((n) => n.toLowerCase()) }));
    });
    req.on("error", reject);
    req.end(body);
  });
}

/** Where Grafana sends the browser after a successful callback, by OAuth code (its `redirect_to` cookie in real life). */
const CALLBACK_TARGETS: Record<string, string> = {
  "good-code": "/",
  "deep-code": "/d/order-lookup?orgId=2&var-order=a%26b",
  "absolute-code": "https://evil.example/phish",
};

/** What the browser does with Set-Cookie: the cookies for `forPath` as a Cookie header. */
function cookieHeader(setCookie: string | string[] | undefined, forPath: string): string {
  return [setCookie ?? []]
    .flat()
    .map((c) => ({ pair: c.split(";")[0], path: /;\s*Path=([^;]*)/i.exec(c)?.[1] ?? "/", gone: /Max-Age=0/i.test(c) || c.split(";")[0].endsWith("=") }))
    .filter((c) => !c.gone && forPath.startsWith(c.path))
    .map((c) => c.pair)
    .join("; ");
}

/** Answers like Grafana's OAuth and API handlers (see the file comment); `/api/user` fails while `apiUserDown.on`. */
function grafanaStandIn(key: Buffer, cert: Buffer, seen: string[], apiUserDown: { on: boolean }): https.Server {
  return https.createServer({ key, cert }, (req, res): void => {
    seen.push(`${req.method} ${req.url} cookie=${req.headers.cookie ?? ""}`);
    const url = new URL(req.url ?? "/", `https://${HOST}`);
    const auth = req.headers.authorization;
    if (url.pathname === "/api/user" && !auth) {
      if (apiUserDown.on) {
        req.socket.destroy();
        return;
      }
      const ok = req.headers.cookie?.split(/;\s*/).includes("grafana_session=abc");
      res.writeHead(ok ? 200 : 401, { "content-type": "application/json", "x-grafana-identity-id": ok ? "user:u-42" : "" });
      res.end(ok ? JSON.stringify({ id: 42, uid: "u-42", email: "jdoe@corp.example", name: "J. Doe", login: "jdoe", isGrafanaAdmin: false }) : '{"message":"Unauthorized"}');
      return;
    }
    if (url.pathname === "/login/generic_oauth") {
      const target = CALLBACK_TARGETS[url.searchParams.get("code") ?? ""];
      if (!url.searchParams.has("code") && !url.searchParams.has("error")) {
        res.writeHead(302, { location: "https://idp.test/authorize?state=s" });
      } else if (target) {
        res.writeHead(302, { location: target, "set-cookie": ["grafana_session=abc; Path=/; HttpOnly; Secure; SameSite=Lax", "oauth_state=; Path=/; Max-Age=0"] });
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
      // Grafana's login form posts JSON {"user", "password"}.
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        let ok = false;
        try {
          const form = JSON.parse(Buffer.concat(chunks).toString()) as { user?: string; password?: string };
          ok = form.user === "admin" && form.password === "right";
        } catch {
          ok = false;
        }
        res.writeHead(ok ? 200 : 401, { "content-type": "application/json" });
        res.end(ok ? '{"message":"Logged in","redirectUrl":"/"}' : '{"message":"Invalid username or password"}');
      });
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
  const apiUserDown = { on: false };
  let upstream: https.Server;
  let njsModule: string;
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
    const njsScript = path.join(dir, "grafana-front.js");
    fs.writeFileSync(njsScript, renderGrafanaFrontNjs());
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
      njsScriptPath: njsScript,
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
      loadModules: [njsModule],
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
    njsModule = requireNjsModule();
    openssl(["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", "ca.key", "-out", "ca.crt", "-days", "2", "-subj", "/CN=ca"], tmp);
    fs.writeFileSync(path.join(tmp, "g.ext"), `subjectAltName=DNS:${HOST},IP:127.0.0.1,IP:${outside}\nextendedKeyUsage=serverAuth\n`);
    openssl(["req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", "grafana.key", "-out", "g.csr", "-subj", "/CN=grafana"], tmp);
    openssl(["x509", "-req", "-in", "g.csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial", "-days", "2", "-out", "grafana.crt", "-extfile", "g.ext"], tmp);
    for (const f of fs.readdirSync(tmp)) fs.chmodSync(path.join(tmp, f), 0o644);
    ca = fs.readFileSync(path.join(tmp, "ca.crt"));
    upstream = grafanaStandIn(fs.readFileSync(path.join(tmp, "grafana.key")), fs.readFileSync(path.join(tmp, "grafana.crt")), seen, apiUserDown);
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
    expect(good.headers.location).toBe(`${SIGNED_IN_PATH}?next=%2F`);
    await get("127.0.0.1", front.port, "/login/generic_oauth?code=bad-code&state=s", ca);
    await get("127.0.0.1", front.port, "/login/generic_oauth?error=access_denied&state=s", ca);
    const signedIn = await get("127.0.0.1", front.port, "/api/user", ca, { cookie: "grafana_session=abc" });
    expect(signedIn.headers["x-grafana-identity-id"]).toBeUndefined(); // kept out of the browser, logged only
    await get("127.0.0.1", front.port, "/api/org", ca, basic("admin", "wrong"));
    await get("127.0.0.1", front.port, "/api/org", ca, basic("admin", "right"));
    const form = (user: string, password: string) => get("127.0.0.1", front.port, "/login", ca, { "content-type": "application/json" }, "POST", JSON.stringify({ user, password }));
    expect((await form("operator", "form-guess-1")).status).toBe(401);
    expect((await form("admin", "right")).status).toBe(200);

    const records = await front.records(8);
    const byPath = records.map((r) => [r.login_event, r.login_outcome, r.status]);
    expect(byPath).toEqual([
      ["oauth_callback", "success", 302],
      ["oauth_callback", "failure", 302],
      ["oauth_callback", "failure", 302],
      ["", "", 200],
      ["basic", "failure", 401],
      ["basic", "success", 200],
      ["form", "failure", 401],
      ["form", "success", 200],
    ]);
    // The login form's user name is recorded from its JSON body; the password never is.
    expect(records.slice(6).map((r) => r.login_user)).toEqual(["operator", "admin"]);
    expect(fs.readFileSync(front.log, "utf8")).not.toMatch(/form-guess-1|"right"|password/);
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
    expect(logins.map((l) => `${l.login_event}:${l.login_outcome}`)).toEqual(["oauth_callback:success", "oauth_callback:failure", "oauth_callback:failure", "basic:failure", "basic:success", "form:failure", "form:success"]);
    expect(logins[5]).toMatchObject({ login_user: "operator" });
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
    const injected = { listen: "x", serverTls: { cert: "c", key: "k" }, upstream: "u", upstreamServerName: "n", upstreamCa: "a", accessLogPath: "l", ssoGateFile: "g", tlsProtocols: "TLSv1.3", njsScriptPath: "j" };
    expect(() => renderGrafanaFront({ ...injected, deployerCidrs: ["10.0.0.0/8; allow all"] })).toThrow(/not a CIDR/);
  });
  /** A browser's SSO login: the callback, then (when it redirects there) the front's signed-in path with the cookies it set. */
  async function ssoLogin(port: number, code: string) {
    const callback = await get("127.0.0.1", port, `/login/generic_oauth?code=${code}&state=s`, ca);
    const location = String(callback.headers.location ?? "");
    if (!location.startsWith(`${SIGNED_IN_PATH}?`)) return { callback, location };
    const signedIn = await get("127.0.0.1", port, location, ca, { cookie: cookieHeader(callback.headers["set-cookie"], SIGNED_IN_PATH) });
    return { callback, location, signedIn };
  }

  it("records the SSO login name: the successful callback passes through the front's signed-in path, which logs Grafana's login and lands on the original target", async () => {
    const front = await startFront("sso-names", [], SSO_GATE_OPEN);
    const before = seen.length;
    const login = await ssoLogin(front.port, "deep-code");
    expect(login.callback.status).toBe(302);
    // One Location line: njs before 0.8.0 could send Grafana's and the rewritten one (njs commit 71e70e61).
    expect(login.callback.headerNames.filter((n) => n === "location")).toHaveLength(1);
    expect(login.signedIn?.headerNames.filter((n) => n === "location")).toHaveLength(1);
    expect(login.location).toBe(`${SIGNED_IN_PATH}?next=${encodeURIComponent(CALLBACK_TARGETS["deep-code"])}`);
    const marker = [login.callback.headers["set-cookie"] ?? []].flat().find((c) => c.startsWith(`${LOGIN_MARKER_COOKIE}=`));
    expect(marker).toMatch(new RegExp(`^${LOGIN_MARKER_COOKIE}=[0-9a-f]{32}; Path=${SIGNED_IN_PATH}; Max-Age=300; HttpOnly; Secure; SameSite=Lax$`));
    // Grafana's own cookies pass unchanged.
    expect([login.callback.headers["set-cookie"]].flat()).toContain("grafana_session=abc; Path=/; HttpOnly; Secure; SameSite=Lax");
    expect(login.signedIn?.status).toBe(302);
    expect(login.signedIn?.headers.location).toBe(CALLBACK_TARGETS["deep-code"]);
    expect(login.signedIn?.headers["set-cookie"]).toEqual([`${LOGIN_MARKER_COOKIE}=; Path=${SIGNED_IN_PATH}; Max-Age=0; HttpOnly; Secure; SameSite=Lax`]);
    // Grafana was asked who holds the new session: GET /api/user, no query string, the browser's cookies.
    expect(seen.slice(before).filter((l) => l.startsWith("GET /api/user"))).toEqual([expect.stringMatching(/^GET \/api\/user cookie=.*grafana_session=abc/)]);

    const [callback, signedIn] = await front.records(2);
    expect(callback).toMatchObject({ login_event: "oauth_callback", login_outcome: "success", login_user: "", path: "/login/generic_oauth" });
    expect(signedIn).toMatchObject({ login_event: "oauth_login", login_outcome: "success", login_user: "jdoe", login_ref: callback.request_id, login_detail: "", path: SIGNED_IN_PATH, status: 302 });
    const text = fs.readFileSync(front.log, "utf8");
    expect(text).not.toMatch(/deep-code|state=s|grafana_session|abc|order-lookup/);
    expect(text.split("\n").filter((l) => l.includes('"oauth_login"'))).toHaveLength(1);

    // Replaying the signed-in URL (no marker: no login in progress) records no login, and still redirects.
    const replay = await get("127.0.0.1", front.port, login.location, ca, { cookie: "grafana_session=abc" });
    expect(replay.headers.location).toBe(CALLBACK_TARGETS["deep-code"]);
    const third = (await front.records(3))[2];
    expect(third).toMatchObject({ login_event: "", login_outcome: "", login_user: "", login_detail: "no sign-in in progress" });
    // A marker that is not a request id is refused the same way.
    await get("127.0.0.1", front.port, login.location, ca, { cookie: `grafana_session=abc; ${LOGIN_MARKER_COOKIE}=forged` });
    expect((await front.records(4))[3]).toMatchObject({ login_event: "", login_user: "" });

    // The docs' login query on these lines returns the login name.
    const docs = fs.readFileSync(path.join(__dirname, "..", "docs", "grafana.md"), "utf8");
    const filter = [...docs.matchAll(/prod\/access\/[^\n]*jq -c '([^']+)'/g)].map((m) => m[1])[0];
    const rows = execFileSync(requireCommand("jq", "jq"), ["-c", filter, front.log], { encoding: "utf8" }).split("\n").filter(Boolean).map((l) => JSON.parse(l));
    expect(rows.filter((r) => r.login_event === "oauth_login").map((r) => r.login_user)).toEqual(["jdoe"]);
  });

  it("records a failed SSO callback with its outcome and no name, and does not send it through the signed-in path", async () => {
    const front = await startFront("sso-failure", [], SSO_GATE_OPEN);
    const login = await ssoLogin(front.port, "bad-code");
    expect(login.location).toBe("/login");
    expect(login.signedIn).toBeUndefined();
    expect([login.callback.headers["set-cookie"] ?? []].flat().some((c) => c.startsWith(LOGIN_MARKER_COOKIE))).toBe(false);
    const records = await front.records(1);
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({ login_event: "oauth_callback", login_outcome: "failure", login_user: "", login_ref: "" });
  });

  it("redirects only to local paths after sign-in: open-redirect attempts end on /", async () => {
    const front = await startFront("sso-redirects", [], SSO_GATE_OPEN);
    // Grafana's target is absolute (not local): the browser is sent to / after the record.
    const absolute = await ssoLogin(front.port, "absolute-code");
    expect(absolute.location).toBe(`${SIGNED_IN_PATH}?next=%2F`);
    expect(absolute.signedIn?.headers.location).toBe("/");
    const attempts = ["//evil.example", "https://evil", "/\\evil", "/\\/evil", "/\t/evil.example", "evil.example", "%2F%2Fevil.example", "javascript:alert(1)", "/ok\r\nSet-Cookie: x=1"];
    for (const next of attempts) {
      const reply = await get("127.0.0.1", front.port, `${SIGNED_IN_PATH}?next=${encodeURIComponent(next)}`, ca);
      expect([next, reply.status, reply.headers.location]).toEqual([next, 302, "/"]);
    }
    // Unencoded in the query string, and twice (nginx's args: a list is refused too).
    for (const raw of ["next=//evil.example", "next=/\\evil", "next=/a&next=//evil.example"]) {
      expect((await get("127.0.0.1", front.port, `${SIGNED_IN_PATH}?${raw}`, ca)).headers.location).toBe("/");
    }
    expect((await get("127.0.0.1", front.port, `${SIGNED_IN_PATH}?next=${encodeURIComponent("/explore?left=%7B%7D")}`, ca)).headers.location).toBe("/explore?left=%7B%7D");
  });

  it("still redirects when Grafana's /api/user is down, and the record says the name is unknown and why", async () => {
    const front = await startFront("sso-lookup-down", [], SSO_GATE_OPEN);
    apiUserDown.on = true;
    try {
      const login = await ssoLogin(front.port, "deep-code");
      expect(login.signedIn?.status).toBe(302);
      expect(login.signedIn?.headers.location).toBe(CALLBACK_TARGETS["deep-code"]);
    } finally {
      apiUserDown.on = false;
    }
    const [callback, signedIn] = await front.records(2);
    expect(signedIn).toMatchObject({ login_event: "oauth_login", login_outcome: "success", login_user: "-", login_ref: callback.request_id });
    expect(signedIn.login_detail).toBe("user lookup failed: GET /api/user answered 502");
    // A session Grafana refuses (401) is recorded the same way.
    const callback2 = await get("127.0.0.1", front.port, "/login/generic_oauth?code=good-code&state=s", ca);
    const marker = cookieHeader(callback2.headers["set-cookie"], SIGNED_IN_PATH).split("; ").find((c) => c.startsWith(LOGIN_MARKER_COOKIE)) as string;
    await get("127.0.0.1", front.port, String(callback2.headers.location), ca, { cookie: `grafana_session=expired; ${marker}` });
    expect((await front.records(4))[3]).toMatchObject({ login_event: "oauth_login", login_user: "-", login_detail: "user lookup failed: GET /api/user answered 401" });
  });
});
