/**
 * The collector tiers in the prod stack (component test on the real program):
 * replicas and autoscaling, hardening, probes, PDBs, Services, the queue
 * volume, the internal NLB for applications, and that mounted paths match
 * the configuration files.
 */
import { PORTS } from "../../specs/topology";
import { COLLECTOR_VERSION } from "../../versions/collector";
import { ofType, synthStack } from "../support/synth";
import { container, expectContainerMatchesConfig, find, expectHardenedPod, inputs, Obj, podSpec } from "./componentChecks";

const stack = synthStack("prod");

describe("collector in prod", () => {
  it("runs the gateway with at least 2 replicas and autoscales it up to gatewayMaxReplicas (6)", async () => {
    const s = await stack;
    expect(inputs(s, "tracing-collector-gateway-deployment").spec.replicas).toBe(2);
    const hpa = inputs(s, "tracing-collector-gateway-hpa").spec;
    expect(hpa).toMatchObject({ minReplicas: 2, maxReplicas: 6, scaleTargetRef: { kind: "Deployment", name: "collector-gateway" } });
    expect((hpa.metrics as Obj[]).map((m) => m.resource.name).sort()).toEqual(["cpu", "memory"]);
  });

  it("runs 3 samplers in a StatefulSet behind the headless Service", async () => {
    const s = await stack;
    const sts = inputs(s, "tracing-collector-sampler-statefulset").spec;
    expect(sts.replicas).toBe(3);
    expect(sts.serviceName).toBe("collector-sampler");
    const svc = inputs(s, "tracing-collector-sampler-service");
    expect(svc.metadata.name).toBe("collector-sampler");
    expect(svc.spec).toMatchObject({ clusterIP: "None", publishNotReadyAddresses: false });
    expect(svc.spec.ports).toEqual([expect.objectContaining({ port: PORTS.otlpGrpc, targetPort: PORTS.otlpGrpc })]);
  });

  it("uses the image built from the manifest's release", async () => {
    const s = await stack;
    for (const w of ["tracing-collector-gateway-deployment", "tracing-collector-sampler-statefulset"]) {
      expect(container(s, w).image).toBe(`222222222222.dkr.ecr.eu-central-1.amazonaws.com/otelcol-tracing:${COLLECTOR_VERSION}`);
    }
  });

  it("hardens both pods and probes health_check over HTTPS", async () => {
    const s = await stack;
    expectHardenedPod(podSpec(s, "tracing-collector-gateway-deployment"));
    expectHardenedPod(podSpec(s, "tracing-collector-sampler-statefulset"));
  });

  it("mounts the config files, the TLS Secrets at the paths the configs use, and sets GOMEMLIMIT to memory_limiter's limit", async () => {
    const s = await stack;
    const g = expectContainerMatchesConfig(s, "tracing-collector-gateway-deployment", "collector-gateway.yaml", "collector-gateway-tls");
    const smp = expectContainerMatchesConfig(s, "tracing-collector-sampler-statefulset", "collector-sampler.yaml", "collector-sampler-tls");
    expect(g.exporters.loadbalancing.resolver.dns).toMatchObject({ hostname: "collector-sampler.tracing.svc.cluster.local", port: "4317" });
    expect(g.exporters.loadbalancing.protocol.otlp.tls.server_name_override).toBe("collector-sampler.tracing.svc.cluster.local");
    expect(smp.exporters["otlp_grpc/orders"].endpoint).toBe("tempo.tracing.svc.cluster.local:4317");
    // Sized from tracing:peakSpansPerSecond 20000 / meanSpansPerTrace 10 on 3 sampler pods, 2 serving: 1000 traces/s per pod.
    expect(smp.processors.tail_sampling.expected_new_traces_per_sec).toBe(1000);
    expect(smp.processors.tail_sampling.decision_cache.sampled_cache_size).toBe(1000 * (30 + 120) * 2);
    expect(smp.processors.memory_limiter).toMatchObject({ limit_mib: 819, spike_limit_mib: 163 });
  });

  it("keeps the sending queue on a per-pod volume mounted at file_storage's directory", async () => {
    const s = await stack;
    const sts = inputs(s, "tracing-collector-sampler-statefulset").spec;
    const [claim] = sts.volumeClaimTemplates as Obj[];
    expect(claim.spec).toMatchObject({ accessModes: ["ReadWriteOnce"], storageClassName: "gp3" });
    const mount = find(container(s, "tracing-collector-sampler-statefulset").volumeMounts, (m) => m.name === claim.metadata.name);
    const { parse } = await import("yaml");
    const config = parse(s.configFiles["collector-sampler.yaml"] as string);
    expect(mount.mountPath).toBe(config.extensions.file_storage.directory);
  });

  it("has PodDisruptionBudgets for both tiers", async () => {
    const s = await stack;
    for (const name of ["tracing-collector-gateway-pdb", "tracing-collector-sampler-pdb"]) {
      expect(inputs(s, name).spec.maxUnavailable).toBe(1);
    }
  });

  it("exposes the gateway in-cluster on a ClusterIP Service and to applications only through the internal NLB", async () => {
    const s = await stack;
    const svc = inputs(s, "tracing-collector-gateway-service");
    expect(svc.spec.type).toBe("ClusterIP");
    // The self-metrics port is in-cluster only (Collector pods, specs/flows.ts): never on the NLB below.
    expect((svc.spec.ports as Obj[]).map((p) => p.port).sort()).toEqual([PORTS.otlpGrpc, PORTS.otlpHttp, PORTS.collectorSelfMetrics]);
    const lbs = ofType(s, "kubernetes:core/v1:Service").filter((x) => (x.inputs.spec as Obj).type === "LoadBalancer");
    const collectorLbs = lbs.filter((x) => x.name.startsWith("tracing-collector"));
    expect(collectorLbs).toHaveLength(1);
    const nlb = collectorLbs[0]!.inputs as Obj;
    expect(nlb.metadata.annotations["service.beta.kubernetes.io/aws-load-balancer-scheme"]).toBe("internal");
    expect(nlb.spec.loadBalancerSourceRanges).toEqual(["10.30.64.0/18"]);
    expect((nlb.spec.ports as Obj[]).map((p) => p.port).sort()).toEqual([PORTS.otlpGrpc, PORTS.otlpHttp]);
  });
});
