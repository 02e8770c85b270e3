/** R12: the sweep of privacySweep.ts (every format under every kept key) through the rendered gateway in the OTTL simulator. */
import { scrubCorpusTrace } from "./gatewaySim";
import { leakedSecrets } from "./privacyCorpusCheck";
import { SWEEP, SweepCase } from "./privacySweep";
import { gateway } from "./support";

const config = gateway();
const leaks = (cases: readonly SweepCase[]) => cases.filter((c) => leakedSecrets([c.secret], scrubCorpusTrace(config, c.trace)).length > 0).map((c) => c.label);

describe("every personal-data format under every kept key", () => {
  it("the sweep can fail: every secret is in its own unscrubbed case", () => {
    const all = [...SWEEP.span, ...SWEEP.event, ...SWEEP.resource];
    expect(all.filter((c) => leakedSecrets([c.secret], c.trace).length === 0).map((c) => c.label)).toEqual([]);
  });
  it("span attributes", () => expect(leaks(SWEEP.span)).toEqual([]));
  it("span event attributes", () => expect(leaks(SWEEP.event)).toEqual([]));
  it("resource attributes", () => expect(leaks(SWEEP.resource)).toEqual([]));
});
