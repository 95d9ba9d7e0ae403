#!/usr/bin/env bash
# Read replicas with the real binaries: a primary and two replicas
# (importai-server --follow) on loopback, then a third replica of a primary
# that trims its log.
#  1. The sample and the corpus ingested on the primary read back
#     byte-identical from all three at the same revision (every issue, every
#     section, every tale, searches, cited-by lists, the whole feed).
#  2. A replica refuses writes and admin calls with FAILED_PRECONDITION
#     naming the primary.
#  3. A replica killed (SIGKILL) ten times while it applies a steady ingest,
#     and restarted on its data directory, reaches the primary's head and
#     holds exactly the primary's issues (revisions, content hashes).
#  4. `importai --server=R1,R2 watch` loses the replica it reads from
#     (SIGKILL) and carries on from the other: revisions 1..TOTAL, each once.
#  5. With the primary stopped, both replicas serve reads and an open watch
#     stream on each stays open; the primary restarted on its address, the
#     replicas catch up and the open watches print the new revision.
#  6. A new replica of a primary whose log no longer starts at 1 copies the
#     primary's snapshot, matches it, keeps a log that starts after the
#     snapshot, and follows from there.
#  7. A read asking for a revision a replica does not reach fails with
#     UNAVAILABLE at its deadline, and the replica still stops on SIGTERM.
# Every server must exit 0 on SIGTERM at the end.
# usage: replica_test.sh SERVER CLI SAMPLE_FILE CORPUS_DIR
set -euo pipefail
SERVER=$1 CLI=$2 SAMPLE=$3 CORPUS_DIR=$4
WORK=$(mktemp -d)
source "$(dirname "$0")/lib.sh"
need_jq
command -v ps >/dev/null || fail "ps not found"
T0=$SECONDS
say() { echo "[$((SECONDS - T0))s] $*"; }

# The servers by name (P: the primary; R1, R2: its replicas; Q: the primary
# that trims its log; R3: its replica): pid, address, log, metrics port.
declare -A PID=() ADDR=() LOG=() METRICS=()
on_exit() {
  local code=$? name
  # Background jobs (ingesters, watches) and every server: SIGKILL, without
  # the shell's "Killed" notices, and gone before their files are.
  local pids pid tries
  pids="$(jobs -p) ${PID[*]}"
  disown -a
  for pid in $pids; do kill -9 "$pid" 2>/dev/null || true; done
  for pid in $pids; do
    tries=0
    while running "$pid" && [ "$tries" -lt 100 ]; do sleep 0.02; tries=$((tries + 1)); done
  done
  if [ "$code" -ne 0 ]; then
    for name in "${!LOG[@]}"; do
      echo "--- last lines of $name's log (${LOG[$name]}):" >&2
      grep -v '"msg":"rpc"' "${LOG[$name]}" 2>/dev/null | tail -n 8 >&2 || true
    done
  fi
  cleanup
}
trap on_exit EXIT

# running PID: the process is alive (a child that exited is a zombie until
# waited for, and kill -0 still finds it).
running() {
  local state
  state=$(ps -o stat= -p "$1" 2>/dev/null) || return 1
  [[ $state != Z* ]]
}

LAUNCHES=0
# launch NAME DATA_DIR [FLAGS...]: starts a server (any free loopback port
# unless FLAGS say otherwise, metrics on a free port) and records it under
# NAME. Retries if the port is briefly unavailable (a restart on the same
# address).
launch() {
  local name=$1 data=$2 attempt deadline log pid address
  shift 2
  for attempt in 1 2 3 4 5; do
    LAUNCHES=$((LAUNCHES + 1))
    log="$WORK/$name.$LAUNCHES.log"
    # --min_progress_interval: the watches of part 5 ask for 200ms PROGRESS.
    "$SERVER" --listen=127.0.0.1:0 --data_dir="$data" --metrics_listen=127.0.0.1:0 \
      --min_progress_interval=100ms "$@" >"$log" 2>&1 &
    pid=$!
    # A minute, for a busy machine; a server that starts returns at once.
    deadline=$((SECONDS + 60))
    while [ "$SECONDS" -lt "$deadline" ]; do
      address=$(sed -n 's/.*"msg":"listening","address":"\([^"]*\)".*/\1/p' "$log" 2>/dev/null || true)
      if [ -n "$address" ]; then
        PID[$name]=$pid ADDR[$name]=$address LOG[$name]=$log
        METRICS[$name]=$(sed -n 's/.*"msg":"listening".*"metrics_port":\([0-9]*\).*/\1/p' "$log")
        return 0
      fi
      running "$pid" || break
      sleep 0.05
    done
    kill -9 "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    echo "$name did not start (attempt $attempt):" >&2
    cat "$log" >&2
    sleep 0.5
  done
  fail "$name did not start on $data"
}

# stop NAME...: SIGTERM to each; each must exit 0, within a minute (the
# drain grace is 20 s). STOP_HINT: said too if one does not.
stop() {
  local name pid deadline code
  for name in "$@"; do kill -TERM "${PID[$name]}"; done
  deadline=$((SECONDS + 60))
  for name in "$@"; do
    pid=${PID[$name]} code=0
    while running "$pid"; do
      [ "$SECONDS" -lt "$deadline" ] || fail "$name (pid $pid) still runs 60 s after SIGTERM${STOP_HINT:+ $STOP_HINT}"
      sleep 0.1
    done
    wait "$pid" || code=$?
    [ "$code" -eq 0 ] || fail "$name exited with $code after SIGTERM"
    unset "PID[$name]"
  done
}

# crash NAME: SIGKILL.
crash() {
  kill -9 "${PID[$1]}"
  wait "${PID[$1]}" 2>/dev/null || true
  unset "PID[$1]"
}

# await_exit PID WHAT: waits up to two minutes for a background client to
# end; returns its exit code in EXIT_CODE.
await_exit() {
  local deadline=$((SECONDS + 120))
  while running "$1"; do
    [ "$SECONDS" -lt "$deadline" ] || fail "$2 still runs after two minutes"
    sleep 0.05
  done
  EXIT_CODE=0
  wait "$1" || EXIT_CODE=$?
}

# on NAME [FLAGS...] COMMAND...: the CLI against server NAME. Reads wait
# for MIN (the revision the caller expects; 0: off) for up to a minute.
MIN=0
on() {
  local name=$1
  shift
  "$CLI" --server="${ADDR[$name]}" --timeout=60s --min_revision="$MIN" "$@"
}

# subscribers NAME: the open WatchIssues streams of server NAME (metrics).
subscribers() {
  local body
  exec 3<>"/dev/tcp/127.0.0.1/${METRICS[$1]}"
  printf 'GET /metrics HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n' >&3
  body=$(timeout 10 cat <&3 || true)
  exec 3<&-
  sed -n 's/^importai_feed_subscribers \([0-9]*\).*/\1/p' <<<"$body"
}

# The sample's first issue, renumbered: each request creates one new issue.
awk '/^Import AI 902:/ {exit} {print}' "$SAMPLE" | sed '$d' >"$WORK/issue.txt"
issue_text() { sed "s/^Import AI 901:/Import AI $1:/" "$WORK/issue.txt"; }
# ingest_new NAME NUMBER: issue NUMBER, new, on server NAME; prints the head
# revision the ingest reports.
ingest_new() {
  local out
  out=$(issue_text "$2" | on "$1" ingest - 2>&1) || fail "ingest of issue $2 on $1: $out"
  grep -q "CREATED" <<<"$out" || fail "issue $2 was not created on $1: $out"
  sed -n 's/.*head revision \([0-9]*\).*/\1/p' <<<"$out"
}

# list_rows NAME FILE: "NUMBER REVISION HASH" of every issue of server NAME
# (all pages of ListIssues), sorted by number.
list_rows() {
  local token="" page="$WORK/page.$1"
  : >"$2.unsorted"
  while :; do
    on "$1" --json list --view=basic --page_size=100 ${token:+--page_token="$token"} \
      >"$page" || fail "list on $1"
    jq -r '(.issues // [])[] | "\(.number) \(.revision) \(.contentHash)"' "$page" >>"$2.unsorted"
    token=$(jq -r '.nextPageToken // empty' "$page")
    [ -n "$token" ] || break
  done
  sort -n "$2.unsorted" >"$2"
}
# upto H FILE: the rows of FILE at revisions <= H.
upto() { awk -v h="$1" '$2 <= h' "$2"; }

# paged NAME OUT COMMAND...: every page of a --json list command (sections,
# search, cited-by) into OUT.1, OUT.2, ...
paged() {
  local name=$1 out=$2 token="" page=1
  shift 2
  while :; do
    on "$name" --json --page_size=100 ${token:+--page_token="$token"} "$@" >"$out.$page" \
      || fail "$* on $name"
    token=$(jq -r '.nextPageToken // empty' "$out.$page")
    [ -n "$token" ] || break
    page=$((page + 1))
  done
}

# feed NAME COUNT OUT [FLAGS...]: the feed from revision 1, COUNT changes,
# as JSON lines without the PROGRESS events.
feed() {
  local name=$1 count=$2 out=$3
  shift 3
  timeout 120 "$CLI" --server="${ADDR[$name]}" watch --from=1 --json --max_events="$count" "$@" \
    >"$out.raw" 2>"$out.err" || fail "watch --from=1 on $name: $(cat "$out.err")"
  grep -v '"type":"EVENT_TYPE_PROGRESS"' "$out.raw" >"$out" || true
}
# revisions FILE: the revision of each change in watch --json output.
revisions() { change_events "$1" | jq -r .revision | tr '\n' ' '; }
# feed_rows FILE: "REVISION NUMBER HASH COMMIT_TIME" per change.
feed_rows() {
  change_events "$1" | jq -r '"\(.revision) \(.issue.number) \(.issue.contentHash) \(.commitTime)"'
}

# --- 1. Three servers, the same reads --------------------------------------

launch P "$WORK/p"
launch R1 "$WORK/r1" --follow="${ADDR[P]}"
launch R2 "$WORK/r2" --follow="${ADDR[P]}"
PRIMARY=${ADDR[P]}
say "primary $PRIMARY, replicas ${ADDR[R1]} ${ADDR[R2]}"

on P ingest "$SAMPLE" >"$WORK/sample.out" 2>&1 || fail "ingest of the sample: $(cat "$WORK/sample.out")"
corpus="$CORPUS_DIR/import-ai-382-387.txt"
if [ -f "$corpus" ]; then
  on P ingest "$corpus" >"$WORK/corpus.out" 2>&1 || fail "ingest of the corpus: $(cat "$WORK/corpus.out")"
  H=$(sed -n 's/.*head revision \([0-9]*\).*/\1/p' "$WORK/corpus.out")
  [ "$H" = 8 ] || fail "head revision after the sample and the corpus is $H, not 8"
  QUERIES=("robots" "distributed training" "reasoning" "video models" "benchmark" "weather")
else
  # CI never passes without the corpus.
  [ "${CI:-}" = true ] && fail "newsletter corpus not found at $corpus (required under CI=true)"
  echo "SKIP: newsletter corpus not found at $corpus: part 1 compares the sample only" >&2
  H=$(sed -n 's/.*head revision \([0-9]*\).*/\1/p' "$WORK/sample.out")
  [ "$H" = 2 ] || fail "head revision after the sample is $H, not 2"
  QUERIES=("robots" "weather" "benchmark" "referees")
fi

# reads NAME DIR: every read of the archive at revision H, into DIR.
reads() {
  local name=$1 dir=$2 n q i=0
  mkdir -p "$dir"
  MIN=$H
  on "$name" --json list --page_size=100 >"$dir/list" || fail "list on $name"
  for n in $ISSUES; do
    on "$name" --json get "$n" >"$dir/get.$n" || fail "get $n on $name"
    on "$name" --json tale "$n" >"$dir/tale.$n" 2>"$dir/tale.$n.err" || echo "exit $?" >>"$dir/tale.$n.err"
  done
  paged "$name" "$dir/sections" sections -
  for q in "${QUERIES[@]}"; do
    i=$((i + 1))
    paged "$name" "$dir/search.$i" search $q
  done
  paged "$name" "$dir/search.filtered" --filter="issue >= 385" search models
  for n in $CITED; do paged "$name" "$dir/cited-by.$n" cited-by "$n"; done
  MIN=0
}
MIN=$H
on P --json list --page_size=100 >"$WORK/list.json"
ISSUES=$(jq -r '.issues[].number' "$WORK/list.json" | sort -n | tr '\n' ' ')
[ "$(wc -w <<<"$ISSUES")" -eq "$H" ] || fail "the primary lists $ISSUES at head $H"
CITED=$(for n in $ISSUES; do on P --json get "$n" | jq -r '.sections[].citedIssues // [] | .[]'; done \
        | sort -nu | tr '\n' ' ')
[ -n "$CITED" ] || fail "no issue cites another"
MIN=0
for name in P R1 R2; do reads "$name" "$WORK/reads.$name"; done
[ "$(ls "$WORK/reads.P" | wc -l)" -ge $((3 * H)) ] || fail "too few reads: $(ls "$WORK/reads.P")"
grep -q '"results"' "$WORK"/reads.P/search.1.1 || fail "search \"${QUERIES[0]}\" found nothing"
for name in R1 R2; do
  diff -r "$WORK/reads.P" "$WORK/reads.$name" >"$WORK/reads.$name.diff" \
    || fail "$name reads differently from the primary at revision $H: $(head -c 2000 "$WORK/reads.$name.diff")"
done
# The whole feed: the same revisions with the same commit times.
for name in P R1 R2; do feed "$name" "$H" "$WORK/feed.$name"; done
[ "$(revisions "$WORK/feed.P")" = "$(seq 1 "$H" | tr '\n' ' ')" ] \
  || fail "the primary's feed is not 1..$H: $(revisions "$WORK/feed.P")"
for name in R1 R2; do
  cmp -s "$WORK/feed.P" "$WORK/feed.$name" \
    || fail "$name's feed differs from the primary's: $(diff <(feed_rows "$WORK/feed.P") <(feed_rows "$WORK/feed.$name") | head -5)"
done
say "1: $H issues ($(wc -w <<<"$CITED") cited, ${#QUERIES[@]} searches), their sections, tales and the feed read the same on all three"

# --- 2. Writes go to the primary ---------------------------------------------

for name in R1 R2; do
  if issue_text 999 | on "$name" ingest - >/dev/null 2>"$WORK/write.err"; then
    fail "$name accepted an ingest"
  fi
  grep -q "FAILED_PRECONDITION.*$PRIMARY" "$WORK/write.err" \
    || fail "$name's refusal of an ingest does not say FAILED_PRECONDITION and $PRIMARY: $(cat "$WORK/write.err")"
  if on "$name" checkpoint refused >/dev/null 2>"$WORK/admin.err"; then
    fail "$name wrote a checkpoint"
  fi
  grep -q "FAILED_PRECONDITION.*$PRIMARY" "$WORK/admin.err" \
    || fail "$name's refusal of a checkpoint does not say FAILED_PRECONDITION and $PRIMARY: $(cat "$WORK/admin.err")"
  if on "$name" get 999 >/dev/null 2>"$WORK/get.err"; then fail "the refused ingest is on $name"; fi
  grep -q NOT_FOUND "$WORK/get.err" || fail "get 999 on $name: $(cat "$WORK/get.err")"
done
if on P get 999 >/dev/null 2>&1; then fail "an ingest refused by a replica reached the primary"; fi
say "2: writes and admin calls to a replica: FAILED_PRECONDITION naming $PRIMARY"

# --- 3. A replica killed while it applies ------------------------------------

# One new issue per request, until told to stop; each acknowledged head
# revision goes to $WORK/heads.
: >"$WORK/heads"
(
  for n in $(seq 10001 19999); do
    [ -f "$WORK/stop.ingest" ] && exit 0
    out=$(issue_text "$n" | "$CLI" --server="$PRIMARY" --timeout=60s ingest - 2>&1) \
      || { echo "issue $n: $out" >"$WORK/ingest.failed"; exit 1; }
    sed -n 's/.*head revision \([0-9]*\).*/\1/p' <<<"$out" >>"$WORK/heads"
  done
) &
ingester=$!
acked_head() { tail -n 1 "$WORK/heads"; }
# wait_acked REVISION: until the ingester has an acknowledged head >= REVISION.
wait_acked() {
  local deadline=$((SECONDS + 60))
  until [ "$(acked_head)" -ge "$1" ] 2>/dev/null; do
    [ -f "$WORK/ingest.failed" ] && fail "ingest on the primary failed: $(cat "$WORK/ingest.failed")"
    [ "$SECONDS" -lt "$deadline" ] || fail "the ingester did not reach revision $1 in a minute"
    sleep 0.05
  done
}
# matches NAME H: server NAME has reached H and holds, at revisions <= H,
# exactly what the primary does.
matches() {
  MIN=$2
  list_rows "$1" "$WORK/rows.$1"
  MIN=0
  list_rows P "$WORK/rows.P"
  upto "$2" "$WORK/rows.P" >"$WORK/want"
  [ "$(wc -l <"$WORK/want")" -eq "$2" ] || fail "the primary has $(wc -l <"$WORK/want") issues at revisions <= $2"
  upto "$2" "$WORK/rows.$1" | diff "$WORK/want" - >"$WORK/rows.diff" \
    || fail "$1 at revision $2 differs from the primary (< primary, > $1): $(head -10 "$WORK/rows.diff")"
}

# Each kill lands while the replica applies a backlog: stopped (SIGSTOP)
# while the primary commits BACKLOG more revisions, continued, and killed
# about SPIN busy-wait iterations later (finer than a sleep): too early
# (nothing of the backlog applied) makes SPIN longer, too late (all applied)
# shorter, so the kills home in on the replica at work. A read waits for the backlog's
# first revision meanwhile: if it was answered, that revision must survive
# the kill. What survived is read off a checkpoint of the data directory
# (the server's --checkpoint_to) before the replica restarts.
BACKLOG=20
MID_APPLY=0
SPIN=2000
crashed_at() {  # crashed_at NAME ROUND: the head revision in NAME's data directory
  local out
  out=$("$SERVER" --data_dir="$WORK/${1,,}" --checkpoint_root="$WORK/checkpoints" \
          --checkpoint_to="$1.$2" 2>&1) || fail "checkpoint of ${1}'s data directory: $out"
  rm -rf "$WORK/checkpoints/$1.$2"
  sed -n 's/.*"msg":"checkpoint written".*"head_revision":\([0-9]*\).*/\1/p' <<<"$out"
}
wait_acked $((H + 3))
for round in $(seq 1 10); do
  name=R$(( (round - 1) % 2 + 1 ))
  from=$(acked_head)
  kill -STOP "${PID[$name]}"
  wait_acked $((from + BACKLOG))
  behind=$(acked_head)
  MIN=$((from + 1)) on "$name" list --page_size=1 >/dev/null 2>&1 &
  reader=$!
  kill -CONT "${PID[$name]}"
  for ((spin = SPIN / 2 + RANDOM % SPIN; spin > 0; spin--)); do :; done
  crash "$name"
  await_exit "$reader" "a read on $name"
  crashed=$(crashed_at "$name" "$round")
  [ -n "$crashed" ] || fail "no head revision in the checkpoint of ${name}'s data directory"
  [ "$EXIT_CODE" -ne 0 ] || [ "$crashed" -gt "$from" ] \
    || fail "$name answered a read for revision $((from + 1)), was killed, and holds revision $crashed"
  if [ "$crashed" -le "$from" ]; then
    [ "$SPIN" -ge 100000 ] || SPIN=$((SPIN * 3 / 2))
  elif [ "$crashed" -ge "$behind" ]; then
    SPIN=$((SPIN * 2 / 3 + 1))
  else
    MID_APPLY=$((MID_APPLY + 1))
  fi
  launch "$name" "$WORK/${name,,}" --follow="$PRIMARY"
  wait_acked $(( $(acked_head) + 1 ))
  head=$(acked_head)
  matches "$name" "$head"
  grep -q "copies a snapshot" "${LOG[$name]}" \
    && fail "$name copied a snapshot after a restart within the primary's log"
  say "3: kill $round: $name killed at revision $crashed of backlog $from..$behind (spin $SPIN); restarted, at revision $head it holds the primary's $head issues"
done
touch "$WORK/stop.ingest"
await_exit "$ingester" "the ingester"
[ "$EXIT_CODE" -eq 0 ] || fail "ingest on the primary failed: $(cat "$WORK/ingest.failed" 2>/dev/null)"
HB=$(acked_head)
# After the kills, each replica's whole feed is the primary's.
feed P "$HB" "$WORK/feed3.P" --view=basic
[ "$(revisions "$WORK/feed3.P")" = "$(seq 1 "$HB" | tr '\n' ' ')" ] || fail "the primary's feed is not 1..$HB"
for name in R1 R2; do
  matches "$name" "$HB"
  feed "$name" "$HB" "$WORK/feed3.$name" --view=basic
  cmp -s "$WORK/feed3.P" "$WORK/feed3.$name" \
    || fail "after the kills, $name's feed differs from the primary's: $(diff <(feed_rows "$WORK/feed3.P") <(feed_rows "$WORK/feed3.$name") | head -5)"
done
say "3: after 10 kills ($MID_APPLY amid the backlog) both replicas hold the primary's $HB revisions, issues and feed"

# --- 4. A watch loses its replica ---------------------------------------------

NEW=60
TOTAL=$((HB + NEW))
"$CLI" --server="${ADDR[R1]},${ADDR[R2]}" watch --from=1 --json --max_events="$TOTAL" \
  >"$WORK/failover.jsonl" 2>"$WORK/failover.err" &
watcher=$!
(
  for n in $(seq 20001 $((20000 + NEW))); do
    issue_text "$n" | "$CLI" --server="$PRIMARY" --timeout=60s ingest - >/dev/null 2>"$WORK/ingest4.err" || exit 1
  done
) &
ingester=$!
# Once the watch has printed the log and a third of the new issues (the
# rest are still to come: it cannot end before they are ingested), find its
# replica and kill it.
deadline=$((SECONDS + 60))
until [ "$(grep -c '"type":"EVENT_TYPE_CREATED"' "$WORK/failover.jsonl")" -ge $((HB + NEW / 3)) ]; do
  running "$watcher" || fail "the watch ended early: $(cat "$WORK/failover.err")"
  [ "$SECONDS" -lt "$deadline" ] || fail "the watch printed too little in a minute"
  sleep 0.02
done
victim=""
deadline=$((SECONDS + 30))
while [ -z "$victim" ]; do
  running "$watcher" || fail "the watch ended early: $(cat "$WORK/failover.err")"
  s1=$(subscribers R1) s2=$(subscribers R2)
  if [ "$s1" = 1 ] && [ "$s2" = 0 ]; then victim=R1; fi
  if [ "$s1" = 0 ] && [ "$s2" = 1 ]; then victim=R2; fi
  [ -n "$victim" ] || [ "$SECONDS" -lt "$deadline" ] \
    || fail "cannot tell which replica the watch reads from (subscribers: R1 $s1, R2 $s2)"
  [ -n "$victim" ] || sleep 0.05
done
printed=$(grep -c '"type":"EVENT_TYPE_CREATED"' "$WORK/failover.jsonl")
crash "$victim"
await_exit "$ingester" "the second ingester"
[ "$EXIT_CODE" -eq 0 ] || fail "ingest on the primary failed: $(cat "$WORK/ingest4.err")"
await_exit "$watcher" "the watch over R1,R2"
[ "$EXIT_CODE" -eq 0 ] || fail "the watch over R1,R2 exited $EXIT_CODE: $(cat "$WORK/failover.err")"
[ "$(revisions "$WORK/failover.jsonl")" = "$(seq 1 "$TOTAL" | tr '\n' ' ')" ] \
  || fail "the watch across the kill of $victim did not print 1..$TOTAL once each: $(revisions "$WORK/failover.jsonl" | tr ' ' '\n' | uniq -c | awk '$1 != 1' | head -5; revisions "$WORK/failover.jsonl" | tail -c 300)"
grep -q "reconnecting" "$WORK/failover.err" \
  || fail "the watch did not reconnect after $victim was killed: $(cat "$WORK/failover.err")"
feed P "$TOTAL" "$WORK/feed4.P" --view=basic
diff <(feed_rows "$WORK/feed4.P") <(feed_rows "$WORK/failover.jsonl") >"$WORK/failover.diff" \
  || fail "the watch's events differ from the primary's feed: $(head -5 "$WORK/failover.diff")"
launch "$victim" "$WORK/${victim,,}" --follow="$PRIMARY"
matches "$victim" "$TOTAL"
say "4: $victim killed after the watch printed $printed; it went on from the other replica: 1..$TOTAL once each"

# --- 5. The primary goes away ---------------------------------------------------

declare -A OPEN=() LOST=()
for name in R1 R2; do
  "$CLI" --server="${ADDR[$name]}" watch --from=$((TOTAL + 1)) --json --max_events=1 \
    --progress_interval=200ms >"$WORK/open.$name.jsonl" 2>"$WORK/open.$name.err" &
  OPEN[$name]=$!
done
progress() { grep -c '"type":"EVENT_TYPE_PROGRESS"' "$1" || true; }
# wait_progress FILE COUNT: until the watch writing FILE has printed more
# than COUNT PROGRESS events (its stream is open and its server answers).
wait_progress() {
  local deadline=$((SECONDS + 60))
  until [ "$(progress "$1")" -gt "$2" ]; do
    [ "$SECONDS" -lt "$deadline" ] || fail "no PROGRESS in $1 for a minute: $(cat "${1%.jsonl}.err")"
    sleep 0.05
  done
}
for name in R1 R2; do wait_progress "$WORK/open.$name.jsonl" 0; done
lost() { grep -c "lost the primary's feed" "${LOG[$1]}" || true; }
for name in R1 R2; do LOST[$name]=$(lost "$name"); done
stop P
for name in R1 R2; do
  deadline=$((SECONDS + 60))
  until [ "$(lost "$name")" -gt "${LOST[$name]}" ]; do
    [ "$SECONDS" -lt "$deadline" ] || fail "$name did not notice that the primary stopped"
    sleep 0.05
  done
done
for name in R1 R2; do
  on "$name" --json get 901 >"$WORK/down.get" || fail "get on $name with the primary down"
  cmp -s "$WORK/reads.P/get.901" "$WORK/down.get" || fail "issue 901 on $name changed with the primary down"
  on "$name" --json list --page_size=100 >/dev/null || fail "list on $name with the primary down"
  on "$name" --json search robots >"$WORK/down.search" || fail "search on $name with the primary down"
  grep -q '"results"' "$WORK/down.search" || fail "search on $name with the primary down found nothing"
  # The open watch still streams: a PROGRESS after the primary's stop.
  wait_progress "$WORK/open.$name.jsonl" "$(progress "$WORK/open.$name.jsonl")"
  running "${OPEN[$name]}" || fail "the watch on $name ended when the primary stopped: $(cat "$WORK/open.$name.err")"
  [ ! -s "$WORK/open.$name.err" ] || fail "the watch on $name: $(cat "$WORK/open.$name.err")"
done
say "5: primary stopped: both replicas read, their open watches stream"
launch P "$WORK/p" --listen="$PRIMARY"
[ "${ADDR[P]}" = "$PRIMARY" ] || fail "the primary restarted on ${ADDR[P]}, not $PRIMARY"
head=$(ingest_new P 30001)
[ "$head" -eq $((TOTAL + 1)) ] || fail "head $head after restarting the primary at $TOTAL"
MIN=$head on P --json get 30001 >"$WORK/new.P"
for name in R1 R2; do
  MIN=$head on "$name" --json get 30001 >"$WORK/new.$name" || fail "$name did not catch up with the restarted primary"
  cmp -s "$WORK/new.P" "$WORK/new.$name" || fail "issue 30001 on $name differs from the primary's"
  await_exit "${OPEN[$name]}" "the open watch on $name"
  [ "$EXIT_CODE" -eq 0 ] || fail "the open watch on $name exited $EXIT_CODE: $(cat "$WORK/open.$name.err")"
  [ "$(revisions "$WORK/open.$name.jsonl")" = "$head " ] \
    || fail "the open watch on $name printed $(revisions "$WORK/open.$name.jsonl"), not $head"
  [ ! -s "$WORK/open.$name.err" ] || fail "the open watch on $name: $(cat "$WORK/open.$name.err")"
done
say "5: primary back on $PRIMARY: both replicas caught up, the open watches printed revision $head"

# --- 6. A new replica behind the primary's log ----------------------------------

launch Q "$WORK/q" --retain_revisions=3
on Q ingest "$SAMPLE" >/dev/null 2>&1 || fail "ingest of the sample on Q"
for n in 4001 4002 4003 4004 4005 4006; do head=$(ingest_new Q "$n"); done
[ "$head" -eq 8 ] || fail "Q's head is $head after 8 changes"
deadline=$((SECONDS + 60))
while timeout 60 "$CLI" --server="${ADDR[Q]}" watch --from=1 --json --max_events=1 \
        >/dev/null 2>"$WORK/q.err"; do
  [ "$SECONDS" -lt "$deadline" ] || fail "Q still has revision 1 in its log a minute after --retain_revisions=3"
  sleep 0.1
done
grep -q OUT_OF_RANGE "$WORK/q.err" || fail "watch --from=1 on Q: $(cat "$WORK/q.err")"
launch R3 "$WORK/r3" --follow="${ADDR[Q]}"
MIN=8
list_rows R3 "$WORK/rows.R3"
list_rows Q "$WORK/rows.Q"
MIN=0
[ "$(wc -l <"$WORK/rows.Q")" -eq 8 ] || fail "Q lists $(wc -l <"$WORK/rows.Q") issues"
diff "$WORK/rows.Q" "$WORK/rows.R3" >"$WORK/rows.diff" \
  || fail "R3 differs from Q after the snapshot: $(head -10 "$WORK/rows.diff")"
for q in robots weather lighthouse; do
  MIN=8 on Q --json search $q >"$WORK/search.Q" || fail "search $q on Q"
  MIN=8 on R3 --json search $q >"$WORK/search.R3" || fail "search $q on R3"
  grep -q '"results"' "$WORK/search.Q" || fail "search $q on Q found nothing"
  cmp -s "$WORK/search.Q" "$WORK/search.R3" || fail "search $q on R3 differs from Q"
done
for n in 901 4006; do
  MIN=8 on Q --json get "$n" >"$WORK/get.Q"
  MIN=8 on R3 --json get "$n" >"$WORK/get.R3" || fail "get $n on R3"
  cmp -s "$WORK/get.Q" "$WORK/get.R3" || fail "issue $n on R3 differs from Q"
done
grep -q "replica copied the primary's snapshot" "${LOG[R3]}" || fail "R3's log does not say it copied the snapshot"
if timeout 60 "$CLI" --server="${ADDR[R3]}" watch --from=1 --json --max_events=1 >/dev/null 2>"$WORK/r3.err"; then
  fail "R3's log starts at revision 1, before its snapshot"
fi
grep -q OUT_OF_RANGE "$WORK/r3.err" || fail "watch --from=1 on R3: $(cat "$WORK/r3.err")"
head=$(ingest_new Q 4007)
[ "$head" -eq 9 ] || fail "Q's head is $head after 9 changes"
MIN=9 on Q --json get 4007 >"$WORK/get.Q"
MIN=9 on R3 --json get 4007 >"$WORK/get.R3" || fail "R3 did not follow Q after its snapshot"
cmp -s "$WORK/get.Q" "$WORK/get.R3" || fail "issue 4007 on R3 differs from Q"
for name in Q R3; do
  timeout 60 "$CLI" --server="${ADDR[$name]}" watch --from=9 --json --max_events=1 \
    >"$WORK/nine.$name" || fail "watch --from=9 on $name"
done
cmp -s "$WORK/nine.Q" "$WORK/nine.R3" || fail "revision 9 in R3's feed differs from Q's"
say "6: R3 copied Q's snapshot at 8 (Q's log trimmed), matches it, its log starts after 8, and it followed to 9"

# --- 7. A revision a replica does not reach ----------------------------------------

# It waits for it until the call's deadline (--timeout), then answers
# UNAVAILABLE; the read held meanwhile does not keep it from stopping.
far=1000
started=$(date +%s%N)
if "$CLI" --server="${ADDR[R3]}" --timeout=5s --min_revision=$far get 901 \
     >/dev/null 2>"$WORK/far.err"; then
  fail "a read for revision $far on R3 (head 9) succeeded"
fi
waited=$(( ($(date +%s%N) - started) / 1000000 ))
problem=""
grep -q "UNAVAILABLE" "$WORK/far.err" \
  || problem="a read for revision $far that R3 has not applied by its deadline: want UNAVAILABLE, got: $(cat "$WORK/far.err")"
[ "$waited" -ge 2000 ] && [ "$waited" -le 20000 ] \
  || problem="${problem:+$problem; }a read for revision $far with --timeout=5s answered after $waited ms"
STOP_HINT="after a read for revision $far timed out on it${problem:+ (and $problem)}"
stop R3
STOP_HINT=""
[ -z "$problem" ] || fail "$problem"
say "7: a read for revision $far on R3: UNAVAILABLE after $waited ms (--timeout=5s); R3 then stopped cleanly"

stop Q R1 R2 P
say "replicas: PASS (3 servers read alike at $H; 10 replica kills under ingest up to $HB, $MID_APPLY mid-backlog; watch failed over from $victim with 1..$TOTAL once each; replicas served with the primary down and caught up; R3 bootstrapped from a snapshot and followed; an unreached --min_revision UNAVAILABLE after ${waited} ms; all stopped cleanly)"
