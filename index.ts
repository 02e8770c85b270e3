/**
 * Entry point of `pulumi up`: read and validate the stack configuration
 * (before any resource is declared), then compose the platform.
 */
import { TracingPlatform } from "./components/platform";
import { loadStackConfig } from "./config/load";

const config = loadStackConfig();
const platform = new TracingPlatform("tracing", { config });

export const namespace = platform.namespace;
export const caCertPem = platform.caCertPem;
/** mTLS client certificates for Shop, CRM and MES APIs; private keys are secrets. */
export const clientCertificates = platform.clientCertificates;
/** Trace storage: the bucket with Tempo's blocks and archive, Tempo's IRSA role. */
export const traceBucketName = platform.traceBucketName;
export const tempoRoleArn = platform.tempoRoleArn;
/** Grafana: its corporate URL and the audit trail's Object Lock bucket. */
export const grafanaUrl = platform.grafanaUrl;
export const auditBucketName = platform.auditBucketName;
/** Collector: OTLP endpoints of the gateway (in-cluster names, and the internal NLB when exposed). */
export const collectorEndpoints = platform.collectorEndpoints;
