/**
 * Building blocks shared by the gateway and sampler Collector configurations.
 * Pure: no Pulumi. Every key here was checked against the Collector sources
 * (configtls, configgrpc, memorylimiter, healthcheck extension) and the
 * rendered files are validated by the real v0.148.0 binary (tests/collector).
 */
import { stringify } from "yaml";

/** PEM files of one TLS identity plus the CA bundle that verifies peers. */
export interface TlsFiles {
  /** Certificate presented to peers (server cert on receivers, client cert on exporters). */
  readonly certFile: string;
  /** Private key of `certFile`. */
  readonly keyFile: string;
  /** CA bundle: verifies servers (exporters) and is `client_ca_file` on receivers (mutual TLS, R10). */
  readonly caFile: string;
}

export type TlsMinVersion = "1.2" | "1.3";

/** Memory limits of one Collector container, applied to memory_limiter and GOMEMLIMIT alike. */
export interface MemoryLimits {
  /** Hard limit for memory_limiter (`limit_mib`), in MiB. */
  readonly limitMiB: number;
  /** Headroom below the limit where memory_limiter starts refusing data (`spike_limit_mib`), in MiB. */
  readonly spikeLimitMiB: number;
}

/**
 * Derives memory_limiter settings from the container's memory limit: 80% for
 * the Collector (the rest covers Go runtime overhead and page cache), a
 * fifth of that as spike headroom. The component sets GOMEMLIMIT to the same
 * `limitMiB`, so the garbage collector works hard before the limiter refuses.
 */
export function memoryLimitsFor(containerLimitMiB: number): MemoryLimits {
  const limitMiB = Math.floor(containerLimitMiB * 0.8);
  return { limitMiB, spikeLimitMiB: Math.floor(limitMiB / 5) };
}

export function memoryLimiterConfig(limits: MemoryLimits): Record<string, unknown> {
  return { check_interval: "1s", limit_mib: limits.limitMiB, spike_limit_mib: limits.spikeLimitMiB };
}

/** TLS settings of a server that requires client certificates signed by the stack's CA (R10). */
export function mutualTlsServer(tls: TlsFiles, minVersion: TlsMinVersion): Record<string, unknown> {
  return {
    cert_file: tls.certFile,
    key_file: tls.keyFile,
    client_ca_file: tls.caFile,
    min_version: minVersion,
  };
}

/** TLS settings of a client that verifies the server against the CA and presents its own certificate. */
export function mutualTlsClient(tls: TlsFiles, minVersion: TlsMinVersion, serverNameOverride?: string): Record<string, unknown> {
  return {
    ca_file: tls.caFile,
    cert_file: tls.certFile,
    key_file: tls.keyFile,
    min_version: minVersion,
    ...(serverNameOverride ? { server_name_override: serverNameOverride } : {}),
  };
}

/**
 * The health_check extension, served over TLS (server certificate only:
 * kubelet probes use HTTPS without client certificates).
 */
export function healthCheckExtension(endpoint: string, tls: TlsFiles, minVersion: TlsMinVersion): Record<string, unknown> {
  return { endpoint, path: "/", tls: { cert_file: tls.certFile, key_file: tls.keyFile, min_version: minVersion } };
}

/** `text` as a literal in a regular expression (RE2 and JavaScript alike). */
export function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** An OTTL string literal: OTTL unquotes Go-style, and every JSON escape is a valid Go escape. */
export function ottlString(value: string): string {
  return JSON.stringify(value);
}

/**
 * The Collector expands `${…}` in every configuration string and turns `$$`
 * into `$` (confmap v1.71 resolver). OTTL statements may contain `$` in
 * regexes and `${1}` group references, so each literal `$` is written `$$`.
 */
export function escapeConfmap(value: string): string {
  return value.replace(/\$/g, "$$$$");
}

/** Deterministic YAML for a Collector configuration, with a comment header. */
export function renderCollectorYaml(header: readonly string[], config: Record<string, unknown>): string {
  const comment = header.map((line) => (line ? `# ${line}` : "#")).join("\n");
  return `${comment}\n${stringify(config, { lineWidth: 0, aliasDuplicateObjects: false })}`;
}
