#!/usr/bin/env bash
# Configures and builds one configuration: scripts/build.sh DIR [CMAKE_BUILD_TYPE].
set -euo pipefail
cd "$(dirname "$0")/.."
dir=${1:?usage: scripts/build.sh DIR [BUILD_TYPE]}
type=${2:-RelWithDebInfo}
cmake -S . -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE="$type" >/dev/null
cmake --build "$dir" -j "$(nproc)"
