import { ofType, synthStack } from "../support/synth";

describe("private network in the dev stack", () => {
  it("denies all ingress and egress by default", async () => {
    const s = await synthStack("dev");
    const policies = ofType(s, "kubernetes:networking.k8s.io/v1:NetworkPolicy");
    const deny = policies.find((p) => (p.inputs.metadata as { name: string }).name === "default-deny-all");
    expect(deny?.inputs.spec).toEqual({ podSelector: {}, policyTypes: ["Ingress", "Egress"] });
  });
});
