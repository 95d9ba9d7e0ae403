#!/usr/bin/env bash
# Runs a command while stress-ng keeps every core busy; exits with its status.
#   scripts/under-load.sh COMMAND...
set -euo pipefail
command -v stress-ng >/dev/null || { echo "under-load: stress-ng is missing (scripts/install-deps.sh installs it)" >&2; exit 1; }
stress-ng --cpu "$(nproc)" --quiet &
load=$!
trap 'kill "$load" 2>/dev/null; wait "$load" 2>/dev/null || true' EXIT
echo "under-load: stress-ng --cpu $(nproc) running; $*"
"$@"
