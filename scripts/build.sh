#!/usr/bin/env bash
# Configures and builds one configuration:
#   scripts/build.sh DIR [CMAKE_BUILD_TYPE [TARGET...]]   (no target: everything)
set -euo pipefail
cd "$(dirname "$0")/.."
dir=${1:?usage: scripts/build.sh DIR [BUILD_TYPE [TARGET...]]}
type=${2:-RelWithDebInfo}
shift $(($# < 2 ? $# : 2))
targets=()
for target in "$@"; do targets+=(--target "$target"); done
cmake -S . -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE="$type" >/dev/null
cmake --build "$dir" -j "$(nproc)" "${targets[@]}"
