/**
 * Grafana by its name, before the Grafana provider talks to it (R8, R13):
 * the DNS record of tracing:grafanaHostname in the private hosted zone (when
 * tracing:privateHostedZoneId is set; otherwise the DNS team creates it, see
 * docs/deploy.md), pointing at the internal NLB the AWS Load Balancer
 * Controller published in the Service's status, and a check that waits until
 * `https://<hostname>/api/health` answers with the stack CA. A new NLB needs
 * minutes before its targets are healthy and its name resolves; without the
 * wait the first `pulumi up` fails on that race.
 */
import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { waitForHttpsHealth } from "./httpsHealth";

/** How long the first deploy waits for target health and DNS. */
export const GRAFANA_REACHABLE_TIMEOUT_SECONDS = 900;

export interface GrafanaReachabilityArgs {
  /** tracing:grafanaHostname. */
  readonly hostname: string;
  /** Route53 private hosted zone holding the hostname. @default undefined (the record is made outside the stack) */
  readonly privateHostedZoneId?: string;
  /** Grafana's LoadBalancer Service. */
  readonly service: k8s.core.v1.Service;
  /** The stack CA: the only certificate authority the check trusts. */
  readonly caCertPem: pulumi.Input<string>;
  /** Resources that must exist before the check starts (the Deployment). */
  readonly dependsOn: pulumi.Resource[];
}

interface HealthInputs {
  readonly hostname: string;
  readonly caCertPem: string;
  readonly timeoutSeconds: number;
  /** Not read by the check: a new load balancer (or record) changes it, so the check runs again. */
  readonly loadBalancerHostname: string;
}

/** Dynamic provider: create and update wait; the check owns nothing, so delete is a no-op. */
const healthCheckProvider: pulumi.dynamic.ResourceProvider<HealthInputs> = {
  async create(inputs) {
    const result = await waitForHttpsHealth({ hostname: inputs.hostname, caCertPem: inputs.caCertPem, timeoutSeconds: inputs.timeoutSeconds });
    return { id: inputs.hostname, outs: { ...inputs, attempts: result.attempts } };
  },
  async update(_id, _olds, news) {
    const result = await waitForHttpsHealth({ hostname: news.hostname, caCertPem: news.caCertPem, timeoutSeconds: news.timeoutSeconds });
    return { outs: { ...news, attempts: result.attempts } };
  },
};

/** The wait as a resource: created once, re-run when the hostname, CA or load balancer changes. */
class GrafanaReachable extends pulumi.dynamic.Resource {
  constructor(name: string, inputs: pulumi.Inputs, opts: pulumi.CustomResourceOptions) {
    super(healthCheckProvider, name, inputs, opts, "grafana", "Reachable");
  }
}

/** Declares the record (when the zone is known) and the wait; the Grafana provider depends on the returned resource. */
export function grafanaReachability(name: string, args: GrafanaReachabilityArgs, parent: pulumi.Resource): pulumi.Resource {
  const loadBalancerHostname = args.service.status.loadBalancer.ingress.apply((ingress) => {
    const hostname = ingress?.[0]?.hostname;
    if (!hostname) throw new Error("Grafana's Service has no load balancer hostname in its status: is the AWS Load Balancer Controller running?");
    return hostname;
  });
  const record = args.privateHostedZoneId
    ? new aws.route53.Record(
        `${name}-dns`,
        { zoneId: args.privateHostedZoneId, name: args.hostname, type: "CNAME", ttl: 60, records: [loadBalancerHostname] },
        { parent },
      )
    : undefined;
  const inputs: pulumi.Inputs = {
    hostname: args.hostname,
    caCertPem: args.caCertPem,
    timeoutSeconds: GRAFANA_REACHABLE_TIMEOUT_SECONDS,
    loadBalancerHostname,
  };
  return new GrafanaReachable(`${name}-reachable`, inputs, { parent, dependsOn: [...args.dependsOn, ...(record ? [record] : [])] });
}
