import { parse } from "yaml";
import { daysToHours, renderTempoConfig, renderTempoOverrides, TempoConfigOptions } from "../../render/tempoConfig";
import { TempoTenantLimits } from "../../render/tempoLimits";
import { ACCEPTED_TEMPO_KEYS, leafPaths } from "./tempoUpstream";

type Yaml = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const limits: TempoTenantLimits = { ingestionRateBytes: 16777216, ingestionBurstBytes: 33554432, maxTracesPerTenant: 50000, maxBytesPerTrace: 5242880, maxSearchHours: 240 };

const base: TempoConfigOptions = {
  storage: { kind: "s3", bucket: "traces-b", region: "eu-west-1", endpoint: "s3.eu-west-1.amazonaws.com", kmsKeyId: "arn:aws:kms:eu-west-1:1:key/k" },
  tls: { certFile: "/t/c.pem", keyFile: "/t/k.pem", caFile: "/t/ca.pem", serverName: "tempo.ns.svc.cluster.local", minVersion: "1.3" },
  listen: { httpPort: 13200, grpcPort: 19095, otlpGrpcEndpoint: "127.0.0.1:14317", healthPort: 13101, loopbackHost: "127.0.0.1" },
  dataDir: "/data",
  retentionDays: 10,
  limits,
  overridesFile: "/conf/o.yaml",
};
const render = (over: Partial<TempoConfigOptions> = {}): Yaml => parse(renderTempoConfig({ ...base, ...over })) as Yaml;

describe("Tempo configuration renderer", () => {
  it("runs monolithic with multitenancy on", () => {
    const c = render();
    expect(c.target).toBe("all");
    expect(c.multitenancy_enabled).toBe(true);
  });

  it.each([
    [7, "168h"],
    [30, "720h"],
  ])("turns %i retention days into %s for scheduler, worker and the default override", (days, hours) => {
    const c = render({ retentionDays: days });
    expect(c.backend_worker.compaction.block_retention).toBe(hours);
    expect(c.backend_scheduler.provider.compaction.compaction.block_retention).toBe(hours);
    expect(c.overrides.defaults.compaction.block_retention).toBe(hours);
    expect(c.compactor).toBeUndefined(); // removed in Tempo 3.0
    expect(c.ingester).toBeUndefined();
  });

  it("requires and verifies client certificates on the HTTP and gRPC servers (R10)", () => {
    const c = render();
    for (const key of ["http_tls_config", "grpc_tls_config"]) {
      expect(c.server[key]).toEqual({
        cert_file: "/t/c.pem",
        key_file: "/t/k.pem",
        client_auth_type: "RequireAndVerifyClientCert",
        client_ca_file: "/t/ca.pem",
      });
    }
    expect(c.server.http_listen_port).toBe(13200);
    expect(c.server.grpc_listen_port).toBe(19095);
    expect(c.server.tls_min_version).toBe("VersionTLS13");
    expect(render({ tls: { ...base.tls, minVersion: "1.2" } }).server.tls_min_version).toBe("VersionTLS12");
  });

  it("requires client certificates on the OTLP gRPC receiver", () => {
    const grpc = render().distributor.receivers.otlp.protocols.grpc;
    expect(grpc.endpoint).toBe("127.0.0.1:14317");
    expect(grpc.tls).toEqual({ cert_file: "/t/c.pem", key_file: "/t/k.pem", client_ca_file: "/t/ca.pem", min_version: "1.3" });
    expect(render().distributor.receivers.otlp.protocols.http).toBeUndefined();
  });

  it("makes Tempo's own gRPC clients dial the loopback address over mutual TLS", () => {
    const c = render();
    expect(c.querier.frontend_worker.frontend_address).toBe("127.0.0.1:19095");
    expect(c.backend_worker.backend_scheduler_addr).toBe("127.0.0.1:19095");
    for (const client of [c.querier.frontend_worker, c.live_store_client, c.backend_scheduler_client]) {
      expect(client.grpc_client_config).toMatchObject({
        tls_enabled: true,
        tls_cert_path: "/t/c.pem",
        tls_key_path: "/t/k.pem",
        tls_ca_path: "/t/ca.pem",
        tls_server_name: "tempo.ns.svc.cluster.local",
      });
    }
  });

  it("binds all interfaces (the pod IP) unless a listen address is given (e2e: loopback)", () => {
    const c = render();
    expect(c.server.http_listen_address).toBeUndefined();
    expect(c.internal_server.http_listen_address).toBeUndefined();
    const local = render({ listen: { ...base.listen, listenAddress: "127.0.0.1" } });
    expect([local.server.http_listen_address, local.server.grpc_listen_address, local.internal_server.http_listen_address]).toEqual(["127.0.0.1", "127.0.0.1", "127.0.0.1"]);
    expect(leafPaths(local).filter((p) => !ACCEPTED_TEMPO_KEYS.has(p))).toEqual([]);
  });

  it("serves /ready for probes on the internal server over TLS without client certificates", () => {
    const internal = render().internal_server;
    expect(internal.enable).toBe(true);
    expect(internal.http_listen_port).toBe(13101);
    expect(internal.http_tls_config).toEqual({ cert_file: "/t/c.pem", key_file: "/t/k.pem" });
  });

  it("stores blocks in S3 with IRSA credentials (no static keys) and SSE-KMS", () => {
    const trace = render().storage.trace;
    expect(trace.backend).toBe("s3");
    expect(trace.s3).toEqual({
      bucket: "traces-b",
      endpoint: "s3.eu-west-1.amazonaws.com",
      region: "eu-west-1",
      sse: { type: "SSE-KMS", kms_key_id: "arn:aws:kms:eu-west-1:1:key/k" },
    });
    expect(renderTempoConfig(base)).not.toMatch(/access_key|secret_key|session_token/);
  });

  it("can swap S3 for a local backend through typed options (end-to-end tests)", () => {
    const trace = render({ storage: { kind: "local", path: "/tmp/blocks" } }).storage.trace;
    expect(trace.backend).toBe("local");
    expect(trace.local).toEqual({ path: "/tmp/blocks" });
    expect(trace.s3).toBeUndefined();
  });

  it("keeps every writable path under the data directory", () => {
    const c = render();
    const paths = [c.storage.trace.wal.path, c.live_store.wal.path, c.live_store.shutdown_marker_dir, c.backend_scheduler.local_work_path];
    for (const p of paths) expect(p.startsWith("/data/")).toBe(true);
    expect(new Set(paths).size).toBe(paths.length);
    expect(c.overrides.per_tenant_override_config).toBe("/conf/o.yaml");
  });

  it("logs requests with headers for the audit trail, never credentials (R11)", () => {
    const server = render().server;
    expect(server.log_request_headers).toBe(true);
    expect(server.log_request_at_info_level_enabled).toBe(true);
    expect(server.log_request_exclude_headers_list.split(",")).toEqual(expect.arrayContaining(["Authorization", "Cookie"]));
    const quiet = render({ auditRequestLog: false }).server;
    expect(quiet.log_request_headers).toBeUndefined();
    expect(quiet.log_request_at_info_level_enabled).toBeUndefined();
  });

  it("renders no YAML anchors or aliases (each block stands alone)", () => {
    expect(renderTempoConfig(base)).not.toMatch(/[&*]a\d/);
  });
});

describe("Tempo per-tenant overrides renderer", () => {
  const overrides = (tenantRetentionDays: Record<string, number> = {}, tenants = ["orders", "platform"]): Yaml =>
    (parse(renderTempoOverrides({ tenants, limits, retentionDays: 10, tenantRetentionDays })) as Yaml).overrides;

  it("writes the complete limits block into every tenant entry, in the scoped 3.x format", () => {
    const o = overrides({ platform: 14, orders: 30 });
    expect(Object.keys(o)).toEqual(["orders", "platform"]);
    expect(o.orders).toEqual({
      ingestion: { rate_strategy: "local", retry_info_enabled: true, rate_limit_bytes: 16777216, burst_size_bytes: 33554432, max_traces_per_user: 50000 },
      read: { max_bytes_per_tag_values_query: 1000000, max_condition_groups_per_tag_query: 100, max_search_duration: "240h" },
      compaction: { block_retention: "720h" },
      metrics_generator: { generate_native_histograms: "classic", native_histogram_bucket_factor: 1.1, native_histogram_max_bucket_number: 100, native_histogram_min_reset_duration: "15m0s" },
      global: { max_bytes_per_trace: 5242880 },
    });
    expect(o.platform.compaction.block_retention).toBe("336h");
  });

  it("gives tenants without their own retention an entry with the default retention", () => {
    const o = overrides({ orders: 30 });
    expect(o.platform.compaction.block_retention).toBe("240h");
    expect(o.platform.ingestion.rate_limit_bytes).toBe(16777216);
  });

  it("adds an entry for a tenant that only has its own retention", () => {
    expect(Object.keys(overrides({ audit: 7 }))).toEqual(["audit", "orders", "platform"]);
  });

  it("never sets a zero limit (a zero rate refuses every span in Tempo 3.x)", () => {
    const leaves = (v: unknown): unknown[] => (v && typeof v === "object" ? Object.values(v).flatMap(leaves) : [v]);
    for (const entry of Object.values(overrides({ orders: 30 }))) {
      expect(leaves(entry).filter((x) => x === 0 || x === "" || x === "0s" || x === undefined)).toEqual([]);
    }
  });

  it("renders no YAML aliases even though the entries are equal", () => {
    expect(renderTempoOverrides({ tenants: ["orders", "platform"], limits, retentionDays: 10 })).not.toMatch(/[&*]a\d/);
  });

  it("converts days to Tempo durations", () => {
    expect(daysToHours(7)).toBe("168h");
    expect(daysToHours(14)).toBe("336h");
  });
});
