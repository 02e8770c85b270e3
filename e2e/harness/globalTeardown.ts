/**
 * Stops every process group the run started (recorded in `<runDir>/pids`,
 * including a Tempo a test restarted) and removes the run directory unless a
 * test failed (the reporter leaves a FAILED marker) or E2E_KEEP=1.
 */
import * as fs from "fs";
import * as path from "path";
import { progress } from "./log";
import { STATE_FILE_ENV } from "./stack";
import { stopRecorded } from "./supervisor";

export default async function globalTeardown(): Promise<void> {
  const file = process.env[STATE_FILE_ENV];
  if (!file) return;
  const runDir = path.dirname(file);
  await stopRecorded(runDir);
  progress("stopped every process of the run");
  if (fs.existsSync(path.join(runDir, "FAILED")) || process.env.E2E_KEEP === "1") {
    progress(`kept ${runDir} (logs in ${runDir}/logs)`);
  } else {
    fs.rmSync(runDir, { recursive: true, force: true });
  }
}
