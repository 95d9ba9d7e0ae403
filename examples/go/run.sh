#!/usr/bin/env bash
# Generates the Go stubs when proto/ has changed, builds the client in GOPATH
# mode against Debian's Go packages (/usr/share/gocode: gRPC, protobuf; no
# module downloads) and runs it:
#   examples/go/run.sh --server=HOST:PORT [--from=REV] [--max_events=N]
#       [--state_file=PATH] [--page_size=N] [--search=QUERY]
# Stubs and binary go to $GEN_DIR (default examples/go/gen).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
proto=$(cd "$here/../../proto" && pwd)
gen=${GEN_DIR:-$here/gen}
export GO111MODULE=off GOPROXY=off GOPATH="$gen/gopath:/usr/share/gocode"
# Go's build cache lives under $HOME; without one, in $GEN_DIR.
[ -n "${GOCACHE:-}${XDG_CACHE_HOME:-}${HOME:-}" ] || export GOCACHE="$gen/go-cache"

if [ ! -f "$gen/.stamp" ] || [ -n "$(find "$proto/importai" -name '*.proto' -newer "$gen/.stamp")" ]; then
  # The protos name no go_package: map each file to the import path importai/v1.
  mapping=()
  for file in "$proto"/importai/v1/*.proto; do
    mapping+=("M${file#"$proto"/}=importai/v1;importaiv1")
  done
  mkdir -p "$gen/gopath/src"
  tmp=$(mktemp -d "$gen/stubs.XXXXXX")
  protoc -I"$proto" --go_out="$tmp" --go-grpc_out="$tmp" \
    "${mapping[@]/#/--go_opt=}" "${mapping[@]/#/--go-grpc_opt=}" \
    "$proto"/importai/v1/*.proto
  rm -rf "$gen/gopath/src/importai" && mv "$tmp/importai" "$gen/gopath/src/" && rmdir "$tmp"
  touch "$gen/.stamp"
fi
go build -o "$gen/importai-client" "$here/main.go"
exec "$gen/importai-client" "$@"
