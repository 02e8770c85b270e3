/**
 * A private PostgreSQL cluster (the MES database) in the run directory:
 * initdb with a password for the `mes` role, listening on 127.0.0.1 only,
 * its Unix socket in the run directory. PostgreSQL refuses to run as root,
 * so under root it runs as the `postgres` system user (from the Debian
 * package).
 */
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { Client } from "pg";
import { MissingPrerequisite, postgresBinDir, systemUser } from "./paths";
import { ManagedProcess, Supervisor, waitFor } from "./supervisor";

export interface Postgres {
  readonly env: Readonly<Record<string, string>>;
  readonly process: ManagedProcess;
}

export const MES_SCHEMA = [
  "CREATE TABLE orders (order_id text PRIMARY KEY, user_id text NOT NULL, items jsonb NOT NULL, created_at timestamptz NOT NULL)",
  "CREATE TABLE customer_contacts (email text, phone text, full_name text, card_number text, loyalty_points integer)",
];

export async function startPostgres(supervisor: Supervisor, dir: string, port: number): Promise<Postgres> {
  const bin = postgresBinDir();
  const user = process.getuid?.() === 0 ? systemUser("postgres") : undefined;
  if (process.getuid?.() === 0 && !user) throw new MissingPrerequisite("running as root needs the `postgres` system user: run `apt-get install -y postgresql`");
  const dataDir = path.join(dir, "data");
  const socketDir = path.join(dir, "socket");
  fs.mkdirSync(socketDir, { recursive: true });
  const password = `e2e-${Math.random().toString(36).slice(2)}`;
  const pwFile = path.join(dir, "pwfile");
  fs.writeFileSync(pwFile, `${password}\n`);
  if (user) {
    // The cluster's owner must reach its directories; the run dir itself is not world-readable.
    fs.chmodSync(path.dirname(dir), 0o711);
    execFileSync("chown", ["-R", `${user.uid}:${user.gid}`, dir]);
  }
  execFileSync(path.join(bin, "initdb"), ["-D", dataDir, "-U", "mes", `--pwfile=${pwFile}`, "--auth=scram-sha-256", "--encoding=UTF8", "--no-sync"], {
    uid: user?.uid,
    gid: user?.gid,
    stdio: "pipe",
    env: { PATH: process.env.PATH, LANG: "C.UTF-8" },
  });
  fs.rmSync(pwFile);
  const pg = supervisor.start({
    name: "postgres",
    command: path.join(bin, "postgres"),
    args: ["-D", dataDir, "-c", "listen_addresses=127.0.0.1", "-c", `port=${port}`, "-c", `unix_socket_directories=${socketDir}`, "-c", "fsync=off"],
    user,
  });
  const env = { PGHOST: "127.0.0.1", PGPORT: String(port), PGUSER: "mes", PGPASSWORD: password, PGDATABASE: "mes" };
  const connect = async (database: string) => {
    const client = new Client({ host: "127.0.0.1", port, user: "mes", password, database });
    await client.connect();
    return client;
  };
  const admin = await waitFor("postgres to accept connections", () => connect("postgres"), { timeoutMs: 60_000, process: pg });
  await admin.query("CREATE DATABASE mes");
  await admin.end();
  const db = await connect("mes");
  for (const statement of MES_SCHEMA) await db.query(statement);
  await db.end();
  return { env, process: pg };
}
