/**
 * collector/builder-config.yaml lists exactly the components the rendered
 * pipeline configurations use (gateway and sampler), all at COLLECTOR_VERSION,
 * the version the deployed image is tagged with. The audit shipper runs the
 * upstream contrib distribution of the same release (see versions/collector.ts).
 */
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { AUDIT_SHIPPER_IMAGE, COLLECTOR_VERSION, collectorImage } from "../../versions/collector";
import { PROJECT_DIR, synthStack } from "../support/synth";

/** Component type(s) each module registers (the OTLP exporter also keeps its deprecated alias). */
const TYPES_BY_MODULE: Record<string, string[]> = {
  otlpreceiver: ["otlp"],
  memorylimiterprocessor: ["memory_limiter"],
  batchprocessor: ["batch"],
  transformprocessor: ["transform"],
  filterprocessor: ["filter"],
  tailsamplingprocessor: ["tail_sampling"],
  otlpexporter: ["otlp_grpc", "otlp"],
  loadbalancingexporter: ["loadbalancing"],
  routingconnector: ["routing"],
  healthcheckextension: ["health_check"],
  filestorage: ["file_storage"],
  filelogreceiver: ["filelog"],
  attributesprocessor: ["attributes"],
  prometheusremotewriteexporter: ["prometheusremotewrite"],
  spanmetricsconnector: ["spanmetrics"],
};
/**
 * Modules built but not (yet) used by the gateway or sampler configs, each with
 * the reason it is in the distribution. Keep this list short: every entry costs
 * build time and image size.
 */
const NOT_IN_PIPELINE: Record<string, string> = {
  filelogreceiver: "the audit shipper's at-least-once proof runs filelog + file_storage in this binary (awss3 cannot be built here)",
};
const KINDS = ["receivers", "processors", "exporters", "connectors", "extensions"] as const;
type Manifest = Record<(typeof KINDS)[number], { gomod: string }[]> & { dist: { version: string } };

const manifest = parse(fs.readFileSync(path.join(PROJECT_DIR, "collector", "builder-config.yaml"), "utf8")) as Manifest;

function manifestTypes(kind: (typeof KINDS)[number]): Set<string> {
  return new Set((manifest[kind] ?? []).flatMap((c) => TYPES_BY_MODULE[path.basename(c.gomod.split(" ")[0])] ?? [`unknown module ${c.gomod}`]));
}

describe("Collector builder manifest", () => {
  it("pins every component and the distribution to COLLECTOR_VERSION", () => {
    expect(manifest.dist.version).toBe(COLLECTOR_VERSION);
    for (const kind of KINDS) for (const c of manifest[kind] ?? []) expect(c.gomod.split(" ")[1]).toBe(`v${COLLECTOR_VERSION}`);
    expect(collectorImage("registry.example/otelcol-tracing")).toBe(`registry.example/otelcol-tracing:${COLLECTOR_VERSION}`);
  });

  it("lists exactly the components the rendered configurations use", async () => {
    const s = await synthStack("prod");
    const collectorFiles = Object.entries(s.configFiles).filter(([file]) => /^collector-.*\.yaml$/.test(file));
    expect(collectorFiles.map(([f]) => f).sort()).toEqual(["collector-gateway.yaml", "collector-sampler.yaml"]);
    for (const kind of KINDS) {
      const used = new Set(collectorFiles.flatMap(([, text]) => Object.keys((parse(text) as Record<string, object>)[kind] ?? {}).map((id) => id.split("/")[0])));
      const built = manifestTypes(kind);
      for (const type of used) expect({ kind, type, built: built.has(type) }).toEqual({ kind, type, built: true });
      // Every module is used (the OTLP exporter counts once, under either name).
      for (const c of manifest[kind] ?? []) {
        const base = path.basename(c.gomod.split(" ")[0]);
        if (base in NOT_IN_PIPELINE) continue;
        const types = TYPES_BY_MODULE[base];
        expect({ module: c.gomod, used: types.some((t) => used.has(t)) }).toEqual({ module: c.gomod, used: true });
      }
    }
  });

  it("runs the audit shipper on the contrib distribution of the same release", async () => {
    const s = await synthStack("prod");
    const grafana = s.resources.find((r) => r.type === "kubernetes:apps/v1:StatefulSet" && (r.inputs.metadata as { name: string }).name === "grafana");
    const containers = (grafana?.inputs as { spec: { template: { spec: { initContainers: { name: string; image: string }[] } } } }).spec.template.spec.initContainers;
    expect(containers.find((c) => c.name === "audit-shipper")?.image).toBe(AUDIT_SHIPPER_IMAGE);
    expect(AUDIT_SHIPPER_IMAGE).toBe(`otel/opentelemetry-collector-contrib:${COLLECTOR_VERSION}`);
  });
});
