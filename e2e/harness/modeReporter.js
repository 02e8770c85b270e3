/**
 * Jest reporter: closes every e2e run with the trace store mode that ran and,
 * without TEMPO_BIN, the list of real-Tempo checks that therefore did not run
 * (e2e/harness/traceStore.ts itWithRealTempo). With E2E_SUMMARY_FILE set the
 * same lines are also written there (.ci/run prints them).
 * Plain JavaScript: jest loads reporters without a transform.
 */
const fs = require("fs");
const path = require("path");

const MODE_FILE = "trace-store-mode.txt";
const NOT_RUN_FILE = "real-tempo-checks-not-run.txt";

function read(file) {
  return fs.existsSync(file) ? fs.readFileSync(file, "utf8") : "";
}

class ModeReporter {
  onRunComplete() {
    const stateFile = process.env.E2E_STATE_FILE;
    const runDir = stateFile ? path.dirname(stateFile) : undefined;
    const mode = (runDir && read(path.join(runDir, MODE_FILE)).trim()) || "unknown (the stack did not start)";
    const notRun = runDir ? [...new Set(read(path.join(runDir, NOT_RUN_FILE)).split("\n").filter(Boolean))] : [];
    const lines = [`[e2e] trace store: ${mode}`];
    if (notRun.length > 0) {
      lines.push(`[e2e] ${notRun.length} check(s) need real Tempo and did not run in this mode (set TEMPO_BIN=/path/to/tempo, see docs/e2e.md):`);
      for (const name of notRun) lines.push(`[e2e]   - ${name}`);
    } else if (mode.startsWith("real Tempo")) {
      lines.push("[e2e] every check ran, the real-Tempo ones included");
    }
    process.stderr.write(`\n${lines.join("\n")}\n`);
    if (process.env.E2E_SUMMARY_FILE) fs.writeFileSync(process.env.E2E_SUMMARY_FILE, `${lines.join("\n")}\n`);
  }
}

module.exports = ModeReporter;
