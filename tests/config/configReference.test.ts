import * as fs from "fs";
import * as path from "path";
import { PLAIN_KEYS, SECRET_KEYS } from "../../config/stackConfig";
import { PROJECT_DIR } from "../support/synth";

describe("configuration reference (docs/configuration.md)", () => {
  const reference = fs.readFileSync(path.join(PROJECT_DIR, "docs", "configuration.md"), "utf8");
  const section = reference.slice(reference.indexOf("# Configuration reference"));
  const documented = new Set([...section.matchAll(/^\| `tracing:([A-Za-z0-9]+)` \|/gm)].map((m) => m[1]));

  it("documents every key the parser reads", () => {
    for (const key of [...PLAIN_KEYS, ...SECRET_KEYS]) expect(documented).toContain(key);
  });

  it("documents no key the parser does not read", () => {
    const known = new Set<string>([...PLAIN_KEYS, ...SECRET_KEYS]);
    for (const key of documented) expect(known).toContain(key);
  });

  it("sets no key in the stack files that the parser does not read, and no secret in plaintext", () => {
    const known = new Set<string>(PLAIN_KEYS);
    for (const stack of ["dev", "prod"]) {
      const text = fs.readFileSync(path.join(PROJECT_DIR, `Pulumi.${stack}.yaml`), "utf8");
      for (const m of text.matchAll(/^ {2}tracing:([A-Za-z0-9]+):/gm)) expect(known).toContain(m[1]);
      for (const secret of SECRET_KEYS) expect(text).not.toMatch(new RegExp(`^ {2}tracing:${secret}:`, "m"));
    }
  });
});
