/**
 * Ingresses are internal, source-restricted and HTTPS-only (R10, R13), judged
 * by the controller that serves them (ingressClass.ts): ALB annotations for
 * the AWS Load Balancer Controller, whitelist-source-range for ingress-nginx,
 * configured internal classes, or classes whose controller Service the stack
 * shows to be internal, for the rest. The two exposure rules are stack rules
 * for that reason; the TLS rule reads one Ingress.
 */
import { StackValidationArgs } from "@pulumi/policy";
import { annotations, arr, at, rec, str } from "../lib/props";
import { rangesOf, resourceRule, stackRule } from "../lib/rule";
import { internalControllerClasses } from "./ingressControllers";
import { exposureProblems, INGRESS_CLASS_SCHEMA, IngressClassConfig, ingressViewOf, IngressView, sourceProblems } from "./ingressClass";
import { INGRESS_TYPES } from "./types";

const LISTEN_PORTS = "alb.ingress.kubernetes.io/listen-ports";
const SSL_REDIRECT = "alb.ingress.kubernetes.io/ssl-redirect";
const NGINX_SSL_REDIRECT = "nginx.ingress.kubernetes.io/ssl-redirect";

/** Each Ingress of the stack with its view; stack rules so that a class whose controller Service the stack shows to be internal counts. */
function ingressViews(args: StackValidationArgs): { urn: string; view: IngressView }[] {
  const config = { ...args.getConfig<IngressClassConfig>(), internalInStack: internalControllerClasses(args.resources) };
  return args.resources.filter((r) => INGRESS_TYPES.includes(r.type)).map((r) => ({ urn: r.urn, view: ingressViewOf(r.props, config) }));
}

export const ingressInternal = stackRule(
  {
    name: "k8s-ingress-internal",
    description: "An Ingress must be served by an internal load balancer or admit only private sources, whatever its controller (R13).",
    requirements: ["R13"],
    remediation:
      "AWS Load Balancer Controller: annotate alb.ingress.kubernetes.io/scheme: internal. ingress-nginx and others: use a controller whose Service is an internal load balancer (an IngressClass and controller Service in the stack, or the class listed in the policy's internalIngressClasses), or set nginx.ingress.kubernetes.io/whitelist-source-range to corporate ranges.",
    enforcementLevel: "mandatory",
    usesRanges: true,
    configSchema: INGRESS_CLASS_SCHEMA,
  },
  (args, report) => {
    const allowed = rangesOf(args);
    for (const { urn, view } of ingressViews(args)) for (const problem of exposureProblems(view, allowed)) report(problem, urn);
  },
);

export const ingressSourceRestricted = stackRule(
  {
    name: "k8s-ingress-source-restricted",
    description: "An Ingress must admit only private source ranges (R13).",
    requirements: ["R13"],
    remediation:
      "List the corporate CIDRs (private or configured allowed ranges, comma separated) in alb.ingress.kubernetes.io/inbound-cidrs (AWS Load Balancer Controller) or nginx.ingress.kubernetes.io/whitelist-source-range (ingress-nginx).",
    enforcementLevel: "mandatory",
    usesRanges: true,
    configSchema: INGRESS_CLASS_SCHEMA,
  },
  (args, report) => {
    const allowed = rangesOf(args);
    for (const { urn, view } of ingressViews(args)) for (const problem of sourceProblems(view, allowed)) report(problem, urn);
  },
);

/** Protocols of the listen-ports annotation, e.g. '[{"HTTP": 80}, {"HTTPS": 443}]'; undefined when unreadable. */
function listenProtocols(value: string): string[] | undefined {
  try {
    const parsed: unknown = JSON.parse(value);
    if (!Array.isArray(parsed)) return undefined;
    return parsed.flatMap((entry) => Object.keys(rec(entry) ?? {}));
  } catch {
    return undefined;
  }
}

export const ingressTls = resourceRule(
  {
    name: "k8s-ingress-tls-only",
    description: "An Ingress must terminate TLS and serve no plain HTTP (R10).",
    requirements: ["R10"],
    remediation: `Add spec.tls with the host's certificate; for the AWS Load Balancer Controller set ${LISTEN_PORTS} to '[{"HTTPS": 443}]' (or add ${SSL_REDIRECT}: "443" when an HTTP listener must redirect); for ingress-nginx do not set ssl-redirect to "false".`,
    enforcementLevel: "mandatory",
    types: INGRESS_TYPES,
    reads: ["metadata", "spec"],
  },
  (args, report) => {
    if (arr(at(args.props, "spec", "tls")).length === 0) report("spec.tls is missing.");
    const a = annotations(args.props);
    if (String(a[NGINX_SSL_REDIRECT] ?? "").toLowerCase() === "false") report(`annotation ${NGINX_SSL_REDIRECT}: "false" serves plain HTTP.`);
    const listen = str(a[LISTEN_PORTS]);
    if (listen === undefined) return;
    const protocols = listenProtocols(listen);
    if (!protocols) {
      report(`annotation ${LISTEN_PORTS} is not a JSON list of {"PROTOCOL": port} entries.`);
      return;
    }
    const plain = protocols.filter((p) => p.toUpperCase() !== "HTTPS");
    if (plain.length > 0 && a[SSL_REDIRECT] === undefined) report(`listener(s) ${plain.join(", ")} serve plain HTTP without ${SSL_REDIRECT}.`);
  },
);
