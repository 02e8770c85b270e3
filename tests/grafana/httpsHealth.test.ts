/**
 * The wait before the Grafana provider (components/grafana/httpsHealth.ts),
 * against real HTTPS servers on loopback with certificates made by openssl
 * for this run: nothing is mocked.
 */
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as https from "https";
import * as net from "net";
import * as os from "os";
import * as path from "path";
import { waitForHttpsHealth } from "../../components/grafana/httpsHealth";

let dir: string;
const pem = (name: string) => fs.readFileSync(path.join(dir, name), "utf8");
const openssl = (args: string[]) => execFileSync("openssl", args, { cwd: dir, stdio: "pipe" });

function newCa(name: string): void {
  openssl(["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", `${name}.key`, "-out", `${name}.crt`, "-days", "2",
    "-subj", `/CN=${name}`, "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign"]);
}

function newServerCert(name: string, ca: string, sans: string): void {
  openssl(["req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", `${name}.key`, "-out", `${name}.csr`, "-subj", `/CN=${name}`]);
  fs.writeFileSync(path.join(dir, `${name}.ext`), `basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\nsubjectAltName=${sans}\n`);
  openssl(["x509", "-req", "-in", `${name}.csr`, "-CA", `${ca}.crt`, "-CAkey", `${ca}.key`, "-CAcreateserial", "-days", "2", "-sha256", "-out", `${name}.crt`, "-extfile", `${name}.ext`]);
}

const servers: https.Server[] = [];
const timers: NodeJS.Timeout[] = [];

/** Grafana's /api/health answer shape (pkg/api/health.go: database, version, commit). */
const HEALTHY = JSON.stringify({ database: "ok", version: "12.3.0", commit: "0000000" });

function serve(port: number, cert: string, respond: (res: import("http").ServerResponse) => void): Promise<{ connections: () => number }> {
  let connections = 0;
  const server = https.createServer({ cert: pem(`${cert}.crt`), key: pem(`${cert}.key`) }, (req, res) => {
    if (req.url !== "/api/health") {
      res.writeHead(404).end();
      return;
    }
    respond(res);
  });
  server.on("connection", () => connections++);
  servers.push(server);
  return new Promise((resolve) => server.listen(port, "127.0.0.1", () => resolve({ connections: () => connections })));
}

const healthy = (res: import("http").ServerResponse) => res.writeHead(200, { "content-type": "application/json" }).end(HEALTHY);

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.on("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "https-health-"));
  newCa("stack-ca");
  newCa("other-ca");
  newServerCert("grafana", "stack-ca", "DNS:localhost,IP:127.0.0.1");
  newServerCert("elsewhere", "stack-ca", "DNS:other.example");
});

afterEach(async () => {
  for (const t of timers.splice(0)) clearTimeout(t);
  await Promise.all(servers.splice(0).map((s) => new Promise((resolve) => s.close(resolve))));
});

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe("waitForHttpsHealth", () => {
  it("waits for a server that starts listening only after 2 seconds", async () => {
    const port = await freePort();
    timers.push(setTimeout(() => void serve(port, "grafana", healthy), 2000));
    const result = await waitForHttpsHealth({ hostname: "localhost", port, caCertPem: pem("stack-ca.crt"), intervalSeconds: 0.25, timeoutSeconds: 20 });
    expect(result.attempts).toBeGreaterThan(2);
    expect(result.elapsedSeconds).toBeGreaterThanOrEqual(2);
  });

  it("keeps waiting while Grafana answers 503 or reports its database unhealthy", async () => {
    const port = await freePort();
    let requests = 0;
    await serve(port, "grafana", (res) => {
      requests++;
      if (requests <= 2) res.writeHead(503).end("starting");
      else if (requests === 3) res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ database: "failing" }));
      else healthy(res);
    });
    const result = await waitForHttpsHealth({ hostname: "localhost", port, caCertPem: pem("stack-ca.crt"), intervalSeconds: 0.1, timeoutSeconds: 20 });
    expect(result.attempts).toBe(4);
  });

  it("fails at once, without retrying, when the server's certificate is not from the stack CA", async () => {
    const port = await freePort();
    const server = await serve(port, "grafana", healthy);
    const start = Date.now();
    await expect(
      waitForHttpsHealth({ hostname: "localhost", port, caCertPem: pem("other-ca.crt"), intervalSeconds: 0.2, timeoutSeconds: 30 }),
    ).rejects.toThrow(/^https:\/\/localhost:\d+\/api\/health presents a certificate the stack CA does not accept \((UNABLE_TO_VERIFY_LEAF_SIGNATURE|UNABLE_TO_GET_ISSUER_CERT_LOCALLY)/);
    expect(Date.now() - start).toBeLessThan(3000);
    expect(server.connections()).toBe(1);
  });

  it("fails at once when the certificate is from the stack CA but for another name", async () => {
    const port = await freePort();
    const server = await serve(port, "elsewhere", healthy);
    await expect(
      waitForHttpsHealth({ hostname: "localhost", port, caCertPem: pem("stack-ca.crt"), intervalSeconds: 0.2, timeoutSeconds: 30 }),
    ).rejects.toThrow(/does not accept \(ERR_TLS_CERT_ALTNAME_INVALID.*resolves to Grafana's internal load balancer/);
    expect(server.connections()).toBe(1);
  });

  it("gives up at the deadline with the hostname and the last error in the message", async () => {
    const port = await freePort();
    const logged: string[] = [];
    const start = Date.now();
    await expect(
      waitForHttpsHealth({ hostname: "localhost", port, caCertPem: pem("stack-ca.crt"), intervalSeconds: 0.2, timeoutSeconds: 1.5, log: (m) => logged.push(m) }),
    ).rejects.toThrow(new RegExp(`^https://localhost:${port}/api/health did not answer healthy within 1.5 s \\(\\d+ attempts; last: ECONNREFUSED`));
    expect(Date.now() - start).toBeGreaterThanOrEqual(1500);
    expect(Date.now() - start).toBeLessThan(4000);
    expect(logged.length).toBeGreaterThan(2);
  });

  it("retries a name that does not resolve yet (DNS not created or not propagated) until the deadline", async () => {
    // RFC 6761: .invalid never resolves.
    await expect(
      waitForHttpsHealth({ hostname: "grafana.tracing.invalid", port: 8443, caCertPem: pem("stack-ca.crt"), intervalSeconds: 0.2, timeoutSeconds: 1 }),
    ).rejects.toThrow(/^https:\/\/grafana\.tracing\.invalid:8443\/api\/health did not answer healthy within 1 s \(\d+ attempts; last: (ENOTFOUND|EAI_AGAIN)/);
  });
});
