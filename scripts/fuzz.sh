#!/usr/bin/env bash
# Builds the libFuzzer targets in fuzz/ (clang, ASan+UBSan) and runs each for
# a bounded time; any crash, leak, timeout or out-of-memory fails:
#   scripts/fuzz.sh [DIR [SECONDS]]   (default build/fuzz, 60)
# The newsletter parser gets SECONDS, the page-token, query and filter
# targets SECONDS/3 each, run one after another beside the parser (2 cores),
# then the HTML and feed readers SECONDS/4 each; the Markdown reader gets
# SECONDS/3 after the parser, so the whole run takes about 1.5 x SECONDS plus
# the build. Seeds are written from
# the test fixtures at run time (fuzz/make_seeds.cc); what the fuzzers find is
# kept in DIR/fuzz/corpus/, and a failing input in DIR/fuzz/artifacts/.
set -euo pipefail
cd "$(dirname "$0")/.."
dir=${1:-build/fuzz}
seconds=${2:-60}
small=$((seconds / 3 > 0 ? seconds / 3 : 1))
reader=$((seconds / 4 > 0 ? seconds / 4 : 1))

start=$SECONDS
cmake -S . -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_CXX_COMPILER=clang++ \
  -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -gline-tables-only -DNDEBUG" \
  -DIMPORTAI_FUZZ=ON >/dev/null
scripts/build.sh "$dir" RelWithDebInfo fuzzers
echo "fuzz: build took $((SECONDS - start)) s"

out="$dir/fuzz"
rm -rf "$out/seeds" "$out/artifacts" "$out/logs"
mkdir -p "$out/artifacts" "$out/logs"
"$out/fuzz_seeds" "$out/seeds" examples/sample-issues.txt

export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1

# fuzz NAME SECONDS MAX_LEN DICT: one bounded run; prints its last stats.
fuzz() {
  local name=$1 time=$2 max_len=$3 dict=$4 log="$out/logs/$1.log"
  mkdir -p "$out/corpus/$name" "$out/seeds/$name"
  if "$out/$name" -max_total_time="$time" -timeout=10 -rss_limit_mb=2048 \
      -max_len="$max_len" -dict="fuzz/$dict" -print_final_stats=1 \
      -artifact_prefix="$out/artifacts/$name-" \
      "$out/corpus/$name" "$out/seeds/$name" >"$log" 2>&1; then
    echo "fuzz: $name passed: $(grep -E '^(Done|stat::number_of_executed_units)' "$log" | tr '\n' ' ')"
  else
    echo "fuzz: $name FAILED (input in $out/artifacts/):" >&2
    tail -n 60 "$log" >&2
    return 1
  fi
}

small_targets() {
  fuzz page_token_fuzzer "$small" 256 page_token.dict &&
    fuzz search_query_fuzzer "$small" 4096 search.dict &&
    fuzz search_filter_fuzzer "$small" 4096 search.dict &&
    fuzz html_reader_fuzzer "$reader" 65536 html.dict &&
    fuzz feed_reader_fuzzer "$reader" 65536 feed.dict
}

start=$SECONDS
# The parser and the Markdown reader cap their own input at 64 KB
# (newsletter_parser_fuzzer.cc, markdown_reader_fuzzer.cc); the reader runs
# after the parser, beside the rest of the small targets.
{
  fuzz newsletter_parser_fuzzer "$seconds" 65536 newsletter.dict &&
    fuzz markdown_reader_fuzzer "$small" 65536 markdown.dict
} &
parser=$!
status=0
small_targets || status=1
wait "$parser" || status=1
echo "fuzz: fuzzing took $((SECONDS - start)) s"
exit "$status"
