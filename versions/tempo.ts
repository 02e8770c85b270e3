/**
 * The Grafana Tempo release the platform runs (R4): Tempo 3.x in monolithic
 * mode (`target: all`, no Kafka).
 *
 * 3.0.3 exists as a release: tag v3.0.3 of github.com/grafana/tempo (commit
 * 1900ed7bb5cad1a3edc285783d7d4ac4278337dc, 2026-08-13), whose CHANGELOG.md
 * has a "# v3.0.3" section and whose VERSION file says 3.0.3. The newest
 * tags are v3.0.0 .. v3.0.3; `main` says 3.1.0-dev and there are no 3.1
 * release notes, so 3.1.0 is not a release. The rendered tempo.yaml is
 * checked key by key against that tag's configuration docs
 * (tests/storage/tempoUpstream.ts) and, with TEMPO_BIN, by the binary itself
 * (e2e/tempoConformance.test.ts). Keep this the single place that names the
 * version.
 */
export const TEMPO_VERSION = "3.0.3";

/** The upstream image, pinned to TEMPO_VERSION. */
export const TEMPO_IMAGE = `grafana/tempo:${TEMPO_VERSION}`;
