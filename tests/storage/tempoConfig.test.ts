import { parse } from "yaml";
import { daysToHours, renderTempoConfig, renderTempoOverrides, TempoConfigOptions } from "../../render/tempoConfig";

type Yaml = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const base: TempoConfigOptions = {
  storage: { kind: "s3", bucket: "traces-b", region: "eu-west-1", endpoint: "s3.eu-west-1.amazonaws.com", kmsKeyId: "arn:aws:kms:eu-west-1:1:key/k" },
  tls: { certFile: "/t/c.pem", keyFile: "/t/k.pem", caFile: "/t/ca.pem", serverName: "tempo.ns.svc.cluster.local", minVersion: "1.3" },
  listen: { httpPort: 13200, grpcPort: 19095, otlpGrpcEndpoint: "127.0.0.1:14317", healthPort: 13101, loopbackHost: "127.0.0.1" },
  dataDir: "/data",
  retentionDays: 10,
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
  it("sets block retention per tenant in hours, in the scoped 3.x format", () => {
    const o = parse(renderTempoOverrides({ tenantRetentionDays: { platform: 14, orders: 30 } })) as Yaml;
    expect(o).toEqual({
      overrides: {
        orders: { compaction: { block_retention: "720h" } },
        platform: { compaction: { block_retention: "336h" } },
      },
    });
  });

  it("is an empty overrides map when no tenant differs", () => {
    expect(parse(renderTempoOverrides({ tenantRetentionDays: {} }))).toEqual({ overrides: {} });
  });

  it("converts days to Tempo durations", () => {
    expect(daysToHours(7)).toBe("168h");
    expect(daysToHours(14)).toBe("336h");
  });
});
