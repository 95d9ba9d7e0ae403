#!/usr/bin/env bash
# Builds and runs the tests under sanitizers (gcc's runtimes); any report fails.
#   scripts/sanitizers.sh asan [DIR]  ASan+LSan+UBSan: the whole ctest suite,
#                                     end-to-end tests with instrumented
#                                     binaries included; builds what the tests
#                                     run, not the benchmarks
#                                     (default DIR build/asan)
#   scripts/sanitizers.sh tsan [DIR]  TSan: builds only services_tests,
#                                     storage_tests and cli_tests and runs each
#                                     whole (default DIR build/tsan)
# -O1 -g1 keeps the builds short while stacks keep function names and lines.
set -euo pipefail
cd "$(dirname "$0")/.."
mode=${1:?usage: scripts/sanitizers.sh asan|tsan [DIR]}
dir=${2:-build/$mode}
jobs=$(nproc)

configure() {
  cmake -S . -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -g1 -DNDEBUG" \
    -DIMPORTAI_SANITIZE="$1" >/dev/null
}

# The targets the ctest suite runs: the files its tests execute, as named in
# the generated CTestTestfile.cmake files (GoogleTest executables through
# their "NAME[1]_include.cmake"; the binaries the end-to-end tests start), kept
# to those the build knows how to make.
test_targets() {
  local known
  known=$(ninja -C "$dir" -t targets all | sed 's/: .*//')
  grep -rho "\"$PWD/$dir/[^\"]*\"" "$dir" --include=CTestTestfile.cmake |
    sed -e "s|^\"$PWD/$dir/||" -e 's|"$||' -e 's|\[[0-9]*\]_include\.cmake$||' |
    sort -u | grep -Fxf <(printf '%s\n' "$known")
}

phase() {  # phase NAME COMMAND...: runs it and prints its wall time
  local name=$1 start=$SECONDS status=0
  shift
  "$@" || status=$?
  echo "sanitizers: $name took $((SECONDS - start)) s"
  return "$status"
}

case "$mode" in
  asan)
    configure address,undefined
    mapfile -t targets < <(test_targets | sort -u)
    phase "asan build" scripts/build.sh "$dir" RelWithDebInfo "${targets[@]}"
    # Reports go to files as well as failing the test.
    logs="$PWD/$dir/sanitizer-logs"
    rm -rf "$logs" && mkdir -p "$logs"
    export ASAN_OPTIONS="detect_leaks=1:abort_on_error=1:log_path=$logs/asan"
    export LSAN_OPTIONS="suppressions=$PWD/fuzz/lsan.supp:print_suppressions=0"
    export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1:log_path=$logs/ubsan"
    # Left out: deploy_image_packages checks which Debian packages the
    # binaries link, which an instrumented build (libasan, libubsan) cannot
    # match.
    status=0
    phase "asan ctest" ctest --test-dir "$dir" --output-on-failure -j "$jobs" \
      -E '^deploy_image_packages$' || status=$?
    if compgen -G "$logs/*" >/dev/null; then
      echo "sanitizers: ASan/LSan/UBSan reports:" >&2
      cat "$logs"/* >&2
      exit 1
    fi
    exit "$status"
    ;;
  tsan)
    configure thread
    phase "tsan build" scripts/build.sh "$dir" RelWithDebInfo \
      services_tests storage_tests cli_tests importai_tsan_absl_sync
    # ignore_noninstrumented_modules: races seen only through interceptors
    # (memcpy, new/delete...) called from Debian's uninstrumented libraries
    # are theirs, not ours. fuzz/tsan.supp explains each suppression; they
    # match a report by both its stacks, so history_size=7 (the most) keeps
    # the earlier access's stack from being lost on busy tests.
    export TSAN_OPTIONS="halt_on_error=1 second_deadlock_stack=1 ignore_noninstrumented_modules=1 history_size=7 suppressions=$PWD/fuzz/tsan.supp"
    run_tests() {
      local binary
      for binary in storage/storage_tests cmd/cli_tests services/services_tests; do
        echo "sanitizers: tsan $binary"
        # The preload makes Debian's absl::Mutex visible to TSan
        # (fuzz/tsan_absl_sync.cc). CorpusIngestYieldsTheExpectedOutcomes is
        # left out: reading a google::protobuf::Map (a Struct parsed from
        # JSON) crashes in any gcc -fsanitize=thread program against Debian's
        # protobuf 3.21, a six-line program with no code of ours included.
        LD_PRELOAD="$PWD/$dir/fuzz/libimportai_tsan_absl_sync.so" \
          "$dir/$binary" --gtest_brief=1 \
          --gtest_filter=-ServiceTest.CorpusIngestYieldsTheExpectedOutcomes
      done
    }
    phase "tsan tests" run_tests
    ;;
  *)
    echo "usage: scripts/sanitizers.sh asan|tsan [DIR]" >&2
    exit 2
    ;;
esac
