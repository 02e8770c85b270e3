/**
 * Tempo 3.x per-tenant limits (R4, R6): ONE typed set, rendered as the same
 * block into `overrides.defaults` of tempo.yaml and into every tenant entry
 * of tempo-overrides.yaml.
 *
 * Why every entry carries every limit: in Tempo 3.x a tenant entry of the
 * per-tenant overrides file is NOT merged with the defaults. The overrides
 * manager returns the tenant's entry as it is (grafana/tempo v3.0.3,
 * modules/overrides/runtime_config_overrides.go, getOverridesForUser), so
 * every field the entry leaves out is zero, and a zero ingestion rate refuses
 * every span ("RATE_LIMITED ... local: 0 bytes/s"). Keys and types are those
 * of the Overrides struct in modules/overrides/config.go at v3.0.3.
 */

const MIB = 1024 * 1024;
const HOURS_PER_DAY = 24;

/** The limits a stack may set; the same for every tenant of the stack. */
export interface TempoTenantLimits {
  /** Per-tenant ingestion rate (distributor token bucket, `local` strategy = the one monolithic process), in bytes per second. */
  readonly ingestionRateBytes: number;
  /** Per-tenant ingestion burst, in bytes: must hold the largest single push (one sampler batch). */
  readonly ingestionBurstBytes: number;
  /** Live (not yet flushed) traces per tenant in the live-store; 0 would disable the limit. */
  readonly maxTracesPerTenant: number;
  /** Largest trace, in bytes; spans beyond it are refused (TRACE_TOO_LARGE). */
  readonly maxBytesPerTrace: number;
  /** Longest time range one search may cover, in hours. */
  readonly maxSearchHours: number;
}

/**
 * What Tempo 3.0.3's own defaults set under `overrides.defaults` beyond the
 * limits above (docs/sources/tempo/configuration/manifest.md at v3.0.3, the
 * generated full configuration; flags in modules/overrides/config.go
 * RegisterFlagsAndApplyDefaults). Written explicitly so a tenant entry is
 * never missing one (the metrics generator does not run here, its values are
 * carried only so that entry == defaults).
 */
export const TEMPO_BUILTIN_LIMITS = {
  ingestion: { rate_strategy: "local", retry_info_enabled: true },
  read: { max_bytes_per_tag_values_query: 1_000_000, max_condition_groups_per_tag_query: 100 },
  metrics_generator: {
    generate_native_histograms: "classic",
    native_histogram_bucket_factor: 1.1,
    native_histogram_max_bucket_number: 100,
    native_histogram_min_reset_duration: "15m0s",
  },
} as const;

/**
 * Prod-sized defaults for the order pipeline; the sizing is in docs/storage.md
 * ("Per-tenant limits"). Keep in step with the `tracing:tempo*` defaults in
 * config/stackConfig.ts, which reads these.
 */
export const DEFAULT_TEMPO_LIMITS = {
  ingestionRateMiB: 16,
  ingestionBurstMiB: 32,
  maxTracesPerTenant: 50_000,
  maxTraceSizeMiB: 5,
} as const;

export const mib = (n: number): number => n * MIB;

/** A duration in Tempo's syntax for a number of days, e.g. 7 -> "168h". */
export function daysToHours(days: number): string {
  return `${days * HOURS_PER_DAY}h`;
}

/** The complete overrides block of one tenant (or the defaults): every limit, nothing left to zero. */
export function tenantLimitsBlock(limits: TempoTenantLimits, retentionDays: number): Record<string, unknown> {
  return {
    ingestion: {
      ...TEMPO_BUILTIN_LIMITS.ingestion,
      rate_limit_bytes: limits.ingestionRateBytes,
      burst_size_bytes: limits.ingestionBurstBytes,
      max_traces_per_user: limits.maxTracesPerTenant,
    },
    read: { ...TEMPO_BUILTIN_LIMITS.read, max_search_duration: `${limits.maxSearchHours}h` },
    compaction: { block_retention: daysToHours(retentionDays) },
    metrics_generator: { ...TEMPO_BUILTIN_LIMITS.metrics_generator },
    global: { max_bytes_per_trace: limits.maxBytesPerTrace },
  };
}

/** The stack's `tracing:tempo*` values (MiB, hours) as renderer limits (bytes, hours). */
export function tenantLimitsFromStack(s: {
  readonly ingestionRateMiB: number;
  readonly ingestionBurstMiB: number;
  readonly maxTracesPerTenant: number;
  readonly maxTraceSizeMiB: number;
  readonly maxSearchHours: number;
}): TempoTenantLimits {
  return {
    ingestionRateBytes: mib(s.ingestionRateMiB),
    ingestionBurstBytes: mib(s.ingestionBurstMiB),
    maxTracesPerTenant: s.maxTracesPerTenant,
    maxBytesPerTrace: mib(s.maxTraceSizeMiB),
    maxSearchHours: s.maxSearchHours,
  };
}
