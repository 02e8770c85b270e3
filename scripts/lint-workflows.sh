#!/usr/bin/env bash
# Lints .github/workflows with actionlint (and shellcheck, when it is on PATH).
# Installs the pinned actionlint into .tools/bin/actionlint-<version>/ (git-ignored)
# with `go install` the first time.
#
#   bash scripts/lint-workflows.sh
set -euo pipefail
ACTIONLINT_VERSION="v1.7.12"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bin_dir="$root/.tools/bin/actionlint-$ACTIONLINT_VERSION"
actionlint="$bin_dir/actionlint"

if [[ ! -x "$actionlint" ]]; then
  if ! command -v go >/dev/null 2>&1; then
    echo "lint-workflows: Go is needed to install actionlint $ACTIONLINT_VERSION (or put it at $actionlint)" >&2
    exit 2
  fi
  echo "lint-workflows: installing actionlint $ACTIONLINT_VERSION into ${bin_dir#"$root"/}" >&2
  mkdir -p "$bin_dir"
  GOBIN="$bin_dir" go install "github.com/rhysd/actionlint/cmd/actionlint@$ACTIONLINT_VERSION"
fi

cd "$root"
"$actionlint" -version | head -n 1 >&2
"$actionlint" -no-color .github/workflows/*.yml
echo "lint-workflows: .github/workflows is clean" >&2
