/**
 * Which controller serves an Ingress, and whether it admits only private
 * sources (R13). The AWS Load Balancer Controller reads alb.ingress.kubernetes.io/*
 * annotations; ingress-nginx ignores them and restricts sources with
 * whitelist-source-range (allowlist-source-range in newer releases); a class
 * listed in `internalIngressClasses` is served by an internal load balancer.
 */
import { PolicyConfigSchema } from "@pulumi/policy";
import { annotations, at, Rec, str } from "../lib/props";
import { AllowedRanges, publicRanges } from "../lib/privateRanges";

export const ALB_SCHEME = "alb.ingress.kubernetes.io/scheme";
export const ALB_INBOUND = "alb.ingress.kubernetes.io/inbound-cidrs";
const NGINX_ALLOW = ["nginx.ingress.kubernetes.io/whitelist-source-range", "nginx.ingress.kubernetes.io/allowlist-source-range"];
const CLASS_ANNOTATION = "kubernetes.io/ingress.class";

/** GKE's internal class; other internal classes are recognised by name (isConventionallyInternal) or configured. */
export const DEFAULT_INTERNAL_CLASSES: readonly string[] = ["gce-internal"];

/** Class names that say "internal" or "private" as a word: nginx-internal, internal-nginx, istio-private. */
export function isConventionallyInternal(className: string): boolean {
  return /(^|[-_.])(internal|private)([-_.]|$)/i.test(className);
}

export const INGRESS_CLASS_SCHEMA: PolicyConfigSchema = {
  properties: {
    internalIngressClasses: { type: "array", items: { type: "string" }, default: [...DEFAULT_INTERNAL_CLASSES] },
  },
};

export interface IngressClassConfig {
  /** Ingress classes whose controller has only an internal load balancer. @default DEFAULT_INTERNAL_CLASSES */
  readonly internalIngressClasses?: readonly string[];
  /** Classes the stack itself shows to be internal (ingressControllers.ts); not a config property. */
  readonly internalInStack?: ReadonlySet<string>;
}

/** Annotations by which a controller itself puts the Ingress on a private address (Azure Application Gateway). */
const PRIVATE_ADDRESS_ANNOTATIONS: Readonly<Record<string, string>> = { "appgw.ingress.kubernetes.io/use-private-ip": "true" };

export type Family = "alb" | "nginx" | "internal" | "other";

export interface IngressView {
  readonly className?: string;
  readonly family: Family;
  readonly annotations: Rec;
}

/** Reads the class and controller family of an Ingress (or of Helm values shaped like one). */
export function ingressView(className: string | undefined, a: Rec, config: IngressClassConfig): IngressView {
  const internal = config.internalIngressClasses ?? DEFAULT_INTERNAL_CLASSES;
  const keys = Object.keys(a);
  let family: Family = "other";
  const privateAddress = Object.entries(PRIVATE_ADDRESS_ANNOTATIONS).some(([k, v]) => String(a[k] ?? "").toLowerCase() === v);
  const named = className !== undefined && (internal.includes(className) || isConventionallyInternal(className) || config.internalInStack?.has(className) === true);
  if (named || privateAddress) family = "internal";
  else if (className !== undefined ? /(^|[-_.])alb([-_.]|$)/.test(className) : keys.some((k) => k.startsWith("alb.ingress.kubernetes.io/"))) family = "alb";
  else if (className !== undefined ? className.includes("nginx") : keys.some((k) => k.startsWith("nginx.ingress.kubernetes.io/"))) family = "nginx";
  return { className, family, annotations: a };
}

export function ingressViewOf(props: Rec, config: IngressClassConfig): IngressView {
  const a = annotations(props);
  return ingressView(str(at(props, "spec", "ingressClassName")) ?? str(a[CLASS_ANNOTATION]), a, config);
}

function list(value: unknown): string[] {
  return (str(value) ?? "").split(",").map((s) => s.trim()).filter((s) => s.length > 0);
}

/** The nginx allow-list ranges, or undefined when none is set. */
function nginxAllowList(a: Rec): string[] | undefined {
  const found = NGINX_ALLOW.map((k) => a[k]).find((v) => v !== undefined);
  return found === undefined ? undefined : list(found);
}

function describe(view: IngressView): string {
  return view.className ? `ingress class "${view.className}"` : "no ingress class";
}

/** Why the Ingress's load balancer is not internal (ALB) or not limited to private sources (nginx, others); [] when private. */
export function exposureProblems(view: IngressView, allowed: AllowedRanges): string[] {
  const a = view.annotations;
  if (view.family === "internal") return [];
  if (view.family === "alb") {
    const scheme = str(a[ALB_SCHEME]);
    return scheme === "internal" ? [] : [scheme ? `annotation ${ALB_SCHEME} is "${scheme}".` : `annotation ${ALB_SCHEME}: internal is missing (the controller's default is internet-facing).`];
  }
  const allow = nginxAllowList(a);
  if (allow !== undefined && allow.length > 0 && publicRanges(allow, allowed).length === 0) return [];
  if (view.family === "nginx") return [`${describe(view)} (ingress-nginx) admits every source: ${NGINX_ALLOW[0]} with private ranges is missing${allow ? " or not private" : ""}.`];
  return [
    `${describe(view)}: annotation ${ALB_SCHEME}: internal is missing and the controller is not known to be internal (list the class in internalIngressClasses, or restrict sources with ${NGINX_ALLOW[0]}).`,
  ];
}

/** Why the Ingress admits public source ranges; [] when every source is private. */
export function sourceProblems(view: IngressView, allowed: AllowedRanges): string[] {
  const a = view.annotations;
  const nginx = nginxAllowList(a);
  if (view.family === "alb") {
    const inbound = list(a[ALB_INBOUND]);
    if (inbound.length === 0) return [`annotation ${ALB_INBOUND} is missing, so any address may connect.`];
    return publicRanges(inbound, allowed).map((p) => `inbound CIDR ${p}.`);
  }
  if (nginx !== undefined) return nginx.length === 0 ? [`${NGINX_ALLOW[0]} is empty.`] : publicRanges(nginx, allowed).map((p) => `source range ${p}.`);
  if (view.family === "internal") return [];
  const wanted = view.family === "nginx" ? NGINX_ALLOW[0] : `${ALB_INBOUND} or ${NGINX_ALLOW[0]}`;
  return [`${describe(view)}: source restriction (${wanted}) is missing, so any address may connect.`];
}
