#!/usr/bin/env bash
# `importai ingest` with several files against the real server: one request
# per file, the summary, --json lines read with jq, --allow_partial reporting
# a bad issue REJECTED while storing the good ones, the default refusing the
# whole file and going on with the next, and the exit statuses.
# usage: ingest_cli_test.sh SERVER CLI
set -euo pipefail
SERVER=$1 CLI=$2
WORK=$(mktemp -d)
source "$(dirname "$0")/lib.sh"
trap cleanup EXIT
need_jq

cli() { "$CLI" --server="$ADDRESS" "$@"; }
# issue N: a tiny original issue numbered N, with one article and a tale.
issue() {
  cat <<EOF
Import AI $1: Kites map the wind; and a quiet lighthouse

by A. Writer

Kites that map the wind:
…A cheap sensor rides the string of issue $1…
Researchers flew kites with sensors to map gusts over a valley.
   Read more: Wind maps from kites (Example Lab blog).

***

Tech Tales:

The Lighthouse Keeper
[A rocky coast, 2041]

The lamp turned all night and nobody watched it.

Things that inspired this story: lighthouses; long nights.
EOF
}
# bad N: a header and a byline, but nothing the parser can call an issue.
bad() { printf 'Import AI %s: Nothing here yet\n\nby A. Writer\n\n' "$1"; }
stored() { cli get "$1" >/dev/null 2>&1; }

start_server "$WORK/data"
cd "$WORK"
{ issue 901; issue 902; } >a.txt
issue 903 >b.txt

# Two files in one call: one request each, one summary; stderr is not a
# terminal, so no progress line.
cli ingest a.txt b.txt >two.out 2>two.err || { cat two.err >&2; fail "ingest a.txt b.txt"; }
grep -qx "a.txt: 2 issue copies: 2 created, 0 updated, 0 unchanged, 0 rejected" two.out \
  || { cat two.out >&2; fail "no per-file line for a.txt"; }
grep -qx "ingested 2 files: 3 issues; 3 created, 0 updated, 0 unchanged, 0 rejected; head revision 3" two.out \
  || { cat two.out >&2; fail "summary of two files"; }
[ ! -s two.err ] || { cat two.err >&2; fail "stderr not empty without a terminal"; }

# --json: one object per file, the file name and the response in proto3 JSON.
cli --json ingest a.txt b.txt >two.jsonl 2>two.json.err || fail "ingest --json"
[ "$(wc -l <two.jsonl)" -eq 2 ] || { cat two.jsonl >&2; fail "want one JSON line per file"; }
jq -e -s '
  .[0].file == "a.txt" and .[1].file == "b.txt"
  and ([.[].response.results[].outcome] | unique) == ["INGEST_OUTCOME_UNCHANGED"]
  and [.[0].response.results[].number] == [901, 902]
  and .[1].response.headRevision == "3"' two.jsonl >/dev/null \
  || { cat two.jsonl >&2; fail "--json lines"; }
grep -q "^ingested 2 files: 3 issues; 0 created, 0 updated, 3 unchanged" two.json.err \
  || { cat two.json.err >&2; fail "--json: the summary goes to stderr"; }

# --allow_partial: the bad copy is REJECTED with its line, the others stored,
# and the exit status says something was rejected.
{ issue 904; bad 905; issue 906; } >partial.txt
bad_line=$(grep -n "^Import AI 905:" partial.txt | cut -d: -f1)
code=0
cli ingest --allow_partial partial.txt >partial.out 2>partial.err || code=$?
[ "$code" -eq 1 ] || { cat partial.out partial.err >&2; fail "allow_partial with a rejected copy exited $code, want 1"; }
grep -q "^Import AI 905	REJECTED$" partial.out || { cat partial.out >&2; fail "no REJECTED line"; }
grep -q "2 created, 0 updated, 0 unchanged, 1 rejected; head revision 5" partial.out \
  || { cat partial.out >&2; fail "allow_partial summary"; }
grep -q "partial.txt: REJECTED: .*issue 905.*line $bad_line" partial.err \
  || { cat partial.err >&2; fail "the rejected copy and its line are not on stderr"; }
stored 904 && stored 906 || fail "the good copies of partial.txt were not stored"
! stored 905 || fail "the rejected copy was stored"
code=0
cli --json ingest --allow_partial partial.txt >partial.jsonl 2>/dev/null || code=$?
[ "$code" -eq 1 ] || fail "--json --allow_partial exited $code, want 1"
jq -e '.response.results[1] | .outcome == "INGEST_OUTCOME_REJECTED" and .number == 905
       and (.error | test("line '"$bad_line"'"))' partial.jsonl >/dev/null \
  || { cat partial.jsonl >&2; fail "--json REJECTED result"; }

# Without it the file is refused whole, naming the line, and the next file
# still goes.
{ issue 907; bad 908; } >atomic.txt
issue 909 >after.txt
code=0
cli ingest atomic.txt after.txt >atomic.out 2>atomic.err || code=$?
[ "$code" -eq 1 ] || fail "a refused file exited $code, want 1"
grep -q "ingest atomic.txt: INVALID_ARGUMENT: text: .*line" atomic.err \
  || { cat atomic.err >&2; fail "the refusal does not name the line"; }
! stored 907 || fail "a refused file stored its good copy"
stored 909 || fail "the file after a refused one was not ingested"
grep -q "^ingested 1 of 2 files (1 failed): 1 issue; 1 created" atomic.out \
  || { cat atomic.out >&2; fail "summary with a failed file"; }

# An unreadable file is reported too; --validate_only stores nothing.
code=0
cli ingest missing.txt b.txt >missing.out 2>missing.err || code=$?
[ "$code" -eq 1 ] && grep -q 'cannot read "missing.txt"' missing.err \
  || { cat missing.err >&2; fail "an unreadable file"; }
issue 910 >new.txt
cli ingest --validate_only --format=text new.txt >validate.out || fail "validate_only"
grep -q "^validated 1 file: 1 issue; 1 created.*nothing stored$" validate.out \
  || { cat validate.out >&2; fail "validate_only summary"; }
! stored 910 || fail "validate_only stored the issue"

# A format the CLI does not know is a usage error.
code=0
cli ingest --format=rss new.txt 2>format.err || code=$?
[ "$code" -eq 2 ] && grep -q "format" format.err || fail "--format=rss exited $code"
stop_server
echo "ingest cli: PASS"
