/** Ingresses are internal, source-restricted and HTTPS-only (R10, R13). */
import { cidrProblem } from "../lib/cidr";
import { annotations, arr, at, rec, str } from "../lib/props";
import { resourceRule } from "../lib/rule";
import { INGRESS_TYPES } from "./types";

const SCHEME = "alb.ingress.kubernetes.io/scheme";
const INBOUND = "alb.ingress.kubernetes.io/inbound-cidrs";
const LISTEN_PORTS = "alb.ingress.kubernetes.io/listen-ports";
const SSL_REDIRECT = "alb.ingress.kubernetes.io/ssl-redirect";

export const ingressInternal = resourceRule(
  {
    name: "k8s-ingress-internal",
    description: "An Ingress must create an internal load balancer (R13).",
    requirements: ["R13"],
    remediation: `Annotate the Ingress with ${SCHEME}: internal.`,
    enforcementLevel: "mandatory",
    types: INGRESS_TYPES,
  },
  (args, report) => {
    const scheme = str(annotations(args.props)[SCHEME]);
    if (scheme !== "internal") report(scheme ? `annotation ${SCHEME} is "${scheme}".` : `annotation ${SCHEME}: internal is missing.`);
  },
);

export const ingressSourceRestricted = resourceRule(
  {
    name: "k8s-ingress-source-restricted",
    description: "An Ingress must admit only private source ranges (R13).",
    requirements: ["R13"],
    remediation: `Annotate the Ingress with ${INBOUND} listing the corporate CIDRs (private ranges, comma separated).`,
    enforcementLevel: "mandatory",
    types: INGRESS_TYPES,
  },
  (args, report) => {
    const inbound = str(annotations(args.props)[INBOUND]);
    const ranges = (inbound ?? "").split(",").map((s) => s.trim()).filter((s) => s.length > 0);
    if (ranges.length === 0) {
      report(`annotation ${INBOUND} is missing, so any address may connect.`);
      return;
    }
    for (const range of ranges) {
      const problem = cidrProblem(range, { requirePrivate: true });
      if (problem) report(`inbound CIDR "${range}" ${problem}.`);
    }
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
    remediation: `Add spec.tls with the host's certificate and set ${LISTEN_PORTS} to '[{"HTTPS": 443}]' (or add ${SSL_REDIRECT}: "443" when an HTTP listener must redirect).`,
    enforcementLevel: "mandatory",
    types: INGRESS_TYPES,
  },
  (args, report) => {
    if (arr(at(args.props, "spec", "tls")).length === 0) report("spec.tls is missing.");
    const a = annotations(args.props);
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
