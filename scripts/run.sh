#!/usr/bin/env bash
# Installs what is missing, builds a Release server and runs it on ./data with
# the sample issues loaded. Flags pass through: scripts/run.sh --listen=0.0.0.0:50051
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh build/release Release importai-server importai
exec build/release/cmd/importai-server --preload=examples/sample-issues.txt "$@"
