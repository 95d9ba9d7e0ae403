#!/usr/bin/env bash
# The deployment's settings work on the real server: every IMPORTAI_* variable
# in deploy/Dockerfile and in each rendered overlay of deploy/k8s is one the
# server reads (importai-server --help); the image's ENV alone, and each
# overlay as shipped (its Secret holds the placeholder token), are refused;
# with a real token in the Secret's file the real importai-server starts with
# each overlay's values (metrics and data moved to a scratch setup, gRPC on
# 0.0.0.0 with a free port), answers the gRPC health checks its probes ask,
# and exits 0 on SIGTERM.
# usage: deploy_config_test.sh SERVER BUF
set -euo pipefail
SERVER=$1 BUF=$2
ROOT=$(cd "$(dirname "$0")/.." && pwd)
WORK=$(mktemp -d)
source "$(dirname "$0")/lib.sh"
trap cleanup EXIT

command -v kubectl >/dev/null || fail "kubectl not found: run scripts/install-deps.sh"
command -v node >/dev/null || fail "node not found: run scripts/install-deps.sh"
[ -x "$BUF" ] || fail "buf not found at $BUF: run scripts/install-deps.sh"
need_jq
# `importai-server --help` lists each flag with the variable that sets it.
"$SERVER" --help >"$WORK/help" 2>&1 || true
grep -q 'IMPORTAI_LISTEN' "$WORK/help" || fail "importai-server --help lists no IMPORTAI_* variables: $(head -5 "$WORK/help")"

# check_variable VARIABLE WHERE: the server must read VARIABLE.
check_variable() {
  grep -qw -- "$1" "$WORK/help" \
    || fail "$2 sets $1, which importai-server does not read (importai-server --help lists those it does)"
}

# The Dockerfile's ENV defaults.
sed -e ':a' -e '/\\$/{N;s/\\\n//;ba' -e '}' "$ROOT/deploy/Dockerfile" | grep -E '^ENV ' | tr ' ' '\n' \
  | grep '=' >"$WORK/dockerfile-env"
[ -s "$WORK/dockerfile-env" ] || fail "deploy/Dockerfile sets no ENV"
while read -r setting; do check_variable "${setting%%=*}" deploy/Dockerfile; done <"$WORK/dockerfile-env"
# The image as shipped listens on 0.0.0.0 and has no write token: it must
# refuse to start rather than serve writes to everyone.
(
  while read -r setting; do export "${setting?}"; done <"$WORK/dockerfile-env"
  expect_server_refuses 'not a loopback address.*IMPORTAI_INGEST_TOKEN_FILE' \
    --data_dir="$WORK/data-image" --metrics_listen=127.0.0.1:0
)
echo "image: its ENV alone refuses to serve open writes"

for dir in "$ROOT"/deploy/k8s/overlays/*/; do
  name=$(basename "$dir")
  kubectl kustomize "$dir" >"$WORK/$name.yaml" 2>"$WORK/$name.err" || fail "kubectl kustomize $dir: $(cat "$WORK/$name.err")"
  # "env KEY=VALUE" for the ConfigMap the container reads, "probe SERVICE"
  # for each gRPC probe.
  node "$ROOT/deploy/validate-k8s.mjs" --settings "$WORK/$name.yaml" >"$WORK/$name.settings" 2>&1 \
    || fail "reading $name's settings: $(cat "$WORK/$name.settings")"
  # Each file of a mounted Secret (the write token) as a scratch copy; a
  # variable naming one names the copy instead.
  declare -A copies=()
  mkdir -p "$WORK/files-$name"
  while read -r kind path data; do
    [ "$kind" = file ] || continue
    copies[$path]="$WORK/files-$name/$(basename "$path")"
    base64 -d <<<"$data" >"${copies[$path]}"
  done <"$WORK/$name.settings"
  variables=()
  while read -r kind setting; do
    [ "$kind" = env ] || continue
    check_variable "${setting%%=*}" "overlay $name"
    value=${setting#*=}
    [ -z "${copies[$value]:-}" ] || setting="${setting%%=*}=${copies[$value]}"
    variables+=("$setting")
  done <"$WORK/$name.settings"
  [ "${#variables[@]}" -gt 0 ] || fail "overlay $name sets no IMPORTAI_* variables"
  token_file=$(printf '%s\n' "${variables[@]}" | sed -n 's/^IMPORTAI_INGEST_TOKEN_FILE=//p')
  [ -n "$token_file" ] && [ -f "$token_file" ] || fail "overlay $name: no write token file from a Secret"

  # The real server with those values; the command line moves gRPC, metrics
  # and data to a scratch loopback setup (flags win over the environment).
  # As shipped, the Secret holds the placeholder: the server refuses it.
  for setting in "${variables[@]}"; do export "${setting?}"; done
  expect_server_refuses 'placeholder token' --listen=127.0.0.1:0 \
    --data_dir="$WORK/data-$name" --metrics_listen=127.0.0.1:0
  # With a real token it serves, on the wildcard address too.
  openssl rand -hex 32 >"$token_file"
  start_server "$WORK/data-$name" --listen=0.0.0.0:0 --metrics_listen=127.0.0.1:0
  for setting in "${variables[@]}"; do unset "${setting%%=*}"; done
  while read -r _ service; do
    "$BUF" curl --protocol grpc --http2-prior-knowledge -d "{\"service\": \"$service\"}" \
      "http://$ADDRESS/grpc.health.v1.Health/Check" >"$WORK/health" 2>"$WORK/health.err" || true
    jq -e '.status == "SERVING"' "$WORK/health" >/dev/null 2>&1 \
      || fail "overlay $name: health of '$service' (a probe asks it): $(cat "$WORK/health" "$WORK/health.err")"
  done < <(grep '^probe' "$WORK/$name.settings" | sort -u)
  stop_server
  SERVER_PID=""  # stopped: nothing for cleanup (lib.sh) to kill
  echo "overlay $name: placeholder token refused; ${#variables[@]} settings with a real token accepted by importai-server on 0.0.0.0, probes answered SERVING"
done
echo "deploy config: PASS"
