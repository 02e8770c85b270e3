/**
 * Load balancer listeners carry TLS (R10): an ALB listener on HTTP must only
 * redirect to HTTPS, an NLB does not serve plain HTTP on port 80, and classic
 * ELB listeners use HTTPS or SSL.
 */
import { arr, at, str } from "../lib/props";
import { resourceRule } from "../lib/rule";

const LISTENERS = ["aws:lb/listener:Listener", "aws:alb/listener:Listener"];
const CLASSIC_ELB = "aws:elb/loadBalancer:LoadBalancer";

/** True when every default action redirects to HTTPS. */
function redirectsToHttps(actions: unknown[]): boolean {
  return actions.length > 0 && actions.every((a) => at(a, "type") === "redirect" && String(at(a, "redirect", "protocol") ?? "").toUpperCase() === "HTTPS");
}

export const listenerNoPlainHttp = resourceRule(
  {
    name: "aws-listener-no-plain-http",
    description: "Load balancer listeners must not serve plain HTTP: an HTTP listener may only redirect to HTTPS (R10).",
    requirements: ["R10"],
    remediation:
      "Use protocol HTTPS (ALB) or TLS (NLB) with a certificateArn; keep an HTTP listener only with a single default action {type: \"redirect\", redirect: {protocol: \"HTTPS\", port: \"443\", statusCode: \"HTTP_301\"}}.",
    enforcementLevel: "mandatory",
    types: [...LISTENERS, CLASSIC_ELB],
    reads: ["protocol", "port", "defaultActions", "listeners"],
  },
  (args, report) => {
    if (args.type === CLASSIC_ELB) {
      for (const l of arr(args.props.listeners)) {
        const protocol = String(at(l, "lbProtocol") ?? "").toUpperCase();
        if (protocol === "HTTP" || (protocol === "TCP" && at(l, "lbPort") === 80)) report(`listener ${protocol}:${String(at(l, "lbPort"))} is plain text.`);
      }
      return;
    }
    // The provider's default protocol is HTTP for an ALB listener.
    const protocol = (str(args.props.protocol) ?? "HTTP").toUpperCase();
    const port = args.props.port;
    if (protocol === "HTTP" && !redirectsToHttps(arr(args.props.defaultActions))) report(`listener HTTP:${String(port ?? "?")} serves plain HTTP without redirecting to HTTPS.`);
    if (["TCP", "TCP_UDP"].includes(protocol) && (port === 80 || port === "80")) report(`listener ${protocol}:80 carries plain HTTP; use TLS.`);
  },
);
