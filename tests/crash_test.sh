#!/usr/bin/env bash
# Crash safety with the real binaries. Two clients ingest generated issues
# (the sample's two issues renumbered, in six shapes: with or without the
# tale, two sections or one) and updates of them, one request at a time each,
# while `importai watch` follows the feed. The server is killed with SIGKILL
# at a random moment KILLS times and restarted each time on the same data
# directory and port. After each restart:
#   - the revision log, replayed from 1, is exactly 1..HEAD (no gap, no
#     duplicate), HEAD is the last acknowledged revision plus at most one per
#     ingest in flight at the kill, and every acknowledged change is the log
#     entry of its revision (same issue, same content hash);
#   - every issue is as last acknowledged (revision, content hash) and whole:
#     its section_count, the sections it holds and its rows in ListSections
#     agree with its shape, and it has a tale exactly when its shape does
#     (in the issue; and as `importai tale N` for a sample and for each
#     ingest in flight at the kill);
#   - an ingest in flight at the kill is all there or not there at all:
#     retrying it (as a client would) says UNCHANGED exactly as often as the
#     log holds entries that no acknowledged change accounts for, and those
#     entries are these requests.
# At the end the subscriber, which reconnected by itself after every kill,
# has printed every revision 1..HEAD exactly once, in order, each with the
# issue and content hash of that log entry.
#
# "Acknowledged": `importai --json ingest` exited 0 and printed its results.
# Needs bash, jq, sed, awk and coreutils.
# usage: crash_test.sh SERVER CLI SAMPLE_FILE [KILLS]   (default 24)
set -euo pipefail
SERVER=$1 CLI=$2 SAMPLE=$3 KILLS=${4:-${CRASH_KILLS:-24}}
WORK=$(mktemp -d)
source "$(dirname "$0")/lib.sh"
trap 'kill $(jobs -p) 2>/dev/null || true; cleanup' EXIT
need_jq
DATA=$WORK/data
T0=$SECONDS

say() { echo "[$((SECONDS - T0))s] $*"; }
cli() { "$CLI" --server="$ADDRESS" --timeout=20s "$@"; }

# --- Issue texts ---------------------------------------------------------

# Issues 901 and 902 of the sample, each a newsletter text of its own.
awk '/^Import AI 902:/ {exit} {print}' "$SAMPLE" | sed '$d' >"$WORK/A.txt"
{ printf 'Import AI\n\n'; awk '/^Import AI 902:/ {p=1} p' "$SAMPLE"; } >"$WORK/B.txt"
# An issue is three parts split at its "***" lines: the header and first
# section, the second section, the tale and the footer after it. Shapes:
# full, notale (no tale, footer kept), onesec (no second section).
shape() {  # shape FILE SHAPE
  awk -v shape="$2" '
    BEGIN { part = 0 }
    $0 == "***" { part++ }
    part < 2 { p[part] = p[part] $0 "\n"; next }
    { p[2] = p[2] $0 "\n"; if (after_tale) footer = footer $0 "\n" }
    /^Things that inspired/ { after_tale = 1 }
    END {
      if (shape == "full") printf "%s%s%s", p[0], p[1], p[2]
      else if (shape == "onesec") printf "%s%s", p[0], p[2]
      else printf "%s%s%s", p[0], p[1], footer
    }' "$1"
}
SHAPES=(A-full A-notale A-onesec B-full B-notale B-onesec)
for s in "${SHAPES[@]}"; do shape "$WORK/${s%-*}.txt" "${s#*-}" >"$WORK/shape.$s"; done
# issue_text SHAPE NUMBER EDIT: the shape renumbered; an EDIT above 0 goes
# into the title, so each update has new content.
issue_text() {
  local edit=""
  [ "$3" -eq 0 ] || edit="Edit $3; "
  sed -E "s/^Import AI 90[12]: /Import AI $2: $edit/" "$WORK/shape.$1"
}

# --- Reading the CLI's JSON (with jq) ------------------------------------

# "NUMBER REVISION HASH SECTION_COUNT SECTIONS TALE" per issue of `get` or
# `list` output (an issue, or a page of them): SECTIONS counts the sections
# the issue holds, TALE is 1 if it has one. proto3 JSON leaves out zeros.
issue_rows() {
  jq -r '(if has("name") then . else (.issues // [])[] end)
    | [.number, .revision // "0", .contentHash // "-", .sectionCount // 0,
       (.sections // [] | length), (if has("tale") then 1 else 0 end)]
    | map(tostring) | join(" ")' "$@"
}
# "REVISION TYPE NUMBER HASH" per CREATED/UPDATED event of `watch --json`.
event_rows() {
  change_events "$@" | jq -r '[.revision, (.type | ltrimstr("EVENT_TYPE_")),
    .issue.number, .issue.contentHash] | map(tostring) | join(" ")'
}
json_field() {  # json_field NAME FILE: top-level field NAME, empty if absent
  jq -r --arg name "$1" '.[$name] // empty' "$2"
}
result_field() {  # result_field NAME FILE: field NAME of `ingest --json`'s first result
  jq -r ".response.results[0].$1 // empty" "$2" 2>/dev/null || true
}

# --- The server ------------------------------------------------------------

# start PORT: the server on 127.0.0.1:PORT (0: any free port) and $DATA;
# sets SERVER_PID and ADDRESS. Retries if the port is briefly unavailable.
start() {
  local attempt deadline log
  for attempt in 1 2 3 4 5; do
    log="$WORK/server.$attempt.$RANDOM.log"
    # check_log waits one progress interval after the replay: keep it short.
    "$SERVER" --listen="127.0.0.1:$1" --data_dir="$DATA" --log_level=warning \
      --min_progress_interval=100ms >"$log" 2>&1 &
    SERVER_PID=$!
    # A minute, for a busy machine (or ASan); a server that starts returns at
    # once. The log may not exist yet: the background shell creates it, and
    # under `set -e` a failed read would end the script.
    deadline=$((SECONDS + 60))
    while [ "$SECONDS" -lt "$deadline" ]; do
      ADDRESS=$(sed -n 's/.*"msg":"listening","address":"\([^"]*\)".*/\1/p' "$log" 2>/dev/null || true)
      [ -n "$ADDRESS" ] && return 0
      kill -0 "$SERVER_PID" 2>/dev/null || break
      sleep 0.05
    done
    kill -9 "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
    echo "server did not start (attempt $attempt):" >&2
    cat "$log" >&2
    sleep 0.5
  done
  fail "the server did not start on $DATA"
}

# --- Ingesting -------------------------------------------------------------

# Ledgers, one line per acknowledged ingest: "NUMBER REVISION HASH SHAPE EDIT
# OUTCOME". acked.s: the six shapes, first; acked.0 and acked.1: the two
# ingesters, which own disjoint issue numbers. pending.I ("NUMBER SHAPE
# EDIT") and pending.I.txt: ingester I's request in flight, if any.
: >"$WORK/acked.s"
: >"$WORK/acked.0"
: >"$WORK/acked.1"

# ack LEDGER NUMBER SHAPE EDIT OUTPUT [OUTCOME]: records the ingest whose
# JSON result is in OUTPUT (with OUTCOME instead of the one it reports).
ack() {
  local rev hash outcome
  rev=$(result_field revision "$5")
  hash=$(result_field contentHash "$5")
  outcome=$(result_field outcome "$5")
  [ -n "$rev" ] && [ -n "$hash" ] && [ -n "$outcome" ] \
    || fail "cannot read the ingest result: $(cat "$5")"
  [ "$(result_field number "$5")" = "$2" ] || fail "ingest result is not issue $2: $(cat "$5")"
  echo "$2 $rev $hash $3 $4 ${6:-${outcome#INGEST_OUTCOME_}}" >>"$WORK/acked.$1"
}

# ingester I: one request after the other until one fails (the server died):
# mostly new issues, one in three an update of an acknowledged one of its own.
ingester() {
  local id=$1 seq n shape edit
  seq=$(wc -l <"$WORK/acked.$id")
  while :; do
    seq=$((seq + 1))
    shape=${SHAPES[RANDOM % 6]}
    if [ $((RANDOM % 3)) -eq 0 ] && [ -s "$WORK/acked.$id" ]; then
      read -r n edit < <(awk '{ e[$1] = $5 } END { for (n in e) print n, e[n] + 1 }' \
                           "$WORK/acked.$id" | shuf -n 1)
    else
      n=$((3000 + id * 3000 + seq)) edit=0
    fi
    issue_text "$shape" "$n" "$edit" >"$WORK/pending.$id.txt"
    echo "$n $shape $edit" >"$WORK/pending.$id"
    cli --json ingest "$WORK/pending.$id.txt" >"$WORK/out.$id" 2>"$WORK/err.$id" || return 0
    ack "$id" "$n" "$shape" "$edit" "$WORK/out.$id"
    rm -f "$WORK/pending.$id"
  done
}

# --- Checks ----------------------------------------------------------------

# The last acknowledged state of each issue: "NUMBER REVISION HASH SHAPE".
latest() {
  cat "$WORK"/acked.* | awk '{ s[$1] = $1 " " $2 " " $3 " " $4 } END { for (n in s) print s[n] }' \
    | sort -n
}
# Acknowledged changes (not UNCHANGED), as "REVISION NUMBER HASH".
changes() { cat "$WORK"/acked.* | awk '$6 != "UNCHANGED" { print $2, $1, $3 }' | sort -n; }
acked_count() { changes | wc -l; }
pending_count() { ls "$WORK" | grep -c '^pending\.[01]$' || true; }

# check_log: the whole log from a fresh subscriber: it replays 1..HEAD, then
# (the feed idle) PROGRESS with the head. Sets HEAD.
check_log() {
  timeout 60 "$CLI" --server="$ADDRESS" watch --from=1 --json --view=basic \
      --progress_interval=100ms 2>"$WORK/log.err" \
    | jq -c -n 'label $progress | inputs
                | ., (select(.type == "EVENT_TYPE_PROGRESS") | break $progress)' \
      >"$WORK/log.jsonl" || true
  HEAD=$(jq -r 'select(.type == "EVENT_TYPE_PROGRESS") | .revision' "$WORK/log.jsonl")
  [ -n "$HEAD" ] || { cat "$WORK/log.err" >&2; fail "no PROGRESS event after replaying the log"; }
  event_rows "$WORK/log.jsonl" >"$WORK/log.rows"
  [ "$(cut -d' ' -f1 "$WORK/log.rows" | tr '\n' ' ')" = "$(seq 1 "$HEAD" | tr '\n' ' ')" ] \
    || fail "the revision log is not 1..$HEAD: $(cut -d' ' -f1 "$WORK/log.rows" | tr '\n' ' ')"
  # Each acknowledged change has its revision; the rest are requests in
  # flight at the kill, stored whole.
  local acked pending bad
  acked=$(acked_count) pending=$(pending_count)
  [ "$HEAD" -ge "$acked" ] && [ "$HEAD" -le $((acked + pending)) ] \
    || fail "head revision $HEAD after $acked acknowledged changes and $pending in flight"
  bad=$(changes | sort -k1,1 | join -a1 -o 1.1,1.2,1.3,2.2,2.3 -e missing - \
          <(awk '{ print $1, $3, $4 }' "$WORK/log.rows" | sort -k1,1) \
        | awk '$2 != $4 || $3 != $5' | head -3)
  [ -z "$bad" ] || fail "acknowledged changes not in the log as acknowledged (revision, issue, hash; log's issue, hash): $bad"
}

# check_issues: every issue as last acknowledged, and whole; from every page
# of ListIssues and ListSections.
check_issues() {
  local token="" bad
  : >"$WORK/listed"
  while :; do
    cli --json list --view=basic --page_size=100 ${token:+--page_token="$token"} >"$WORK/page"
    issue_rows "$WORK/page" >>"$WORK/listed"
    token=$(json_field nextPageToken "$WORK/page")
    [ -n "$token" ] || break
  done
  : >"$WORK/section_rows"
  while :; do
    cli --json sections - --page_size=100 ${token:+--page_token="$token"} >"$WORK/page"
    jq -r '(.sections // [])[].issueNumber' "$WORK/page" >>"$WORK/section_rows"
    token=$(json_field nextPageToken "$WORK/page")
    [ -n "$token" ] || break
  done
  sort -n "$WORK/section_rows" | uniq -c | awk '{ print $2, $1 }' >"$WORK/section_counts"
  # want: "NUMBER REVISION HASH SECTIONS TALE"
  latest | awk 'NR == FNR { s[$1] = $2 " " $3; next } { print $1, $2, $3, s[$4] }' \
    "$WORK/shapes" - >"$WORK/want"
  bad=$(awk '
    FILENAME == ARGV[1] { want[$1] = $0; next }
    FILENAME == ARGV[2] { rows[$1] = $2; next }
    { if (seen[$1]++) { print "issue " $1 " listed twice"; next }
      if (!($1 in want)) { print "issue " $1 " was never acknowledged"; next }
      split(want[$1], w, " ")
      if ($2 != w[2] || $3 != w[3])
        print "issue " $1 ": revision " $2 " hash " $3 ", acknowledged " w[2] " " w[3]
      if ($4 != w[4] || $5 != w[4] || rows[$1] + 0 != w[4])
        print "issue " $1 " half stored: section_count " $4 ", " $5 " sections in the issue, " rows[$1] + 0 " listed, want " w[4]
      if ($6 != w[5]) print "issue " $1 ": tale " $6 ", want " w[5] }
    END { for (n in want) if (!(n in seen)) print "acknowledged issue " n " is missing"
          for (n in rows) if (!(n in want)) print "sections of unknown issue " n }
    ' "$WORK/want" "$WORK/section_counts" "$WORK/listed" | head -5)
  [ -z "$bad" ] || fail "after the restart: $bad"
}

# check_tale NUMBER: the tale row (GetTale) is there exactly when the shape
# has a tale; check_issues covers the rest of the issue.
check_tale() {
  local n=$1 tale
  tale=$(latest | awk -v n="$1" '$1 == n { print $4 }' \
         | awk 'NR == FNR { t[$1] = $3; next } { print t[$1] }' "$WORK/shapes" -)
  if cli tale "$n" >/dev/null 2>"$WORK/tale.err"; then
    [ "$tale" = 1 ] || fail "issue $n has a tale row but its shape has no tale"
  else
    [ "$tale" = 0 ] && grep -q NOT_FOUND "$WORK/tale.err" \
      || fail "importai tale $n (want tale: $tale): $(cat "$WORK/tale.err")"
  fi
}

# resolve_pending: retries each ingest in flight at the kill, as a client
# would. UNCHANGED says the crashed request was stored (whole: check_issues
# follows), CREATED/UPDATED that nothing of it was. The log must hold one
# entry per acknowledged change plus one per crashed request stored, and the
# next check_log checks that those entries are these requests.
resolve_pending() {
  local id n shape edit acked outcome rev stored=0
  acked=$(acked_count)
  for id in 0 1; do
    [ -f "$WORK/pending.$id" ] || continue
    read -r n shape edit <"$WORK/pending.$id"
    cli --json ingest "$WORK/pending.$id.txt" >"$WORK/retry" || fail "retrying the ingest of $n"
    outcome=$(result_field outcome "$WORK/retry")
    case $outcome in
      INGEST_OUTCOME_UNCHANGED)
        rev=$(result_field revision "$WORK/retry")
        [ "$rev" -le "$HEAD" ] && ! changes | grep -q "^$rev " \
          || fail "retrying issue $n: UNCHANGED at an acknowledged revision: $(cat "$WORK/retry")"
        ack "$id" "$n" "$shape" "$edit" "$WORK/retry" STORED_AT_CRASH
        KEPT=$((KEPT + 1)) stored=$((stored + 1)) ;;
      INGEST_OUTCOME_CREATED | INGEST_OUTCOME_UPDATED)
        ack "$id" "$n" "$shape" "$edit" "$WORK/retry"
        LOST=$((LOST + 1)) ;;
      *) fail "retrying issue $n: $(cat "$WORK/retry")" ;;
    esac
    rm -f "$WORK/pending.$id"
    check_tale "$n"
  done
  [ $((acked + stored)) -eq "$HEAD" ] \
    || fail "head $HEAD after the restart: $acked acknowledged changes, and $stored crashed requests stored"
}

# --- The run -----------------------------------------------------------------

start 0
PORT=${ADDRESS##*:}
# The six shapes as issues 101..106, and what each holds.
: >"$WORK/shapes"
for i in 0 1 2 3 4 5; do
  issue_text "${SHAPES[i]}" $((101 + i)) 0 >"$WORK/shape_issue.txt"
  cli --json ingest "$WORK/shape_issue.txt" >"$WORK/out.s"
  ack s $((101 + i)) "${SHAPES[i]}" 0 "$WORK/out.s"
  cli --json get $((101 + i)) >"$WORK/one"
  read -r _ _ _ count secs tale < <(issue_rows "$WORK/one")
  [ "$count" = "$secs" ] && [ "$secs" -ge 1 ] || fail "shape ${SHAPES[i]}: section_count $count, $secs sections"
  echo "${SHAPES[i]} $secs $tale" >>"$WORK/shapes"
done
grep -q ' 0$' "$WORK/shapes" && grep -q ' 1 1$' "$WORK/shapes" \
  || fail "the shapes do not vary: $(cat "$WORK/shapes")"

# The subscriber, across every kill.
"$CLI" --server="$ADDRESS" watch --from=1 --json --view=basic \
  >"$WORK/subscriber.jsonl" 2>"$WORK/subscriber.err" &
subscriber=$!

KEPT=0 LOST=0 EMPTY=0
for kill in $(seq 1 "$KILLS"); do
  # Two ingesters; the server dies under them after 0.2 to 1.5 s.
  ingester 0 & ing0=$!
  ingester 1 & ing1=$!
  before=$(cat "$WORK"/acked.* | wc -l)
  ms=$((200 + RANDOM % 1300))
  sleep "$(printf '%d.%03d' $((ms / 1000)) $((ms % 1000)))"
  for pid in $ing0 $ing1; do
    kill -0 "$pid" 2>/dev/null || { cat "$WORK"/err.* >&2; fail "an ingest failed while the server was up"; }
  done
  kill -9 "$SERVER_PID"
  wait "$SERVER_PID" 2>/dev/null || true
  wait "$ing0" "$ing1"
  # (`ingest --json` also puts its summary line, "ingested ...", on stderr.)
  if grep -Evq 'UNAVAILABLE|UNKNOWN|CANCELLED|^ingested |^$' "$WORK"/err.* 2>/dev/null; then
    cat "$WORK"/err.* >&2
    fail "an ingest failed with something else than the server going away"
  fi
  rm -f "$WORK"/err.*
  acked_now=$(( $(cat "$WORK"/acked.* | wc -l) - before ))
  [ "$acked_now" -gt 0 ] || EMPTY=$((EMPTY + 1))

  start "$PORT"
  check_log
  resolve_pending
  check_issues
  # The tale rows of a sample of this round's issues.
  for n in $(cat "$WORK"/acked.0 "$WORK"/acked.1 | tail -n "$acked_now" | cut -d' ' -f1 | shuf -n 1); do
    check_tale "$n"
  done
  say "kill $kill: $acked_now acknowledged, head $HEAD; issues whole and as acknowledged"
done

# The subscriber catches up with the head, and saw everything once, in order.
check_log
for _ in $(seq 1 300); do
  last=$(event_rows "$WORK/subscriber.jsonl" | tail -1 | cut -d' ' -f1)
  [ "${last:-0}" -ge "$HEAD" ] && break
  sleep 0.1
done
kill "$subscriber"
wait "$subscriber" || true
[ "$(event_rows "$WORK/subscriber.jsonl" | cut -d' ' -f1 | tr '\n' ' ')" = "$(seq 1 "$HEAD" | tr '\n' ' ')" ] \
  || fail "the subscriber did not see 1..$HEAD once each: $(event_rows "$WORK/subscriber.jsonl" | cut -d' ' -f1 | tr '\n' ' ')"
event_rows "$WORK/subscriber.jsonl" | cut -d' ' -f1,3,4 >"$WORK/sub.rows"
awk '{ print $1, $3, $4 }' "$WORK/log.rows" | cmp -s - "$WORK/sub.rows" \
  || fail "the subscriber's events differ from the log"
reconnects=$(grep -c reconnecting "$WORK/subscriber.err" || true)
[ "$reconnects" -ge $((KILLS / 2)) ] \
  || fail "the subscriber reconnected only $reconnects times over $KILLS kills"
stop_server
issues=$(latest | wc -l)
say "crash: PASS ($KILLS kills; head $HEAD; $issues issues; in flight at a kill: $KEPT stored whole, $LOST not stored; $EMPTY kills before any ack; subscriber resumed $reconnects times and saw 1..$HEAD once each)"
