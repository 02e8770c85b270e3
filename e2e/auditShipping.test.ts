/**
 * The audit shipper's rendered configuration in our REAL Collector build
 * (filelog receiver, file_storage, persistent sending_queue; R11, issue 14).
 * The awss3 exporter is not in the build: each `awss3/<stream>` exporter is
 * replaced by an OTLP/gRPC exporter to a capture server of this test, with
 * the SAME sending_queue and timeout (everything else of the config is the
 * rendered one). awss3 retries inside the AWS SDK without an attempt limit;
 * the stand-in's `retry_on_failure` (no elapsed limit) plays that part.
 *
 * Every record carries an id (nginx's request_id in production), so
 * duplicates are identifiable: the checks demand every id at least once and
 * report how many arrived twice.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { execFileSync } from "child_process";
import { stringify } from "yaml";
import { auditShipperConfig, AUDIT_SHIPPER_FEATURE_GATES } from "../render/auditShipper";
import { renderAuditShipperAlertRules } from "../render/auditShipperAlerts";
import { collectorMetric } from "./harness/collectors";
import { progress } from "./harness/log";
import { OtlpLogsCapture } from "./harness/otlpLogsCapture";
import { requireBuilt, requireCommand } from "./harness/paths";
import { freePort } from "./harness/ports";
import { ManagedProcess, Supervisor, waitFor } from "./harness/supervisor";
import { request } from "./harness/tlsHttp";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Volume {
  readonly dir: string;
  readonly queries: string;
  readonly grafana: string;
  readonly state: string;
}

function newVolume(root: string, name: string): Volume {
  const dir = path.join(root, name);
  const v = { dir, queries: path.join(dir, "proxy", "queries.log"), grafana: path.join(dir, "grafana", "grafana.log"), state: path.join(dir, "shipper") };
  for (const d of [path.dirname(v.queries), path.dirname(v.grafana), v.state]) fs.mkdirSync(d, { recursive: true });
  return v;
}

/** The rendered config, awss3 -> OTLP/gRPC to the capture (same queue and timeout). */
function shipperConfig(v: Volume, ports: { capture: number; health: number; metrics: number }, retry: boolean): string {
  const c = auditShipperConfig({
    region: "eu-central-1",
    bucket: "audit",
    prefix: "e2e",
    queryLogPath: v.queries,
    grafanaLogPath: v.grafana,
    storageDir: v.state,
    healthEndpoint: `127.0.0.1:${ports.health}`,
    metrics: { host: "127.0.0.1", port: ports.metrics },
    flushInterval: "1s",
  }) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  const exporters: Record<string, unknown> = {};
  for (const [id, e] of Object.entries<Record<string, unknown>>(c.exporters)) {
    exporters[id.replace(/^awss3\//, "otlp_grpc/")] = {
      endpoint: `127.0.0.1:${ports.capture}`,
      tls: { insecure: true },
      sending_queue: e.sending_queue,
      timeout: e.timeout,
      retry_on_failure: retry ? { enabled: true, initial_interval: "200ms", max_interval: "1s", max_elapsed_time: "0s" } : { enabled: false },
    };
  }
  c.exporters = exporters;
  for (const p of Object.values<{ exporters: string[] }>(c.service.pipelines)) p.exporters = p.exporters.map((x) => x.replace(/^awss3\//, "otlp_grpc/"));
  return stringify(c);
}

/** Appends records `from`..`to-1` to the query log, as nginx writes them (one JSON object per line). */
function writeRecords(file: string, from: number, to: number): void {
  let text = "";
  for (let i = from; i < to; i++) text += `${JSON.stringify({ time: new Date().toISOString(), user: "u-1", tenant: "orders", uri: `/api/search?q=${i}`, status: 200, request_id: `r-${i}` })}\n`;
  fs.appendFileSync(file, text);
}

function idsOf(bodies: string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const b of bodies) {
    const id = (JSON.parse(b) as { request_id?: string }).request_id;
    if (id) counts.set(id, (counts.get(id) ?? 0) + 1);
  }
  return counts;
}

function missing(counts: Map<string, number>, from: number, to: number): number[] {
  const out: number[] = [];
  for (let i = from; i < to; i++) if (!counts.has(`r-${i}`)) out.push(i);
  return out;
}

const duplicates = (counts: Map<string, number>) => [...counts.values()].filter((n) => n > 1).length;

describe("audit shipper in the real Collector: nothing lost across stops, restarts, replacement and SIGKILL", () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "audit-shipping-"));
  const supervisor = new Supervisor(root, path.join(root, "pids"));
  const captures: OtlpLogsCapture[] = [];
  let runs = 0;

  async function startShipper(v: Volume, capturePort: number, retry = true): Promise<{ p: ManagedProcess; metrics: number }> {
    const ports = { capture: capturePort, health: await freePort(), metrics: await freePort() };
    const name = `audit-shipper-${++runs}`;
    const file = path.join(root, `${name}.yaml`);
    fs.writeFileSync(file, shipperConfig(v, ports, retry));
    const p = supervisor.start({ name, command: requireBuilt("collector"), args: [`--config=${file}`, `--feature-gates=${AUDIT_SHIPPER_FEATURE_GATES.join(",")}`], env: {} });
    await waitFor(`${name} health_check`, async () => (await request(`http://127.0.0.1:${ports.health}/`, { timeoutMs: 1000 })).status === 200, { timeoutMs: 30_000, process: p, intervalMs: 200 });
    return { p, metrics: ports.metrics };
  }

  async function newCapture(): Promise<{ capture: OtlpLogsCapture; port: number }> {
    const capture = new OtlpLogsCapture();
    const port = await freePort();
    await capture.start(port);
    captures.push(capture);
    return { capture, port };
  }

  const arrived = (capture: OtlpLogsCapture, from: number, to: number, timeoutMs = 60_000) =>
    waitFor(`records r-${from}..r-${to - 1} at the capture`, async () => missing(idsOf(capture.bodies), from, to).length === 0, { timeoutMs, intervalMs: 250 });

  afterAll(async () => {
    await supervisor.stopAll();
    for (const c of captures) await c.stop();
    if (!process.env.E2E_KEEP) fs.rmSync(root, { recursive: true, force: true });
  });

  it("delivers records written while the shipper is stopped, after a restart on the same volume", async () => {
    const v = newVolume(root, "stopped");
    const { capture, port } = await newCapture();
    const first = await startShipper(v, port);
    writeRecords(v.queries, 0, 100);
    await arrived(capture, 0, 100);
    await first.p.stop();
    writeRecords(v.queries, 100, 300);
    await sleep(500);
    await startShipper(v, port);
    await arrived(capture, 0, 300);
    const counts = idsOf(capture.bodies);
    progress(`stopped/restarted: ${counts.size} ids, ${duplicates(counts)} duplicates`);
    expect(missing(counts, 0, 300)).toEqual([]);
  });

  it("keeps what the upload target refused in the on-disk queue, across a replacement process, until the target accepts", async () => {
    const v = newVolume(root, "replaced");
    const { capture, port } = await newCapture();
    capture.refuse = true;
    const old = await startShipper(v, port);
    writeRecords(v.queries, 0, 500);
    await waitFor("refused exports", async () => capture.calls >= 2, { timeoutMs: 30_000, intervalMs: 200 });
    await old.p.stop(); // the pod goes away while uploads fail
    writeRecords(v.queries, 500, 600);
    // A replacement with the same volume (a StatefulSet pod gets its claims back), target still down.
    await startShipper(v, port);
    await sleep(2000);
    expect(capture.bodies).toEqual([]);
    capture.refuse = false;
    await arrived(capture, 0, 600);
    const counts = idsOf(capture.bodies);
    progress(`refused/replaced: ${counts.size} ids, ${duplicates(counts)} duplicates`);
    expect(missing(counts, 0, 600)).toEqual([]);
  });

  it("loses nothing when the shipper is SIGKILLed mid-batch, and the duplicates are identifiable by id", async () => {
    const v = newVolume(root, "killed");
    const { capture, port } = await newCapture();
    capture.delayMs = 300; // uploads in flight while the process dies
    const victim = await startShipper(v, port);
    const total = 20_000;
    writeRecords(v.queries, 0, total);
    await waitFor("the first batch at the capture", async () => capture.bodies.length > 0, { timeoutMs: 30_000, intervalMs: 50 });
    const before = capture.bodies.length;
    process.kill(-victim.p.pid, "SIGKILL");
    await victim.p.stop();
    expect(before).toBeLessThan(total); // it died mid-stream
    capture.delayMs = 0;
    const started = Date.now();
    await startShipper(v, port);
    await arrived(capture, 0, total, 120_000);
    const counts = idsOf(capture.bodies);
    progress(`SIGKILL: ${before} of ${total} delivered before the kill; all ${total} ids after restart (${Date.now() - started} ms), ${duplicates(counts)} duplicates`);
    expect(missing(counts, 0, total)).toEqual([]);
    expect(counts.size).toBe(total);
  });

  it("counts an upload given up on in otelcol_exporter_send_failed_log_records_total, which the alert rules watch (promtool)", async () => {
    const v = newVolume(root, "dropped");
    const { capture, port } = await newCapture();
    capture.refuse = true;
    // No retry sender, as awss3 once the SDK gives up: the exporter drops the batch and counts it.
    const shipper = await startShipper(v, port, false);
    writeRecords(v.queries, 0, 10);
    const failed = await waitFor(
      "send_failed counter",
      async () => {
        const n = await collectorMetric(shipper.metrics, "otelcol_exporter_send_failed_log_records_total");
        return n > 0 ? n : undefined;
      },
      { timeoutMs: 30_000, process: shipper.p, intervalMs: 500 },
    );
    expect(failed).toBe(10);
    // The queue gauge the rules read exists too (enqueue_failed appears once it counts: exporterhelper metadata.yaml).
    const metrics = (await request(`http://127.0.0.1:${shipper.metrics}/metrics`, { timeoutMs: 5000 })).body;
    expect(metrics).toMatch(/^otelcol_exporter_queue_size\{/m);

    const rules = path.join(root, "audit-alerts.yaml");
    fs.writeFileSync(rules, renderAuditShipperAlertRules({ selector: 'job="grafana-audit-shipper"' }));
    const promtool = requireCommand("promtool", "prometheus");
    expect(execFileSync(promtool, ["check", "rules", rules], { encoding: "utf8" })).toMatch(/SUCCESS: 4 rules found/);
  });
});
