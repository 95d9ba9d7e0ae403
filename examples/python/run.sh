#!/usr/bin/env bash
# Generates the Python stubs when proto/ has changed, then runs the client:
#   examples/python/run.sh --server=HOST:PORT [--from=REV] [--max_events=N]
#       [--state_file=PATH] [--page_size=N] [--search=QUERY]
# The stubs go to $GEN_DIR (default examples/python/gen).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
proto=$(cd "$here/../../proto" && pwd)
gen=${GEN_DIR:-$here/gen}
python=/usr/bin/python3  # Debian's, with python3-grpcio and python3-protobuf

if [ ! -f "$gen/.stamp" ] || [ -n "$(find "$proto/importai" -name '*.proto' -newer "$gen/.stamp")" ]; then
  mkdir -p "$(dirname "$gen")"
  tmp=$(mktemp -d "$gen.XXXXXX")
  protoc -I"$proto" --python_out="$tmp" --grpc_python_out="$tmp" \
    --plugin=protoc-gen-grpc_python="$(command -v grpc_python_plugin)" \
    "$proto"/importai/v1/*.proto
  touch "$tmp/.stamp"
  rm -rf "$gen" && mv "$tmp" "$gen"
fi
PYTHONPATH="$gen" exec "$python" "$here/importai_client.py" "$@"
