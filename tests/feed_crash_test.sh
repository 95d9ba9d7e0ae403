#!/usr/bin/env bash
# The feed across a crash, with the real binaries: ingest one issue per
# request while a subscriber follows, kill -9 the server mid-stream, restart
# it on the same data directory, and check that every acknowledged ingest is
# there, revisions are contiguous and continue, and the subscriber resuming
# from its last seen revision misses nothing.
# usage: feed_crash_test.sh SERVER CLI SAMPLE_FILE
set -euo pipefail
SERVER=$1 CLI=$2 SAMPLE=$3
WORK=$(mktemp -d)
source "$(dirname "$0")/lib.sh"
trap 'kill $(jobs -p) 2>/dev/null || true; cleanup' EXIT
need_jq

cli() { "$CLI" --server="$ADDRESS" "$@"; }
# The revision of each CREATED or UPDATED event (not its issue's revision).
revisions() { change_events "$1" | jq -r .revision; }
# The sample's first issue, renumbered: each request creates one new issue.
awk '/^Import AI 902:/ {exit} {print}' "$SAMPLE" | sed '$d' >"$WORK/issue.txt"
issue_text() { sed "s/^Import AI 901:/Import AI $1:/" "$WORK/issue.txt"; }

start_server "$WORK/data"
"$CLI" --server="$ADDRESS" watch --from=1 --json >"$WORK/before.jsonl" 2>"$WORK/watch.err" &
watcher=$!

# Ingest until the server dies under us; record what was acknowledged.
: >"$WORK/acked"
(
  for n in $(seq 3001 3400); do
    issue_text "$n" | cli ingest - >/dev/null 2>&1 || exit 0
    echo "$n" >>"$WORK/acked"
  done
) &
ingester=$!
for _ in $(seq 1 100); do
  [ "$(wc -l <"$WORK/acked")" -ge 15 ] && break
  sleep 0.05
done
kill -9 "$SERVER_PID"
wait "$SERVER_PID" 2>/dev/null || true
wait "$ingester"
kill "$watcher" 2>/dev/null || true
wait "$watcher" 2>/dev/null || true
acked=$(wc -l <"$WORK/acked")
[ "$acked" -ge 15 ] || fail "only $acked ingests acknowledged before the crash"

start_server "$WORK/data"
# Every acknowledged ingest survived, whole.
while read -r n; do
  cli get "$n" >/dev/null || fail "acknowledged issue $n lost in the crash"
done <"$WORK/acked"

# Revisions continue from the last committed one.
issue_text 3999 | cli ingest - >"$WORK/after.out"
head=$(sed -nE 's/.*head revision ([0-9]+).*/\1/p' "$WORK/after.out")
[ "$head" -ge $((acked + 1)) ] || fail "head $head after $acked acknowledged ingests"

# The whole log, from a fresh subscriber: 1..head, each once.
cli watch --from=1 --json --max_events="$head" >"$WORK/all.jsonl"
[ "$(revisions "$WORK/all.jsonl" | tr '\n' ' ')" = "$(seq 1 "$head" | tr '\n' ' ')" ] \
  || fail "revision log is not 1..$head: $(revisions "$WORK/all.jsonl" | tr '\n' ' ')"

# The subscriber from before the crash resumes after its last revision.
last=$(revisions "$WORK/before.jsonl" | tail -1)
last=${last:-0}
[ "$(revisions "$WORK/before.jsonl" | tr '\n' ' ')" = "$(seq 1 "$last" | tr '\n' ' ')" ] \
  || fail "the first subscriber saw a gap or a duplicate"
cli watch --from=$((last + 1)) --json --max_events=$((head - last)) >"$WORK/resumed.jsonl"
[ "$(revisions "$WORK/resumed.jsonl" | tr '\n' ' ')" = "$(seq $((last + 1)) "$head" | tr '\n' ' ')" ] \
  || fail "resuming from $((last + 1)) did not give $((last + 1))..$head"
stop_server
echo "feed crash: PASS (acknowledged $acked, head $head, subscriber resumed after $last)"
