/**
 * Every rule of the tracing-guardrails pack, in report order. Importing this
 * module is side-effect free (no PolicyPack, no gRPC server): tests and the
 * offline runner use it; only index.ts builds the pack.
 */
import { encryptionKms, noPublicAcl, noPublicPolicy, publicAccessBlock, tlsOnly } from "./aws/s3";
import { loadBalancerInternal, securityGroupNoPublicIngress } from "./aws/network";
import { rdsEncrypted, rdsNotPublic } from "./aws/rds";
import { ingressInternal, ingressSourceRestricted, ingressTls } from "./kubernetes/ingress";
import { namespaceDefaultDeny } from "./kubernetes/networkPolicies";
import { noHostAccess, nonRootContainers } from "./kubernetes/podSecurity";
import { internalLoadBalancer, loadBalancerSourceRanges, noExternalIps, noNodePort } from "./kubernetes/services";
import { TracingPolicy } from "./lib/rule";
import { traceBucketArchive } from "./tracing/archive";
import { grafanaNoPublicAccess } from "./tracing/grafana";
import { tempoRetentionWindow } from "./tracing/retention";
import { tracingTlsEverywhere } from "./tracing/tls";

export const PACK_NAME = "tracing-guardrails";

export const ALL_POLICIES: readonly TracingPolicy[] = [
  noNodePort,
  noExternalIps,
  internalLoadBalancer,
  loadBalancerSourceRanges,
  ingressInternal,
  ingressSourceRestricted,
  ingressTls,
  noHostAccess,
  nonRootContainers,
  namespaceDefaultDeny,
  publicAccessBlock,
  noPublicAcl,
  noPublicPolicy,
  encryptionKms,
  tlsOnly,
  securityGroupNoPublicIngress,
  loadBalancerInternal,
  rdsNotPublic,
  rdsEncrypted,
  grafanaNoPublicAccess,
  tracingTlsEverywhere,
  tempoRetentionWindow,
  traceBucketArchive,
];
