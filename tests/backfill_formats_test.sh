#!/usr/bin/env bash
# A backfill as a user would run it, against the real server: a folder of
# Markdown issues (--format=auto), then the RSS feed, then a plain-text copy.
# The words stay, the addresses and dates are merged in once, a poorer copy
# keeps them and says so, the feed shows only the changes, and a Markdown
# file over its reader's cap is refused alone.
# usage: backfill_formats_test.sh SERVER CLI FOUR_FORMATS_DIR
set -euo pipefail
SERVER=$1 CLI=$2 FIXTURES=$3
WORK=$(mktemp -d)
source "$(dirname "$0")/lib.sh"
trap cleanup EXIT
need_jq

cli() { "$CLI" --server="$ADDRESS" "$@"; }
# renumber N: the Markdown copy of issue 950 as issue N (title and address).
renumber() { sed "s/950/$1/g" "$FIXTURES/issue.md"; }
# expect_issue N URI PUBLISH_TIME: `get N` has these details and every link
# an address.
expect_issue() {
  cli --json get "$1" >"get-$1.json"
  jq -e --arg uri "$2" --arg time "$3" '
    .uri == $uri and .publishTime == $time
    and ([.sections[].links[]] | length) == 6
    and all(.sections[].links[]; .uri | startswith("https://example.com/"))
    and .sections[0].links[0].uri == "https://example.com/papers/foldnet"' \
    "get-$1.json" >/dev/null || { cat "get-$1.json" >&2; fail "get $1: want $2, $3 and link addresses"; }
}

start_server "$WORK/data"
cd "$WORK"
mkdir archive
cp "$FIXTURES/issue.md" archive/950.md
renumber 952 >archive/952.md
cp "$FIXTURES/feed.xml" "$FIXTURES/issue.txt" .

# The Markdown archive: both created, each read as Markdown by detection;
# the front matter gives the address and the date (a bare day: midnight).
cli --json ingest --format=auto archive/*.md >md.jsonl 2>md.err \
  || { cat md.jsonl md.err >&2; fail "ingest archive/*.md"; }
jq -e -s '
  [.[].file] == ["archive/950.md", "archive/952.md"]
  and [.[].response.results[] | [.number, .outcome, .revision]]
      == [[950, "INGEST_OUTCOME_CREATED", "1"], [952, "INGEST_OUTCOME_CREATED", "2"]]
  and all(.[].response.results[]; .warnings | any(test("read as Markdown \\(detected")))' \
  md.jsonl >/dev/null || { cat md.jsonl >&2; fail "archive/*.md"; }
expect_issue 950 https://example.com/p/950 2025-03-10T00:00:00Z
expect_issue 952 https://example.com/p/952 2025-03-10T00:00:00Z

# The feed: 951 is new; 950 has the same words and address but 08:00 for the
# date. A copy's own details win over the stored ones (storage/issue_merge.h
# keeps a stored value only where the copy has none), so 950 is UPDATED.
cli --json ingest feed.xml >feed.jsonl 2>feed.err || { cat feed.jsonl feed.err >&2; fail "ingest feed.xml"; }
jq -e '
  [.response.results[] | [.number, .outcome, .revision]]
      == [[951, "INGEST_OUTCOME_CREATED", "3"], [950, "INGEST_OUTCOME_UPDATED", "4"]]
  and all(.response.results[].warnings[]; test("kept") | not)
  and .response.headRevision == "4"' feed.jsonl >/dev/null \
  || { cat feed.jsonl >&2; fail "feed.xml: want 951 CREATED, 950 UPDATED"; }
expect_issue 950 https://example.com/p/950 2025-03-10T08:00:00Z

# The plain-text copy: the same words and nothing new, so UNCHANGED at the
# stored revision, and a warning on its header line that the stored details
# are kept.
header=$(grep -n "^Import AI 950:" issue.txt | cut -d: -f1)
cli ingest issue.txt >txt.out 2>txt.err || { cat txt.out txt.err >&2; fail "ingest issue.txt"; }
grep -q "^Import AI 950	UNCHANGED	revision 4	" txt.out || { cat txt.out >&2; fail "issue.txt: want UNCHANGED at revision 4"; }
grep -qx "  warning: line $header: this copy lacks the issue's address, its date and 6 link addresses of the stored issue; the stored ones are kept" txt.out \
  || { cat txt.out >&2; fail "issue.txt: no warning that the stored details are kept"; }
grep -q "; head revision 4$" txt.out || { cat txt.out >&2; fail "an UNCHANGED copy made a revision"; }
expect_issue 950 https://example.com/p/950 2025-03-10T08:00:00Z

# Over the Markdown reader's cap (kMaxMarkdownInputBytes, common/limits.h):
# that file alone is refused, naming the limit; the files around it go in,
# and the exit status says one failed.
mkdir more
renumber 953 >more/953.md
renumber 954 >more/954.md
# A whole issue, then some 1.1 MB of padding paragraphs.
{ renumber 955; awk 'BEGIN { for (i = 0; i < 21000; i++) print "A paragraph that only pads this copy past the cap.\n" }'; } >more/huge.md
[ "$(wc -c <more/huge.md)" -gt $((1 << 20)) ] || fail "more/huge.md is not over the cap"
code=0
cli --json ingest --format=auto more/953.md more/huge.md more/954.md >cap.jsonl 2>cap.err || code=$?
[ "$code" -eq 1 ] || { cat cap.jsonl cap.err >&2; fail "a file over the cap exited $code, want 1"; }
jq -e -s --arg limit "$((1 << 20))-byte limit" '
  [.[].file] == ["more/953.md", "more/huge.md", "more/954.md"]
  and .[1].error.code == "RESOURCE_EXHAUSTED"
  and (.[1].error.message | test("Markdown input of [0-9]+ bytes is over the " + $limit))
  and [.[0, 2].response.results[] | [.number, .outcome]]
      == [[953, "INGEST_OUTCOME_CREATED"], [954, "INGEST_OUTCOME_CREATED"]]' \
  cap.jsonl >/dev/null || { cat cap.jsonl >&2; fail "the file over the cap"; }
grep -q "^importai: ingest more/huge.md: RESOURCE_EXHAUSTED: .*$((1 << 20))-byte limit" cap.err \
  || { cat cap.err >&2; fail "the refusal is not on stderr"; }
grep -q "^ingested 2 of 3 files (1 failed): 2 issues; 2 created.*head revision 6$" cap.err \
  || { cat cap.err >&2; fail "summary with a file over the cap"; }
! cli get 955 >/dev/null 2>&1 || fail "the file over the cap was stored"

# The feed from revision 1: every CREATED and UPDATED in order, and nothing
# for the UNCHANGED copy (the head is 6, so these are all there is). The
# timeout only bounds a failure: watch exits as soon as it has 6 changes.
timeout 120 "$CLI" --server="$ADDRESS" watch --from=1 --json --max_events=6 >watch.jsonl \
  || { cat watch.jsonl >&2; fail "watch --from=1 --max_events=6"; }
jq -e -s '
  [.[] | select(.type != "EVENT_TYPE_PROGRESS") | [.revision, .type, .issue.number]]
  == [["1", "EVENT_TYPE_CREATED", 950], ["2", "EVENT_TYPE_CREATED", 952],
      ["3", "EVENT_TYPE_CREATED", 951], ["4", "EVENT_TYPE_UPDATED", 950],
      ["5", "EVENT_TYPE_CREATED", 953], ["6", "EVENT_TYPE_CREATED", 954]]' \
  watch.jsonl >/dev/null || { cat watch.jsonl >&2; fail "the feed's events"; }
# The UPDATED event carries the merged issue.
jq -e -s '.[] | select(.revision == "4") | .issue.publishTime == "2025-03-10T08:00:00Z"
  and .issue.uri == "https://example.com/p/950"' watch.jsonl >/dev/null \
  || fail "the UPDATED event does not carry the merged issue"
stop_server
echo "backfill formats: PASS"
