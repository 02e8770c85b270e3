#!/usr/bin/env bash
# Stages the pack as a self-contained directory for `pulumi policy publish`,
# which uploads only the pack's own folder: copies policies/ without the
# offline runner (it imports synth/) and replaces lib/cidr.ts with config/cidr.ts.
#
#   bash policies/stage-publish.sh [<dir>]   (default out/policy-pack)
#   cd out/policy-pack && npm install && pulumi policy publish <org>
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dest="${1:-$root/out/policy-pack}"
rm -rf "$dest"
mkdir -p "$dest"
(cd "$root/policies" && tar --exclude=node_modules --exclude=bin -cf - .) | (cd "$dest" && tar -xf -)
rm -f "$dest/stage-publish.sh" "$dest/runner.ts" "$dest/synthOutputs.ts" "$dest/loadResources.ts"
{
  echo "// Copied from config/cidr.ts by stage-publish.sh; edit the original."
  cat "$root/config/cidr.ts"
} >"$dest/lib/cidr.ts"
echo "staged policy pack in $dest"
