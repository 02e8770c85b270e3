/**
 * R12: the privacy corpus (privacyCorpus.ts) through the gateway's rendered
 * processors in the OTTL simulator. The real binary runs the same corpus in
 * e2e/privacyCorpus.test.ts; this tier catches regressions without it.
 */
import { PRIVACY_CORPUS } from "./privacyCorpus";
import { judge, report, summarise } from "./privacyCorpusCheck";
import { scrubCorpusTrace } from "./gatewaySim";
import { gateway } from "./support";

describe("privacy corpus", () => {
  it("has at least 150 cases in every class of issue 12, each with a unique id", () => {
    expect(PRIVACY_CORPUS.length).toBeGreaterThanOrEqual(150);
    expect(new Set(PRIVACY_CORPUS.map((c) => c.id)).size).toBe(PRIVACY_CORPUS.length);
    const classes = new Set(PRIVACY_CORPUS.map((c) => c.cls));
    expect([...classes].sort()).toEqual(["format", "legitimate", "trusted-exemption", "unknown-key", "unreached-place"]);
  });

  it("the judge can fail: unscrubbed, every planted secret is found in its own case", () => {
    const summary = summarise(PRIVACY_CORPUS.map((c) => judge(c, c.trace)), PRIVACY_CORPUS);
    expect(summary.leaked.length).toBe(summary.leakCases);
    expect(summary.partial).toEqual([]);
  });

  it("the rendered gateway leaks nothing and keeps every legitimate value with its type", () => {
    const config = gateway();
    const summary = summarise(PRIVACY_CORPUS.map((c) => judge(c, scrubCorpusTrace(config, c.trace))), PRIVACY_CORPUS);
    console.log(report("OTTL simulator, rendered gateway", summary));
    expect(summary.leaked.map((v) => `${v.id}: ${v.leaked.join(", ")}`)).toEqual([]);
    expect(summary.partial).toEqual([]);
    expect(summary.damaged.map((v) => v.id)).toEqual([]);
  });
});
