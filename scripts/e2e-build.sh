#!/usr/bin/env bash
# Build the e2e binary from source through the Go module proxy:
#   .e2e/bin/otelcol-tracing  OpenTelemetry Collector distribution (ocb, collector/builder-config.yaml)
# Tempo is never built here (it is AGPL-licensed and the project requires no
# grafana module): the e2e tier runs the capture store, or a Tempo release
# binary the user brings with TEMPO_BIN (docs/e2e.md).
#
# Built binaries are cached in
#   ${XDG_CACHE_HOME:-$HOME/.cache}/tracing-e2e/<component>-<version>-<hash>/
# where <hash> covers the manifest / go.sum, the ocb version and the Go
# toolchain version. A cache hit only copies the binary.
#
# Environment:
#   E2E_BUILD_FORCE=1        ignore the cache and rebuild
#   E2E_BUILD_UPDATE_LOCK=1  re-resolve dependencies and rewrite the committed
#                            collector/go.sum.
#                            Needs GOSUMDB=off here because the reachable checksum
#                            database lacks entries for some pinned versions; the
#                            committed go.sum then pins the hashes.
#   E2E_BUILD_ONLY=collector  accepted for compatibility (the Collector is the only build)
set -euo pipefail

log() { printf '[e2e:build] %s\n' "$*"; }
die() { printf '[e2e:build] ERROR: %s\n' "$*" >&2; exit 1; }
now() { date +%s; }
elapsed() { echo "$(( $(now) - $1 ))s"; }

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

MANIFEST="collector/builder-config.yaml"
COLLECTOR_LOCK="collector/go.sum"
BIN_DIR="$ROOT/.e2e/bin"
TOOLS_DIR="$ROOT/.e2e/tools"
CACHE_ROOT="${XDG_CACHE_HOME:-$HOME/.cache}/tracing-e2e"
MIN_GO="1.25.0"

T_START=$(now)

# ---------------------------------------------------------------- go toolchain
command -v go >/dev/null 2>&1 || die "'go' not found in PATH (need Go >= $MIN_GO; e.g. /usr/local/go/bin)"
# Never let a go.mod 'go' line trigger a toolchain download (no network for that).
export GOTOOLCHAIN=local
GO_VERSION="$(go env GOVERSION)"            # e.g. go1.26.8
GO_VERSION="${GO_VERSION#go}"
ver_ge() { [ "$(printf '%s\n%s\n' "$2" "$1" | sort -V | head -n1)" = "$2" ]; }
ver_ge "${GO_VERSION%%[-+ ]*}" "$MIN_GO" || die "Go $GO_VERSION is too old; need Go >= $MIN_GO"
log "go $GO_VERSION ($(command -v go)), GOPROXY=$(go env GOPROXY)"

UPDATE_LOCK="${E2E_BUILD_UPDATE_LOCK:-0}"
FORCE="${E2E_BUILD_FORCE:-0}"
ONLY="${E2E_BUILD_ONLY:-}"
if [ "$UPDATE_LOCK" = 1 ]; then
  export GOSUMDB=off
  FORCE=1
  log "E2E_BUILD_UPDATE_LOCK=1: re-resolving dependencies with GOSUMDB=off"
fi

mkdir -p "$BIN_DIR" "$TOOLS_DIR" "$CACHE_ROOT"

hash_of() { cat "$@" | sha256sum | cut -c1-16; }

# install_binary <cached file> <dest>: hard link when possible, else copy.
install_binary() {
  rm -f "$2"
  ln "$1" "$2" 2>/dev/null || cp "$1" "$2"
  chmod +x "$2"
}

# ------------------------------------------------------------------- collector
build_collector() {
  [ -f "$MANIFEST" ] || die "$MANIFEST not found"
  local version out_path name
  version="$(sed -n 's/^  version: *\([0-9][0-9.]*\).*/\1/p' "$MANIFEST" | head -n1)"
  name="$(sed -n 's/^  name: *\([^ #]*\).*/\1/p' "$MANIFEST" | head -n1)"
  out_path="$(sed -n 's/^  output_path: *\([^ #]*\).*/\1/p' "$MANIFEST" | head -n1)"
  [ -n "$version" ] && [ -n "$name" ] && [ -n "$out_path" ] \
    || die "could not read dist.version/name/output_path from $MANIFEST"
  # Every v0.x component pin must be the same collector release.
  local stray
  stray="$(grep -E '^\s*-?\s*gomod:' "$MANIFEST" | grep -E ' v0\.' | grep -v " v${version}\$" || true)"
  [ -z "$stray" ] || die "pins in $MANIFEST differ from dist.version $version:"$'\n'"$stray"

  local ocb_dir="$TOOLS_DIR/ocb-v$version" ocb
  ocb="$ocb_dir/builder"
  local ocb_have=""
  [ -x "$ocb" ] && ocb_have="$("$ocb" version 2>&1 || true)"   # prints "ocb version vX.Y.Z"
  if [[ "$ocb_have" != *"v$version"* ]]; then
    local t=$(now)
    log "installing ocb go.opentelemetry.io/collector/cmd/builder@v$version -> ${ocb#$ROOT/}"
    GOBIN="$ocb_dir" go install "go.opentelemetry.io/collector/cmd/builder@v$version" \
      || die "go install of ocb v$version failed"
    log "ocb installed in $(elapsed "$t")"
  fi

  local key cache
  key="$(hash_of "$MANIFEST" "$COLLECTOR_LOCK" <(echo "ocb=$version go=$GO_VERSION"))"
  cache="$CACHE_ROOT/otelcol-tracing-$version-$key"
  if [ "$FORCE" != 1 ] && [ -x "$cache/$name" ]; then
    install_binary "$cache/$name" "$BIN_DIR/otelcol-tracing"
    log "collector $version: cache hit ($cache)"
    return
  fi

  local t=$(now)
  log "collector $version: cache miss, building into $out_path (this takes several minutes)"
  rm -rf "$out_path"
  mkdir -p "$out_path"
  if [ "$UPDATE_LOCK" != 1 ]; then
    [ -f "$COLLECTOR_LOCK" ] || die "$COLLECTOR_LOCK missing; run with E2E_BUILD_UPDATE_LOCK=1 to create it"
    cp "$COLLECTOR_LOCK" "$out_path/go.sum"
  fi
  "$ocb" --config "$MANIFEST" --skip-compilation \
    || die "ocb failed to generate/resolve the collector sources (see output above)"
  log "collector $version: sources generated and modules resolved in $(elapsed "$t")"
  if [ "$UPDATE_LOCK" = 1 ]; then
    cp "$out_path/go.sum" "$COLLECTOR_LOCK"
    log "collector $version: updated $COLLECTOR_LOCK"
  elif ! cmp -s "$COLLECTOR_LOCK" "$out_path/go.sum"; then
    log "WARNING: resolution changed go.sum vs $COLLECTOR_LOCK (run E2E_BUILD_UPDATE_LOCK=1 and commit)"
  fi
  local tc=$(now)
  "$ocb" --config "$MANIFEST" --skip-generate --skip-get-modules \
    || die "ocb failed to compile the collector (see output above)"
  log "collector $version: compiled in $(elapsed "$tc")"
  [ -x "$out_path/$name" ] || die "ocb reported success but $out_path/$name is missing"

  mkdir -p "$cache.tmp"
  cp "$out_path/$name" "$cache.tmp/$name"
  cp "$MANIFEST" "$cache.tmp/builder-config.yaml"
  rm -rf "$cache"
  mv "$cache.tmp" "$cache"
  install_binary "$cache/$name" "$BIN_DIR/otelcol-tracing"
  log "collector $version: built in $(elapsed "$t"), cached at $cache"
}

case "$ONLY" in
  ""|collector) build_collector ;;
  tempo) die "Tempo is not built by this project: bring a Tempo release binary and set TEMPO_BIN (docs/e2e.md)" ;;
  *)     die "E2E_BUILD_ONLY must be 'collector', got '$ONLY'" ;;
esac

log "done in $(elapsed "$T_START"):"
[ -e "$BIN_DIR/otelcol-tracing" ] && log "  ${BIN_DIR#"$ROOT"/}/otelcol-tracing"
