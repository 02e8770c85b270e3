/**
 * R12 proof in the real binary: the privacy corpus (tests/collector/
 * privacyCorpus.ts, 150+ cases by class) is sent over OTLP/HTTP with mutual
 * TLS to the gateway running the rendered prod config (changed only where
 * differences.ts says); a capture sink in the sampler's place records what the
 * gateway forwards, which is what would be sampled and stored. Prints the
 * count of leaks, partial leaks and damaged legitimate values; fails on any
 * leak.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { renderCollectorGateway } from "../render/collectorGateway";
import { ORDER_SPAN_CONDITION } from "../render/collectorSampler";
import { PRIVACY_CORPUS } from "../tests/collector/privacyCorpus";
import { judge, leakedSecrets, report, summarise } from "../tests/collector/privacyCorpusCheck";
import { SWEEP } from "../tests/collector/privacySweep";
import { generateTestPki, TestPki } from "./harness/certs";
import { startCollector, waitForCollector } from "./harness/collectors";
import { deployedGatewayOptions, stackConfig } from "./harness/deployedOptions";
import { gatewayForCaptureSink, gatewayForE2e } from "./harness/differences";
import { CaptureSink, corpusRequest, corpusSpanId } from "./harness/otlpCorpus";
import { freePorts } from "./harness/ports";
import { Supervisor, waitFor } from "./harness/supervisor";
import { request } from "./harness/tlsHttp";

describe("privacy corpus through the prod gateway binary (R12)", () => {
  let runDir: string;
  let supervisor: Supervisor;
  let pki: TestPki;
  const sink = new CaptureSink();
  const sweep = [...SWEEP.span, ...SWEEP.event, ...SWEEP.resource];
  const withLinks = new Set(PRIVACY_CORPUS.map((c, i) => (c.trace.span.links.length > 0 ? corpusSpanId(i) : "")).filter(Boolean));

  beforeAll(async () => {
    runDir = fs.mkdtempSync(path.join(os.tmpdir(), "tracing-e2e-privacy-"));
    supervisor = new Supervisor(runDir);
    pki = generateTestPki(path.join(runDir, "pki"));
    const [grpcPort, httpPort, healthPort, metricsPort, sinkPort] = await freePorts(5);
    await sink.start(sinkPort, pki.workloads["collector-sampler"]);
    const options = gatewayForCaptureSink(gatewayForE2e(deployedGatewayOptions(stackConfig("prod")), { grpcPort, httpPort, healthPort, tls: pki.workloads["collector-gateway"], samplers: [`127.0.0.1:${sinkPort}`] }));
    const gateway = startCollector(supervisor, { name: "collector-gateway", config: renderCollectorGateway(options), memoryLimitMiB: options.memory.limitMiB, healthPort, metricsPort });
    await waitForCollector(gateway, healthPort, pki.caFile, 60_000);
    const res = await request(`https://127.0.0.1:${httpPort}/v1/traces`, {
      method: "POST",
      body: corpusRequest([...PRIVACY_CORPUS.map((c) => c.trace), ...sweep.map((c) => c.trace)]),
      headers: { "content-type": "application/json" },
      tls: pki.clients["crm-api"],
      timeoutMs: 20_000,
    });
    if (res.status !== 200) throw new Error(`gateway answered ${res.status}: ${res.body}`);
    const expected = PRIVACY_CORPUS.length + sweep.length - withLinks.size;
    await waitFor("every corpus span at the sink", async () => sink.spans.size >= expected, { timeoutMs: 60_000, intervalMs: 500, process: gateway }).catch((e) => {
      throw new Error(`${(e as Error).message}\n(${sink.spans.size} of ${expected} spans arrived)`);
    });
    await new Promise((r) => setTimeout(r, 1000)); // anything late (the dropped spans) would arrive now
  });
  afterAll(async () => {
    await supervisor?.stopAll();
    sink.stop();
    if (runDir) fs.rmSync(runDir, { recursive: true, force: true });
  });

  it("leaks no personal data and damages no legitimate value (printed per class)", () => {
    const verdicts = PRIVACY_CORPUS.map((c, i) => judge(c, sink.spans.get(corpusSpanId(i))));
    const summary = summarise(verdicts, PRIVACY_CORPUS);
    console.log(report("real gateway binary, prod config", summary));
    expect(PRIVACY_CORPUS.length).toBeGreaterThanOrEqual(150);
    expect(summary.leaked.map((v) => `${v.id}: ${v.leaked.join(", ")}`)).toEqual([]);
    expect(summary.partial).toEqual([]);
    expect(summary.damaged.map((v) => v.id)).toEqual([]);
  });

  it("leaks no sweep value (every corpus format under every kept span, event and resource key)", () => {
    const leaks = sweep.filter((c, i) => leakedSecrets([c.secret], sink.spans.get(corpusSpanId(PRIVACY_CORPUS.length + i))).length > 0).map((c) => c.label);
    console.log(`real gateway binary, sweep: ${sweep.length} values, ${leaks.length} leaked`);
    expect(sweep.every((_, i) => sink.spans.has(corpusSpanId(PRIVACY_CORPUS.length + i)))).toBe(true);
    expect(leaks).toEqual([]);
  });

  it("drops spans with links (v0.148.0 cannot scrub link attributes) and forwards every other span", () => {
    expect(withLinks.size).toBeGreaterThan(0);
    for (const id of withLinks) expect(sink.spans.has(id)).toBe(false);
    expect(sink.spans.size).toBe(PRIVACY_CORPUS.length + sweep.length - withLinks.size);
  });

  it("a span whose order.id fails verification is not an order span: no order.id reaches the sampler's tenant routing", () => {
    // The sampler routes to tenant orders exactly when span.attributes["order.id"] != nil.
    expect(ORDER_SPAN_CONDITION).toBe('span.attributes["order.id"] != nil');
    const forged = PRIVACY_CORPUS.map((c, i) => [c, i] as const).filter(([c]) => c.cls === "trusted-exemption" && "order.id" in c.trace.span.attributes);
    expect(forged.length).toBeGreaterThan(0);
    for (const [, i] of forged) expect(sink.spans.get(corpusSpanId(i))?.span.attributes).not.toHaveProperty(["order.id"]);
    const valid = PRIVACY_CORPUS.map((c, i) => [c, i] as const).filter(([c]) => c.id.startsWith("legit-span-") && "order.id" in c.trace.span.attributes);
    for (const [c, i] of valid) expect(sink.spans.get(corpusSpanId(i))?.span.attributes["order.id"]).toBe(c.trace.span.attributes["order.id"]);
  });
});
