#!/usr/bin/env bash
# Graceful drain with the real binaries. SIGTERM a server that has open
# WatchIssues subscribers and a large ingest in flight, then check: the
# ingest is stored whole or not at all (and its client was told which), every
# subscriber got UNAVAILABLE, the server exited 0, and a restart serves
# everything. Then a second signal during a drain exits at once and loses
# nothing acknowledged.
# usage: drain_test.sh SERVER CLI SAMPLE_FILE
set -euo pipefail
SERVER=$1 CLI=$2 SAMPLE=$3
WORK=$(mktemp -d)
source "$(dirname "$0")/lib.sh"
watchers=()
stop_watchers() { for pid in "${watchers[@]}"; do kill "$pid" 2>/dev/null || true; done; }
trap 'stop_watchers; cleanup' EXIT
need_jq

cli() { "$CLI" --server="$ADDRESS" "$@"; }
# head_revision: the server's head, from re-ingesting the (unchanged) sample.
head_revision() { cli ingest "$SAMPLE" | sed -n 's/.*head revision \([0-9]*\).*/\1/p'; }

# 1 500 more issues (the two sample issues renumbered), about 4 MB: long
# enough to parse, index and write that the signal lands while it runs.
# big_text FIRST: the copies numbered FIRST, FIRST+1, ...
big_text() {
  awk -v first="$1" '{ lines[NR] = $0 }
     END {
       for (i = 0; i < 750; i++) {
         for (n = 1; n <= NR; n++) {
           line = lines[n]
           sub(/^Import AI 901:/, "Import AI " (first + 2 * i) ":", line)
           sub(/^Import AI 902:/, "Import AI " (first + 1 + 2 * i) ":", line)
           print line
         }
       }
     }' "$SAMPLE"
}
big_text 2000 >"$WORK/big.txt"
big_text 5000 >"$WORK/big2.txt"
BIG_REVISIONS=1500

start_server "$WORK/data" --shutdown_grace=30s
cli ingest "$SAMPLE" >/dev/null
for i in 1 2 3; do
  "$CLI" --server="$ADDRESS" watch --from=1 --json >"$WORK/watch$i.out" 2>"$WORK/watch$i.err" &
  watchers+=($!)
done
for i in 1 2 3; do  # each has replayed the two sample revisions
  for _ in $(seq 1 100); do
    [ "$(change_events "$WORK/watch$i.out" \
         | jq -s 'map(select(.type == "EVENT_TYPE_CREATED")) | length')" -ge 2 ] && break
    sleep 0.05
  done
done

cli ingest "$WORK/big.txt" >"$WORK/big.out" 2>"$WORK/big.err" &
ingest_pid=$!
sleep 0.3
kill -TERM "$SERVER_PID"
ingest_code=0
wait "$ingest_pid" || ingest_code=$?
server_code=0
wait "$SERVER_PID" || server_code=$?
[ "$server_code" -eq 0 ] || fail "server exited with $server_code after SIGTERM"
sleep 0.2
for i in 1 2 3; do
  grep -q "UNAVAILABLE: server is shutting down" "$WORK/watch$i.err" \
    || { cat "$WORK/watch$i.err" >&2; fail "subscriber $i was not told UNAVAILABLE"; }
done
stop_watchers

start_server "$WORK/data"
head=$(head_revision)
if [ "$ingest_code" -eq 0 ]; then
  [ "$head" -eq $((2 + BIG_REVISIONS)) ] || fail "acknowledged ingest not all stored (head $head)"
  cli get 3499 >/dev/null || fail "the last issue of the acknowledged ingest is missing"
  echo "drain: the in-flight ingest finished and was stored whole"
else
  [ "$head" -eq 2 ] || fail "a refused ingest left revisions behind (head $head)"
  echo "drain: the in-flight ingest was refused and nothing of it stored"
fi
cli get 901 >/dev/null || fail "issue 901 missing after restart"
cli search laundry >/dev/null || fail "search after restart"

# A second signal during the drain: exit at once, nothing acknowledged lost.
head_before=$(head_revision)
rss_kib() { sed -n 's/^VmRSS:[^0-9]*\([0-9]*\).*/\1/p' "/proc/$SERVER_PID/status"; }
rss_before=$(rss_kib)
cli ingest "$WORK/big2.txt" >/dev/null 2>&1 &
ingest_pid=$!
# The request is in flight once the server holds its 4 MB: its memory grows.
for _ in $(seq 1 400); do
  [ "$(rss_kib)" -gt $((rss_before + 3072)) ] && break
  sleep 0.025
done
[ "$(rss_kib)" -gt $((rss_before + 3072)) ] || fail "the large ingest never reached the server"
# Parsing, indexing and writing 1 500 issues takes seconds: both signals
# land while the drain waits for it.
stops() { cat "$WORK"/server.*.log | grep -c '"msg":"stop signal received"' || true; }
stops_before=$(stops)
kill -TERM "$SERVER_PID"
# Signals of one kind do not queue: send the second once the first is taken.
for _ in $(seq 1 200); do [ "$(stops)" -gt "$stops_before" ] && break; sleep 0.01; done
kill -TERM "$SERVER_PID"
code=0
wait "$SERVER_PID" || code=$?
[ "$code" -eq 1 ] || fail "second signal: exit code $code, expected 1 (at once)"
wait "$ingest_pid" || true
start_server "$WORK/data"
head_after=$(head_revision)
[ "$head_after" -eq "$head_before" ] || [ "$head_after" -eq $((head_before + BIG_REVISIONS)) ] \
  || fail "after the second signal the head is $head_after (before $head_before)"
cli get 901 >/dev/null || fail "issue 901 missing after the second-signal exit"
stop_server
echo "drain: PASS"
