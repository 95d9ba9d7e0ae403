#!/usr/bin/env bash
# Installs @grpc/grpc-js and @grpc/proto-loader when missing (the versions
# pinned in the repo's package-lock.json), then runs the client, which loads
# the .proto files from proto/ at start (no generated code):
#   examples/node/run.sh --server=HOST:PORT [--from=REV] [--max_events=N]
#       [--state_file=PATH] [--page_size=N] [--search=QUERY]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
if [ ! -f "$root/node_modules/@grpc/grpc-js/package.json" ] \
    || [ ! -f "$root/node_modules/@grpc/proto-loader/package.json" ]; then
  (cd "$root" && npm ci --no-fund --no-audit --loglevel=error)
fi
exec node "$here/client.js" "$@"
