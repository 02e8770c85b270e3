/**
 * Ingress classes whose controller's load balancer is internal, as far as the
 * stack shows it (R13): an IngressClass of the stack whose controller
 * Services (LoadBalancer Services labelled with the same
 * app.kubernetes.io/instance and app.kubernetes.io/component: controller, as
 * the ingress-nginx, Traefik and other manifests and charts label them) all
 * carry an internal load balancer annotation. An Ingress of such a class is
 * served only on private addresses, whatever its own annotations.
 */
import { PolicyResource } from "@pulumi/policy";
import { at, rec, str } from "../lib/props";
import { internalAnnotation } from "./loadBalancerAnnotations";
import { SERVICE } from "./types";

const INGRESS_CLASS = "kubernetes:networking.k8s.io/v1:IngressClass";
const INSTANCE = "app.kubernetes.io/instance";
const COMPONENT = "app.kubernetes.io/component";

function labels(r: PolicyResource): Record<string, unknown> {
  return rec(at(r.props, "metadata", "labels")) ?? {};
}

export function internalControllerClasses(resources: readonly PolicyResource[]): Set<string> {
  const controllers = resources.filter((r) => r.type === SERVICE && at(r.props, "spec", "type") === "LoadBalancer" && labels(r)[COMPONENT] === "controller");
  const classes = new Set<string>();
  for (const ingressClass of resources.filter((r) => r.type === INGRESS_CLASS)) {
    const name = str(at(ingressClass.props, "metadata", "name"));
    const instance = str(labels(ingressClass)[INSTANCE]);
    if (!name || !instance) continue;
    const own = controllers.filter((s) => labels(s)[INSTANCE] === instance);
    if (own.length > 0 && own.every((s) => internalAnnotation(rec(at(s.props, "metadata", "annotations"))) === true)) classes.add(name);
  }
  return classes;
}
