/**
 * Starts the e2e processes and guarantees they stop.
 *
 * Each process is spawned detached, so it leads its own process group, and
 * stopping signals the whole group (RabbitMQ's shell script and its Erlang VM,
 * tsx and its Node child). Output goes straight to a log file in the run
 * directory (no pipes to keep drained). Every group id is also appended to
 * the run's pid file (`<runDir>/pids`) the moment it starts, with the
 * leader's start time: the global teardown stops everything listed there
 * (also what test files started), and so does the exit/SIGINT/SIGTERM hook
 * of the runner process; a human can use it too (`kill -- -<pgid>`).
 */
import { ChildProcess, spawn } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { progress } from "./log";

export interface ProcessSpec {
  /** Short unique name: the log file is `<name>.log`. */
  readonly name: string;
  readonly command: string;
  readonly args: readonly string[];
  /** Environment, merged over a minimal PATH/HOME/LANG environment (not the test runner's). */
  readonly env?: Readonly<Record<string, string>>;
  readonly cwd?: string;
  /** Run as this user (PostgreSQL refuses root). */
  readonly user?: { readonly uid: number; readonly gid: number };
}

export interface PidRecord {
  readonly pgid: number;
  readonly name: string;
  /** The leader's start time (/proc/<pid>/stat field 22): tells our process from a later one with the same pid. */
  readonly start: string;
}

export const PID_FILE = "pids";
/** Set by the global setup: the run's pid file, so processes started from test files are recorded there too. */
export const PID_FILE_ENV = "E2E_PID_FILE";

const registered = new Map<number, string>();
let hooksInstalled = false;

function killGroup(pgid: number, signal: NodeJS.Signals): boolean {
  try {
    process.kill(-pgid, signal);
    return true;
  } catch {
    return false;
  }
}

function startTime(pid: number): string | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2).split(" ")[19];
  } catch {
    return undefined;
  }
}

export function parsePidFile(file: string): PidRecord[] {
  if (!fs.existsSync(file)) return [];
  return fs
    .readFileSync(file, "utf8")
    .split("\n")
    .filter(Boolean)
    .map((line) => {
      const [pgid, name, start] = line.split(" ");
      return { pgid: Number(pgid), name, start };
    });
}

export function readPidFile(runDir: string): PidRecord[] {
  return parsePidFile(path.join(runDir, PID_FILE));
}

/**
 * The group still runs and is the one we started: a process group id is not
 * reused while any member lives, and a live leader must have the recorded
 * start time (otherwise the pid now belongs to someone else).
 */
function isOurs(r: PidRecord): boolean {
  try {
    process.kill(-r.pgid, 0);
  } catch {
    return false;
  }
  const leaderStart = startTime(r.pgid);
  return leaderStart === undefined || leaderStart === r.start;
}

function killEverything(): number {
  const pgids = new Set(registered.keys());
  const runPidFile = process.env[PID_FILE_ENV];
  if (runPidFile) for (const r of parsePidFile(runPidFile)) if (isOurs(r)) pgids.add(r.pgid);
  for (const pgid of pgids) killGroup(pgid, "SIGKILL");
  return pgids.size;
}

function installHooks(): void {
  if (hooksInstalled) return;
  hooksInstalled = true;
  process.on("exit", () => {
    killEverything();
  });
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
    process.once(signal, () => {
      const killed = killEverything();
      process.stderr.write(`[e2e] ${signal}: killed ${killed} process group(s)\n`);
      process.exit(signal === "SIGINT" ? 130 : 143);
    });
  }
}

/** Stops the groups listed in the run's pid file that still run (all, or those `which` selects): SIGTERM, a grace period, then SIGKILL. */
export async function stopRecorded(runDir: string, graceMs = 10_000, which: (r: PidRecord) => boolean = () => true): Promise<PidRecord[]> {
  const records = readPidFile(runDir).filter((r) => which(r) && isOurs(r));
  for (const r of records) killGroup(r.pgid, "SIGTERM");
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline && records.some(isOurs)) await sleep(100);
  for (const r of records) if (isOurs(r)) killGroup(r.pgid, "SIGKILL");
  for (const r of records) registered.delete(r.pgid);
  return records;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export class ManagedProcess {
  readonly pid: number;
  readonly logFile: string;
  private exitCode: number | null | undefined;
  private readonly exited: Promise<void>;

  constructor(
    readonly spec: ProcessSpec,
    child: ChildProcess,
    logFile: string,
  ) {
    if (child.pid === undefined) throw new Error(`${spec.name}: spawn of ${spec.command} failed`);
    this.pid = child.pid;
    this.logFile = logFile;
    this.exited = new Promise((resolve) => {
      child.once("exit", (code, signal) => {
        this.exitCode = code ?? (signal ? -1 : null);
        resolve();
      });
    });
  }

  get running(): boolean {
    return this.exitCode === undefined;
  }

  /** Throws (with the log's tail) when the process has already exited. */
  assertRunning(): void {
    if (!this.running) throw new Error(`${this.spec.name} exited with code ${this.exitCode}${errorLines(this.logFile)}\n${tail(this.logFile)}`);
  }

  /** SIGTERM to the group, then SIGKILL after `graceMs`. Resolves when the leader has exited. */
  async stop(graceMs = 10_000): Promise<void> {
    if (this.running) {
      killGroup(this.pid, "SIGTERM");
      const timer = sleep(graceMs).then(() => "timeout");
      if ((await Promise.race([this.exited.then(() => "exited"), timer])) === "timeout") {
        progress(`${this.spec.name} did not stop within ${graceMs} ms: SIGKILL`);
        killGroup(this.pid, "SIGKILL");
        await this.exited;
      }
    }
    // Stragglers in the group (an Erlang child, a tsx grandchild).
    killGroup(this.pid, "SIGKILL");
    registered.delete(this.pid);
  }

  logText(): string {
    return fs.existsSync(this.logFile) ? fs.readFileSync(this.logFile, "utf8") : "";
  }
}

/** The last few error lines of a log (Collector, Tempo, Node and Erlang formats), so a failure names its cause first. */
export function errorLines(file: string, max = 5): string {
  if (!fs.existsSync(file)) return "";
  const errors = fs
    .readFileSync(file, "utf8")
    .split("\n")
    .filter((l) => /^Error:|\terror\t|level=error|\bERROR\b|\[error\]/.test(l))
    .slice(-max);
  return errors.length > 0 ? `; errors:\n  ${errors.map((l) => l.slice(0, 600)).join("\n  ")}` : "";
}

/** The last lines of a log file. */
export function tail(file: string, lines = 40): string {
  if (!fs.existsSync(file)) return `(no log at ${file})`;
  const text = fs.readFileSync(file, "utf8").trimEnd().split("\n");
  return [`--- ${file} (last ${Math.min(lines, text.length)} of ${text.length} lines)`, ...text.slice(-lines)].join("\n");
}

export class Supervisor {
  private readonly processes: ManagedProcess[] = [];

  /**
   * @param runDir where logs go
   * @param pidFile where started groups are recorded. @default the run's pid file (PID_FILE_ENV) when set, else `<runDir>/pids`
   */
  constructor(
    readonly runDir: string,
    private readonly pidFile = process.env[PID_FILE_ENV] ?? path.join(runDir, PID_FILE),
  ) {
    fs.mkdirSync(path.join(runDir, "logs"), { recursive: true });
    installHooks();
  }

  start(spec: ProcessSpec): ManagedProcess {
    const logFile = path.join(this.runDir, "logs", `${spec.name}.log`);
    const fd = fs.openSync(logFile, "a");
    const env = {
      PATH: process.env.PATH ?? "/usr/local/bin:/usr/bin:/bin",
      HOME: process.env.HOME ?? "/tmp",
      LANG: "C.UTF-8",
      ...spec.env,
    };
    const child = spawn(spec.command, [...spec.args], {
      cwd: spec.cwd ?? this.runDir,
      env,
      detached: true,
      stdio: ["ignore", fd, fd],
      uid: spec.user?.uid,
      gid: spec.user?.gid,
    });
    fs.closeSync(fd);
    const managed = new ManagedProcess(spec, child, logFile);
    registered.set(managed.pid, spec.name);
    fs.appendFileSync(this.pidFile, `${managed.pid} ${spec.name} ${startTime(managed.pid) ?? "?"}\n`);
    this.processes.push(managed);
    // Keep the runner's event loop free to exit; the exit hook still kills the group.
    child.unref();
    return managed;
  }

  /** Stops everything this supervisor started, newest first (apps before brokers before stores). */
  async stopAll(): Promise<void> {
    for (const p of [...this.processes].reverse()) await p.stop();
  }

  logTails(lines = 40): string {
    return this.processes.map((p) => tail(p.logFile, lines)).join("\n\n");
  }
}

export interface WaitOptions {
  readonly timeoutMs: number;
  readonly intervalMs?: number;
  /** Checked every round: readiness of a process that died can never come. */
  readonly process?: ManagedProcess;
}

/** Polls `check` until it returns a value other than undefined/false, or fails with `what` and the last error. */
export async function waitFor<T>(what: string, check: () => Promise<T | undefined | false>, options: WaitOptions): Promise<T> {
  const deadline = Date.now() + options.timeoutMs;
  let lastError: unknown;
  for (;;) {
    options.process?.assertRunning();
    try {
      const value = await check();
      if (value !== undefined && value !== false) return value;
    } catch (e) {
      lastError = e;
    }
    if (Date.now() >= deadline) {
      const reason = lastError instanceof Error ? `; last error: ${lastError.message}` : "";
      const log = options.process ? `\n${tail(options.process.logFile)}` : "";
      throw new Error(`timed out after ${options.timeoutMs} ms waiting for ${what}${reason}${log}`);
    }
    await sleep(options.intervalMs ?? 250);
  }
}

/** Waits until the process's log contains `pattern`. */
export function waitForLog(p: ManagedProcess, pattern: RegExp, timeoutMs: number): Promise<true> {
  return waitFor(`${p.spec.name} to log ${pattern}`, async () => pattern.test(p.logText()) || undefined, { timeoutMs, process: p });
}
