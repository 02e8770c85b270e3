/**
 * The rendered gateway and sampler configurations: wiring, TLS everywhere
 * (R10), sampling policies that follow the stack configuration (R7), tenant
 * routing, persistence, and the semantic-convention normalisation.
 */
import { renderCollectorGateway } from "../../render/collectorGateway";
import { tailSamplingSizing } from "../../render/collectorSampler";
import { Config, DEFAULT_SAMPLING, gateway, gatewayOptions, pipelineProblems, sampler, TEST_TLS, tlsBlocks, walk } from "./support";

const configs: [string, Config][] = [
  ["gateway", gateway()],
  ["gateway (dns resolver, TLS 1.2)", gateway({ samplerResolver: { dns: { hostname: "collector-sampler.x.svc.cluster.local", port: 4317 } }, tlsMinVersion: "1.2" })],
  ["sampler", sampler()],
  ["sampler (order sampling 40%)", sampler({ sampling: { ...DEFAULT_SAMPLING, orderPercent: 40 } })],
];

describe.each(configs)("%s", (_name, config) => {
  it("references only defined components and uses every defined component", () => {
    expect(pipelineProblems(config)).toEqual([]);
  });

  it("never disables TLS or its verification", () => {
    const offenders = walk(config).filter(([path, value]) => /(^|\.)(insecure|insecure_skip_verify)$/.test(path) || value === "insecure");
    expect(offenders).toEqual([]);
  });

  it("has TLS with a minimum version on every receiver, exporter and extension", () => {
    const endpoints = walk(config).filter(([path]) => /\.endpoint$/.test(path)).map(([path]) => path.replace(/\.endpoint$/, ""));
    const tlsPaths = new Set(tlsBlocks(config).map(([path]) => path.slice(1).replace(/\.tls$/, "")));
    expect(endpoints.length).toBeGreaterThan(0);
    for (const owner of endpoints) expect(tlsPaths).toContain(owner);
    for (const [, tls] of tlsBlocks(config)) {
      expect(["1.2", "1.3"]).toContain(tls.min_version);
      expect(tls.cert_file).toBe(TEST_TLS.certFile);
      expect(tls.key_file).toBe(TEST_TLS.keyFile);
    }
  });

  it("requires client certificates from the stack's CA on every receiver (mutual TLS)", () => {
    const protocols = Object.values<Config>(config.receivers.otlp.protocols);
    expect(protocols.length).toBeGreaterThan(0);
    for (const p of protocols) expect(p.tls.client_ca_file).toBe(TEST_TLS.caFile);
  });

  it("verifies servers with the CA on every exporter", () => {
    const clientTls = tlsBlocks(config).filter(([path]) => path.includes(".exporters."));
    expect(clientTls.length).toBeGreaterThan(0);
    for (const [, tls] of clientTls) expect(tls.ca_file).toBe(TEST_TLS.caFile);
  });

  it("starts every pipeline that receives from outside with memory_limiter", () => {
    for (const p of Object.values<Config>(config.service.pipelines)) {
      if ((p.receivers as string[]).includes("otlp")) expect(p.processors[0]).toBe("memory_limiter");
    }
  });
});

describe("gateway", () => {
  const g = gateway();

  it("listens on the configured OTLP gRPC and HTTP addresses", () => {
    expect(g.receivers.otlp.protocols.grpc.endpoint).toBe("127.0.0.1:14317");
    expect(g.receivers.otlp.protocols.http.endpoint).toBe("127.0.0.1:14318");
    expect(g.extensions.health_check.endpoint).toBe("127.0.0.1:13133");
  });

  it("load-balances by trace id to the samplers with mutual TLS and the samplers' name", () => {
    const lb = g.exporters.loadbalancing;
    expect(lb.routing_key).toBe("traceID");
    expect(lb.resolver).toEqual({ static: { hostnames: ["127.0.0.1:24317"] } });
    expect(lb.protocol.otlp.tls).toMatchObject({ ca_file: TEST_TLS.caFile, cert_file: TEST_TLS.certFile, server_name_override: "collector-sampler.test.svc.cluster.local" });
    const dns = gateway({ samplerResolver: { dns: { hostname: "collector-sampler.tracing.svc.cluster.local", port: 4317 } } });
    expect(dns.exporters.loadbalancing.resolver.dns).toMatchObject({ hostname: "collector-sampler.tracing.svc.cluster.local", port: "4317" });
  });

  it("drops health, readiness, liveness and metrics server spans by path, route or target", () => {
    const conditions = g.processors["filter/health"].trace_conditions as string[];
    expect(conditions).toHaveLength(1);
    const [kind, paths] = /^(span\.kind == SPAN_KIND_SERVER) and \((.+)\)$/.exec(conditions[0])!.slice(1);
    expect(kind).toBe("span.kind == SPAN_KIND_SERVER");
    const alternatives = paths.split(" or ");
    for (const path of ["/health", "/healthz", "/ready", "/readyz", "/live", "/livez", "/metrics"]) {
      for (const attr of ["url.path", "http.target", "http.route"]) expect(alternatives).toContain(`span.attributes["${attr}"] == "${path}"`);
    }
    expect(alternatives).toHaveLength(21);
    expect(conditions[0]).not.toContain('"/orders"');
  });

  it("normalises the amqplib messaging names and older HTTP/DB names to current semantic conventions", () => {
    const statements = (g.processors["transform/semconv"].trace_statements as { statements: string[] }[]).flatMap((x) => x.statements);
    const renamed = (from: string, to: string) =>
      statements.some((s) => s.startsWith(`set(span.attributes["${to}"], span.attributes["${from}"]) where span.attributes["${from}"] != nil and span.attributes["${to}"] == nil`)) &&
      statements.some((s) => s.startsWith(`delete_key(span.attributes, "${from}")`));
    expect(renamed("messaging.rabbitmq.routing_key", "messaging.rabbitmq.destination.routing_key")).toBe(true);
    expect(renamed("messaging.destination", "messaging.destination.name")).toBe(true);
    expect(renamed("messaging.protocol", "network.protocol.name")).toBe(true);
    expect(renamed("messaging.protocol_version", "network.protocol.version")).toBe(true);
    expect(renamed("net.peer.name", "server.address")).toBe(true);
    expect(renamed("db.statement", "db.query.text")).toBe(true);
    expect(renamed("http.status_code", "http.response.status_code")).toBe(true);
    // net.peer.name names the broker/database only on outgoing spans.
    expect(statements.find((s) => s.startsWith('set(span.attributes["server.address"], span.attributes["net.peer.name"])'))).not.toContain("SPAN_KIND_SERVER");
  });

  it("runs the semconv statements only on spans with an old name, and every statement's old name is among the guards", () => {
    const groups = g.processors["transform/semconv"].trace_statements as { conditions: string[]; statements: string[] }[];
    for (const group of groups) {
      expect(group.conditions.length).toBeGreaterThan(0);
      // A statement reads or deletes an old key (or rewrites an old value): the group must run for any span carrying it.
      for (const statement of group.statements) {
        const old = /^set\(span\.attributes\["[^"]+"\], span\.attributes\["([^"]+)"\]\)/.exec(statement)?.[1] ?? /^delete_key\(span\.attributes, "([^"]+)"\)/.exec(statement)?.[1];
        if (old) expect(group.conditions).toContain(`span.attributes["${old}"] != nil`);
        else expect(group.conditions).toContain(/ where (.+)$/.exec(statement)?.[1]);
      }
    }
    // Current names alone do not trigger the group.
    const all = groups.flatMap((x) => x.conditions).join("\n");
    for (const current of ["messaging.destination.name", "server.address", "db.query.text", "http.request.method"]) expect(all).not.toContain(`["${current}"] != nil`);
  });

  it("compresses the in-cluster hop to the samplers with snappy (cheap), not left uncompressed", () => {
    expect(g.exporters.loadbalancing.protocol.otlp.compression).toBe("snappy");
  });

  it("escapes $ for the Collector's variable expansion in statements (YAML text)", () => {
    const text = renderCollectorGateway(gatewayOptions());
    expect(text).toContain('"$${1}$${2}[redacted]"');
    expect(text).not.toMatch(/[^$]\$\{1\}/);
  });
});

describe("sampler", () => {
  const policiesOf = (c: Config) => c.processors.tail_sampling.policies as Config[];
  const byName = (c: Config, name: string) => policiesOf(c).find((p) => p.name === name)!;

  it("keeps errors and slow traces always, with the configured threshold", () => {
    for (const threshold of [750, 2000, 10000]) {
      const c = sampler({ sampling: { ...DEFAULT_SAMPLING, slowTraceThresholdMs: threshold } });
      expect(byName(c, "errors")).toEqual({ name: "errors", type: "status_code", status_code: { status_codes: ["ERROR"] } });
      expect(byName(c, "slow-traces").latency).toEqual({ threshold_ms: threshold });
    }
  });

  it("keeps every order-lifecycle trace at orderPercent 100", () => {
    const p = byName(sampler(), "order-lifecycle");
    expect(p.type).toBe("ottl_condition");
    expect(p.ottl_condition.span).toEqual(['span.attributes["order.id"] != nil']);
  });

  it("samples order traces at orderPercent otherwise (order.id present AND probabilistic)", () => {
    const p = byName(sampler({ sampling: { ...DEFAULT_SAMPLING, orderPercent: 40 } }), "order-lifecycle");
    expect(p.type).toBe("and");
    const [has, pct] = p.and.and_sub_policy as Config[];
    expect(has!.ottl_condition.span).toEqual(['span.attributes["order.id"] != nil']);
    expect(pct!.probabilistic.sampling_percentage).toBe(40);
  });

  it("samples other traffic at defaultPercent, excluding order traces", () => {
    for (const percent of [5, 25, 60]) {
      const p = byName(sampler({ sampling: { ...DEFAULT_SAMPLING, defaultPercent: percent } }), "ordinary-traffic");
      const [notOrder, pct] = p.and.and_sub_policy as Config[];
      expect(notOrder!.type).toBe("string_attribute");
      expect(notOrder!.string_attribute).toEqual({ key: "order.id", values: [".+"], enabled_regex_matching: true, invert_match: true });
      expect(pct!.probabilistic.sampling_percentage).toBe(percent);
    }
  });

  it("sizes decision_wait, num_traces and the decision caches from the consumer delay and the throughput assumption", () => {
    const c = sampler({ sampling: { ...DEFAULT_SAMPLING, maxConsumerDelaySeconds: 120 }, sizing: { expectedTracesPerSecond: 100 } });
    const ts = c.processors.tail_sampling;
    expect(ts.decision_wait).toBe("30s");
    expect(ts.num_traces).toBe(100 * 30 * 2);
    expect(ts.decision_cache).toEqual({ sampled_cache_size: 100 * (30 + 120) * 2, non_sampled_cache_size: 100 * (30 + 120) * 2 });
    // Short consumer delays need no longer wait than the delay itself.
    expect(tailSamplingSizing({ ...DEFAULT_SAMPLING, maxConsumerDelaySeconds: 10 }).decisionWaitSeconds).toBe(10);
    // A late consumer span still finds its decision: the cache outlives the delay at the assumed rate.
    const s = tailSamplingSizing({ ...DEFAULT_SAMPLING, maxConsumerDelaySeconds: 600 }, { expectedTracesPerSecond: 50 });
    expect(s.decisionCacheSize / s.expectedTracesPerSecond).toBeGreaterThanOrEqual(600);
    expect(s.decisionCacheSize).toBeGreaterThan(s.numTraces);
  });

  it("routes spans with order.id to tenant orders and everything else to platform", () => {
    const c = sampler();
    const routing = c.connectors.routing;
    expect(routing.table).toEqual([{ context: "span", condition: 'span.attributes["order.id"] != nil', pipelines: ["traces/orders"] }]);
    expect(routing.default_pipelines).toEqual(["traces/platform"]);
    expect(c.service.pipelines["traces/orders"].exporters).toEqual(["otlp_grpc/orders"]);
    expect(c.service.pipelines["traces/platform"].exporters).toEqual(["otlp_grpc/platform"]);
    expect(c.exporters["otlp_grpc/orders"].headers).toEqual({ "X-Scope-OrgID": "orders" });
    expect(c.exporters["otlp_grpc/platform"].headers).toEqual({ "X-Scope-OrgID": "platform" });
    expect(c.service.pipelines["traces/in"].processors).toEqual(["memory_limiter", "tail_sampling"]);
    for (const t of ["orders", "platform"]) expect(c.service.pipelines[`traces/${t}`].processors).toEqual(["batch"]);
  });

  it("writes to Tempo with a persistent queue on file_storage and retries for hours, not minutes", () => {
    const c = sampler();
    expect(c.extensions.file_storage.directory).toBe("/tmp/collector-test-queue");
    for (const id of ["otlp_grpc/orders", "otlp_grpc/platform"]) {
      const e = c.exporters[id];
      expect(e.endpoint).toBe("localhost:34317");
      expect(e.sending_queue).toMatchObject({ enabled: true, storage: "file_storage" });
      expect(e.retry_on_failure.enabled).toBe(true);
      const elapsed = String(e.retry_on_failure.max_elapsed_time);
      expect(elapsed === "0s" || elapsed === "0" || /^\d+h$/.test(elapsed)).toBe(true);
    }
  });
});
