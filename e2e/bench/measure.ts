/**
 * How the benchmark starts one variant (gateway + sampler, or the bare
 * Collector) on fresh loopback ports and measures it in steady state: load
 * runs continuously; after the warm-up each round is one window of
 * WINDOW_S seconds.
 */
import * as fs from "fs";
import * as path from "path";
import { parse, stringify } from "yaml";
import { renderCollectorGateway } from "../../render/collectorGateway";
import { renderCollectorSampler } from "../../render/collectorSampler";
import { serviceDnsNames } from "../../specs/topology";
import { CERT_NAMESPACE, TestPki } from "../harness/certs";
import { collectorMetric, startCollector, waitForCollector } from "../harness/collectors";
import { deployedGatewayOptions, deployedSamplerOptions, StackName, stackConfig } from "../harness/deployedOptions";
import { gatewayForE2e, samplerForE2e } from "../harness/differences";
import { progress } from "../harness/log";
import { freePorts } from "../harness/ports";
import { ManagedProcess, sleep, Supervisor } from "../harness/supervisor";
import { renderBareCollector } from "./bareConfig";
import { ContinuousLoad, SPANS_PER_TRACE } from "./load";
export { SPANS_PER_TRACE };
import { cpuSeconds, peakRssMiB } from "./procStats";
import { Round, VariantResult } from "./report";
import { OtlpSink } from "./sink";
import { benchVariants, CollectorConfig, decisionWaitSeconds, Variant } from "./variants";

export const RATE = Number(process.env.BENCH_RATE ?? 4_000);
export const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
export const WINDOW_S = Number(process.env.BENCH_WINDOW_S ?? 8);
export const WARMUP_S = 3;
export const ONLY = process.env.BENCH_ONLY ? new RegExp(process.env.BENCH_ONLY) : undefined;
export const GATEWAY = "collector-gateway";
export const SAMPLER = "collector-sampler";

interface Tier {
  readonly name: string;
  readonly config: string;
  readonly memoryLimitMiB: number;
  readonly healthPort: number;
  readonly metricsPort: number;
}

export interface Setup {
  readonly id: string;
  readonly label: string;
  /** Entry tier first. */
  readonly tiers: readonly Tier[];
  readonly entryGrpcPort: number;
  readonly warmupSeconds: number;
  /** Load: spans/s and spans per trace. @default RATE, SPANS_PER_TRACE */
  readonly rate?: number;
  readonly spansPerTrace?: number;
  /** Measured windows. @default ROUNDS */
  readonly rounds?: number;
}

const yamlText = (c: CollectorConfig) => stringify(c, { lineWidth: 0, aliasDuplicateObjects: false });

/** The stack's gateway and sampler rendered from the deployed options, localised per differences.ts on fresh ports. */
export async function localTiers(stack: StackName, pki: TestPki, sinkPort: number, runDir: string, withStages: boolean): Promise<{ variants: Variant[]; ports: number[]; memory: [number, number] }> {
  const ports = await freePorts(7);
  const [gwGrpc, gwHttp, gwHealth, , smGrpc, smHealth] = ports;
  const cfg = stackConfig(stack);
  const storageDir = fs.mkdtempSync(path.join(runDir, `queue-${stack}-`));
  const sampler = samplerForE2e(deployedSamplerOptions(cfg), { grpcPort: smGrpc, healthPort: smHealth, tls: pki.workloads[SAMPLER], tempoOtlpPort: sinkPort, storageDir });
  const gateway = gatewayForE2e(deployedGatewayOptions(cfg), { grpcPort: gwGrpc, httpPort: gwHttp, healthPort: gwHealth, tls: pki.workloads[GATEWAY], samplers: [`127.0.0.1:${smGrpc}`] });
  const rendered = { gateway: parse(renderCollectorGateway(gateway)) as CollectorConfig, sampler: parse(renderCollectorSampler(sampler)) as CollectorConfig };
  return { variants: benchVariants(stack, rendered, withStages), ports, memory: [gateway.memory.limitMiB, sampler.memory.limitMiB] };
}

/** `adjust` changes a variant for an experiment (the memory study's decision_wait); the regular rows pass none. */
export async function twoTierSetup(stack: StackName, id: string, pki: TestPki, sinkPort: number, runDir: string, adjust?: (v: Variant) => Variant): Promise<Setup> {
  const { variants, ports, memory } = await localTiers(stack, pki, sinkPort, runDir, id !== stack);
  const found = variants.find((x) => x.id === id);
  if (!found) throw new Error(`no bench variant ${id}`);
  const v = adjust ? adjust(found) : found;
  const [gwGrpc, , gwHealth, gwMetrics, , smHealth, smMetrics] = ports;
  return {
    id: v.id === "baseline" || v.id === stack ? v.id : `${stack}:${v.id}`,
    label: v.label,
    entryGrpcPort: gwGrpc,
    warmupSeconds: WARMUP_S + decisionWaitSeconds(v.sampler),
    tiers: [
      { name: GATEWAY, config: yamlText(v.gateway), memoryLimitMiB: memory[0], healthPort: gwHealth, metricsPort: gwMetrics },
      { name: SAMPLER, config: yamlText(v.sampler), memoryLimitMiB: memory[1], healthPort: smHealth, metricsPort: smMetrics },
    ],
  };
}

export async function bareSetup(pki: TestPki, sinkPort: number, memoryLimitMiB: number): Promise<Setup> {
  const [grpc, health, metrics] = await freePorts(3);
  const tempoName = serviceDnsNames("tempo", CERT_NAMESPACE).at(-1) as string;
  const config = renderBareCollector({ listen: `127.0.0.1:${grpc}`, healthEndpoint: `127.0.0.1:${health}`, exportTo: `127.0.0.1:${sinkPort}`, serverName: tempoName, tls: pki.workloads[GATEWAY] });
  return { id: "bare", label: "bare single Collector (OTLP in -> OTLP out)", entryGrpcPort: grpc, warmupSeconds: WARMUP_S, tiers: [{ name: GATEWAY, config, memoryLimitMiB, healthPort: health, metricsPort: metrics }] };
}

async function counters(tiers: readonly Tier[], processes: readonly ManagedProcess[], sink: OtlpSink, load: ContinuousLoad) {
  // Lost: refused by a receiver (memory_limiter) or traces evicted from a full tail sampler before their decision.
  const lost = ["otelcol_receiver_refused_spans_total", "otelcol_processor_tail_sampling_sampling_trace_dropped_too_early_total"];
  const refused = await Promise.all(tiers.flatMap((t) => lost.map((metric) => collectorMetric(t.metricsPort, metric))));
  return {
    cpu: processes.map((p) => cpuSeconds(p.pid)),
    accepted: await collectorMetric(tiers[0].metricsPort, "otelcol_receiver_accepted_spans_total"),
    delivered: sink.spans,
    refused: refused.reduce((s, x) => s + x, 0) + load.failed,
  };
}

export async function measure(setup: Setup, supervisor: Supervisor, pki: TestPki, sink: OtlpSink): Promise<VariantResult> {
  // Later tiers first, so the entry tier finds its downstream listening.
  const started = [...setup.tiers].reverse().map((t) => startCollector(supervisor, { ...t, name: `${t.name}-${setup.id.replace(/[^a-z0-9]+/gi, "-")}` }));
  const processes = started.reverse();
  await Promise.all(processes.map((p, i) => waitForCollector(p, setup.tiers[i].healthPort, pki.caFile)));
  const rounds = setup.rounds ?? ROUNDS;
  const load = new ContinuousLoad(setup.entryGrpcPort, pki.clients["shop-api"], setup.rate ?? RATE, setup.spansPerTrace ?? SPANS_PER_TRACE);
  progress(`bench ${setup.id}: warm-up ${setup.warmupSeconds} s, then ${rounds} x ${WINDOW_S} s`);
  load.start();
  const measured: Round[] = [];
  try {
    await sleep(setup.warmupSeconds * 1000);
    let before = await counters(setup.tiers, processes, sink, load);
    for (let r = 0; r < rounds; r++) {
      await sleep(WINDOW_S * 1000);
      const after = await counters(setup.tiers, processes, sink, load);
      measured.push({
        cpu: Object.fromEntries(setup.tiers.map((t, i) => [t.name, after.cpu[i] - before.cpu[i]])),
        accepted: after.accepted - before.accepted,
        delivered: after.delivered - before.delivered,
        refused: after.refused - before.refused,
      });
      before = after;
    }
    for (const p of processes) p.assertRunning();
  } finally {
    await load.stop();
  }
  const peakMiB = Object.fromEntries(setup.tiers.map((t, i) => [t.name, peakRssMiB(processes[i].pid)]));
  for (const p of processes) await p.stop();
  return { id: setup.id, label: setup.label, processes: setup.tiers.map((t) => t.name), rounds: measured, peakMiB, warmupSeconds: setup.warmupSeconds };
}

