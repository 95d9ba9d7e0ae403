#!/usr/bin/env bash
# Lookups side by side: importai-server's GetIssue FULL against etcd's
# KV/Range for the same bytes, and against a do-nothing gRPC server (the
# ceiling for this machine and gRPC), all driven by h2load on 127.0.0.1 at
# 1 connection x 1 stream and 8 x 16; plus ListIssues, GetSection and ingest
# throughput (durable 1- and 100-issue requests, the fsync cost). Installs
# etcd-server and nghttp2-client (h2load) when missing, builds Release in
# build/release and runs lookup_benchmark, which prints one table and the
# ratios and exits non-zero if any response was not exactly the expected one.
# Arguments go to the benchmark, e.g.
#   scripts/lookup-bench.sh --rounds=3 --run_seconds=10 --ingest=false
# LOOKUP_BENCH_BUILD_DIR=DIR builds there instead of build/release.
# Everything runs on 127.0.0.1; every server is stopped when it ends.
set -euo pipefail
cd "$(dirname "$0")/.."

sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"

missing=()
[ -x /usr/bin/etcd ] || missing+=(etcd-server)
[ -x /usr/bin/h2load ] || missing+=(nghttp2-client)
if [ ${#missing[@]} -gt 0 ]; then
  echo "lookup-bench: installing ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq \
    --no-install-recommends "${missing[@]}"
  # The etcd package enables a system-wide etcd on port 2379; the benchmark
  # starts its own on free ports, so keep the system one off.
  if [ -d /run/systemd/system ]; then
    $sudo systemctl disable --now etcd.service >/dev/null 2>&1 || true
  fi
fi

if ! command -v cmake >/dev/null || ! command -v ninja >/dev/null; then
  scripts/install-deps.sh
fi

build_dir=${LOOKUP_BENCH_BUILD_DIR:-build/release}
scripts/build.sh "$build_dir" Release importai-server ceiling_server \
  lookup_benchmark

exec "$build_dir/cmd/lookup_bench/lookup_benchmark" "$@"
