/**
 * The Collector renderers' output passes `otelcol-tracing validate` (the real
 * binary built from collector/builder-config.yaml by `npm run e2e:build`:
 * component names, config keys, OTTL statements and conditions are all
 * checked), and a broken statement is rejected. Part of the e2e tier, which
 * needs the binary: a missing binary is a failure, never a skip.
 */
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { renderCollectorGateway } from "../render/collectorGateway";
import { renderCollectorSampler } from "../render/collectorSampler";
import { gatewayOptions, samplerOptions } from "../tests/collector/support";

const BINARY = path.resolve(__dirname, "..", ".e2e", "bin", "otelcol-tracing");

describe("the Collector binary", () => {
  it("exists (build it with `npm run e2e:build`)", () => {
    expect(fs.existsSync(BINARY)).toBe(true);
  });
});

describe("otelcol-tracing validate", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "collector-validate-"));
  const queue = path.join(dir, "queue");
  fs.mkdirSync(queue);
  const validate = (file: string, content: string) => {
    const target = path.join(dir, file);
    fs.writeFileSync(target, content);
    return execFileSync(BINARY, ["validate", `--config=${target}`], { env: { ...process.env, POD_IP: "127.0.0.1" }, encoding: "utf8", stdio: "pipe" });
  };

  it("accepts the gateway configuration", () => {
    expect(() => validate("gateway.yaml", renderCollectorGateway(gatewayOptions()))).not.toThrow();
  });
  it("accepts the gateway with the DNS resolver", () => {
    const text = renderCollectorGateway(gatewayOptions({ samplerResolver: { dns: { hostname: "localhost", port: 4317 } } }));
    expect(() => validate("gateway-dns.yaml", text)).not.toThrow();
  });
  it.each([100, 40])("accepts the sampler configuration (orderPercent %i)", (orderPercent) => {
    const text = renderCollectorSampler(samplerOptions({ storageDir: queue, sampling: { defaultPercent: 25, orderPercent, slowTraceThresholdMs: 2000, maxConsumerDelaySeconds: 60 } }));
    expect(() => validate(`sampler-${orderPercent}.yaml`, text)).not.toThrow();
  });
  it("rejects a broken statement (the check is real)", () => {
    const broken = renderCollectorGateway(gatewayOptions()).replace("keep_keys(", "keep_keyz(");
    expect(() => validate("broken.yaml", broken)).toThrow(/keep_keyz/);
  });
});
