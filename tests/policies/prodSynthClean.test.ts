import { runPolicies } from "../../policies/runner";
import { synthStack } from "../support/synth";

describe("the prod stack satisfies every mandatory policy", () => {
  it("has zero mandatory violations", async () => {
    const s = await synthStack("prod");
    const violations = await runPolicies(s.resources);
    expect(violations.filter((v) => v.enforcementLevel === "mandatory")).toEqual([]);
  });

  it("is actually checked: the rules see its namespace, buckets and rendered configs", async () => {
    const s = await synthStack("prod");
    const types = new Set(s.resources.map((r) => r.type));
    expect(types.has("kubernetes:core/v1:Namespace")).toBe(true);
    expect(types.has("kubernetes:networking.k8s.io/v1:NetworkPolicy")).toBe(true);
    expect(Object.keys(s.configFiles)).toContain("tempo.yaml");
  });
});
