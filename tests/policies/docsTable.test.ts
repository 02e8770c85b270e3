/** docs/policies.md's rule table lists every rule of policies/all.ts, with its requirements and whether it is a stack rule. */
import * as fs from "fs";
import * as path from "path";
import { ALL_POLICIES } from "../../policies/all";

const DOC = fs.readFileSync(path.join(__dirname, "..", "..", "docs", "policies.md"), "utf8");

function ruleRows(): { name: string; stack: boolean; requirements: string }[] {
  const section = DOC.slice(DOC.indexOf("### Rules"), DOC.indexOf("### ", DOC.indexOf("### Rules") + 1));
  return section
    .split("\n")
    .filter((l) => l.startsWith("| `"))
    .map((l) => {
      const cells = l.split("|").map((c) => c.trim());
      const m = /^`([a-z0-9-]+)`( \(stack\))?$/.exec(cells[1]);
      if (!m) throw new Error(`unreadable rule cell: ${cells[1]}`);
      return { name: m[1], stack: m[2] !== undefined, requirements: cells[2] };
    });
}

it("lists every rule once, in the pack's order, with its requirements and kind", () => {
  const rows = ruleRows();
  expect(rows.map((r) => r.name)).toEqual(ALL_POLICIES.map((p) => p.name));
  for (const p of ALL_POLICIES) {
    const row = rows.find((r) => r.name === p.name);
    expect({ rule: p.name, requirements: row?.requirements, stack: row?.stack }).toEqual({ rule: p.name, requirements: p.requirements.join(", "), stack: "validateStack" in p });
  }
});
