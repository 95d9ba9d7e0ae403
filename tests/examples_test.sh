#!/usr/bin/env bash
# The client examples (examples/python, examples/node, examples/go) against the
# real server, each through its run.sh: they list the sample's issues page by
# page and follow the feed from revision 1 while the CLI ingests more, across a
# graceful restart (SIGTERM) and a crash (SIGKILL) of the server on the same
# data directory and address. Each must print the same issues as `importai
# list` and the same changes as `importai watch`, 1..HEAD with no gap or
# duplicate. Then each runs again without --from and continues after the
# revision it persisted; a start older than the retained log exits non-zero
# naming OUT_OF_RANGE.
# usage: examples_test.sh SERVER CLI SAMPLE_FILE EXAMPLES_DIR [GEN_DIR]
# GEN_DIR keeps the generated stubs and the Go build between runs.
set -euo pipefail
SERVER=$1 CLI=$2 SAMPLE=$3 EXAMPLES=$4
WORK=$(mktemp -d)
GEN=${5:-$WORK/gen}
source "$(dirname "$0")/lib.sh"
trap 'kill $(jobs -p) 2>/dev/null || true; cleanup' EXIT
need_jq
for tool in protoc grpc_python_plugin protoc-gen-go protoc-gen-go-grpc go node; do
  command -v "$tool" >/dev/null || fail "$tool not found: scripts/install-deps.sh installs it"
done
/usr/bin/python3 -c 'import grpc' 2>/dev/null || fail "python3-grpcio is missing: scripts/install-deps.sh installs it"

languages=(python node go)
cli() { "$CLI" --server="$ADDRESS" "$@"; }
# The sample's first issue, renumbered: each request creates one new issue.
awk '/^Import AI 902:/ {exit} {print}' "$SAMPLE" | sed '$d' >"$WORK/issue.txt"
ingest_new() {  # ingest_new N...: one request per issue, each a new revision
  local n
  for n in "$@"; do
    sed "s/^Import AI 901:/Import AI $n:/" "$WORK/issue.txt" | cli ingest - >/dev/null 2>&1 \
      || fail "ingest of issue $n"
  done
}
# What an example printed: the issues it listed, and the changes it followed.
listed() { jq -R -c 'fromjson? | select(has("issue") and (has("revision") | not)) | .issue' "$1"; }
changes() { jq -R -c 'fromjson? | select(has("revision")) | {revision, issue, type}' "$1"; }
# The same from the CLI: the whole list, and the feed from FROM to TO.
expected_list() { cli --json list --page_size=100 | jq -c '.issues[].number'; }
expected_changes() {
  cli watch --from="$1" --json --max_events=$(($2 - $1 + 1)) | change_events |
    jq -c '{revision: (.revision | tonumber), issue: .issue.number, type: (.type | sub("^EVENT_TYPE_"; ""))}'
}
# example LANGUAGE RUN ARGS...: starts LANGUAGE's run.sh in the background,
# output in $WORK/LANGUAGE.RUN.{out,err}, its pid in PID[LANGUAGE].
declare -A PID
example() {
  local language=$1 run=$2; shift 2
  GEN_DIR="$GEN/$language" "$EXAMPLES/$language/run.sh" --server="$ADDRESS" \
    --state_file="$WORK/$language.revision" "$@" \
    >"$WORK/$language.$run.out" 2>"$WORK/$language.$run.err" &
  PID[$language]=$!
}
# await_changes RUN COUNT: every example's RUN has printed COUNT changes. The
# first run builds the stubs (and the Go client): allow for a cold build.
await_changes() {
  local run=$1 count=$2 language deadline=$((SECONDS + 180))
  for language in "${languages[@]}"; do
    while [ "$(changes "$WORK/$language.$run.out" | wc -l)" -lt "$count" ]; do
      if ! kill -0 "${PID[$language]}" 2>/dev/null; then
        cat "$WORK/$language.$run.err" >&2
        fail "the $language example exited after $(changes "$WORK/$language.$run.out" | wc -l) of $count changes"
      fi
      [ "$SECONDS" -lt "$deadline" ] || { cat "$WORK/$language.$run.err" >&2; fail "the $language example printed $(changes "$WORK/$language.$run.out" | wc -l) of $count changes in 180 s"; }
      sleep 0.05
    done
  done
}
# await_exit RUN: every example exits 0 (they stop after --max_events).
await_exit() {
  local run=$1 language code deadline=$((SECONDS + 60))
  for language in "${languages[@]}"; do
    while kill -0 "${PID[$language]}" 2>/dev/null; do
      [ "$SECONDS" -lt "$deadline" ] || { cat "$WORK/$language.$run.err" >&2; fail "the $language example did not exit after its --max_events"; }
      sleep 0.05
    done
    code=0
    wait "${PID[$language]}" || code=$?
    [ "$code" -eq 0 ] || { cat "$WORK/$language.$run.err" >&2; fail "the $language example exited with $code"; }
  done
}
# check RUN WANT_LIST WANT_CHANGES: what each example printed in RUN.
check() {
  local run=$1 language
  for language in "${languages[@]}"; do
    listed "$WORK/$language.$run.out" >"$WORK/$language.$run.listed"
    changes "$WORK/$language.$run.out" >"$WORK/$language.$run.changes"
    diff "$2" "$WORK/$language.$run.listed" >&2 \
      || fail "$language ($run run) listed other issues than 'importai list' (diff above)"
    diff "$3" "$WORK/$language.$run.changes" >&2 \
      || fail "$language ($run run) printed other changes than 'importai watch' (diff above)"
    # Each read the newest issue and searched (on stderr).
    grep -q "^get issues/$(head -1 "$2"): " "$WORK/$language.$run.err" \
      || fail "$language ($run run) did not get issue $(head -1 "$2"): $(cat "$WORK/$language.$run.err")"
    grep -q '^search "model\*": [1-9]' "$WORK/$language.$run.err" \
      || fail "$language ($run run) found nothing for model*: $(cat "$WORK/$language.$run.err")"
  done
}

# --- 1. Follow from revision 1 across a restart and a crash -------------------
start_server "$WORK/data" --preload="$SAMPLE"
head=$(cli watch --from=1 --json --max_events=2 | change_events | jq -r .revision | tail -1)
[ "$head" = 2 ] || fail "the sample preloaded as revisions up to $head, not 2"
expected_list >"$WORK/first.list"
total=11  # 2 preloaded, then 3 before the restart, 3 after it, 3 after the crash
# A page size of 1: the two issues take two pages.
for language in "${languages[@]}"; do example "$language" first --from=1 --max_events="$total" --page_size=1; done
await_changes first 2  # listing done, following
ingest_new 3001 3002 3003
await_changes first 5
stop_server  # SIGTERM: open streams end with UNAVAILABLE
start_server "$WORK/data" --listen="$ADDRESS"
ingest_new 3004 3005 3006
await_changes first 8
kill -9 "$SERVER_PID"  # a crash: the streams break
wait "$SERVER_PID" 2>/dev/null || true
start_server "$WORK/data" --listen="$ADDRESS"
ingest_new 3007 3008 3009
await_exit first
expected_changes 1 "$total" >"$WORK/first.changes"
[ "$(jq -r .revision "$WORK/first.changes" | tr '\n' ' ')" = "$(seq 1 "$total" | tr '\n' ' ')" ] \
  || fail "the server's feed is not 1..$total: $(cat "$WORK/first.changes")"
check first "$WORK/first.list" "$WORK/first.changes"
for language in "${languages[@]}"; do
  [ "$(cat "$WORK/$language.revision")" = "$total" ] \
    || fail "$language persisted revision $(cat "$WORK/$language.revision"), not $total"
  grep -qi "unavailable" "$WORK/$language.first.err" \
    || fail "$language does not report its reconnection: $(cat "$WORK/$language.first.err")"
done

# --- 2. Restarted without --from: continues after the persisted revision ------
ingest_new 3010 3011  # while no example runs
expected_list >"$WORK/second.list"
expected_changes $((total + 1)) $((total + 2)) >"$WORK/second.changes"
for language in "${languages[@]}"; do example "$language" second --max_events=2; done
await_exit second
check second "$WORK/second.list" "$WORK/second.changes"
for language in "${languages[@]}"; do
  grep -q "following from revision $((total + 1))$" "$WORK/$language.second.err" \
    || fail "$language did not resume from its persisted revision: $(cat "$WORK/$language.second.err")"
done

# --- 3. A start older than the retained log: OUT_OF_RANGE, exit non-zero -------
stop_server
start_server "$WORK/data" --listen="$ADDRESS" --retain_revisions=3
deadline=$((SECONDS + 60))
while timeout 60 "$CLI" --server="$ADDRESS" watch --from=1 --json --max_events=1 >/dev/null 2>&1; do
  [ "$SECONDS" -lt "$deadline" ] || fail "revision 1 still retained a minute after --retain_revisions=3"
  sleep 0.1
done
for language in "${languages[@]}"; do
  code=0
  GEN_DIR="$GEN/$language" timeout 60 "$EXAMPLES/$language/run.sh" --server="$ADDRESS" \
    --state_file="$WORK/$language.revision" --from=1 --max_events=1 \
    >"$WORK/$language.old.out" 2>"$WORK/$language.old.err" || code=$?
  if [ "$code" -eq 0 ] || [ "$code" -eq 124 ]; then
    fail "$language exited with $code for a start behind the log: $(cat "$WORK/$language.old.err")"
  fi
  grep -q "older than the server keeps.*oldest available revision" "$WORK/$language.old.err" \
    || fail "$language does not say the start is too old: $(cat "$WORK/$language.old.err")"
  [ -z "$(changes "$WORK/$language.old.out")" ] || fail "$language printed changes from a start behind the log"
done
stop_server
echo "examples: PASS (${languages[*]}: $total changes across a restart and a crash, resumed from $total, OUT_OF_RANGE reported)"
