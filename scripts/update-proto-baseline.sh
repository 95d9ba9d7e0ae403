#!/usr/bin/env bash
# Rewrites proto/breaking-baseline.json, the image of the public schema that
# `buf breaking` compares proto/ against (tests/proto_compat_test.sh, rule set
# FILE in proto/buf.yaml). Run it after an addition has landed, so that later
# removals of it are caught too, or to accept a break deliberately: either
# way the change to the baseline is what review sees. Pretty-printed JSON
# without source info, so the diff names each added or removed element.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x node_modules/.bin/buf ] || scripts/install-deps.sh
node_modules/.bin/buf build proto --exclude-source-info -o '-#format=json' \
  | jq . >proto/breaking-baseline.json.tmp
mv proto/breaking-baseline.json.tmp proto/breaking-baseline.json
echo "update-proto-baseline: wrote proto/breaking-baseline.json"
