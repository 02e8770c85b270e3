/**
 * The OpenTelemetry Collector release of the platform's own distribution
 * (the newest release whose every component the Go module proxy serves: see
 * collector/README.md).
 * collector/builder-config.yaml builds exactly this version (a test checks),
 * and the image the gateway and sampler run is tagged with it.
 */
export const COLLECTOR_VERSION = "0.148.0";

/** The image of our Collector distribution, built from collector/builder-config.yaml. */
export function collectorImage(repository: string): string {
  return `${repository}:${COLLECTOR_VERSION}`;
}

/**
 * The audit shipper (Grafana pod) needs the filelog receiver and the awss3
 * exporter. The module proxy reachable here serves no release in which those
 * and the pipeline's components all resolve, so the shipper runs the upstream
 * contrib distribution at the same release instead of our minimal one.
 */
export const AUDIT_SHIPPER_IMAGE = `otel/opentelemetry-collector-contrib:${COLLECTOR_VERSION}`;
