import { CONFIG_FILES_ANNOTATION } from "../../components/configFiles";
import { traceBucketArchive } from "../../policies/tracing/archive";
import { CONFIG_FILES_ANNOTATION as POLICY_ANNOTATION } from "../../policies/tracing/configFiles";
import { durationHours } from "../../policies/tracing/duration";
import { grafanaNoPublicAccess } from "../../policies/tracing/grafana";
import { tempoRetentionWindow } from "../../policies/tracing/retention";
import { tracingTlsEverywhere } from "../../policies/tracing/tls";
import { runPolicies } from "../../policies/runner";
import { check, k8s, messagesFor, res, stack } from "./support";

const configMap = (name: string, files: Record<string, string>, annotated = true) =>
  k8s("ConfigMap", name, { metadata: { annotations: annotated ? { [CONFIG_FILES_ANNOTATION]: "true" } : {} }, data: files });

it("uses the same annotation as components/configFiles.ts", () => {
  expect(POLICY_ANNOTATION).toBe(CONFIG_FILES_ANNOTATION);
});

describe("grafana-no-public-access", () => {
  const safe = ["[server]", "protocol = https", "[auth.anonymous]", "enabled = false", "[public_dashboards]", "enabled = false", "[snapshots]", "external_enabled = false"].join("\n");

  it("passes a grafana.ini with everything off", async () => {
    expect(await check(grafanaNoPublicAccess, [configMap("g", { "grafana.ini": safe })])).toEqual([]);
  });

  it("fails anonymous access on, and public dashboards / external snapshots left at Grafana's default", async () => {
    const ini = ["[auth.anonymous]", "enabled = true", "[snapshots]", "; external_enabled = false"].join("\n");
    const cm = configMap("g", { "grafana.ini": ini });
    const msgs = messagesFor(await check(grafanaNoPublicAccess, [cm]), cm);
    expect(msgs).toEqual([
      expect.stringContaining('[auth.anonymous] enabled is "true"'),
      expect.stringContaining("[public_dashboards] enabled is not set"),
      expect.stringContaining("[snapshots] external_enabled is not set"),
    ]);
  });

  it("reads grafana.ini in any ConfigMap, not only this project's, and fails GF_* overrides on workloads", async () => {
    const plain = configMap("plain", { "grafana.ini": "[auth.anonymous]\nenabled = true" }, false);
    const deploy = k8s("Deployment", "grafana", { spec: { template: { spec: { containers: [{ name: "grafana", env: [{ name: "GF_AUTH_ANONYMOUS_ENABLED", value: "true" }] }] } } } }, "apps/v1");
    const v = await check(grafanaNoPublicAccess, [plain, deploy]);
    expect(messagesFor(v, plain)[0]).toContain('[auth.anonymous] enabled is "true"');
    expect(messagesFor(v, deploy)).toEqual([expect.stringContaining("GF_AUTH_ANONYMOUS_ENABLED=true")]);
  });
});

const TLS = { cert_file: "/etc/tracing/tls/tls.crt", key_file: "/etc/tracing/tls/tls.key" };
const yaml = (o: unknown) => JSON.stringify(o); // JSON is YAML

describe("tracing-tls-everywhere", () => {
  const collector = {
    receivers: { otlp: { protocols: { grpc: { endpoint: "0.0.0.0:4317", tls: TLS }, http: { endpoint: "0.0.0.0:4318", tls: TLS } } } },
    exporters: { otlp_grpc: { endpoint: "collector-sampler:4317", tls: { ca_file: "/ca.crt" } } },
  };
  const tempo = {
    server: { http_tls_config: TLS, grpc_tls_config: TLS },
    distributor: { receivers: { otlp: { protocols: { grpc: { tls: TLS } } } } },
    storage: { trace: { backend: "s3", s3: { bucket: "b", insecure: false } } },
  };

  it("passes TLS on every receiver and server", async () => {
    const cm = configMap("c", { "collector-gateway.yaml": yaml(collector), "tempo.yaml": yaml(tempo), "grafana.ini": "[server]\nprotocol = https" });
    expect(await check(tracingTlsEverywhere, [cm])).toEqual([]);
  });

  it("fails plaintext receivers, insecure flags, http:// exporters and missing server TLS", async () => {
    const badCollector = {
      receivers: { otlp: { protocols: { grpc: { endpoint: "0.0.0.0:4317" }, http: null } }, zipkin: { endpoint: "0.0.0.0:9411" } },
      exporters: { otlp_grpc: { endpoint: "tempo:4317", tls: { insecure: true } }, otlp_http: { endpoint: "http://tempo:4318" } },
    };
    const badTempo = { ...tempo, server: { http_tls_config: TLS }, querier: { frontend_worker: { grpc_client_config: { tls_insecure_skip_verify: true } } } };
    const cm = configMap("c", { "collector-sampler.yaml": yaml(badCollector), "tempo.yaml": yaml(badTempo), "grafana.ini": "[server]\nhttp_port = 3000" });
    const msgs = messagesFor(await check(tracingTlsEverywhere, [cm]), cm).join("\n");
    expect(msgs).toContain("receivers.otlp.protocols.grpc has no tls");
    expect(msgs).toContain("receivers.otlp.protocols.http has no tls");
    expect(msgs).toContain("receivers.zipkin listens without tls");
    expect(msgs).toContain("exporters.otlp_grpc.tls.insecure is true");
    expect(msgs).toContain("http://tempo:4318");
    expect(msgs).toContain("server.grpc_tls_config has no cert_file");
    expect(msgs).toContain("tls_insecure_skip_verify is true");
    expect(msgs).toContain('[server] protocol is "http"');
  });

  it("reports unparseable YAML instead of passing it", async () => {
    const cm = configMap("c", { "collector-gateway.yaml": "receivers: [unclosed" });
    expect(messagesFor(await check(tracingTlsEverywhere, [cm]), cm)).toEqual([expect.stringContaining("not valid YAML")]);
  });
});

describe("tempo-retention-window", () => {
  const tempo = (retention: string, overrides?: unknown) =>
    yaml({ compactor: { compaction: { block_retention: retention } }, ...(overrides ? { overrides } : {}) });

  it("passes 7..30 days in Go and Prometheus duration syntax, with a per-tenant file", async () => {
    const cm = configMap("t", { "tempo.yaml": tempo("168h"), "tempo-overrides.yaml": yaml({ overrides: { orders: { block_retention: "30d" }, platform: { block_retention: "0s" } } }) });
    expect(await check(tempoRetentionWindow, [cm])).toEqual([]);
  });

  it("fails retention outside the window, a missing global retention and nonsense", async () => {
    const short = configMap("short", { "tempo.yaml": tempo("48h") });
    const long = configMap("long", { "tempo.yaml": tempo("168h", { defaults: { compaction: { block_retention: "1000h" } } }) });
    const missing = configMap("missing", { "tempo.yaml": yaml({ server: {} }) });
    const tenant = configMap("tenant", { "tempo.yaml": tempo("336h"), "tempo-overrides.yaml": yaml({ overrides: { orders: { block_retention: "5w" } } }) });
    const junk = configMap("junk", { "tempo.yaml": tempo("two weeks") });
    const v = await check(tempoRetentionWindow, [short, long, missing, tenant, junk]);
    expect(messagesFor(v, short)).toEqual([expect.stringContaining("2 days")]);
    expect(messagesFor(v, long)).toEqual([expect.stringContaining("overrides.defaults.compaction.block_retention")]);
    expect(messagesFor(v, missing)).toEqual([expect.stringContaining("sets no block_retention")]);
    expect(messagesFor(v, tenant)).toEqual([expect.stringContaining("35 days")]);
    expect(messagesFor(v, junk)).toEqual([expect.stringContaining("not a duration")]);
  });

  it("takes the window from policy config (getConfig)", async () => {
    const cm = configMap("t", { "tempo.yaml": tempo("168h") });
    const v = await runPolicies([stack(), cm], { policies: [tempoRetentionWindow], config: { "tempo-retention-window": { minDays: 10, maxDays: 20 } } });
    expect(v.map((x) => x.message)).toEqual([expect.stringContaining("outside 10..20 days")]);
  });

  it("parses durations", () => {
    expect(durationHours("1h30m")).toBe(1.5);
    expect(durationHours("7d")).toBe(168);
    expect(durationHours("0")).toBe(0);
    expect(durationHours("7 days")).toBeUndefined();
    expect(durationHours(168)).toBeUndefined();
  });
});

describe("trace-bucket-archive-lifecycle (stack rule)", () => {
  const BUCKET = "traces-b1";
  const tempoCm = (bucket = BUCKET) => configMap("tempo", { "tempo.yaml": yaml({ storage: { trace: { backend: "s3", s3: { bucket } } } }) });
  const bucketRes = res("aws:s3/bucket:Bucket", "traces", { bucket: BUCKET, arn: `arn:aws:s3:::${BUCKET}` }, { id: BUCKET });
  const archiveRule = {
    id: "archive",
    status: "Enabled",
    filter: {},
    noncurrentVersionTransitions: [{ noncurrentDays: 1, storageClass: "GLACIER" }],
    noncurrentVersionExpiration: { noncurrentDays: 90 },
  };
  const lifecycle = (rules: unknown[], bucket = BUCKET) =>
    res("aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration", "lifecycle", { bucket, rules });

  it("passes noncurrent archiving plus expiration", async () => {
    expect(await check(traceBucketArchive, [tempoCm(), bucketRes, lifecycle([archiveRule])])).toEqual([]);
  });

  it("accepts a legacy inline lifecycleRules on the bucket", async () => {
    const inline = res("aws:s3/bucket:Bucket", "inline", {
      bucket: BUCKET,
      lifecycleRules: [{ enabled: true, noncurrentVersionTransitions: [{ days: 1, storageClass: "DEEP_ARCHIVE" }], noncurrentVersionExpiration: { days: 365 } }],
    });
    expect(await check(traceBucketArchive, [tempoCm(), inline])).toEqual([]);
  });

  it("fails current objects moved to Glacier, missing archive/expiration, disabled rules and no lifecycle at all", async () => {
    const glacierCurrent = lifecycle([archiveRule, { id: "cold", status: "Enabled", transitions: [{ days: 30, storageClass: "GLACIER" }] }]);
    let v = await check(traceBucketArchive, [tempoCm(), bucketRes, glacierCurrent]);
    expect(messagesFor(v, glacierCurrent)).toEqual([expect.stringContaining('rule "cold" moves current objects to GLACIER')]);

    const disabled = lifecycle([{ ...archiveRule, status: "Disabled" }]);
    v = await check(traceBucketArchive, [tempoCm(), bucketRes, disabled]);
    expect(messagesFor(v, disabled)).toEqual([expect.stringContaining("noncurrent versions to GLACIER"), expect.stringContaining("noncurrentVersionExpiration")]);

    const standardIa = lifecycle([{ ...archiveRule, noncurrentVersionTransitions: [{ noncurrentDays: 30, storageClass: "STANDARD_IA" }] }]);
    v = await check(traceBucketArchive, [tempoCm(), bucketRes, standardIa]);
    expect(messagesFor(v, standardIa)).toEqual([expect.stringContaining("noncurrent versions to GLACIER")]);

    v = await check(traceBucketArchive, [tempoCm(), bucketRes]);
    expect(messagesFor(v, bucketRes)).toEqual([expect.stringContaining("has no lifecycle configuration")]);
  });

  it("checks only the bucket Tempo writes to, and is not applicable without Tempo", async () => {
    const otherLifecycle = lifecycle([{ id: "cold", status: "Enabled", transitions: [{ days: 30, storageClass: "GLACIER" }] }], "audit-bucket");
    expect(await check(traceBucketArchive, [tempoCm(), bucketRes, lifecycle([archiveRule]), { ...otherLifecycle, urn: `${otherLifecycle.urn}-audit` }])).toEqual([]);
    expect(await check(traceBucketArchive, [bucketRes, otherLifecycle])).toEqual([]);
  });
});
