/**
 * Pinned releases of the Grafana pod's images. Grafana OSS 12.2.1 is a
 * published grafana/grafana tag (October 2025); the audit proxy runs the
 * unprivileged nginx build (listens on unprivileged ports, runs as uid 101).
 */
export const GRAFANA_VERSION = "12.2.1";
export const GRAFANA_IMAGE = `grafana/grafana:${GRAFANA_VERSION}`;

export const NGINX_VERSION = "1.27.4";
export const AUDIT_PROXY_IMAGE = `nginxinc/nginx-unprivileged:${NGINX_VERSION}-alpine`;

/**
 * The njs module inside AUDIT_PROXY_IMAGE (the front proxy's SSO login record, render/grafanaFrontNjs.ts).
 * Read upstream: nginxinc/docker-nginx-unprivileged commit 2cc5e1e ("Update mainline NGINX to 1.27.4"),
 * mainline/alpine/Dockerfile installs `nginx-module-njs=${NGINX_VERSION}.${NJS_VERSION}` with NJS_VERSION=0.8.9;
 * nginx/pkg-oss tag 1.27.4-1, alpine/Makefile builds it with `--modules-path=/usr/lib/nginx/modules`.
 */
export const AUDIT_PROXY_NJS_MODULE = "/usr/lib/nginx/modules/ngx_http_js_module.so";
