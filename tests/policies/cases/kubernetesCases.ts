/** Must-fail and must-pass Kubernetes resources for each rule, in stack-export shape (@pulumi/kubernetes 4). */
import { ExportBuilder, secret } from "../exportShapes";
import { RuleCase } from "./ruleCase";

const INTERNAL_NLB = {
  "service.beta.kubernetes.io/aws-load-balancer-type": "external",
  "service.beta.kubernetes.io/aws-load-balancer-scheme": "internal",
  "service.beta.kubernetes.io/aws-load-balancer-nlb-target-type": "ip",
};

/** A LoadBalancer Service as the API server returns it: node ports and a cluster IP assigned, ingress hostname in status. */
export function internalLbService(b: ExportBuilder, name: string) {
  return b.k8s("v1", "Service", name, {
    metadata: { annotations: INTERNAL_NLB },
    spec: { type: "LoadBalancer", selector: { app: name }, ports: [{ name: "https", port: 443, targetPort: 8443, protocol: "TCP" }], loadBalancerSourceRanges: ["10.100.0.0/16"] },
  }, {
    spec: {
      clusterIP: "172.20.14.9",
      clusterIPs: ["172.20.14.9"],
      allocateLoadBalancerNodePorts: true,
      externalTrafficPolicy: "Cluster",
      ports: [{ name: "https", port: 443, targetPort: 8443, protocol: "TCP", nodePort: 31443 }],
      sessionAffinity: "None",
    },
    status: { loadBalancer: { ingress: [{ hostname: `k8s-payments-${name}-0a1b2c3d4e.elb.eu-west-1.amazonaws.com` }] } },
  });
}

const restricted = { runAsNonRoot: true, runAsUser: 10001, allowPrivilegeEscalation: false };

function deployment(b: ExportBuilder, name: string, pod: Record<string, unknown>) {
  return b.k8s("apps/v1", "Deployment", name, { spec: { replicas: 2, selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: pod } } }, { status: { readyReplicas: 2 } });
}

function ingress(b: ExportBuilder, name: string, annotations: Record<string, string>, spec: Record<string, unknown>) {
  return b.k8s("networking.k8s.io/v1", "Ingress", name, { metadata: { annotations }, spec }, { status: { loadBalancer: { ingress: [{ hostname: "lb.example.internal" }] } } });
}

const rules = (host: string) => [{ host, http: { paths: [{ path: "/", pathType: "Prefix", backend: { service: { name: "web", port: { number: 443 } } } }] } }];

export const KUBERNETES_CASES: readonly RuleCase[] = [
  {
    rule: "k8s-service-no-node-port",
    title: "node ports that Kubernetes assigned to a LoadBalancer Service (outputs) are not the program's; NodePort and pinned ports are",
    build: (b) => {
      const assigned = internalLbService(b, "api");
      const nodePort = b.k8s("v1", "Service", "debug", { spec: { type: "NodePort", selector: { app: "debug" }, ports: [{ port: 80, targetPort: 8080 }] } }, { spec: { ports: [{ port: 80, targetPort: 8080, nodePort: 30080 }] } });
      const pinned = b.k8s("v1", "Service", "pinned", { metadata: { annotations: INTERNAL_NLB }, spec: { type: "LoadBalancer", ports: [{ port: 443, nodePort: 30443 }], loadBalancerSourceRanges: ["10.0.0.0/8"] } });
      return { fails: [nodePort, pinned], passes: [assigned] };
    },
  },
  {
    rule: "k8s-service-no-external-ips",
    title: "externalIPs fail",
    build: (b) => {
      const ext = b.k8s("v1", "Service", "legacy", { spec: { type: "ClusterIP", externalIPs: ["52.49.10.30"], ports: [{ port: 443 }] } });
      const plain = b.k8s("v1", "Service", "web", { spec: { type: "ClusterIP", ports: [{ port: 443 }] } }, { spec: { clusterIP: "172.20.1.1" } });
      return { fails: [ext], passes: [plain] };
    },
  },
  {
    rule: "k8s-load-balancer-internal",
    title: "a LoadBalancer without an internal annotation fails; AWS, GKE and Azure internal annotations pass",
    build: (b) => {
      const bare = b.k8s("v1", "Service", "public-lb", { spec: { type: "LoadBalancer", ports: [{ port: 443 }], loadBalancerSourceRanges: ["10.0.0.0/8"] } });
      const aws = internalLbService(b, "grpc");
      const gke = b.k8s("v1", "Service", "gke-lb", { metadata: { annotations: { "networking.gke.io/load-balancer-type": "Internal" } }, spec: { type: "LoadBalancer", ports: [{ port: 443 }] } });
      const azure = b.k8s("v1", "Service", "aks-lb", { metadata: { annotations: { "service.beta.kubernetes.io/azure-load-balancer-internal": "true" } }, spec: { type: "LoadBalancer", ports: [{ port: 443 }] } });
      const legacy = b.k8s("v1", "Service", "legacy-lb", { metadata: { annotations: { "service.beta.kubernetes.io/aws-load-balancer-internal": "0.0.0.0/0" } }, spec: { type: "LoadBalancer", ports: [{ port: 443 }] } });
      const off = b.k8s("v1", "Service", "off-lb", { metadata: { annotations: { "service.beta.kubernetes.io/aws-load-balancer-internal": "false" } }, spec: { type: "LoadBalancer", ports: [{ port: 443 }] } });
      return { fails: [bare, off], passes: [aws, gke, azure, legacy] };
    },
  },
  {
    rule: "k8s-load-balancer-source-ranges",
    title: "a public /24 is public; corporate ranges pass",
    build: (b) => {
      const partner = b.k8s("v1", "Service", "partner-lb", { metadata: { annotations: INTERNAL_NLB }, spec: { type: "LoadBalancer", ports: [{ port: 443 }], loadBalancerSourceRanges: ["10.100.0.0/16", "198.51.100.0/24"] } });
      const corp = internalLbService(b, "corp-lb");
      return { fails: [partner], passes: [corp], message: /198\.51\.100\.0\/24/ };
    },
  },
  {
    rule: "k8s-ingress-internal",
    title: "nginx ignores ALB annotations; an nginx Ingress with a private whitelist is internal",
    build: (b) => {
      const albOnNginx = ingress(b, "shop", { "alb.ingress.kubernetes.io/scheme": "internal", "alb.ingress.kubernetes.io/inbound-cidrs": "10.0.0.0/8" }, { ingressClassName: "nginx", tls: [{ hosts: ["shop.example.com"], secretName: "shop-tls" }], rules: rules("shop.example.com") });
      const traefik = ingress(b, "blog", {}, { ingressClassName: "traefik", tls: [{ hosts: ["blog.example.com"] }], rules: rules("blog.example.com") });
      const albFacing = ingress(b, "api", { "alb.ingress.kubernetes.io/scheme": "internet-facing" }, { ingressClassName: "alb", tls: [{ hosts: ["api.example.com"] }], rules: rules("api.example.com") });
      const nginxPrivate = ingress(b, "admin", { "nginx.ingress.kubernetes.io/whitelist-source-range": "10.100.0.0/16,10.101.0.0/16" }, { ingressClassName: "nginx", tls: [{ hosts: ["admin.corp.example.com"], secretName: "admin-tls" }], rules: rules("admin.corp.example.com") });
      const albInternal = ingress(b, "grafana", { "alb.ingress.kubernetes.io/scheme": "internal", "alb.ingress.kubernetes.io/inbound-cidrs": "10.100.0.0/16" }, { ingressClassName: "alb", tls: [{ hosts: ["grafana.corp.example.com"] }], rules: rules("grafana.corp.example.com") });
      const legacyClass = ingress(b, "ops", { "kubernetes.io/ingress.class": "gce-internal" }, { tls: [{ hosts: ["ops.corp.example.com"] }], rules: rules("ops.corp.example.com") });
      const internalController = ingress(b, "wiki", {}, { ingressClassName: "nginx-internal", tls: [{ hosts: ["wiki.corp.example.com"] }], rules: rules("wiki.corp.example.com") });
      return { fails: [albOnNginx, traefik, albFacing], passes: [nginxPrivate, albInternal, legacyClass, internalController] };
    },
  },
  {
    rule: "k8s-ingress-internal",
    title: "an Ingress is internal when the stack's IngressClass has only internal controller Services, or IngressClassParams with scheme internal",
    build: (b) => {
      const instance = { "app.kubernetes.io/instance": "ingress-internal", "app.kubernetes.io/name": "ingress-nginx" };
      b.k8s("networking.k8s.io/v1", "IngressClass", "nginx", { metadata: { labels: instance }, spec: { controller: "k8s.io/ingress-nginx" } }, {}, "");
      b.k8s("v1", "Service", "ingress-internal-controller", {
        metadata: { labels: { ...instance, "app.kubernetes.io/component": "controller" }, annotations: INTERNAL_NLB },
        spec: { type: "LoadBalancer", ports: [{ name: "https", port: 443, targetPort: "https" }], loadBalancerSourceRanges: ["10.0.0.0/8"] },
      }, {}, "ingress-nginx");
      const publicInstance = { "app.kubernetes.io/instance": "ingress-public", "app.kubernetes.io/name": "ingress-nginx" };
      b.k8s("networking.k8s.io/v1", "IngressClass", "nginx-edge", { metadata: { labels: publicInstance }, spec: { controller: "k8s.io/ingress-nginx" } }, {}, "");
      b.k8s("v1", "Service", "ingress-public-controller", { metadata: { labels: { ...publicInstance, "app.kubernetes.io/component": "controller" } }, spec: { type: "LoadBalancer", ports: [{ port: 443 }] } }, {}, "ingress-nginx");
      b.k8s("elbv2.k8s.aws/v1beta1", "IngressClassParams", "internal-params", { spec: { scheme: "internal", inboundCIDRs: ["10.0.0.0/8"] } }, {}, "");
      b.k8s("networking.k8s.io/v1", "IngressClass", "alb-corp", { spec: { controller: "ingress.k8s.aws/alb", parameters: { apiGroup: "elbv2.k8s.aws", kind: "IngressClassParams", name: "internal-params" } } }, {}, "");
      const albParams = ingress(b, "reports", {}, { ingressClassName: "alb-corp", tls: [{ hosts: ["reports.corp.example.com"] }], rules: rules("reports.corp.example.com") });
      const behindInternal = ingress(b, "wiki", {}, { ingressClassName: "nginx", tls: [{ hosts: ["wiki.corp.example.com"] }], rules: rules("wiki.corp.example.com") });
      const behindPublic = ingress(b, "blog", {}, { ingressClassName: "nginx-edge", tls: [{ hosts: ["blog.example.com"] }], rules: rules("blog.example.com") });
      b.k8s("helm.sh/v3", "Release", "ingress-corp", {
        chart: "ingress-nginx",
        repositoryOpts: { repo: "https://kubernetes.github.io/ingress-nginx" },
        values: { controller: { ingressClassResource: { name: "nginx-corp" }, service: { annotations: { "service.beta.kubernetes.io/aws-load-balancer-scheme": "internal" } } } },
      });
      b.k8s("helm.sh/v3", "Release", "ingress-web", { chart: "ingress-nginx", repositoryOpts: { repo: "https://kubernetes.github.io/ingress-nginx" }, values: { controller: { ingressClassResource: { name: "nginx-web" } } } });
      // Two releases serve nginx-web: one internal, one public (above); the class is public.
      b.k8s("helm.sh/v4", "Chart", "ingress-web-internal", { chart: "ingress-nginx", values: { controller: { ingressClassResource: { name: "nginx-web" }, service: { type: "ClusterIP" } } } });
      const behindRelease = ingress(b, "intranet", {}, { ingressClassName: "nginx-corp", tls: [{ hosts: ["intranet.corp.example.com"] }], rules: rules("intranet.corp.example.com") });
      const behindPublicRelease = ingress(b, "shop", {}, { ingressClassName: "nginx-web", tls: [{ hosts: ["shop.example.com"] }], rules: rules("shop.example.com") });
      return { fails: [behindPublic, behindPublicRelease], passes: [behindInternal, albParams, behindRelease] };
    },
  },
  {
    rule: "k8s-ingress-source-restricted",
    title: "an nginx whitelist with a public range fails; a private one passes",
    build: (b) => {
      const open = ingress(b, "partner", { "nginx.ingress.kubernetes.io/whitelist-source-range": "10.0.0.0/8, 203.0.113.0/24" }, { ingressClassName: "nginx", tls: [{ hosts: ["p.example.com"] }] });
      const allowList = ingress(b, "admin", { "nginx.ingress.kubernetes.io/allowlist-source-range": "10.100.0.0/16" }, { ingressClassName: "nginx", tls: [{ hosts: ["a.corp.example.com"] }] });
      return { fails: [open], passes: [allowList], message: /203\.0\.113\.0\/24/ };
    },
  },
  {
    rule: "k8s-ingress-tls-only",
    title: "no spec.tls or nginx ssl-redirect false fails",
    build: (b) => {
      const noTls = ingress(b, "plain", { "nginx.ingress.kubernetes.io/whitelist-source-range": "10.0.0.0/8" }, { ingressClassName: "nginx", rules: rules("plain.corp.example.com") });
      const noRedirect = ingress(b, "legacy", { "nginx.ingress.kubernetes.io/whitelist-source-range": "10.0.0.0/8", "nginx.ingress.kubernetes.io/ssl-redirect": "false" }, { ingressClassName: "nginx", tls: [{ hosts: ["l.corp.example.com"] }] });
      const tls = ingress(b, "secure", { "nginx.ingress.kubernetes.io/whitelist-source-range": "10.0.0.0/8" }, { ingressClassName: "nginx", tls: [{ hosts: ["s.corp.example.com"], secretName: "s-tls" }] });
      return { fails: [noTls, noRedirect], passes: [tls] };
    },
  },
  {
    rule: "k8s-gateway-internal",
    title: "a Gateway of a public class fails; infrastructure annotations or an internal class pass",
    build: (b) => {
      const publicGw = b.k8s("gateway.networking.k8s.io/v1", "Gateway", "edge", { spec: { gatewayClassName: "istio", listeners: [{ name: "https", port: 443, protocol: "HTTPS", tls: { certificateRefs: [{ name: "edge-tls" }] } }] } }, { status: { addresses: [{ type: "Hostname", value: "edge.elb.amazonaws.com" }] } });
      const ip = b.k8s("gateway.networking.k8s.io/v1", "Gateway", "static", { spec: { gatewayClassName: "gke-l7-rilb", addresses: [{ type: "IPAddress", value: "34.120.10.10" }], listeners: [{ name: "https", port: 443, protocol: "HTTPS" }] } });
      const annotated = b.k8s("gateway.networking.k8s.io/v1", "Gateway", "internal", {
        spec: { gatewayClassName: "istio", infrastructure: { annotations: { "service.beta.kubernetes.io/aws-load-balancer-scheme": "internal" } }, listeners: [{ name: "https", port: 443, protocol: "HTTPS" }] },
      });
      const lattice = b.k8s("gateway.networking.k8s.io/v1", "Gateway", "lattice", { spec: { gatewayClassName: "amazon-vpc-lattice", listeners: [{ name: "http", port: 80, protocol: "HTTP" }] } });
      const named = b.k8s("gateway.networking.k8s.io/v1", "Gateway", "corp", { spec: { gatewayClassName: "istio-internal", listeners: [{ name: "https", port: 443, protocol: "HTTPS" }] } });
      const lookalike = b.k8s("gateway.networking.k8s.io/v1", "Gateway", "intern", { spec: { gatewayClassName: "internationalization", listeners: [{ name: "https", port: 443, protocol: "HTTPS" }] } });
      return { fails: [publicGw, ip, lookalike], passes: [annotated, lattice, named] };
    },
  },
  {
    rule: "k8s-route-internal-gateway",
    title: "a route attached to a public Gateway fails; one attached to an internal Gateway passes",
    build: (b) => {
      b.k8s("gateway.networking.k8s.io/v1", "Gateway", "edge", { spec: { gatewayClassName: "envoy", listeners: [{ name: "https", port: 443, protocol: "HTTPS" }] } });
      b.k8s("gateway.networking.k8s.io/v1", "Gateway", "internal", { spec: { gatewayClassName: "envoy", infrastructure: { annotations: { "service.beta.kubernetes.io/aws-load-balancer-scheme": "internal" } }, listeners: [{ name: "https", port: 443, protocol: "HTTPS" }] } });
      const exposed = b.k8s("gateway.networking.k8s.io/v1", "HTTPRoute", "shop", { spec: { parentRefs: [{ name: "edge" }], hostnames: ["shop.example.com"], rules: [{ backendRefs: [{ name: "shop", port: 443 }] }] } });
      const grpc = b.k8s("gateway.networking.k8s.io/v1", "GRPCRoute", "otlp", { spec: { parentRefs: [{ name: "edge", namespace: "payments" }], rules: [{ backendRefs: [{ name: "collector", port: 4317 }] }] } });
      const internal = b.k8s("gateway.networking.k8s.io/v1", "HTTPRoute", "admin", { spec: { parentRefs: [{ name: "internal" }], rules: [{ backendRefs: [{ name: "admin", port: 443 }] }] } });
      return { fails: [exposed, grpc], passes: [internal] };
    },
  },
  {
    rule: "k8s-helm-values-no-exposure",
    title: "values that expose a Service or Ingress fail, so do charts whose defaults are public; internal values pass",
    build: (b) => {
      const nginxDefaults = b.k8s("helm.sh/v3", "Release", "ingress", { chart: "ingress-nginx", version: "4.11.3", repositoryOpts: { repo: "https://kubernetes.github.io/ingress-nginx" }, namespace: "ingress", values: {} });
      const lbValues = b.k8s("helm.sh/v3", "Release", "argocd", { chart: "argo-cd", version: "7.6.8", repositoryOpts: { repo: "https://argoproj.github.io/argo-helm" }, values: { server: { service: { type: "LoadBalancer" } } } });
      const ingressValues = b.k8s("helm.sh/v4", "Chart", "docs", { chart: "oci://registry-1.docker.io/bitnamicharts/nginx", values: { service: { type: "ClusterIP" }, ingress: { enabled: true, ingressClassName: "nginx", hostname: "docs.example.com" } } });
      const internalNginx = b.k8s("helm.sh/v3", "Release", "ingress-internal", {
        chart: "ingress-nginx",
        repositoryOpts: { repo: "https://kubernetes.github.io/ingress-nginx" },
        values: { controller: { ingressClassResource: { name: "nginx-internal", enabled: true }, service: { annotations: { "service.beta.kubernetes.io/aws-load-balancer-scheme": "internal" }, loadBalancerSourceRanges: ["10.0.0.0/8"] } } },
      });
      const clusterIp = b.k8s("helm.sh/v3", "Release", "redis", { chart: "redis", repositoryOpts: { repo: "https://charts.bitnami.com/bitnami" }, values: { master: { service: { type: "ClusterIP" } }, auth: { password: secret() } } });
      return { fails: [nginxDefaults, lbValues, ingressValues], passes: [internalNginx, clusterIp] };
    },
  },
  {
    rule: "k8s-network-policy-no-public-sources",
    title: "an ipBlock of 0.0.0.0/0 (even with except) and Cilium's world entity fail; private ipBlocks pass",
    build: (b) => {
      const open = b.k8s("networking.k8s.io/v1", "NetworkPolicy", "allow-web", {
        spec: { podSelector: { matchLabels: { app: "web" } }, policyTypes: ["Ingress"], ingress: [{ from: [{ ipBlock: { cidr: "0.0.0.0/0", except: ["10.0.0.0/8"] } }], ports: [{ port: 443, protocol: "TCP" }] }] },
      });
      const cilium = b.k8s("cilium.io/v2", "CiliumNetworkPolicy", "world", { spec: { endpointSelector: { matchLabels: { app: "web" } }, ingress: [{ fromEntities: ["world"] }] } });
      const corp = b.k8s("networking.k8s.io/v1", "NetworkPolicy", "allow-corp", {
        spec: { podSelector: { matchLabels: { app: "grafana" } }, policyTypes: ["Ingress", "Egress"], ingress: [{ from: [{ ipBlock: { cidr: "10.100.0.0/16" } }, { namespaceSelector: { matchLabels: { name: "ingress" } } }] }], egress: [{ to: [{ ipBlock: { cidr: "0.0.0.0/0" } }] }] },
      });
      return { fails: [open, cilium], passes: [corp] };
    },
  },
  {
    rule: "k8s-pod-no-host-access",
    title: "hostNetwork fails",
    build: (b) => {
      const host = deployment(b, "agent", { hostNetwork: true, containers: [{ name: "agent", image: "agent:1", securityContext: restricted }] });
      const ok = deployment(b, "web", { containers: [{ name: "web", image: "web:1", securityContext: restricted }] });
      return { fails: [host], passes: [ok] };
    },
  },
  {
    rule: "k8s-pod-non-root",
    title: "a container without runAsNonRoot fails",
    build: (b) => {
      const root = deployment(b, "legacy", { containers: [{ name: "legacy", image: "legacy:1" }] });
      const ok = deployment(b, "web", { securityContext: { runAsNonRoot: true, runAsUser: 10001 }, containers: [{ name: "web", image: "web:1", securityContext: { allowPrivilegeEscalation: false } }] });
      return { fails: [root], passes: [ok] };
    },
  },
  {
    rule: "k8s-namespace-default-deny",
    title: "a namespace without default-deny fails",
    build: (b) => {
      const bare = b.k8s("v1", "Namespace", "batch", {}, { status: { phase: "Active" } }, "");
      const guarded = b.k8s("v1", "Namespace", "web", {}, { status: { phase: "Active" } }, "");
      b.k8s("networking.k8s.io/v1", "NetworkPolicy", "deny-all", { spec: { podSelector: {}, policyTypes: ["Ingress", "Egress"] } }, {}, "web");
      return { fails: [bare], passes: [guarded] };
    },
  },
  {
    rule: "grafana-no-public-access",
    title: "grafana.ini in any ConfigMap, Secret stringData or Helm values, GF_* env and public dashboards",
    build: (b) => {
      const anonymous = b.k8s("v1", "ConfigMap", "grafana", { data: { "grafana.ini": "[auth.anonymous]\nenabled = true\norg_role = Viewer\n[server]\nroot_url = https://grafana.example.com\n" } });
      const secretIni = b.k8s("v1", "Secret", "grafana-config", { type: "Opaque", stringData: { "grafana.ini": "[public_dashboards]\nenabled = true\n[snapshots]\nexternal_enabled = false\n[auth.anonymous]\nenabled = false\n" } });
      const helm = b.k8s("helm.sh/v3", "Release", "grafana", { chart: "grafana", repositoryOpts: { repo: "https://grafana.github.io/helm-charts" }, values: { "grafana.ini": { "auth.anonymous": { enabled: true }, snapshots: { external_enabled: true } } } });
      const env = deployment(b, "dashboards", { containers: [{ name: "grafana", image: "grafana/grafana:12.2.0", securityContext: restricted, env: [{ name: "GF_PUBLIC_DASHBOARDS_ENABLED", value: "true" }] }] });
      const stackChart = b.k8s("helm.sh/v4", "Chart", "monitoring", { chart: "kube-prometheus-stack", values: { grafana: { env: [{ name: "GF_AUTH_ANONYMOUS_ENABLED", value: "true" }] } } });
      const dashboard = b.other("grafana:oss/dashboardPublic:DashboardPublic", "orders-public", { dashboardUid: "orders", isEnabled: true, share: "public" });
      const safe = b.k8s("v1", "ConfigMap", "grafana-safe", {
        data: { "grafana.ini": "[auth.anonymous]\nenabled = false\n[public_dashboards]\nenabled = false\n[snapshots]\nexternal_enabled = false\n" },
      });
      const safeHelm = b.k8s("helm.sh/v3", "Release", "grafana-safe", {
        chart: "grafana",
        repositoryOpts: { repo: "https://grafana.github.io/helm-charts" },
        values: { "grafana.ini": { "auth.anonymous": { enabled: false }, public_dashboards: { enabled: false }, snapshots: { external_enabled: false } } },
      });
      const goIniFalse = b.k8s("v1", "ConfigMap", "grafana-off", { data: { "grafana.ini": "[auth.anonymous]\nenabled = 0\n[public_dashboards]\nenabled = off\n[snapshots]\nexternal_enabled = False\n" } });
      const envOne = deployment(b, "grafana-one", { containers: [{ name: "grafana", image: "grafana/grafana:12.2.0", securityContext: restricted, env: [{ name: "GF_AUTH_ANONYMOUS_ENABLED", value: "1" }] }] });
      const other = b.k8s("v1", "ConfigMap", "app-config", { data: { "app.ini": "[auth.anonymous]\nenabled = true\n" } });
      return { fails: [anonymous, secretIni, helm, env, stackChart, dashboard, envOne], passes: [safe, safeHelm, other, goIniFalse] };
    },
  },
];
