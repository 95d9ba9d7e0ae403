#!/usr/bin/env bash
# Read replicas measured on loopback: replication lag (primary commit to
# replica) under a steady ingest of full issues, then lookups (GetIssue) and
# feed deliveries (WatchIssues) on one server alone against a primary with
# two replicas, with the servers' CPU per operation; three repetitions,
# medians. Builds Release in build/release and runs replica_benchmark, which
# prints the tables and exits non-zero if any revision, answer or delivery
# was missing or wrong. Arguments go to the benchmark, e.g.
#   scripts/replica-bench.sh --repetitions=1 --subscribers=200
# REPLICA_BENCH_BUILD_DIR=DIR builds there instead of build/release.
# Everything runs on 127.0.0.1; every server is stopped when it ends.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v cmake >/dev/null || ! command -v ninja >/dev/null; then
  scripts/install-deps.sh
fi

build_dir=${REPLICA_BENCH_BUILD_DIR:-build/release}
scripts/build.sh "$build_dir" Release replica_benchmark importai-server

echo "replica-bench: scripts/replica-bench.sh $*"
exec "$build_dir/bench/replica_bench/replica_benchmark" "$@"
