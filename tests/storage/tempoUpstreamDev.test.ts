/** Tempo 3.0.3 key-by-key checks of the dev stack's Tempo files, and of the accepted-key list itself. */
import { TEMPO_VERSION } from "../../versions/tempo";
import { ACCEPTED_TEMPO_KEYS, leafPaths, TEMPO_UPSTREAM } from "./tempoUpstream";
import { tempoUpstreamSuite } from "./tempoUpstreamSuite";

describe("the accepted-key list", () => {
  it("was read at the pinned release", () => {
    expect(TEMPO_UPSTREAM.tag).toBe(`v${TEMPO_VERSION}`);
  });

  it("rejects a key the release does not have (the check can fail)", () => {
    const rendered = { server: { http_listen_port: 3200, http_tls_config: { cert_file: "/c" } }, ingester: { trace_idle_period: "10s" }, compactor: { compaction: {} } };
    // The 2.x ingester and compactor are gone in 3.x.
    expect(leafPaths(rendered).filter((p) => !ACCEPTED_TEMPO_KEYS.has(p))).toEqual(["ingester.trace_idle_period", "compactor.compaction"]);
  });
});

tempoUpstreamSuite("dev");
