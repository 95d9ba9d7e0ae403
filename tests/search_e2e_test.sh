#!/usr/bin/env bash
# Search and cited-by with the real binaries: ingest the sample issues, query
# through the CLI in text and JSON, check errors, restart on the same data
# directory and find the same results (the index is durable, not rebuilt).
# usage: search_e2e_test.sh SERVER CLI SAMPLE_FILE
set -euo pipefail
SERVER=$1 CLI=$2 SAMPLE=$3
WORK=$(mktemp -d)
source "$(dirname "$0")/lib.sh"
trap cleanup EXIT
need_jq

cli() { "$CLI" --server="$ADDRESS" "$@"; }

start_server "$WORK/data"
cli ingest "$SAMPLE" >/dev/null

cli search fold laundry >"$WORK/fold.out"
head -1 "$WORK/fold.out" | grep -q "^issues/901/sections/1  Household robots learn to fold laundry" \
  || { cat "$WORK/fold.out" >&2; fail "search fold laundry: wrong first hit"; }
grep -q '\*\*fold\*\*' "$WORK/fold.out" || fail "search snippet does not mark the match"
grep -q "^1 match$" "$WORK/fold.out" || fail "search fold laundry: wrong match count"

cli search 'librar*' --filter='kind = "tale"' >"$WORK/tale.out"
head -1 "$WORK/tale.out" | grep -q "^issues/902/tale  The Last Librarian" \
  || { cat "$WORK/tale.out" >&2; fail "prefix search with a kind filter"; }

cli --json search '"weather station"' >"$WORK/phrase.json"
jq -e 'any(.results[]; .name == "issues/901/tale")' "$WORK/phrase.json" >/dev/null \
  || { cat "$WORK/phrase.json" >&2; fail "phrase search --json"; }
jq -e '.totalSize == 1' "$WORK/phrase.json" >/dev/null || fail "phrase search total"

if cli search robots --filter='issue >=' >"$WORK/bad.out" 2>"$WORK/bad.err"; then
  fail "a bad filter succeeded"
fi
grep -q "INVALID_ARGUMENT: filter: position" "$WORK/bad.err" || fail "bad filter message"
if cli search '"unclosed' 2>"$WORK/quote.err"; then fail "an unclosed quote succeeded"; fi
grep -q "INVALID_ARGUMENT: query: unclosed quote" "$WORK/quote.err" || fail "unclosed quote message"

cli cited-by 812 >"$WORK/cited.out"
grep -q "issues/901/sections/1" "$WORK/cited.out" || fail "cited-by 812"
cli cited-by 1 >"$WORK/uncited.out"
[ ! -s "$WORK/uncited.out" ] || fail "cited-by 1 is not empty"

stop_server
start_server "$WORK/data"
cli search fold laundry >"$WORK/fold-again.out"
cmp -s "$WORK/fold.out" "$WORK/fold-again.out" || fail "search results changed across restart"
stop_server
echo "search e2e: PASS"
