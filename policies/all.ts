/**
 * Every rule of the tracing-guardrails pack, in report order. Importing this
 * module is side-effect free (no PolicyPack, no gRPC server): tests and the
 * offline runner use it; only index.ts builds the pack.
 */
import { encryptionKms, noPublicAcl, noPublicPolicy, publicAccessBlock, tlsOnly } from "./aws/s3";
import { apiGatewayAuthorization, lambdaUrlAuth, noPublicByDesign } from "./aws/entryPoints";
import { listenerNoPlainHttp } from "./aws/listeners";
import { loadBalancerInternal, securityGroupNoPublicIngress } from "./aws/network";
import { ec2NoPublicIp, eipOnlyForNat, eksEndpointPrivate, openSearchInVpc } from "./aws/publicAddresses";
import { rdsEncrypted, rdsNotPublic } from "./aws/rds";
import { lambdaPermissionNotPublic, resourcePolicyNotPublic } from "./aws/resourcePolicies";
import { amiNotPublic, s3NoWebsite, snapshotsNotPublic } from "./aws/sharing";
import { gatewayInternal, routeOnInternalGateway } from "./kubernetes/gateway";
import { helmValuesNoExposure } from "./kubernetes/helm";
import { ingressInternal, ingressSourceRestricted, ingressTls } from "./kubernetes/ingress";
import { namespaceDefaultDeny, networkPolicyNoPublicSources } from "./kubernetes/networkPolicies";
import { noHostAccess, nonRootContainers } from "./kubernetes/podSecurity";
import { internalLoadBalancer, loadBalancerSourceRanges, noExternalIps, noNodePort } from "./kubernetes/services";
import { TracingPolicy } from "./lib/rule";
import { unverifiableRule } from "./lib/unverifiable";
import { traceBucketArchive } from "./tracing/archive";
import { grafanaNoPublicAccess } from "./tracing/grafana";
import { tempoRetentionWindow } from "./tracing/retention";
import { tracingTlsEverywhere } from "./tracing/tls";

export const PACK_NAME = "tracing-guardrails";

const RULES: readonly TracingPolicy[] = [
  noNodePort,
  noExternalIps,
  internalLoadBalancer,
  loadBalancerSourceRanges,
  ingressInternal,
  ingressSourceRestricted,
  ingressTls,
  gatewayInternal,
  routeOnInternalGateway,
  helmValuesNoExposure,
  networkPolicyNoPublicSources,
  noHostAccess,
  nonRootContainers,
  namespaceDefaultDeny,
  publicAccessBlock,
  noPublicAcl,
  noPublicPolicy,
  s3NoWebsite,
  encryptionKms,
  tlsOnly,
  resourcePolicyNotPublic,
  lambdaPermissionNotPublic,
  securityGroupNoPublicIngress,
  loadBalancerInternal,
  listenerNoPlainHttp,
  ec2NoPublicIp,
  eipOnlyForNat,
  eksEndpointPrivate,
  openSearchInVpc,
  lambdaUrlAuth,
  apiGatewayAuthorization,
  noPublicByDesign,
  snapshotsNotPublic,
  amiNotPublic,
  rdsNotPublic,
  rdsEncrypted,
  grafanaNoPublicAccess,
  tracingTlsEverywhere,
  tempoRetentionWindow,
  traceBucketArchive,
];

export const ALL_POLICIES: readonly TracingPolicy[] = [...RULES, unverifiableRule(RULES)];
