#!/usr/bin/env bash
# End to end with the real binaries: start importai-server on a free port with
# an empty data dir, ingest with the importai CLI, read everything back,
# restart on the same data dir and find it all still there.
# usage: e2e_test.sh SERVER CLI SAMPLE_FILE CORPUS_DIR
set -euo pipefail
SERVER=$1 CLI=$2 SAMPLE=$3 CORPUS_DIR=$4
WORK=$(mktemp -d)
source "$(dirname "$0")/lib.sh"
trap cleanup EXIT
need_jq

cli() { "$CLI" --server="$ADDRESS" "$@"; }
expect_count() {  # expect_count WANT PATTERN FILE
  local got; got=$(grep -c -- "$2" "$3" || true)
  [ "$got" -eq "$1" ] || { cat "$3" >&2; fail "expected $1 lines matching '$2' in $3, got $got"; }
}

start_server "$WORK/data"

# The sample issues, then the shared corpus when present.
cli ingest "$SAMPLE" >"$WORK/sample.out"
expect_count 2 "CREATED" "$WORK/sample.out"
corpus="$CORPUS_DIR/import-ai-382-387.txt"
if [ ! -f "$corpus" ]; then
  # CI never passes without the golden tests.
  [ "${CI:-}" = true ] && fail "newsletter corpus not found at $corpus (required under CI=true)"
  echo "SKIP: newsletter corpus not found at $corpus" >&2
  exit 77
fi
cli ingest "$corpus" >"$WORK/ingest.out"
expect_count 6 "CREATED" "$WORK/ingest.out"
expect_count 4 "UNCHANGED" "$WORK/ingest.out"
grep -q "head revision 8" "$WORK/ingest.out" || fail "head revision after corpus is not 8"

# Read it back in every form.
cli get 387 >"$WORK/get.out"
grep -q "^Import AI 387: Overfitting vs reasoning" "$WORK/get.out" || fail "get 387 text"
grep -q "Tech Tales: Intelligence piled high" "$WORK/get.out" || fail "get 387 tale"
cli --json get 387 >"$WORK/get.json"
jq -e '.name == "issues/387"' "$WORK/get.json" >/dev/null || fail "get --json name"
jq -e '.sectionCount == 3' "$WORK/get.json" >/dev/null || fail "get --json sectionCount"
cli list --page_size=100 >"$WORK/list.out"
expect_count 8 "(revision" "$WORK/list.out"
head -1 "$WORK/list.out" | grep -q "^902" || fail "list is not newest first"
cli sections 387 >"$WORK/sections.out"
expect_count 3 "issues/387/sections/" "$WORK/sections.out"
cli sections - --page_size=100 >"$WORK/all-sections.out"
expect_count 30 "issues/38[2-7]/sections/" "$WORK/all-sections.out"
cli tale 382 >"$WORK/tale.out"
grep -q "^Tech Tales: " "$WORK/tale.out" || fail "tale 382"

# Errors: stderr and a non-zero exit.
if cli get 999 >"$WORK/missing.out" 2>"$WORK/missing.err"; then fail "get 999 succeeded"; fi
grep -q "NOT_FOUND" "$WORK/missing.err" || fail "get 999 did not say NOT_FOUND"
[ ! -s "$WORK/missing.out" ] || fail "get 999 wrote to stdout"
if echo "no issue here" | cli ingest - 2>"$WORK/bad.err"; then fail "bad ingest succeeded"; fi
grep -q "INVALID_ARGUMENT.*line" "$WORK/bad.err" || fail "bad ingest error does not name the line"

# Restart on the same data directory: everything is still there.
stop_server
start_server "$WORK/data"
cli get 387 >"$WORK/get-again.out"
cmp -s "$WORK/get.out" "$WORK/get-again.out" || fail "issue 387 changed across restart"
cli list --page_size=100 >"$WORK/list-again.out"
cmp -s "$WORK/list.out" "$WORK/list-again.out" || fail "list changed across restart"
cli ingest "$corpus" >"$WORK/ingest-again.out"
expect_count 10 "UNCHANGED" "$WORK/ingest-again.out"
grep -q "head revision 8" "$WORK/ingest-again.out" || fail "re-ingest made new revisions"
stop_server
echo "e2e: PASS"
