/**
 * The Grafana Tempo release the platform runs (R4): Tempo 3.x in monolithic
 * mode (`target: all`, no Kafka). 3.1.0 is the newest 3.x release confirmed in
 * Tempo's documentation (docs/sources/tempo/release-notes/v3-1.md) and in
 * published `grafana/tempo:3.1.0` image references. Keep this the single place
 * that names the version; render/tempoConfig.ts writes keys this release accepts.
 */
export const TEMPO_VERSION = "3.1.0";

/** The upstream image, pinned to TEMPO_VERSION. */
export const TEMPO_IMAGE = `grafana/tempo:${TEMPO_VERSION}`;
