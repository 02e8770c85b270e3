/**
 * Helm releases whose values expose a Service or an Ingress (R13). Policies
 * never see the objects a helm.sh/v3 Release renders, so the values are the
 * only evidence: a service-like block of type LoadBalancer without an internal
 * annotation, NodePort, externalIPs, hostNetwork, or an enabled ingress that
 * is neither internal nor source-restricted. Charts whose defaults expose a
 * load balancer (ingress-nginx, traefik, ...) are judged with those defaults
 * under the release's values. exposure-unverifiable reports what stays unseen.
 */
import { arr, hiddenPath, isFalse, isSecret, isTrue, rec, Rec, str } from "../lib/props";
import { AllowedRanges, publicRanges } from "../lib/privateRanges";
import { rangesOf, resourceRule } from "../lib/rule";
import { exposureProblems, INGRESS_CLASS_SCHEMA, IngressClassConfig, ingressView, sourceProblems } from "./ingressClass";
import { internalAnnotation } from "./loadBalancerAnnotations";

export const HELM_RELEASE = "kubernetes:helm.sh/v3:Release";
export const HELM_TYPES: readonly string[] = [HELM_RELEASE, "kubernetes:helm.sh/v3:Chart", "kubernetes:helm.sh/v4:Chart"];

/** Chart defaults that create an internet-facing load balancer when the values say nothing (from each chart's values.yaml). */
const EXPOSING_DEFAULTS: Readonly<Record<string, Rec>> = {
  "ingress-nginx": { controller: { service: { type: "LoadBalancer" } } },
  "nginx-ingress": { controller: { service: { type: "LoadBalancer" } } },
  traefik: { service: { type: "LoadBalancer" } },
  kong: { proxy: { type: "LoadBalancer" } },
  "haproxy-ingress": { controller: { service: { type: "LoadBalancer" } } },
  contour: { envoy: { service: { type: "LoadBalancer" } } },
  gateway: { service: { type: "LoadBalancer" } },
};

/** "oci://registry/charts/ingress-nginx", "ingress-nginx/ingress-nginx" or "ingress-nginx-4.11.0.tgz" -> "ingress-nginx". */
export function chartName(chart: unknown): string | undefined {
  const text = str(chart);
  if (!text) return undefined;
  return text.split("/").pop()?.replace(/-\d+\.\d+\.\d+.*\.tgz$/, "").replace(/\.tgz$/, "");
}

/** The values a chart renders with: its exposing defaults (if known) under the release's values. */
export function effectiveValues(props: Rec): { name?: string; values: unknown; withDefaults: boolean } {
  const name = chartName(props.chart) ?? chartName(rec(props.repositoryOpts)?.repo);
  const defaults = name ? EXPOSING_DEFAULTS[name] : undefined;
  return { name, values: defaults ? merge(defaults, props.values ?? {}) : props.values, withDefaults: defaults !== undefined };
}

function merge(base: unknown, over: unknown): unknown {
  const b = rec(base);
  const o = rec(over);
  if (!b || !o) return over === undefined ? base : over;
  const out: Rec = { ...b };
  for (const [k, v] of Object.entries(o)) out[k] = merge(b[k], v);
  return out;
}

const SERVICE_KEY = /service|svc|proxy|gateway|loadbalancer/i;
const INGRESS_KEY = /(^|[a-z])ingress$/i; // "ingress", "apiIngress"; not "ingressClassResource"

/** Exposures found in a values tree, each with the values path. */
export function valuesExposures(values: unknown, allowed: AllowedRanges, config: IngressClassConfig, path = ""): string[] {
  const found: string[] = [];
  const node = rec(values);
  if (!node) {
    arr(values).forEach((v, i) => found.push(...valuesExposures(v, allowed, config, `${path}[${i}]`)));
    return found;
  }
  const key = path.split(".").pop() ?? "";
  const at = (k: string) => (path ? `${path}.${k}` : k);
  if (SERVICE_KEY.test(key) && !isFalse(node.enabled) && !isFalse(rec(node.external)?.enabled)) {
    if (node.type === "NodePort") found.push(`${at("type")} is NodePort`);
    if (node.type === "LoadBalancer") {
      const verdict = internalAnnotation(rec(node.annotations));
      if (verdict !== true) found.push(`${at("type")} is LoadBalancer: ${verdict.replace(/\.$/, "")}`);
      for (const p of publicRanges(arr(node.loadBalancerSourceRanges), allowed)) found.push(`${at("loadBalancerSourceRanges")}: ${p}`);
    }
  }
  if (INGRESS_KEY.test(key) && isTrue(node.enabled)) {
    const a = rec(node.annotations) ?? {};
    const view = ingressView(str(node.ingressClassName) ?? str(node.className) ?? str(a["kubernetes.io/ingress.class"]), a, config);
    for (const p of [...exposureProblems(view, allowed), ...sourceProblems(view, allowed)]) found.push(`${path}: ${p.replace(/\.$/, "")}`);
  }
  if (isTrue(node.hostNetwork)) found.push(`${at("hostNetwork")} is true`);
  if (arr(node.externalIPs).length > 0) found.push(`${at("externalIPs")} is set`);
  for (const [k, v] of Object.entries(node)) {
    if (k !== "annotations" && (rec(v) || Array.isArray(v))) found.push(...valuesExposures(v, allowed, config, at(k)));
  }
  return found;
}

/** Secret or unknown values where exposure is decided (service, ingress, host network); a secret password elsewhere hides nothing. */
export function hiddenExposureValues(type: string, props: Rec): string[] {
  if (!HELM_TYPES.includes(type) || isSecret(props.values)) return []; // a wholly secret values map is reported by exposure-unverifiable itself
  const found: string[] = [];
  const walk = (value: unknown, path: string): void => {
    const hidden = hiddenPath(value);
    if (!hidden) return;
    if (/(service|svc|proxy|gateway|loadbalancer|ingress|hostnetwork|externalips|annotations)/i.test(path)) {
      found.push(`values.${path}${hidden.path ? `.${hidden.path}` : ""} is ${hidden.kind === "secret" ? "a secret" : "unknown until apply"}`);
      return;
    }
    for (const [k, v] of Object.entries(rec(value) ?? {})) walk(v, path ? `${path}.${k}` : k);
  };
  for (const [k, v] of Object.entries(rec(props.values) ?? {})) walk(v, k);
  return found;
}

export const helmValuesNoExposure = resourceRule(
  {
    name: "k8s-helm-values-no-exposure",
    description: "Helm releases and charts must not expose a Service or Ingress through their values, including charts whose defaults create a public load balancer (R13).",
    requirements: ["R13"],
    remediation:
      "In the chart values set service types to ClusterIP, or LoadBalancer with the cloud's internal annotation (service.beta.kubernetes.io/aws-load-balancer-scheme: internal) and corporate loadBalancerSourceRanges; give enabled ingresses an internal scheme or whitelist-source-range; never hostNetwork, NodePort or externalIPs. Prefer typed Kubernetes resources or helm.sh/v4 Chart, whose rendered objects policies can check.",
    enforcementLevel: "mandatory",
    types: HELM_TYPES,
    usesRanges: true,
    configSchema: INGRESS_CLASS_SCHEMA,
    reads: ["chart"],
    hidden: hiddenExposureValues,
  },
  (args, report) => {
    const values = args.props.values;
    if (isSecret(values)) return; // exposure-unverifiable reports it
    const { name, values: effective, withDefaults } = effectiveValues(args.props);
    const label = name ? `chart ${name}` : "the chart";
    for (const problem of valuesExposures(effective, rangesOf(args), args.getConfig<IngressClassConfig>())) {
      report(`${label}${withDefaults ? " (with its default values)" : ""}: ${problem}.`);
    }
  },
);
