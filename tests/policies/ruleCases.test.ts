/**
 * Every rule against resources that must fail and resources that must pass,
 * each case built as a real `pulumi stack export` document and read through
 * the loader (so resource rules see inputs and stack rules outputs, as in the
 * engine). The engine and the cloud are not involved.
 */
import { ALL_POLICIES } from "../../policies/all";
import { AWS_CASES } from "./cases/awsCases";
import { KUBERNETES_CASES } from "./cases/kubernetesCases";
import { OTHER_CASES } from "./cases/otherCases";
import { RuleCase } from "./cases/ruleCase";
import { evaluate, ExportBuilder } from "./exportShapes";

const CASES: readonly RuleCase[] = [...AWS_CASES, ...KUBERNETES_CASES, ...OTHER_CASES];

it("covers every rule of the pack with at least one must-fail and one must-pass resource", () => {
  const seen = new Map<string, { fails: number; passes: number }>();
  for (const c of CASES) {
    const built = c.build(new ExportBuilder());
    const s = seen.get(c.rule) ?? { fails: 0, passes: 0 };
    seen.set(c.rule, { fails: s.fails + built.fails.length, passes: s.passes + built.passes.length });
  }
  for (const p of ALL_POLICIES) expect({ rule: p.name, covered: (seen.get(p.name)?.fails ?? 0) > 0 && (seen.get(p.name)?.passes ?? 0) > 0 }).toEqual({ rule: p.name, covered: true });
  for (const rule of seen.keys()) expect(ALL_POLICIES.map((p) => p.name)).toContain(rule);
});

describe.each(CASES.map((c) => [`${c.rule}: ${c.title}`, c] as const))("%s", (_title, c) => {
  it("fails exactly the must-fail resources", async () => {
    const b = new ExportBuilder();
    const { fails, passes, message } = c.build(b);
    const violations = await evaluate(b.document(), { policies: [c.rule], config: c.config });
    const on = (urn: string) => violations.filter((v) => v.urn === urn).map((v) => v.message);
    for (const r of fails) {
      expect({ resource: r.urn, failed: on(r.urn).length > 0 }).toEqual({ resource: r.urn, failed: true });
      if (message) for (const m of on(r.urn)) expect(m).toMatch(message);
    }
    for (const r of passes) expect({ resource: r.urn, messages: on(r.urn) }).toEqual({ resource: r.urn, messages: [] });
    for (const v of violations) expect(v.message).toMatch(/ Remediation: .{20,}/);
  });
});
