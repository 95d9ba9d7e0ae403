#!/usr/bin/env bash
# Compares the change feed's fan-out (WatchIssues) with etcd's Watch: installs
# etcd when missing, builds Release in build/release and runs feed_benchmark.
# Arguments go to the benchmark, e.g.
#   scripts/feed-bench.sh --subscribers=1000 --writes=10 --timeout=120s
# FEED_BENCH_BUILD_DIR=DIR builds there instead of build/release.
# Everything runs on 127.0.0.1; both servers are stopped when it ends.
set -euo pipefail
cd "$(dirname "$0")/.."

sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"

if [ ! -x /usr/bin/etcd ]; then
  echo "feed-bench: installing etcd-server"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq \
    --no-install-recommends etcd-server
  # The package enables a system-wide etcd on port 2379; the benchmark starts
  # its own on free ports, so keep the system one off.
  if [ -d /run/systemd/system ]; then
    $sudo systemctl disable --now etcd.service >/dev/null 2>&1 || true
  fi
fi

if ! command -v cmake >/dev/null || ! command -v ninja >/dev/null; then
  scripts/install-deps.sh
fi

build_dir=${FEED_BENCH_BUILD_DIR:-build/release}
scripts/build.sh "$build_dir" Release feed_benchmark importai-server

exec "$build_dir/cmd/feed_bench/feed_benchmark" "$@"
