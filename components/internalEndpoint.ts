/**
 * Exposes a workload outside its namespace, the only way the platform does
 * (R13): see specs/internalLoadBalancer.ts for what it guarantees.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { InternalLoadBalancerInput, internalLoadBalancerSpec } from "../specs/internalLoadBalancer";

export interface InternalEndpointArgs extends InternalLoadBalancerInput {
  readonly namespace: pulumi.Input<string>;
  /** Service name. */
  readonly serviceName: string;
}

export function internalEndpoint(name: string, args: InternalEndpointArgs, opts: pulumi.CustomResourceOptions): k8s.core.v1.Service {
  const { annotations, spec } = internalLoadBalancerSpec(args);
  return new k8s.core.v1.Service(
    name,
    { metadata: { name: args.serviceName, namespace: args.namespace, annotations }, spec },
    opts,
  );
}
