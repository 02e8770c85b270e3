import { ingressInternal, ingressSourceRestricted, ingressTls } from "../../policies/kubernetes/ingress";
import { namespaceDefaultDeny } from "../../policies/kubernetes/networkPolicies";
import { noHostAccess, nonRootContainers } from "../../policies/kubernetes/podSecurity";
import { internalLoadBalancer, loadBalancerSourceRanges, noExternalIps, noNodePort } from "../../policies/kubernetes/services";
import { INTERNAL_NLB_ANNOTATIONS } from "../../specs/internalLoadBalancer";
import { check, k8s, messagesFor } from "./support";

const svc = (name: string, spec: Record<string, unknown>, annotations: Record<string, string> = {}) =>
  k8s("Service", name, { metadata: { annotations }, spec });

describe("k8s-service-no-node-port", () => {
  it("passes ClusterIP and fails NodePort", async () => {
    const ok = svc("ok", { type: "ClusterIP", ports: [{ port: 80 }] });
    const bad = svc("bad", { type: "NodePort", ports: [{ port: 80, nodePort: 30080 }] });
    const v = await check(noNodePort, [ok, bad]);
    expect(messagesFor(v, ok)).toEqual([]);
    expect(messagesFor(v, bad)[0]).toMatch(/NodePort/);
    expect(v.every((x) => x.enforcementLevel === "mandatory")).toBe(true);
  });
});

describe("k8s-service-no-external-ips", () => {
  it("fails a Service with externalIPs", async () => {
    const ok = svc("ok", { type: "ClusterIP" });
    const bad = svc("bad", { type: "ClusterIP", externalIPs: ["203.0.113.7"] });
    const v = await check(noExternalIps, [ok, bad]);
    expect(messagesFor(v, ok)).toEqual([]);
    expect(messagesFor(v, bad)[0]).toContain("203.0.113.7");
  });
});

describe("k8s-load-balancer-internal and source ranges", () => {
  const good = svc("good", { type: "LoadBalancer", loadBalancerSourceRanges: ["10.20.0.0/16"] }, { ...INTERNAL_NLB_ANNOTATIONS });

  it("passes what internalEndpoint() produces", async () => {
    expect(await check(internalLoadBalancer, [good])).toEqual([]);
    expect(await check(loadBalancerSourceRanges, [good])).toEqual([]);
  });

  it("accepts the legacy aws-load-balancer-internal annotation", async () => {
    const legacy = svc("legacy", { type: "LoadBalancer" }, { "service.beta.kubernetes.io/aws-load-balancer-internal": "true" });
    expect(await check(internalLoadBalancer, [legacy])).toEqual([]);
  });

  it("fails internet-facing schemes and missing annotations", async () => {
    const facing = svc("facing", { type: "LoadBalancer" }, { "service.beta.kubernetes.io/aws-load-balancer-scheme": "internet-facing" });
    const bare = svc("bare", { type: "LoadBalancer" });
    const v = await check(internalLoadBalancer, [facing, bare]);
    expect(messagesFor(v, facing)[0]).toContain('"internet-facing"');
    expect(messagesFor(v, bare)[0]).toMatch(/internet-facing/);
  });

  it("fails missing, public and open source ranges", async () => {
    const none = svc("none", { type: "LoadBalancer" });
    const open = svc("open", { type: "LoadBalancer", loadBalancerSourceRanges: ["0.0.0.0/0"] });
    const publicRange = svc("public", { type: "LoadBalancer", loadBalancerSourceRanges: ["10.0.0.0/8", "198.51.100.0/24"] });
    const v = await check(loadBalancerSourceRanges, [none, open, publicRange]);
    expect(messagesFor(v, none)[0]).toMatch(/empty/);
    expect(messagesFor(v, open)[0]).toMatch(/whole internet/);
    expect(messagesFor(v, publicRange)).toHaveLength(1);
    expect(messagesFor(v, publicRange)[0]).toContain("198.51.100.0/24");
  });

  it("ignores ClusterIP services", async () => {
    expect(await check(loadBalancerSourceRanges, [svc("c", { type: "ClusterIP" })])).toEqual([]);
  });
});

describe("Ingress rules", () => {
  const ingress = (name: string, annotations: Record<string, string>, spec: Record<string, unknown>) =>
    k8s("Ingress", name, { metadata: { annotations }, spec }, "networking.k8s.io/v1");
  const goodAnnotations = {
    "alb.ingress.kubernetes.io/scheme": "internal",
    "alb.ingress.kubernetes.io/inbound-cidrs": "10.100.0.0/16, 10.101.0.0/16",
    "alb.ingress.kubernetes.io/listen-ports": '[{"HTTPS": 443}]',
  };
  const good = ingress("good", goodAnnotations, { tls: [{ hosts: ["grafana.corp"] }] });

  it("passes an internal, restricted HTTPS-only ingress", async () => {
    for (const rule of [ingressInternal, ingressSourceRestricted, ingressTls]) expect(await check(rule, [good])).toEqual([]);
  });

  it("fails an internet-facing ingress", async () => {
    const bad = ingress("bad", { ...goodAnnotations, "alb.ingress.kubernetes.io/scheme": "internet-facing" }, { tls: [{}] });
    const missing = ingress("missing", {}, {});
    const v = await check(ingressInternal, [bad, missing]);
    expect(messagesFor(v, bad)).toHaveLength(1);
    expect(messagesFor(v, missing)[0]).toMatch(/missing/);
  });

  it("fails open or public inbound CIDRs", async () => {
    const open = ingress("open", { "alb.ingress.kubernetes.io/inbound-cidrs": "0.0.0.0/0" }, {});
    const none = ingress("none", {}, {});
    const v = await check(ingressSourceRestricted, [open, none]);
    expect(messagesFor(v, open)[0]).toContain("0.0.0.0/0");
    expect(messagesFor(v, none)[0]).toMatch(/missing/);
  });

  it("fails missing TLS and plain HTTP listeners, allows HTTP with ssl-redirect", async () => {
    const noTls = ingress("notls", { "alb.ingress.kubernetes.io/listen-ports": '[{"HTTPS": 443}]' }, {});
    const http = ingress("http", { "alb.ingress.kubernetes.io/listen-ports": '[{"HTTP": 80}, {"HTTPS": 443}]' }, { tls: [{}] });
    const redirect = ingress(
      "redirect",
      { "alb.ingress.kubernetes.io/listen-ports": '[{"HTTP": 80}, {"HTTPS": 443}]', "alb.ingress.kubernetes.io/ssl-redirect": "443" },
      { tls: [{}] },
    );
    const v = await check(ingressTls, [noTls, http, redirect]);
    expect(messagesFor(v, noTls)[0]).toMatch(/spec.tls/);
    expect(messagesFor(v, http)[0]).toMatch(/HTTP serve plain HTTP/);
    expect(messagesFor(v, redirect)).toEqual([]);
  });
});

const hardened = { runAsNonRoot: true, runAsUser: 10001, allowPrivilegeEscalation: false };
const podSpec = (overrides: Record<string, unknown> = {}, container: Record<string, unknown> = {}) => ({
  securityContext: { runAsNonRoot: true, runAsUser: 10001 },
  containers: [{ name: "app", image: "app:1", securityContext: { allowPrivilegeEscalation: false }, ...container }],
  ...overrides,
});

describe("k8s-pod-no-host-access", () => {
  it("passes a hardened Deployment", async () => {
    const ok = k8s("Deployment", "ok", { spec: { template: { spec: podSpec() } } }, "apps/v1");
    expect(await check(noHostAccess, [ok])).toEqual([]);
  });

  it("finds host access in every kind of workload", async () => {
    const pod = k8s("Pod", "pod", { spec: podSpec({ hostNetwork: true }) });
    const sts = k8s("StatefulSet", "sts", { spec: { template: { spec: podSpec({ volumes: [{ name: "root", hostPath: { path: "/" } }] }) } } }, "apps/v1");
    const ds = k8s("DaemonSet", "ds", { spec: { template: { spec: podSpec({ hostPID: true, hostIPC: true }) } } }, "apps/v1");
    const job = k8s("Job", "job", { spec: { template: { spec: podSpec({}, { ports: [{ containerPort: 80, hostPort: 80 }] }) } } }, "batch/v1");
    const cron = k8s(
      "CronJob",
      "cron",
      { spec: { jobTemplate: { spec: { template: { spec: podSpec({ initContainers: [{ name: "init", securityContext: { privileged: true } }] }) } } } } },
      "batch/v1",
    );
    const rs = k8s("ReplicaSet", "rs", { spec: { template: { spec: podSpec({}, { securityContext: { privileged: true } }) } } }, "apps/v1");
    const v = await check(noHostAccess, [pod, sts, ds, job, cron, rs]);
    expect(messagesFor(v, pod)).toEqual([expect.stringContaining("hostNetwork")]);
    expect(messagesFor(v, sts)).toEqual([expect.stringContaining("hostPath")]);
    expect(messagesFor(v, ds)).toHaveLength(2);
    expect(messagesFor(v, job)).toEqual([expect.stringContaining("hostPort 80")]);
    expect(messagesFor(v, cron)).toEqual([expect.stringContaining('init container "init" is privileged')]);
    expect(messagesFor(v, rs)).toEqual([expect.stringContaining("privileged")]);
  });

  it("checks what a DeploymentPatch sets, but non-root rules ignore partial patches", async () => {
    const patch = k8s("DeploymentPatch", "patch", { spec: { template: { spec: { hostNetwork: true } } } }, "apps/v1");
    const harmless = k8s("DeploymentPatch", "harmless", { spec: { template: { metadata: { annotations: { a: "b" } } } } }, "apps/v1");
    expect(messagesFor(await check(noHostAccess, [patch, harmless]), patch)).toEqual([expect.stringContaining("hostNetwork")]);
    expect(await check(nonRootContainers, [patch, harmless])).toEqual([]);
  });

  it("is not applicable to resources without a pod spec", async () => {
    expect(await check(noHostAccess, [k8s("ConfigMap", "cm", { data: { hostNetwork: "true" } })])).toEqual([]);
  });
});

describe("k8s-pod-non-root", () => {
  it("accepts runAsNonRoot at pod or container level", async () => {
    const podLevel = k8s("Pod", "p", { spec: podSpec() });
    const containerLevel = k8s("Pod", "c", { spec: { containers: [{ name: "a", securityContext: hardened }] } });
    expect(await check(nonRootContainers, [podLevel, containerLevel])).toEqual([]);
  });

  it("fails root users, missing runAsNonRoot and privilege escalation, including init containers", async () => {
    const root = k8s("Pod", "root", { spec: podSpec({}, { securityContext: { ...hardened, runAsUser: 0 } }) });
    const unset = k8s("Deployment", "unset", { spec: { template: { spec: { containers: [{ name: "a", securityContext: { allowPrivilegeEscalation: false } }] } } } }, "apps/v1");
    const escalation = k8s("Pod", "esc", { spec: podSpec({ initContainers: [{ name: "init" }] }) });
    const v = await check(nonRootContainers, [root, unset, escalation]);
    expect(messagesFor(v, root)).toEqual([expect.stringContaining("user 0")]);
    expect(messagesFor(v, unset)).toEqual([expect.stringContaining("runAsNonRoot")]);
    expect(messagesFor(v, escalation)).toEqual([expect.stringContaining('init container "init" does not set allowPrivilegeEscalation')]);
  });

  it("lets a container override a non-root pod default with root", async () => {
    const override = k8s("Pod", "o", { spec: podSpec({}, { securityContext: { allowPrivilegeEscalation: false, runAsNonRoot: false } }) });
    expect(messagesFor(await check(nonRootContainers, [override]), override)).toEqual([expect.stringContaining("runAsNonRoot")]);
  });
});

describe("k8s-namespace-default-deny (stack rule)", () => {
  const ns = (name: string) => k8s("Namespace", name, {}, "v1", undefined as unknown as string);
  const netpol = (name: string, namespace: string, spec: Record<string, unknown>) =>
    k8s("NetworkPolicy", name, { spec }, "networking.k8s.io/v1", namespace);

  it("passes a namespace with one deny-all policy for both directions", async () => {
    const a = ns("a");
    const v = await check(namespaceDefaultDeny, [a, netpol("deny", "a", { podSelector: {}, policyTypes: ["Ingress", "Egress"] })]);
    expect(v).toEqual([]);
  });

  it("passes two separate deny policies", async () => {
    const a = ns("a");
    const v = await check(namespaceDefaultDeny, [
      a,
      netpol("deny-in", "a", { podSelector: {}, policyTypes: ["Ingress"] }),
      netpol("deny-out", "a", { podSelector: {}, policyTypes: ["Egress"], egress: [] }),
    ]);
    expect(v).toEqual([]);
  });

  it("fails when a direction is missing, rules allow traffic, the selector is narrow or the policy is elsewhere", async () => {
    const onlyIngress = ns("only-ingress");
    const allowAll = ns("allow-all");
    const narrow = ns("narrow");
    const elsewhere = ns("elsewhere");
    const v = await check(namespaceDefaultDeny, [
      onlyIngress,
      allowAll,
      narrow,
      elsewhere,
      netpol("p1", "only-ingress", { podSelector: {} }),
      netpol("p2", "allow-all", { podSelector: {}, policyTypes: ["Ingress", "Egress"], ingress: [{}] }),
      netpol("p3", "narrow", { podSelector: { matchLabels: { app: "x" } }, policyTypes: ["Ingress", "Egress"] }),
      netpol("p4", "other", { podSelector: {}, policyTypes: ["Ingress", "Egress"] }),
    ]);
    expect(messagesFor(v, onlyIngress)).toEqual([expect.stringContaining("for Egress")]);
    expect(messagesFor(v, allowAll)).toEqual([expect.stringContaining("for Ingress.")]);
    expect(messagesFor(v, narrow)).toEqual([expect.stringContaining("Ingress and Egress")]);
    expect(messagesFor(v, elsewhere)).toEqual([expect.stringContaining("Ingress and Egress")]);
  });
});
