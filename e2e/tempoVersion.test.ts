/**
 * Tempo conformance, and the documented gap. The platform pins Tempo 3.x
 * (versions/tempo.ts) and renders a 3.x tempo.yaml; `npm run e2e:build` can
 * only build the newest Tempo the Go module proxy serves (TEMPO_GAP in
 * differences.ts). The design:
 *
 * - when the built binary's major version equals the pinned one, the
 *   conformance check runs: `tempo -config.verify` must accept the
 *   synthesized tempo.yaml of both stacks;
 * - otherwise the gap must be exactly the documented one (built < pinned,
 *   the documented build string equals the binary's version), and the
 *   evidence that the stand-in cannot run the deployed config is checked:
 *   it rejects the 3.x file on a 3.x-only key.
 *
 * So the day a 3.x build exists, the real check turns on by itself; a build
 * that matches neither case (newer than the pin, or an undocumented one)
 * fails.
 */
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { TEMPO_VERSION } from "../versions/tempo";
import { TEMPO_GAP } from "./harness/differences";
import { progress } from "./harness/log";
import { requireBuilt } from "./harness/paths";
import { synthToTemp, SynthOutput } from "./harness/synth";
import { verifyTempoConfig } from "./harness/tempoStandIn";

/** "tempo, version 2.8.0-rc.0+87c2dc380cec (branch: ...)" -> "2.8.0-rc.0+87c2dc380cec" */
export function builtTempoVersion(): string {
  const out = execFileSync(requireBuilt("tempo"), ["-version"], { encoding: "utf8" });
  const match = /version (\S+)/.exec(out);
  if (!match) throw new Error(`cannot read the version from \`tempo -version\`: ${out}`);
  return match[1];
}

const major = (version: string) => Number(/^v?(\d+)\./.exec(version)?.[1] ?? NaN);

const built = builtTempoVersion();
const sameMajor = major(built) === major(TEMPO_VERSION);

describe.each<"dev" | "prod">(["dev", "prod"])("Tempo %s config", (stack) => {
  let synth: SynthOutput;
  beforeAll(async () => {
    synth = await synthToTemp(stack);
  });
  afterAll(() => fs.rmSync(synth.dir, { recursive: true, force: true }));

  if (sameMajor) {
    it(`is accepted by the built Tempo ${built} (tempo -config.verify)`, async () => {
      const result = await verifyTempoConfig(path.join(synth.configDir, "tempo.yaml"));
      expect(result).toEqual({ ok: true, output: expect.stringContaining("config OK") });
    });
  } else {
    it(`cannot be verified: the built Tempo ${built} is the documented pre-${major(TEMPO_VERSION)}.x stand-in`, async () => {
      expect(major(built)).toBeLessThan(major(TEMPO_VERSION));
      expect(TEMPO_GAP.built).toContain(built);
      const result = await verifyTempoConfig(path.join(synth.configDir, "tempo.yaml"));
      // The evidence: the stand-in refuses the deployed 3.x config on a key that only 3.x has.
      expect(result.ok).toBe(false);
      expect(result.output).toMatch(/field (live_store|live_store_client|backend_scheduler|backend_scheduler_client|backend_worker) not found/);
      progress(`Tempo gap: pinned ${TEMPO_VERSION}, built ${built}; ${stack} tempo.yaml rejected: ${/field \S+ not found[^\n]*/.exec(result.output)?.[0]}`);
    });
  }
});
