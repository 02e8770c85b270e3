/**
 * Starts the shared e2e stack once for the whole run (the tests share it, so
 * run with --runInBand) and tells the tests where its state file is. If the
 * stack cannot start, the reason is recorded instead: every check that needs
 * the stack fails with it, and the checks that do not (collector validate,
 * the Tempo file conformance, the nginx audit proxy) still run.
 */
import * as path from "path";
import { progress } from "./log";
import { newRunDir, recordStartFailure, startStack, stateFile, STATE_FILE_ENV } from "./stack";
import { PID_FILE, PID_FILE_ENV } from "./supervisor";

export default async function globalSetup(): Promise<void> {
  const runDir = newRunDir();
  process.env[STATE_FILE_ENV] = stateFile(runDir);
  process.env[PID_FILE_ENV] = path.join(runDir, PID_FILE);
  progress("starting the e2e stack");
  try {
    await startStack(runDir);
    progress(`stack up; state in ${process.env[STATE_FILE_ENV]}`);
  } catch (e) {
    recordStartFailure(runDir, e);
    progress(`the e2e stack failed to start: ${(e as Error).message.split("\n")[0]}`);
  }
}
