/**
 * The rendered gateway and sampler configurations: wiring, TLS everywhere
 * (R10), sampling policies that follow the stack configuration (R7), tenant
 * routing, persistence, and the semantic-convention normalisation.
 */
import { healthSpanConditions, renderCollectorGateway } from "../../render/collectorGateway";
import { tailSamplingSizing } from "../../render/collectorSampler";
import { AttributesProcessorConfig, SEMCONV_RENAMES, semconvProcessors } from "../../render/semconv";
import { runGatewayProcessors } from "./gatewaySim";
import { SimSpan } from "./ottlSim";
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

  it("drops health, readiness, liveness and metrics server spans by path, route or target: one anchored IsMatch per attribute after the kind", () => {
    const conditions = g.processors["filter/health"].trace_conditions as string[];
    expect(conditions).toHaveLength(1);
    const [kind, paths] = /^(span\.kind == SPAN_KIND_SERVER) and \((.+)\)$/.exec(conditions[0])!.slice(1);
    expect(kind).toBe("span.kind == SPAN_KIND_SERVER");
    const alternatives = paths.split(" or ");
    expect(alternatives.map((a) => /^IsMatch\(span\.attributes\["([^"]+)"\], "\^\(\?:[^"]+\)\$"\)$/.exec(a)?.[1])).toEqual(["url.path", "http.target", "http.route"]);
    // What the filter drops and keeps (the OTTL simulator runs the rendered processors; it stands in for the Collector).
    const kept = (kind: SimSpan["kind"], attributes: SimSpan["attributes"]) => runGatewayProcessors(g, { resource: {}, scope: {}, spans: [span(kind, attributes)] }).spans.length === 1;
    for (const path of ["/health", "/healthz", "/ready", "/readyz", "/live", "/livez", "/metrics"]) {
      for (const attr of ["url.path", "http.target", "http.route"]) expect(kept("SPAN_KIND_SERVER", { [attr]: path })).toBe(false);
      expect(kept("SPAN_KIND_CLIENT", { "url.path": path })).toBe(true);
    }
    for (const path of ["/orders", "/healthcheck", "/health/deep", "/xhealth", "/health?full=1", "/HEALTH", "/metricsx", ""]) expect(kept("SPAN_KIND_SERVER", { "url.path": path, "http.route": path })).toBe(true);
    expect(kept("SPAN_KIND_SERVER", { "http.response.status_code": 200 })).toBe(true);
  });

  it("refuses health paths that are not plain absolute paths, and an empty list", () => {
    expect(healthSpanConditions(["/up", "/v1.2/ping"])[0]).toBe('IsMatch(span.attributes["url.path"], "^(?:/up|/v1\\\\.2/ping)$")');
    for (const paths of [[], ["health"], ["/a|b"], ["/(x)"], ["/a b"]]) expect(() => healthSpanConditions(paths)).toThrow(/health paths/);
  });

  const span = (kind: SimSpan["kind"], attributes: SimSpan["attributes"]): SimSpan => ({ name: "s", kind, statusMessage: "", attributes, events: [] });
  const normalised = (s: SimSpan) => runGatewayProcessors(g, { resource: { "service.name": "crm-api" }, scope: {}, spans: [s] }).spans[0]?.attributes;

  it("normalises the amqplib messaging names and older HTTP/DB names to current semantic conventions", () => {
    const producer = normalised(span("SPAN_KIND_PRODUCER", {
      "messaging.system": "rabbitmq", "messaging.destination": "orders", "messaging.rabbitmq.routing_key": "orders.created", "messaging.protocol": "AMQP", "messaging.protocol_version": "0.9.1", "messaging.operation": "publish", "net.peer.name": "rabbitmq.internal",
    }));
    expect(producer).toEqual({
      "messaging.system": "rabbitmq", "messaging.destination.name": "orders", "messaging.rabbitmq.destination.routing_key": "orders.created", "network.protocol.name": "AMQP", "network.protocol.version": "0.9.1", "messaging.operation.type": "send", "server.address": "rabbitmq.internal",
    });
    const db = normalised(span("SPAN_KIND_CLIENT", { "db.system": "postgresql", "db.statement": "SELECT 1", "db.name": "mes", "net.peer.name": "mes-db", "net.peer.port": 5432 }));
    expect(db).toEqual({ "db.system.name": "postgresql", "db.query.text": "SELECT ?", "db.namespace": "mes", "server.address": "mes-db", "server.port": 5432 });
    const server = normalised(span("SPAN_KIND_SERVER", { "http.method": "POST", "http.status_code": 201, "http.scheme": "https", "net.host.name": "crm.internal", "net.host.port": 8443 }));
    expect(server).toEqual({ "http.request.method": "POST", "http.response.status_code": 201, "url.scheme": "https", "server.address": "crm.internal", "server.port": 8443 });
  });

  it("keeps a current name over an old one, and reads net.peer.* / net.host.* only on the side of the call they describe", () => {
    expect(normalised(span("SPAN_KIND_CLIENT", { "db.system": "postgresql", "db.query.text": "SELECT current", "db.statement": "SELECT old" }))).toEqual({ "db.system.name": "postgresql", "db.query.text": "SELECT current" });
    // On a SERVER span net.peer.name is the client: never server.address (and the allow-list drops it).
    expect(normalised(span("SPAN_KIND_SERVER", { "net.peer.name": "client.example", "http.method": "GET" }))).toEqual({ "http.request.method": "GET" });
    // On an outgoing span net.host.name is the caller itself: never server.address.
    expect(normalised(span("SPAN_KIND_CLIENT", { "net.host.name": "crm-pod-1", "db.system": "postgresql" }))).toEqual({ "db.system.name": "postgresql" });
    // Only the old value "publish" becomes "send".
    expect(normalised(span("SPAN_KIND_CONSUMER", { "messaging.system": "rabbitmq", "messaging.operation": "process" }))).toEqual({ "messaging.system": "rabbitmq", "messaging.operation.type": "process" });
  });

  it("renames in attributes processors before the filters: insert from the old name, which the allow-list then deletes; kind-dependent renames only behind their span kinds", () => {
    const traces = g.service.pipelines.traces.processors as string[];
    const semconv = traces.filter((p) => p.startsWith("attributes/semconv"));
    expect(traces.slice(1, 1 + semconv.length)).toEqual(semconv);
    expect(traces.indexOf("filter/health")).toBe(1 + semconv.length);
    const processors = semconv.map((id) => g.processors[id] as AttributesProcessorConfig);
    for (const p of processors) {
      expect(Object.keys(p).sort()).toEqual(p.include ? ["actions", "include"] : ["actions"]);
      for (const a of p.actions) expect(["insert", "delete", "update"]).toContain(a.action);
      // No deletes: the allow-list keeps none of the old names, so keep_keys drops them.
      expect(p.actions.filter((a) => a.action === "delete")).toEqual([]);
    }
    const allowList = (g.processors["transform/allowlist"].trace_statements as { context: string; statements: string[] }[]).find((s) => s.context === "span")!.statements.join("\n");
    for (const r of SEMCONV_RENAMES) expect(allowList).not.toContain(`"${r.from}"`);
    const byFrom = (from: string) => processors.find((p) => p.actions.some((a) => a.action === "insert" && a.from_attribute === from))!;
    expect(byFrom("net.peer.name").include?.span_kinds).toEqual(["SPAN_KIND_CLIENT", "SPAN_KIND_PRODUCER", "SPAN_KIND_CONSUMER", "SPAN_KIND_INTERNAL"]);
    expect(byFrom("net.host.name").include?.span_kinds).toEqual(["SPAN_KIND_SERVER"]);
    expect(byFrom("db.statement").include).toBeUndefined();
    expect(processors.flatMap((p) => p.actions).filter((a) => a.action === "insert")).toHaveLength(SEMCONV_RENAMES.length);
  });

  it("still deletes an old name itself where the allow-list would keep it", () => {
    const actions = semconvProcessors(["db.statement", "messaging.temp_destination"])["attributes/semconv"].actions;
    expect(actions).toContainEqual({ key: "db.statement", action: "delete" });
    expect(actions).toContainEqual({ key: "messaging.temp_destination", action: "delete" });
    expect(actions.filter((a) => a.action === "delete")).toHaveLength(2);
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
