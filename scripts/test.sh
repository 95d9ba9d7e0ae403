#!/usr/bin/env bash
# Installs what is missing, builds, and runs every test (ctest).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh build/test RelWithDebInfo
ctest --test-dir build/test --output-on-failure -j "$(nproc)"

# Hardening (CI runs it; IMPORTAI_SKIP_HARDENING=1 skips it locally): each
# fuzz target for a bounded time, then the suite under ASan+UBSan and TSan.
if [ "${IMPORTAI_SKIP_HARDENING:-0}" != 1 ]; then
  scripts/fuzz.sh build/fuzz 60
  scripts/sanitizers.sh asan build/asan
  scripts/sanitizers.sh tsan build/tsan
fi
