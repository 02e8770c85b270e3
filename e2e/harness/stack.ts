/**
 * The whole e2e stack on loopback: the trace store (real Tempo with the prod
 * stack's rendered config when TEMPO_BIN is set, else the capture store: see
 * traceStore.ts), two samplers and one gateway running the rendered dev
 * configs (with the differences.ts changes only), RabbitMQ, PostgreSQL and
 * the three sample services. Started once by the jest global setup; tests
 * attach through the state file.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { renderCollectorGateway } from "../../render/collectorGateway";
import { renderCollectorSampler, SamplingPolicyOptions } from "../../render/collectorSampler";
import { serviceDnsNames } from "../../specs/topology";
import { startApps } from "./apps";
import { startMetricsStores, waitForMetricsStore } from "./metricsStores";
import { CERT_NAMESPACE, generateTestPki, TestPki } from "./certs";
import { startCollector, waitForCollector } from "./collectors";
import { deployedGatewayOptions, deployedSamplerOptions, stackConfig } from "./deployedOptions";
import { gatewayForE2e, samplerForE2e } from "./differences";
import { progress } from "./log";
import { checkPrerequisites } from "./paths";
import { freePorts } from "./ports";
import { startPostgres } from "./postgres";
import { startRabbitMq } from "./rabbitmq";
import { ManagedProcess, Supervisor } from "./supervisor";
import { startCaptureStore } from "./captureStore";
import { startTempo, tempoBinary, tempoVersion, waitForTempo, writeTempoFiles } from "./realTempo";
import { MODE_FILE, TraceStoreMode, traceStoreMode } from "./traceStore";

/** decision_wait of the e2e samplers (difference decision-wait). */
export const E2E_DECISION_WAIT_SECONDS = 5;
export const SAMPLER_COUNT = 2;
/** Span-metrics flush interval of the e2e gateway (difference metrics-timing). */
export const E2E_SPAN_METRICS_FLUSH_SECONDS = 2;
export const STATE_FILE_ENV = "E2E_STATE_FILE";

/** Everything a test needs to talk to the running stack (JSON, written to `<runDir>/state.json`). */
export interface StackState {
  readonly runDir: string;
  readonly pki: TestPki;
  readonly gateway: { readonly grpcPort: number; readonly httpPort: number; readonly healthPort: number; readonly metricsPort: number };
  readonly samplers: readonly { readonly grpcPort: number; readonly healthPort: number; readonly metricsPort: number }[];
  readonly traceStore: TraceStoreState;
  readonly apps: { readonly shop: string; readonly crm: string; readonly mes: string };
  /** Loopback ports of the local metrics stores, by store (`orders`, `all`). */
  readonly metrics: Readonly<Record<string, number>>;
  /** The dev stack's sampling settings, as deployed. */
  readonly sampling: SamplingPolicyOptions;
  readonly decisionWaitSeconds: number;
}

export interface TraceStoreState {
  readonly mode: TraceStoreMode;
  /** Where the samplers send OTLP (127.0.0.1), verified against serverName. */
  readonly otlpGrpcPort: number;
  /** Where `/ready` and `/metrics` answer over mutual TLS (Tempo's HTTP port; the capture store's stand-in for it). */
  readonly httpPort: number;
  readonly serverName: string;
  /** capture mode: the JSON-lines file of recorded requests. */
  readonly captureFile?: string;
  /** tempo mode: the binary, its version, its ports and the rendered (prod) files. */
  readonly tempo?: {
    readonly binary: string;
    readonly version: string;
    readonly stack: "prod";
    readonly httpPort: number;
    readonly grpcPort: number;
    readonly healthPort: number;
    readonly configFile: string;
    readonly overridesFile: string;
  };
}

export interface RunningStack {
  readonly state: StackState;
  readonly supervisor: Supervisor;
  readonly processes: Readonly<Record<string, ManagedProcess>>;
}

export function stateFile(runDir: string): string {
  return path.join(runDir, "state.json");
}

/** The state of the stack the global setup started; throws the setup's error when the stack could not start. */
export function attachStack(): StackState {
  const file = process.env[STATE_FILE_ENV];
  if (!file || !fs.existsSync(file)) throw new Error(`no running e2e stack: ${STATE_FILE_ENV} is ${file ?? "unset"}; run the suite with \`npm run e2e\` (its global setup starts the stack)`);
  const state = JSON.parse(fs.readFileSync(file, "utf8")) as StackState | { error: string };
  if ("error" in state) throw new Error(`the e2e stack failed to start, so this check cannot run:\n${state.error}`);
  return state;
}

/** A fresh run directory in the system temp dir. */
export function newRunDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), "tracing-e2e-"));
}

/** Records why the stack could not start: attachStack() then fails every check that needs it with this message. */
export function recordStartFailure(runDir: string, error: unknown): void {
  fs.writeFileSync(stateFile(runDir), JSON.stringify({ error: error instanceof Error ? (error.stack ?? error.message) : String(error) }));
}

export async function startStack(runDir = newRunDir()): Promise<RunningStack> {
  checkPrerequisites();
  progress(`run directory ${runDir} (logs in ${runDir}/logs)`);
  const supervisor = new Supervisor(runDir);
  try {
    return await startIn(runDir, supervisor);
  } catch (e) {
    progress(`stack failed to start; stopping what started. Logs:\n${supervisor.logTails(30)}`);
    await supervisor.stopAll();
    fs.writeFileSync(path.join(runDir, "FAILED"), String(e));
    throw e;
  }
}

async function startIn(runDir: string, supervisor: Supervisor): Promise<RunningStack> {
  const pki = generateTestPki(path.join(runDir, "pki"));
  progress("test PKI generated (CA, gateway, sampler, tempo, shop/crm/mes clients, rogue CA)");
  const free = await freePorts(32);
  const port = () => free.shift() as number;
  const ports = {
    gateway: { grpcPort: port(), httpPort: port(), healthPort: port(), metricsPort: port(), selfMetricsPort: port() },
    samplers: Array.from({ length: SAMPLER_COUNT }, () => ({ grpcPort: port(), healthPort: port(), metricsPort: port() })),
    tempo: { httpPort: port(), grpcPort: port(), otlpGrpcPort: port(), healthPort: port() },
    rabbit: { amqp: port(), dist: port(), epmd: port() },
    postgres: port(),
    apps: { shop: port(), crm: port(), mes: port() },
    metrics: { orders: port(), all: port() },
  };

  const serverName = serviceDnsNames("tempo", CERT_NAMESPACE).at(-1) as string;
  const store = await startTraceStore(runDir, supervisor, pki, ports.tempo, serverName);
  const rabbitStarting = startRabbitMq(supervisor, path.join(runDir, "rabbitmq"), ports.rabbit);
  const postgresStarting = startPostgres(supervisor, path.join(runDir, "postgres"), ports.postgres);
  // Awaited below; if an earlier step fails first, their rejections must not go unhandled.
  rabbitStarting.catch(() => undefined);
  postgresStarting.catch(() => undefined);

  const cfg = stackConfig("dev");
  const samplerDeployed = deployedSamplerOptions(cfg);
  const samplers = ports.samplers.map((s, i) => {
    const storageDir = path.join(runDir, `sampler-${i}-queue`);
    fs.mkdirSync(storageDir, { recursive: true });
    const options = samplerForE2e(samplerDeployed, {
      grpcPort: s.grpcPort,
      healthPort: s.healthPort,
      tls: pki.workloads["collector-sampler"],
      tempoOtlpPort: ports.tempo.otlpGrpcPort,
      storageDir,
      decisionWaitSeconds: E2E_DECISION_WAIT_SECONDS,
      gatewaySelfMetricsPort: ports.gateway.selfMetricsPort,
    });
    return { proc: startCollector(supervisor, { name: `collector-sampler-${i}`, config: renderCollectorSampler(options), memoryLimitMiB: options.memory.limitMiB, healthPort: s.healthPort, metricsPort: s.metricsPort }), port: s.healthPort };
  });
  const stores = startMetricsStores(supervisor, ports.metrics, pki.workloads, {
    tempoHttpPort: ports.tempo.httpPort,
    tempoServerName: serverName,
  });
  const gatewayOptions = gatewayForE2e(deployedGatewayOptions(cfg), {
    ...ports.gateway,
    tls: pki.workloads["collector-gateway"],
    samplers: ports.samplers.map((s) => `127.0.0.1:${s.grpcPort}`),
    metricsStores: ports.metrics,
    spanMetricsFlushSeconds: E2E_SPAN_METRICS_FLUSH_SECONDS,
  });
  const gateway = startCollector(supervisor, { name: "collector-gateway", config: renderCollectorGateway(gatewayOptions), memoryLimitMiB: gatewayOptions.memory.limitMiB, healthPort: ports.gateway.healthPort, metricsPort: ports.gateway.metricsPort });

  await store.ready;
  progress(store.state.mode === "tempo" ? `Tempo ${store.state.tempo?.version} ready (prod stack config)` : "capture store ready");
  await Promise.all(stores.map((s) => waitForMetricsStore(s.process, s.port, pki.tester)));
  progress("metrics stores ready (Prometheus: metrics-orders, metrics-all)");
  await Promise.all([...samplers.map((s) => waitForCollector(s.proc, s.port, pki.caFile)), waitForCollector(gateway, ports.gateway.healthPort, pki.caFile)]);
  progress(`collectors ready: gateway + ${SAMPLER_COUNT} samplers (rendered dev configs)`);
  const [rabbit, postgres] = await Promise.all([rabbitStarting, postgresStarting]);
  progress("rabbitmq and postgresql ready");
  const apps = await startApps(supervisor, ports.apps, {
    gatewayGrpcPort: ports.gateway.grpcPort,
    clients: pki.clients,
    amqpUrl: rabbit.url,
    postgresEnv: postgres.env,
  });
  progress("shop-api, crm-api, mes-api ready");

  const state: StackState = {
    runDir,
    pki,
    gateway: ports.gateway,
    samplers: ports.samplers,
    traceStore: store.state,
    apps: { shop: `http://127.0.0.1:${ports.apps.shop}`, crm: `http://127.0.0.1:${ports.apps.crm}`, mes: `http://127.0.0.1:${ports.apps.mes}` },
    sampling: cfg.sampling,
    decisionWaitSeconds: E2E_DECISION_WAIT_SECONDS,
    metrics: ports.metrics,
  };
  fs.writeFileSync(stateFile(runDir), JSON.stringify(state, null, 2));
  const processes: Record<string, ManagedProcess> = { traceStore: store.process, gateway, postgres: postgres.process };
  for (const s of stores) processes[s.spec.workload] = s.process;
  samplers.forEach((s, i) => (processes[`sampler-${i}`] = s.proc));
  rabbit.processes.forEach((r) => (processes[r.spec.name] = r));
  apps.forEach((a) => (processes[a.spec.name] = a));
  return { state, supervisor, processes };
}

type TracePorts = { readonly httpPort: number; readonly grpcPort: number; readonly otlpGrpcPort: number; readonly healthPort: number };

/** Starts the trace store of the run's mode; `ready` resolves when it accepts OTLP. */
async function startTraceStore(runDir: string, supervisor: Supervisor, pki: TestPki, ports: TracePorts, serverName: string) {
  const mode = traceStoreMode();
  fs.writeFileSync(path.join(runDir, MODE_FILE), mode === "tempo" ? `real Tempo (TEMPO_BIN=${process.env.TEMPO_BIN})` : "capture store (TEMPO_BIN unset)");
  if (mode === "capture") {
    const captureFile = path.join(runDir, "capture", "requests.jsonl");
    fs.mkdirSync(path.dirname(captureFile), { recursive: true });
    const proc = await startCaptureStore(supervisor, { otlpGrpcPort: ports.otlpGrpcPort, httpPort: ports.httpPort, tls: pki.workloads.tempo, file: captureFile });
    const state: TraceStoreState = { mode, otlpGrpcPort: ports.otlpGrpcPort, httpPort: ports.httpPort, serverName, captureFile };
    return { state, process: proc, ready: Promise.resolve() };
  }
  const binary = tempoBinary();
  const version = await tempoVersion(binary);
  const files = writeTempoFiles("prod", { ...ports, tls: pki.workloads.tempo, dataDir: path.join(runDir, "tempo") });
  const proc = startTempo(supervisor, binary, files.configFile);
  const state: TraceStoreState = { mode, otlpGrpcPort: ports.otlpGrpcPort, httpPort: ports.httpPort, serverName, tempo: { binary, version, stack: "prod", ...ports, ...files } };
  const ready = waitForTempo(proc, ports.httpPort, pki.tester);
  ready.catch(() => undefined);
  return { state, process: proc, ready };
}

/** Starts the run's trace store again on the same config, data and ports (recorded in the run's pid file like the first). */
export async function restartTraceStore(state: StackState): Promise<ManagedProcess> {
  const supervisor = new Supervisor(state.runDir);
  const s = state.traceStore;
  const name = `${s.mode === "tempo" ? "tempo" : "capture-store"}-restart-${Date.now()}`;
  if (s.mode === "capture" && s.captureFile) {
    return startCaptureStore(supervisor, { otlpGrpcPort: s.otlpGrpcPort, httpPort: s.httpPort, tls: state.pki.workloads.tempo, file: s.captureFile }, name);
  }
  if (!s.tempo) throw new Error("no Tempo in the stack state");
  const p = startTempo(supervisor, s.tempo.binary, s.tempo.configFile, name);
  await waitForTempo(p, s.tempo.httpPort, state.pki.tester);
  return p;
}
