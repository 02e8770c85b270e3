/**
 * Where the e2e tier finds its binaries, and the prerequisite checks that
 * fail with the command that installs what is missing (never a skip).
 */
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";

export const REPO_ROOT = path.resolve(__dirname, "..", "..");
export const E2E_BIN_DIR = path.join(REPO_ROOT, ".e2e", "bin");

/** Binaries built by `npm run e2e:build` (scripts/e2e-build.sh). */
export const BUILT = {
  collector: path.join(E2E_BIN_DIR, "otelcol-tracing"),
} as const;

export const TSX = path.join(REPO_ROOT, "node_modules", ".bin", "tsx");

export class MissingPrerequisite extends Error {}

function isExecutable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

/** Finds a command on PATH (or an absolute path); undefined when absent. */
export function which(command: string): string | undefined {
  if (command.includes("/")) return isExecutable(command) ? command : undefined;
  for (const dir of (process.env.PATH ?? "").split(":")) {
    const candidate = path.join(dir, command);
    if (dir && isExecutable(candidate)) return candidate;
  }
  return undefined;
}

export function requireBuilt(which_: keyof typeof BUILT): string {
  const file = BUILT[which_];
  if (!isExecutable(file)) throw new MissingPrerequisite(`${file} is missing: run \`npm run e2e:build\` (needs Go >= 1.25; the Debian package is golang-go)`);
  return file;
}

/** A command from a Debian package; fails naming the package to install. */
export function requireCommand(command: string, debianPackage: string): string {
  const found = which(command);
  if (!found) throw new MissingPrerequisite(`\`${command}\` not found: run \`apt-get install -y ${debianPackage}\``);
  return found;
}

/** Debian's njs module for nginx (the Grafana front proxy's SSO login record); fails naming the package. */
export const DEBIAN_NJS_MODULE = "/usr/lib/nginx/modules/ngx_http_js_module.so";

export function requireNjsModule(): string {
  if (!fs.existsSync(DEBIAN_NJS_MODULE)) throw new MissingPrerequisite(`nginx's njs module ${DEBIAN_NJS_MODULE} is missing: run \`apt-get install -y libnginx-mod-http-js\``);
  return DEBIAN_NJS_MODULE;
}

/** The PostgreSQL server binaries: Debian keeps them in /usr/lib/postgresql/<major>/bin, off PATH. */
export function postgresBinDir(): string {
  const root = "/usr/lib/postgresql";
  const majors = fs.existsSync(root)
    ? fs.readdirSync(root).filter((d) => /^\d+$/.test(d)).sort((a, b) => Number(b) - Number(a))
    : [];
  for (const major of majors) {
    const dir = path.join(root, major, "bin");
    if (isExecutable(path.join(dir, "postgres")) && isExecutable(path.join(dir, "initdb"))) return dir;
  }
  const initdb = which("initdb");
  if (initdb && isExecutable(path.join(path.dirname(fs.realpathSync(initdb)), "postgres"))) return path.dirname(fs.realpathSync(initdb));
  throw new MissingPrerequisite("PostgreSQL server binaries (initdb, postgres) not found: run `apt-get install -y postgresql`");
}

/** RabbitMQ's real start script (the /usr/sbin wrapper switches to the rabbitmq user and a fixed log file). */
export function rabbitmqServer(): string {
  const direct = "/usr/lib/rabbitmq/bin/rabbitmq-server";
  if (isExecutable(direct)) return direct;
  const onPath = which("rabbitmq-server");
  if (onPath) return onPath;
  throw new MissingPrerequisite("rabbitmq-server not found: run `apt-get install -y rabbitmq-server`");
}

/** Every prerequisite of the full e2e stack, checked up front so a run fails in seconds with all the fixes listed. */
export function checkPrerequisites(): void {
  const problems: string[] = [];
  const check = (fn: () => unknown) => {
    try {
      fn();
    } catch (e) {
      problems.push((e as Error).message);
    }
  };
  check(() => requireBuilt("collector"));
  // Tempo is not built here: with TEMPO_BIN it must be an executable (realTempo.ts says how to get one).
  check(() => {
    if (process.env.TEMPO_BIN !== undefined) tempoBinaryCheck(process.env.TEMPO_BIN);
  });
  check(() => requireCommand("openssl", "openssl"));
  check(() => requireCommand("epmd", "erlang-base (pulled in by rabbitmq-server)"));
  check(() => rabbitmqServer());
  check(() => postgresBinDir());
  check(() => requireCommand("prometheus", "prometheus"));
  check(() => requireCommand("promtool", "prometheus"));
  check(() => {
    if (!isExecutable(TSX)) throw new MissingPrerequisite(`${TSX} is missing: run \`npm ci\``);
  });
  if (problems.length > 0) throw new MissingPrerequisite(`e2e prerequisites missing:\n  - ${problems.join("\n  - ")}`);
}

function tempoBinaryCheck(bin: string): void {
  if (!isExecutable(bin)) throw new MissingPrerequisite(`TEMPO_BIN=${JSON.stringify(bin)} is not an executable file: bring a Tempo 3.x release binary (see docs/e2e.md) or unset TEMPO_BIN`);
}

/** Numeric uid/gid of a system user, or undefined. */
export function systemUser(name: string): { uid: number; gid: number } | undefined {
  try {
    const uid = Number(execFileSync("id", ["-u", name], { encoding: "utf8" }).trim());
    const gid = Number(execFileSync("id", ["-g", name], { encoding: "utf8" }).trim());
    return { uid, gid };
  } catch {
    return undefined;
  }
}
