import { isPrivateCidr, parseCidr, cidrContains } from "../../config/cidr";
import { Audience, INTERNAL_NLB_ANNOTATIONS, internalLoadBalancerSpec, InternalLoadBalancerInput } from "../../specs/internalLoadBalancer";

const allowedCidrs = { corporate: ["10.100.0.0/16", "10.101.0.0/16"], applications: ["10.30.64.0/18"] };
const base: InternalLoadBalancerInput = {
  audience: "corporate",
  allowedCidrs,
  selector: { app: "grafana" },
  ports: [{ name: "https", port: 443, targetPort: 3000 }],
};

/** A tiny deterministic PRNG so the property test is reproducible. */
function prng(seed: number): () => number {
  let s = seed;
  return () => ((s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
}

describe("internal load balancer helper", () => {
  it("produces an internal, IP-targeted NLB without node ports, admitting only the audience's CIDRs", () => {
    const { annotations, spec } = internalLoadBalancerSpec(base);
    expect(annotations["service.beta.kubernetes.io/aws-load-balancer-scheme"]).toBe("internal");
    expect(annotations["service.beta.kubernetes.io/aws-load-balancer-internal"]).toBe("true");
    expect(spec.type).toBe("LoadBalancer");
    expect(spec.allocateLoadBalancerNodePorts).toBe(false);
    expect(spec.loadBalancerSourceRanges).toEqual(allowedCidrs.corporate);
    expect(internalLoadBalancerSpec({ ...base, audience: "applications" }).spec.loadBalancerSourceRanges).toEqual(allowedCidrs.applications);
  });

  it("adds the deployer CIDRs to the source ranges once each, and refuses a public or too-wide deployer range", () => {
    const spec = internalLoadBalancerSpec({ ...base, deployerCidrs: ["10.20.8.0/24", "10.100.0.0/16"] }).spec;
    expect(spec.loadBalancerSourceRanges).toEqual([...allowedCidrs.corporate, "10.20.8.0/24"]);
    expect(internalLoadBalancerSpec({ ...base, deployerCidrs: [] }).spec.loadBalancerSourceRanges).toEqual(allowedCidrs.corporate);
    expect(() => internalLoadBalancerSpec({ ...base, deployerCidrs: ["0.0.0.0/0"] })).toThrow(/deployer range "0.0.0.0\/0" opens the range to the whole internet/);
    expect(() => internalLoadBalancerSpec({ ...base, deployerCidrs: ["52.58.0.10/32"] })).toThrow(/deployer range "52.58.0.10\/32" is not a private range/);
  });

  it("lets security annotations win over caller annotations", () => {
    const { annotations } = internalLoadBalancerSpec({
      ...base,
      annotations: {
        "service.beta.kubernetes.io/aws-load-balancer-scheme": "internet-facing",
        "service.beta.kubernetes.io/aws-load-balancer-internal": "false",
        "example.com/owner": "sre",
      },
    });
    expect(annotations).toMatchObject(INTERNAL_NLB_ANNOTATIONS);
    expect(annotations["example.com/owner"]).toBe("sre");
  });

  it.each([
    [["0.0.0.0/0"]],
    [["::/0"]],
    [["8.8.8.0/24"]],
    [["10.0.0.0/8"]],
    [["10.30.64.0/18"]],
    [[]],
  ])("refuses corporate source ranges %j outside the corporate CIDRs", (sourceRanges) => {
    expect(() => internalLoadBalancerSpec({ ...base, sourceRanges })).toThrow(/internal load balancer/);
  });

  it("refuses to build anything when the audience has no configured ranges or a public one", () => {
    expect(() => internalLoadBalancerSpec({ ...base, audience: "applications", allowedCidrs: { ...allowedCidrs, applications: [] } })).toThrow(/no applications CIDRs/);
    expect(() => internalLoadBalancerSpec({ ...base, allowedCidrs: { ...allowedCidrs, corporate: ["0.0.0.0/0"] } })).toThrow(/whole internet/);
    expect(() => internalLoadBalancerSpec({ ...base, allowedCidrs: { ...allowedCidrs, corporate: ["52.0.0.0/8"] } })).toThrow(/not a private range/);
  });

  it("can never produce a public or unrestricted load balancer, whatever it is given (property test)", () => {
    const rand = prng(42);
    const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)];
    const pool = ["0.0.0.0/0", "::/0", "10.0.0.0/8", "10.100.0.0/16", "10.100.5.0/24", "10.101.0.0/16", "10.30.64.0/18", "10.30.70.0/24", "8.8.8.0/24", "52.0.0.0/8", "fd00::/8", "192.168.1.0/24", "junk", "10.100.0.1/16"];
    let built = 0;
    for (let i = 0; i < 2000; i++) {
      const audience: Audience = pick(["corporate", "applications"] as const);
      const configured = { corporate: Array.from({ length: Math.floor(rand() * 3) }, () => pick(pool)), applications: Array.from({ length: Math.floor(rand() * 3) }, () => pick(pool)) };
      const sourceRanges = rand() < 0.5 ? undefined : Array.from({ length: Math.floor(rand() * 3) }, () => pick(pool));
      const annotations = rand() < 0.5 ? { "service.beta.kubernetes.io/aws-load-balancer-scheme": "internet-facing" } : undefined;
      let result;
      try {
        result = internalLoadBalancerSpec({ ...base, audience, allowedCidrs: configured, sourceRanges, annotations });
      } catch {
        continue;
      }
      built++;
      expect(result.annotations["service.beta.kubernetes.io/aws-load-balancer-scheme"]).toBe("internal");
      expect(result.spec.allocateLoadBalancerNodePorts).toBe(false);
      expect(result.spec.loadBalancerSourceRanges.length).toBeGreaterThan(0);
      for (const range of result.spec.loadBalancerSourceRanges) {
        expect(isPrivateCidr(range)).toBe(true);
        const inner = parseCidr(range)!;
        expect(configured[audience].some((outer) => cidrContains(parseCidr(outer)!, inner))).toBe(true);
      }
    }
    expect(built).toBeGreaterThan(50);
  });
});
