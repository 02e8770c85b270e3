/**
 * Tempo conformance (R4, R6, R9). Always: the deployed renderer options
 * reproduce both stacks' synthesized tempo.yaml and tempo-overrides.yaml byte
 * for byte, and the e2e variants change only keys differences.ts claims.
 * With TEMPO_BIN (checks named "real Tempo:"): `-config.verify=true` accepts
 * both stacks' files and prints nothing; it rejects an unknown key; the dev
 * config starts too, ingests OTLP for both tenants and finds each span by
 * TraceQL in its own tenant only; the running prod Tempo reports, per tenant,
 * the complete limits of its overrides entry.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parse } from "yaml";
import { deployedTempoConfigOptions, deployedTempoOverridesOptions } from "../components/tempo";
import { renderTempoConfig, renderTempoOverrides } from "../render/tempoConfig";
import { tenantLimitsFromStack } from "../render/tempoLimits";
import { TEMPO_VERSION } from "../versions/tempo";
import { CERT_NAMESPACE, generateTestPki } from "./harness/certs";
import { changedPaths } from "./harness/configDiff";
import { stackConfig, StackName } from "./harness/deployedOptions";
import { DIFFERENCES, tempoForE2e } from "./harness/differences";
import { pushSpan } from "./harness/otlpPush";
import { freePorts } from "./harness/ports";
import { startTempo, tempoBinary, tempoVersion, verifyTempoConfig, waitForTempo, writeTempoFiles } from "./harness/realTempo";
import { attachStack } from "./harness/stack";
import { Supervisor, waitFor } from "./harness/supervisor";
import { synthToTemp, SynthOutput } from "./harness/synth";
import { TempoClient } from "./harness/tempoClient";
import { request } from "./harness/tlsHttp";
import { itWithRealTempo, realTempo } from "./harness/traceStore";

/** Prometheus model.Duration text as Tempo prints it ("30d", "2w", "1w6d", "336h") in hours. */
function promDurationHours(text: string): number {
  const hours: Record<string, number> = { y: 365 * 24, w: 7 * 24, d: 24, h: 1, m: 1 / 60, s: 1 / 3600 };
  const parts = [...String(text).matchAll(/(\d+)([ywdhms])/g)];
  if (parts.length === 0 || parts.map((m) => m[0]).join("") !== text) throw new Error(`not a Prometheus duration: ${text}`);
  return parts.reduce((sum, m) => sum + Number(m[1]) * hours[m[2]], 0);
}

const unclaimed = (paths: string[]) => paths.filter((p) => !DIFFERENCES.some((d) => d.tempoKeys?.some((re) => re.test(p))));
const local = { httpPort: 1, grpcPort: 2, otlpGrpcPort: 3, healthPort: 4, tls: { certFile: "/e2e/t.crt", keyFile: "/e2e/t.key", caFile: "/e2e/ca.crt" }, dataDir: "/e2e/tempo", overridesFile: "/e2e/tempo/o.yaml" };

describe.each<StackName>(["dev", "prod"])("%s stack Tempo files", (stack) => {
  let synth: SynthOutput;
  const cfg = stackConfig(stack);
  const limits = tenantLimitsFromStack(cfg.tempoLimits);
  beforeAll(async () => {
    synth = await synthToTemp(stack);
  });
  afterAll(() => fs.rmSync(synth.dir, { recursive: true, force: true }));

  const deployed = () => {
    // The bucket and KMS key are cloud outputs: taken from the synthesized file itself.
    const s3 = parse(synth.file("tempo.yaml")).storage.trace.s3;
    return deployedTempoConfigOptions({ namespace: cfg.namespace, tlsMinVersion: cfg.tls.minVersion, bucket: s3.bucket, region: s3.region, kmsKeyId: s3.sse.kms_key_id, retentionDays: cfg.retentionDays, limits });
  };

  it("are what the e2e tier renders from the deployed options (byte for byte)", () => {
    expect(renderTempoConfig(deployed())).toBe(synth.file("tempo.yaml"));
    expect(renderTempoOverrides(deployedTempoOverridesOptions({ retentionDays: cfg.retentionDays, tenantRetentionDays: cfg.tenantRetentionDays, limits }))).toBe(synth.file("tempo-overrides.yaml"));
  });

  it("the e2e variant changes only keys claimed by differences.ts (tempo-listen, tempo-storage, tempo-paths, tls-files)", () => {
    const changes = changedPaths(parse(synth.file("tempo.yaml")), parse(renderTempoConfig(tempoForE2e(deployed(), local))));
    expect(changes).toContain("storage.trace.backend");
    expect(unclaimed(changes)).toEqual([]);
  });

  itWithRealTempo(`-config.verify=true accepts the ${stack} tempo.yaml and prints nothing`, async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), `tracing-e2e-verify-${stack}-`));
    try {
      const pki = generateTestPki(path.join(dir, "pki"));
      const [httpPort, grpcPort, otlpGrpcPort, healthPort] = await freePorts(4);
      const files = writeTempoFiles(stack, { httpPort, grpcPort, otlpGrpcPort, healthPort, tls: pki.workloads.tempo, dataDir: path.join(dir, "tempo") });
      expect(await verifyTempoConfig(tempoBinary(), files.configFile)).toEqual({ code: 0, output: "" });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("real Tempo binary", () => {
  it(`is a Tempo ${TEMPO_VERSION.split(".")[0]}.x release when TEMPO_BIN is set; otherwise the capture store stands in`, async () => {
    const state = attachStack();
    if (state.traceStore.mode === "capture") {
      expect(state.traceStore.captureFile).toBeDefined();
      return;
    }
    const version = await tempoVersion(tempoBinary());
    expect(version.split(".")[0]).toBe(TEMPO_VERSION.split(".")[0]);
    expect(state.traceStore.tempo?.version).toBe(version);
  });

  itWithRealTempo("-config.verify=true rejects an unknown key, and a bare trailing -config.verify is a flag error", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tracing-e2e-verify-bad-"));
    try {
      const good = attachStack().traceStore.tempo?.configFile as string;
      const bad = path.join(dir, "bad.yaml");
      fs.writeFileSync(bad, fs.readFileSync(good, "utf8").replace("multitenancy_enabled: true", "multitenancy_enabled: true\nmultitenancy_enable: true"));
      const rejected = await verifyTempoConfig(tempoBinary(), bad);
      expect(rejected.code).not.toBe(0);
      expect(rejected.output).toMatch(/multitenancy_enable/);
      const { execFile } = await import("child_process");
      const bare = await new Promise<{ code: number | null; out: string }>((resolve) =>
        execFile(tempoBinary(), [`-config.file=${good}`, "-config.verify"], (err, stdout, stderr) => resolve({ code: err ? ((err as { code?: number }).code ?? null) : 0, out: stdout + stderr })),
      );
      expect(bare.code).toBe(2);
      expect(bare.out).toMatch(/flag needs an argument/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  itWithRealTempo("the running prod Tempo applies each tenant's own overrides entry: non-zero ingestion limits, per-tenant retention", async () => {
    const state = attachStack();
    const tempo = state.traceStore.tempo;
    if (!tempo) throw new Error("no Tempo in the stack state");
    const cfg = stackConfig("prod");
    for (const tenant of ["orders", "platform"]) {
      const res = await request(`https://127.0.0.1:${tempo.httpPort}/status/overrides/${tenant}`, { tls: state.pki.tester, headers: { Accept: "application/json" } });
      expect(res.status).toBe(200);
      const page = JSON.parse(res.body) as { runtime_overrides: string; using_default_or_wildcard_runtime_overrides: string };
      expect(page.using_default_or_wildcard_runtime_overrides).toBe(tenant);
      const runtime = parse(page.runtime_overrides);
      expect(runtime.ingestion.rate_limit_bytes).toBe(cfg.tempoLimits.ingestionRateMiB * 2 ** 20);
      expect(runtime.ingestion.burst_size_bytes).toBe(cfg.tempoLimits.ingestionBurstMiB * 2 ** 20);
      expect(runtime.ingestion.max_traces_per_user).toBe(cfg.tempoLimits.maxTracesPerTenant);
      expect(runtime.global.max_bytes_per_trace).toBe(cfg.tempoLimits.maxTraceSizeMiB * 2 ** 20);
      expect(promDurationHours(runtime.compaction.block_retention)).toBe((cfg.tenantRetentionDays[tenant] ?? cfg.retentionDays) * 24);
      expect(promDurationHours(runtime.read.max_search_duration)).toBe(cfg.tempoLimits.maxSearchHours);
    }
    // The search API of the stack's Tempo is up too (used by every TraceQL check).
    expect(await realTempo(state).search("orders", "{ }", { limit: 1 })).toEqual(expect.any(Array));
  });

  itWithRealTempo("the dev config starts, ingests OTLP for orders and platform, and TraceQL finds each span in its own tenant only", async () => {
    const state = attachStack();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tracing-e2e-tempo-dev-"));
    const supervisor = new Supervisor(dir);
    try {
      const [httpPort, grpcPort, otlpGrpcPort, healthPort] = await freePorts(4);
      const files = writeTempoFiles("dev", { httpPort, grpcPort, otlpGrpcPort, healthPort, tls: state.pki.workloads.tempo, dataDir: path.join(dir, "tempo") });
      const p = startTempo(supervisor, tempoBinary(), files.configFile, "tempo-dev");
      await waitForTempo(p, httpPort, state.pki.tester);
      const client = new TempoClient(httpPort, state.pki.tester);
      const run = `dev-${Date.now()}`;
      for (const tenant of ["orders", "platform"]) {
        expect(await pushSpan(otlpGrpcPort, state.pki.caFile, { client: state.pki.workloads["collector-sampler"], tenant }, { "e2e.run": `${run}-${tenant}` })).toBe(true);
      }
      for (const [tenant, other] of [["orders", "platform"], ["platform", "orders"]]) {
        const q = `{ span.e2e.run = "${run}-${tenant}" }`;
        await waitFor(`${tenant} span by TraceQL`, async () => (await client.search(tenant, q)).length === 1, { timeoutMs: 60_000, intervalMs: 1000, process: p });
        expect(await client.search(other, q)).toEqual([]);
      }
      expect(CERT_NAMESPACE).toBe(stackConfig("dev").namespace);
    } finally {
      await supervisor.stopAll();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
