/**
 * The rendered Collector configs of both stacks, as synth writes them, are
 * accepted by the real distribution (`otelcol-tracing validate`) and start
 * in it, and the configs the e2e runs use differ from them only where
 * differences.ts says.
 */
import { execFile } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { promisify } from "util";
import { parse } from "yaml";
import { renderCollectorGateway } from "../render/collectorGateway";
import { renderCollectorSampler } from "../render/collectorSampler";
import { deployedGatewayOptions, deployedSamplerOptions, stackConfig, StackName } from "./harness/deployedOptions";
import { collectorEnv, DIFFERENCES, gatewayForCaptureSink, gatewayForE2e, samplerForE2e, samplerForValidate, telemetryOverlay } from "./harness/differences";
import { generateTestPki, TestPki } from "./harness/certs";
import { collectorMetric, startCollector, waitForCollector } from "./harness/collectors";
import { REPO_ROOT, requireBuilt } from "./harness/paths";
import { freePorts } from "./harness/ports";
import { Supervisor, waitFor } from "./harness/supervisor";
import { synthToTemp, SynthOutput } from "./harness/synth";
import { changedPaths } from "./harness/configDiff";

async function validate(...files: string[]): Promise<{ ok: boolean; output: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(requireBuilt("collector"), ["validate", ...files.map((f) => `--config=${f}`)], { env: { ...process.env, ...collectorEnv(400) } });
    return { ok: true, output: stdout + stderr };
  } catch (e) {
    const err = e as { stdout?: string; stderr?: string; message: string };
    return { ok: false, output: `${err.stdout ?? ""}${err.stderr ?? ""}${err.message}` };
  }
}

const unclaimed = (paths: string[]) => paths.filter((p) => !DIFFERENCES.some((d) => d.collectorKeys?.some((re) => re.test(p))));

describe.each<StackName>(["dev", "prod"])("%s stack collector configs", (stack) => {
  let synth: SynthOutput;
  const cfg = stackConfig(stack);
  const localTls = { certFile: "/run/e2e/tls.crt", keyFile: "/run/e2e/tls.key", caFile: "/run/e2e/ca.crt" };

  beforeAll(async () => {
    synth = await synthToTemp(stack);
  });
  afterAll(() => fs.rmSync(synth.dir, { recursive: true, force: true }));

  it("are what the e2e tier renders from the deployed options (byte for byte)", () => {
    expect(renderCollectorGateway(deployedGatewayOptions(cfg))).toBe(synth.file("collector-gateway.yaml"));
    expect(renderCollectorSampler(deployedSamplerOptions(cfg))).toBe(synth.file("collector-sampler.yaml"));
  });

  it("gateway: accepted by otelcol-tracing validate as synthesized", async () => {
    const result = await validate(path.join(synth.configDir, "collector-gateway.yaml"));
    expect(result).toEqual({ ok: true, output: expect.any(String) });
  });

  it("sampler: accepted by otelcol-tracing validate with its queue directory in a temp dir (difference queue-directory)", async () => {
    const queue = path.join(synth.dir, "queue");
    fs.mkdirSync(queue);
    const file = path.join(synth.dir, "sampler-validate.yaml");
    fs.writeFileSync(file, renderCollectorSampler(samplerForValidate(deployedSamplerOptions(cfg), queue)));
    const result = await validate(file);
    expect(result).toEqual({ ok: true, output: expect.any(String) });
  });

  it("the e2e variants change only keys claimed by differences.ts, and validate too", async () => {
    const gateway = renderCollectorGateway(gatewayForE2e(deployedGatewayOptions(cfg), { grpcPort: 1, httpPort: 2, healthPort: 3, tls: localTls, samplers: ["127.0.0.1:4", "127.0.0.1:5"], selfMetricsPort: 8 }));
    const queue = path.join(synth.dir, "queue-e2e");
    fs.mkdirSync(queue);
    const sampler = renderCollectorSampler(
      samplerForE2e(deployedSamplerOptions(cfg), { grpcPort: 4, healthPort: 6, tls: localTls, tempoOtlpPort: 7, storageDir: queue, decisionWaitSeconds: 5, gatewaySelfMetricsPort: 8 }),
    );
    const gatewayChanges = changedPaths(parse(synth.file("collector-gateway.yaml")), parse(gateway));
    const samplerChanges = changedPaths(parse(synth.file("collector-sampler.yaml")), parse(sampler));
    expect(gatewayChanges.length).toBeGreaterThan(0);
    expect(samplerChanges).toContain("processors.tail_sampling.decision_wait");
    expect(samplerChanges).toContain("service.telemetry.metrics.readers.0.periodic.exporter.otlp.endpoint");
    expect(gatewayChanges).toContain("receivers.otlp/self.protocols.grpc.endpoint");
    expect(unclaimed(gatewayChanges)).toEqual([]);
    expect(unclaimed(samplerChanges)).toEqual([]);
    // The privacy corpus's variant (a capture sink in the sampler's place) changes only claimed keys too.
    const sinkGateway = renderCollectorGateway(gatewayForCaptureSink(gatewayForE2e(deployedGatewayOptions(cfg), { grpcPort: 1, httpPort: 2, healthPort: 3, tls: localTls, samplers: ["127.0.0.1:4"], selfMetricsPort: 8 })));
    const sinkChanges = changedPaths(parse(synth.file("collector-gateway.yaml")), parse(sinkGateway));
    expect(sinkChanges).toContain("exporters.loadbalancing.protocol.otlp.compression");
    expect(unclaimed(sinkChanges)).toEqual([]);

    for (const [name, text] of [["gateway-e2e.yaml", gateway], ["sampler-e2e.yaml", sampler]]) {
      const file = path.join(synth.dir, name);
      const overlay = path.join(synth.dir, `telemetry-${name}`);
      fs.writeFileSync(file, text);
      fs.writeFileSync(overlay, telemetryOverlay(8888, text));
      expect(await validate(file, overlay)).toEqual({ ok: true, output: expect.any(String) });
    }
  });
});

describe.each<StackName>(["dev", "prod"])("%s stack collectors in the binary", (stack) => {
  // validate checks keys and OTTL; some errors surface only when pipelines are built (e.g. an unknown
  // sampling policy type inside `and`), so each config must also start and report healthy.
  const cfg = stackConfig(stack);
  let runDir: string;
  let supervisor: Supervisor;
  let pki: TestPki;

  beforeAll(() => {
    runDir = fs.mkdtempSync(path.join(os.tmpdir(), `tracing-e2e-start-${stack}-`));
    supervisor = new Supervisor(runDir);
    pki = generateTestPki(path.join(runDir, "pki"));
  });
  afterAll(async () => {
    await supervisor.stopAll();
    fs.rmSync(runDir, { recursive: true, force: true });
  });

  it("gateway and sampler start and report healthy", async () => {
    const [gwGrpc, gwHttp, gwHealth, gwMetrics, smGrpc, smHealth, smMetrics, tempoPort, gwSelf] = await freePorts(9);
    const queue = path.join(runDir, "queue");
    fs.mkdirSync(queue);
    const sampler = samplerForE2e(deployedSamplerOptions(cfg), { grpcPort: smGrpc, healthPort: smHealth, tls: pki.workloads["collector-sampler"], tempoOtlpPort: tempoPort, storageDir: queue, gatewaySelfMetricsPort: gwSelf });
    const gateway = gatewayForE2e(deployedGatewayOptions(cfg), { grpcPort: gwGrpc, httpPort: gwHttp, healthPort: gwHealth, tls: pki.workloads["collector-gateway"], samplers: [`127.0.0.1:${smGrpc}`], selfMetricsPort: gwSelf });
    const sp = startCollector(supervisor, { name: "collector-sampler", config: renderCollectorSampler(sampler), memoryLimitMiB: sampler.memory.limitMiB, healthPort: smHealth, metricsPort: smMetrics });
    const gp = startCollector(supervisor, { name: "collector-gateway", config: renderCollectorGateway(gateway), memoryLimitMiB: gateway.memory.limitMiB, healthPort: gwHealth, metricsPort: gwMetrics });
    await Promise.all([waitForCollector(sp, smHealth, pki.caFile, 30_000), waitForCollector(gp, gwHealth, pki.caFile, 30_000)]);
    expect(sp.logText()).toMatch(/Everything is ready/);
    expect(gp.logText()).toMatch(/Everything is ready/);
    // Difference collector-self-metrics: both tiers' periodic readers push over mutual TLS to the gateway's otlp/self receiver.
    const points = await waitFor("self-metrics points accepted by otlp/self", async () => {
      const n = await collectorMetric(gwMetrics, "otelcol_receiver_accepted_metric_points_total");
      // The sampler may push before the gateway listens (connection refused, retried); a TLS refusal would log x509/handshake.
      return n > 0 && (await collectorMetric(gwMetrics, "otelcol_receiver_refused_metric_points_total")) === 0 ? n : undefined;
    }, { timeoutMs: 20_000, intervalMs: 500 });
    expect(points).toBeGreaterThan(0);
    expect(`${sp.logText()}${gp.logText()}`).not.toMatch(/x509|handshake/i);
  }, 60_000);
});

describe("the checks are real", () => {
  it("validate rejects an unknown key in a rendered config", async () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "tracing-e2e-broken-")), "broken.yaml");
    try {
      fs.writeFileSync(file, renderCollectorGateway(deployedGatewayOptions(stackConfig("dev"))).replace("routing_key: traceID", "routing_kee: traceID"));
      const result = await validate(file);
      expect(result.ok).toBe(false);
      expect(result.output).toMatch(/routing_kee/);
    } finally {
      fs.rmSync(path.dirname(file), { recursive: true, force: true });
    }
  });

  it("a changed key no difference claims is reported", () => {
    expect(unclaimed(changedPaths({ a: { b: 1 }, exporters: { loadbalancing: { resolver: { dns: 1 } } } }, { a: { b: 2 }, exporters: { loadbalancing: { resolver: { static: 1 } } } }))).toEqual(["a.b"]);
  });

  it("docs/e2e.md lists every difference", () => {
    const doc = fs.readFileSync(path.join(REPO_ROOT, "docs", "e2e.md"), "utf8");
    expect(doc.indexOf("### Differences from the deployed configs")).toBeGreaterThan(-1);
    const section = doc.slice(doc.indexOf("### Differences from the deployed configs"));
    expect(DIFFERENCES.map((d) => d.id).filter((id) => !section.includes(`| \`${id}\` |`))).toEqual([]);
  });
});
