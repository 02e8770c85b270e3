/**
 * Ingress classes whose controller's load balancer is internal, as far as the
 * stack shows it (R13): an IngressClass of the stack whose controller
 * Services (LoadBalancer Services labelled with the same
 * app.kubernetes.io/instance and app.kubernetes.io/component: controller, as
 * the ingress-nginx, Traefik and other manifests and charts label them) all
 * carry an internal load balancer annotation, or an AWS Load Balancer
 * Controller IngressClass whose IngressClassParams set scheme: internal, or
 * an ingress-nginx Helm release whose values give the controller only an
 * internal load balancer (its class: controller.ingressClassResource.name). An
 * Ingress of such a class is served only on private addresses, whatever its
 * own annotations.
 */
import { PolicyResource } from "@pulumi/policy";
import { at, rec, str } from "../lib/props";
import { effectiveValues, HELM_TYPES } from "./helm";
import { internalAnnotation } from "./loadBalancerAnnotations";
import { SERVICE } from "./types";

const INGRESS_CLASS = "kubernetes:networking.k8s.io/v1:IngressClass";
const CLASS_PARAMS = ["kubernetes:elbv2.k8s.aws/v1beta1:IngressClassParams", "kubernetes:elbv2.k8s.aws/v1:IngressClassParams"];
const INSTANCE = "app.kubernetes.io/instance";
const COMPONENT = "app.kubernetes.io/component";

function labels(r: PolicyResource): Record<string, unknown> {
  return rec(at(r.props, "metadata", "labels")) ?? {};
}

export function internalControllerClasses(resources: readonly PolicyResource[]): Set<string> {
  const controllers = resources.filter((r) => r.type === SERVICE && at(r.props, "spec", "type") === "LoadBalancer" && labels(r)[COMPONENT] === "controller");
  const internalParams = new Set(
    resources.filter((r) => CLASS_PARAMS.includes(r.type) && str(at(r.props, "spec", "scheme")) === "internal").map((r) => str(at(r.props, "metadata", "name"))),
  );
  const classes = new Set<string>();
  for (const ingressClass of resources.filter((r) => r.type === INGRESS_CLASS)) {
    const name = str(at(ingressClass.props, "metadata", "name"));
    const params = rec(at(ingressClass.props, "spec", "parameters"));
    if (name && params && str(params.kind) === "IngressClassParams" && internalParams.has(str(params.name))) {
      classes.add(name);
      continue;
    }
    const instance = str(labels(ingressClass)[INSTANCE]);
    if (!name || !instance) continue;
    const own = controllers.filter((s) => labels(s)[INSTANCE] === instance);
    if (own.length > 0 && own.every((s) => internalAnnotation(rec(at(s.props, "metadata", "annotations"))) === true)) classes.add(name);
  }
  // A class that any release serves on a public load balancer is public, whatever other releases do.
  const publicClasses = new Set<string>();
  for (const release of resources.filter((r) => HELM_TYPES.includes(r.type))) {
    const { name, values } = effectiveValues(release.props);
    if (name !== "ingress-nginx") continue;
    const service = rec(at(values, "controller", "service")) ?? {};
    const external = rec(service.external)?.enabled !== false && service.enabled !== false && service.type === "LoadBalancer";
    const className = str(at(values, "controller", "ingressClassResource", "name")) ?? "nginx";
    if (!external || internalAnnotation(rec(service.annotations)) === true) classes.add(className);
    else publicClasses.add(className);
  }
  for (const c of publicClasses) classes.delete(c);
  return classes;
}
