/**
 * The Prometheus release of the private metrics stores (R5): the 2.53 LTS
 * line. Its flags and web configuration (remote-write receiver, TLS with
 * required client certificates) are those the e2e tier runs in Debian's 2.42;
 * render/prometheusConfig.ts uses nothing newer.
 */
export const PROMETHEUS_VERSION = "2.53.4";

export const PROMETHEUS_IMAGE = `quay.io/prometheus/prometheus:v${PROMETHEUS_VERSION}`;
