/**
 * Jest reporter: when any test failed, prints the tail of every process log
 * of the run and marks the run directory FAILED so the teardown keeps it.
 * Plain JavaScript: jest loads reporters without a transform.
 */
const fs = require("fs");
const path = require("path");

class FailureLogsReporter {
  onRunComplete(_contexts, results) {
    const stateFile = process.env.E2E_STATE_FILE;
    if (!stateFile || results.numFailedTests + results.numRuntimeErrorTestSuites === 0) return;
    const runDir = path.dirname(stateFile);
    fs.writeFileSync(path.join(runDir, "FAILED"), `${results.numFailedTests} failed test(s)\n`);
    const logs = path.join(runDir, "logs");
    if (!fs.existsSync(logs)) return;
    const out = [`\n[e2e] tests failed: process logs of ${runDir}`];
    for (const file of fs.readdirSync(logs).sort()) {
      const lines = fs.readFileSync(path.join(logs, file), "utf8").trimEnd().split("\n");
      out.push(`--- ${file} (last ${Math.min(40, lines.length)} of ${lines.length} lines)`, ...lines.slice(-40).map((l) => l.slice(0, 400)));
    }
    process.stderr.write(`${out.join("\n")}\n`);
  }
}

module.exports = FailureLogsReporter;
