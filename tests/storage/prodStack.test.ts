/** Trace storage as the prod stack declares it (component test on the real program). */
import { synthStack } from "../support/synth";
import { Json, only, tempoOverridesYaml, tempoYaml } from "./storageSynth";

describe("trace storage in the prod stack", () => {
  it("keeps blocks 30 days (720h) by default", async () => {
    const s = await synthStack("prod");
    const c = tempoYaml(s);
    expect(c.backend_worker.compaction.block_retention).toBe("720h");
    expect(c.backend_scheduler.provider.compaction.compaction.block_retention).toBe("720h");
    expect(c.overrides.defaults.compaction.block_retention).toBe("720h");
  });

  it("overrides retention per tenant from tracing:tenantRetentionDays (orders 30d, platform 14d)", async () => {
    const s = await synthStack("prod");
    const defaults = tempoYaml(s).overrides.defaults;
    expect(tempoOverridesYaml(s)).toEqual({
      overrides: {
        orders: { ...defaults, compaction: { block_retention: "720h" } },
        platform: { ...defaults, compaction: { block_retention: "336h" } },
      },
    });
  });

  it("sizes the per-tenant limits for the order pipeline (docs/storage.md)", async () => {
    const d = tempoYaml(await synthStack("prod")).overrides.defaults;
    expect(d.ingestion).toMatchObject({ rate_limit_bytes: 16 * 2 ** 20, burst_size_bytes: 32 * 2 ** 20, max_traces_per_user: 50000 });
    expect(d.global.max_bytes_per_trace).toBe(5 * 2 ** 20);
    // Search reaches back as far as blocks are kept.
    expect(d.read.max_search_duration).toBe("720h");
  });

  it("archives deleted blocks to DEEP_ARCHIVE for 365 days", async () => {
    const s = await synthStack("prod");
    const rules = only(s, "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration").rules as Json[];
    const transitions = rules.flatMap((r) => r.noncurrentVersionTransitions ?? []);
    expect(transitions).toEqual([{ noncurrentDays: 1, storageClass: "DEEP_ARCHIVE" }]);
    const archive = rules.find((r) => r.noncurrentVersionTransitions);
    expect(archive?.noncurrentVersionExpiration).toEqual({ noncurrentDays: 365 });
    expect(rules.filter((r) => r.transitions !== undefined)).toEqual([]);
  });

  it("trusts only the prod cluster's service account", async () => {
    const s = await synthStack("prod");
    const trust = JSON.parse(only(s, "aws:iam/role:Role").assumeRolePolicy as string) as Json;
    expect(trust.Statement[0].Condition.StringEquals).toEqual({
      "oidc.eks.eu-central-1.amazonaws.com/id/PROD0EXAMPLE0ISSUER:sub": "system:serviceaccount:tracing:tempo",
      "oidc.eks.eu-central-1.amazonaws.com/id/PROD0EXAMPLE0ISSUER:aud": "sts.amazonaws.com",
    });
  });
});
