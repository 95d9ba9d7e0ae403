#!/usr/bin/env bash
# The API compatibility guard: `buf breaking` with proto/buf.yaml's rule set
# (FILE) finds no break between proto/ and the checked-in baseline image
# proto/breaking-baseline.json; and it is armed: a deleted field and a renamed
# one (wire-compatible, but it breaks generated code and JSON) in a copy of
# proto/ both fail it. To accept a break deliberately, rewrite the baseline
# with scripts/update-proto-baseline.sh: review then sees it in its diff.
# usage: proto_compat_test.sh BUF PROTO_DIR
set -euo pipefail
BUF=$1 PROTO=$2
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
[ -x "$BUF" ] || fail "buf not found at $BUF: run scripts/install-deps.sh"
baseline=$PROTO/breaking-baseline.json
[ -s "$baseline" ] || fail "no baseline image at $baseline: scripts/update-proto-baseline.sh writes it"

if ! "$BUF" breaking "$PROTO" --against "$baseline" >"$WORK/breaking.out" 2>&1; then
  cat "$WORK/breaking.out" >&2
  fail "proto/ breaks the API against proto/breaking-baseline.json (above). Keep what clients use; if the break is deliberate, run scripts/update-proto-baseline.sh and say why in the change"
fi

# break_and_expect EDIT RULE: the guard must fail a copy of proto/ with EDIT (a sed
# script for resources.proto), naming RULE.
break_and_expect() {
  rm -rf "$WORK/proto" && cp -r "$PROTO" "$WORK/proto"
  sed -i "$1" "$WORK/proto/importai/v1/resources.proto"
  ! cmp -s "$PROTO/importai/v1/resources.proto" "$WORK/proto/importai/v1/resources.proto" \
    || fail "the edit '$1' changed nothing in resources.proto: update this test"
  if "$BUF" breaking "$WORK/proto" --against "$baseline" --error-format=json >"$WORK/broken.out" 2>&1; then
    fail "buf breaking passed a schema with '$1' applied"
  fi
  grep -q "\"type\":\"$2\"" "$WORK/broken.out" || { cat "$WORK/broken.out" >&2; fail "buf breaking did not name $2 for '$1'"; }
}
break_and_expect '/^  int32 number = 2;$/d' FIELD_NO_DELETE
break_and_expect 's/^  string author = 5;$/  string writer = 5;/' FIELD_SAME_NAME
echo "proto compatibility: PASS (no break against the baseline; a deleted and a renamed field are caught)"
