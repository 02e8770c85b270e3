/**
 * Fresh test PKI per run (R10), generated with openssl: a CA, one ECDSA
 * P-256 certificate per platform workload with the same DNS names the stack's
 * PKI gives it (components/pki.ts) plus localhost/127.0.0.1, client
 * certificates for the three applications, and a second, unrelated "rogue" CA
 * with a client certificate for the negative test.
 */
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { APPLICATIONS, Application, headlessPodDnsNames, serviceDnsNames, Workload } from "../../specs/topology";

/** One identity: PEM paths. */
export interface CertFiles {
  readonly certFile: string;
  readonly keyFile: string;
  readonly caFile: string;
}

export interface TestPki {
  readonly dir: string;
  /** The CA every platform component trusts. */
  readonly caFile: string;
  readonly workloads: Readonly<Record<Exclude<Workload, "grafana">, CertFiles>>;
  readonly clients: Readonly<Record<Application, CertFiles>>;
  /** A client certificate from another CA: must be refused everywhere. */
  readonly rogueClient: CertFiles;
  /** A client certificate for the test process itself (Tempo's query API requires one). */
  readonly tester: CertFiles;
}

/** The namespace whose Service names the rendered configs use (the stacks' `tracing:namespace`). */
export const CERT_NAMESPACE = "tracing";

const LOOPBACK_SANS = ["DNS:localhost", "IP:127.0.0.1"];

function openssl(args: string[], cwd: string): void {
  execFileSync("openssl", args, { cwd, stdio: ["ignore", "pipe", "pipe"] });
}

function newCa(dir: string, name: string): { cert: string; key: string } {
  const key = path.join(dir, `${name}.key`);
  const cert = path.join(dir, `${name}.crt`);
  openssl(
    [
      "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
      "-keyout", key, "-out", cert, "-days", "2", "-subj", `/O=tracing-e2e/CN=${name}`,
      "-addext", "basicConstraints=critical,CA:TRUE",
      "-addext", "keyUsage=critical,keyCertSign,cRLSign",
    ],
    dir,
  );
  fs.chmodSync(key, 0o600);
  return { cert, key };
}

function issue(dir: string, ca: { cert: string; key: string }, name: string, commonName: string, sans: string[], serverAuth: boolean): CertFiles {
  const keyFile = path.join(dir, `${name}.key`);
  const csr = path.join(dir, `${name}.csr`);
  const certFile = path.join(dir, `${name}.crt`);
  const ext = path.join(dir, `${name}.ext`);
  openssl(["req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", keyFile, "-out", csr, "-subj", `/O=tracing-e2e/CN=${commonName}`], dir);
  fs.chmodSync(keyFile, 0o600);
  fs.writeFileSync(
    ext,
    [
      "basicConstraints=critical,CA:FALSE",
      "keyUsage=critical,digitalSignature,keyEncipherment",
      `extendedKeyUsage=${serverAuth ? "serverAuth,clientAuth" : "clientAuth"}`,
      `subjectAltName=${sans.join(",")}`,
      "",
    ].join("\n"),
  );
  openssl(["x509", "-req", "-in", csr, "-CA", ca.cert, "-CAkey", ca.key, "-CAcreateserial", "-days", "2", "-sha256", "-out", certFile, "-extfile", ext], dir);
  return { certFile, keyFile, caFile: ca.cert };
}

/** The workload's DNS names as the stack's PKI issues them (components/pki.ts workloadDnsNames). */
export function workloadSans(workload: Workload): string[] {
  const names = serviceDnsNames(workload, CERT_NAMESPACE);
  if (workload === "collector-sampler") names.push(...headlessPodDnsNames(workload, CERT_NAMESPACE));
  return names;
}

export function generateTestPki(dir: string): TestPki {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const ca = newCa(dir, "ca");
  const server = (workload: Exclude<Workload, "grafana">) => {
    const names = workloadSans(workload);
    return issue(dir, ca, workload, names.at(-1) as string, [...names.map((n) => `DNS:${n}`), ...LOOPBACK_SANS], true);
  };
  const workloads = {
    "collector-gateway": server("collector-gateway"),
    "collector-sampler": server("collector-sampler"),
    tempo: server("tempo"),
    "metrics-orders": server("metrics-orders"),
    "metrics-all": server("metrics-all"),
  };
  const clients = Object.fromEntries(APPLICATIONS.map((app) => [app, issue(dir, ca, `client-${app}`, app, [`DNS:${app}`], false)])) as Record<Application, CertFiles>;
  const tester = issue(dir, ca, "client-e2e-tester", "e2e-tester", ["DNS:e2e-tester"], false);

  const rogueCa = newCa(dir, "rogue-ca");
  // Same subject and SAN as a real application: only the issuing CA differs. It
  // trusts the real CA (public knowledge), so only its own certificate is wrong.
  const rogueClient = { ...issue(dir, rogueCa, "rogue-shop-api", "shop-api", ["DNS:shop-api"], false), caFile: ca.cert };
  return { dir, caFile: ca.cert, workloads, clients, rogueClient, tester };
}

export function readPem(files: CertFiles): { cert: Buffer; key: Buffer; ca: Buffer } {
  return { cert: fs.readFileSync(files.certFile), key: fs.readFileSync(files.keyFile), ca: fs.readFileSync(files.caFile) };
}
