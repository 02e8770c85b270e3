/** Runs `scripts/synth.ts` in a child process (as a user would) and returns the rendered config files of a stack. */
import { execFile } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { promisify } from "util";
import { REPO_ROOT, TSX } from "./paths";

export interface SynthOutput {
  readonly dir: string;
  readonly configDir: string;
  file(name: string): string;
}

export async function synthToTemp(stack: "dev" | "prod"): Promise<SynthOutput> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `tracing-e2e-synth-${stack}-`));
  await promisify(execFile)(TSX, [path.join(REPO_ROOT, "scripts", "synth.ts"), "--stack", stack, "--out", dir], { cwd: REPO_ROOT, maxBuffer: 16 * 1024 * 1024 });
  const configDir = path.join(dir, "config");
  return { dir, configDir, file: (name) => fs.readFileSync(path.join(configDir, name), "utf8") };
}
