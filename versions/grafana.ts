/**
 * Pinned releases of the Grafana pod's images. Grafana OSS 12.2.1 is a
 * published grafana/grafana tag (October 2025); the audit proxy runs the
 * unprivileged nginx build (listens on unprivileged ports, runs as uid 101).
 */
export const GRAFANA_VERSION = "12.2.1";
export const GRAFANA_IMAGE = `grafana/grafana:${GRAFANA_VERSION}`;

export const NGINX_VERSION = "1.27.4";
export const AUDIT_PROXY_IMAGE = `nginxinc/nginx-unprivileged:${NGINX_VERSION}-alpine`;
