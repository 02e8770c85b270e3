/**
 * Shared checks (one stack per test file): a stack's rendered Tempo files against Tempo 3.0.3's configuration
 * as read upstream (tempoUpstream.ts names the tag, commit and files): every
 * key of tempo.yaml is one the release accepts, and every tenant entry of
 * tempo-overrides.yaml carries every limit the defaults set, Tempo's own
 * built-in defaults included (a tenant entry replaces the defaults in 3.x).
 */
import { synthStack } from "../support/synth";
import { tempoOverridesYaml, tempoYaml } from "./storageSynth";
import { ACCEPTED_TEMPO_KEYS, BUILTIN_OVERRIDES_DEFAULTS, leafPaths, OVERRIDES_BLOCK_KEYS, TEMPO_UPSTREAM } from "./tempoUpstream";

type Yaml = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const get = (doc: Yaml, path: string): unknown => path.split(".").reduce<unknown>((v, k) => (v as Yaml | undefined)?.[k], doc);

export function tempoUpstreamSuite(stack: "dev" | "prod"): void {
  describe(`${stack} stack Tempo files`, () => {
    let config: Yaml;
    let overrides: Yaml;
    beforeAll(async () => {
      const s = await synthStack(stack);
      config = tempoYaml(s);
      overrides = tempoOverridesYaml(s);
    });

    it(`uses only keys that Tempo ${TEMPO_UPSTREAM.tag} accepts, key by key`, () => {
      expect(leafPaths(config).filter((p) => !ACCEPTED_TEMPO_KEYS.has(p))).toEqual([]);
    });

    it("has an entry for both tenants, each using only Overrides fields of the release", () => {
      expect(Object.keys(overrides)).toEqual(["overrides"]);
      expect(Object.keys(overrides.overrides)).toEqual(expect.arrayContaining(["orders", "platform"]));
      for (const entry of Object.values<Yaml>(overrides.overrides)) {
        expect(leafPaths(entry).filter((p) => !(OVERRIDES_BLOCK_KEYS as readonly string[]).includes(p))).toEqual([]);
      }
    });

    it("writes into every tenant entry every limit the defaults set (built-in and rendered)", () => {
      const required = new Set([...leafPaths(BUILTIN_OVERRIDES_DEFAULTS), ...leafPaths(config.overrides.defaults)]);
      for (const [tenant, entry] of Object.entries<Yaml>(overrides.overrides)) {
        const missing = [...required].filter((p) => get(entry, p) === undefined);
        expect({ tenant, missing }).toEqual({ tenant, missing: [] });
        // The same values as the defaults; only the retention may differ per tenant.
        for (const p of required) if (p !== "compaction.block_retention") expect({ tenant, p, v: get(entry, p) }).toEqual({ tenant, p, v: get(config.overrides.defaults, p) });
      }
    });

    it("never ingests with a zero rate, burst, live-trace or trace-size limit", () => {
      for (const entry of [config.overrides.defaults, ...Object.values<Yaml>(overrides.overrides)]) {
        expect(entry.ingestion.rate_limit_bytes).toBeGreaterThan(0);
        expect(entry.ingestion.burst_size_bytes).toBeGreaterThanOrEqual(entry.ingestion.rate_limit_bytes);
        expect(entry.ingestion.max_traces_per_user).toBeGreaterThan(0);
        expect(entry.global.max_bytes_per_trace).toBeGreaterThan(0);
      }
    });
    });
}
