#!/usr/bin/env bash
# Installs what is missing, builds, and runs every test (ctest).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh build/test RelWithDebInfo
ctest --test-dir build/test --output-on-failure -j "$(nproc)"
