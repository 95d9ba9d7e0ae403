#!/usr/bin/env bash
# The deployment's settings work on the real server: every IMPORTAI_* variable
# in deploy/Dockerfile and in each rendered overlay of deploy/k8s is one the
# server reads (importai-server --help); the image's ENV alone, and each
# overlay as shipped (its Secret holds the placeholder token), are refused;
# with a real token in the Secret's file the real importai-server starts with
# each overlay's values (metrics and data moved to a scratch setup, gRPC on
# 0.0.0.0 with a free port), answers the gRPC health checks its probes ask,
# and exits 0 on SIGTERM. An overlay with read replicas (ha) runs each
# StatefulSet so: the primary, then each replica following it with the
# primary's token, whose probes must answer SERVING once it has caught up.
# usage: deploy_config_test.sh SERVER BUF
set -euo pipefail
SERVER=$1 BUF=$2
ROOT=$(cd "$(dirname "$0")/.." && pwd)
WORK=$(mktemp -d)
source "$(dirname "$0")/lib.sh"
# The servers still running (an overlay's primary, then its replicas).
PIDS=()
trap 'for pid in "${PIDS[@]}"; do kill -9 "$pid" 2>/dev/null || true; done; cleanup' EXIT

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

# try_statefulset OVERLAY STATEFULSET ROLE: the real server with what the
# StatefulSet's container is given. A follower (a read replica) follows the
# overlay's primary, started before it and still running, with the primary's
# token in its Secret's file, and its probes are answered SERVING once it has
# caught up. Leaves the server running (PIDS) for the replicas that follow.
try_statefulset() {
  local name=$1 sts=$2 role=$3
  local label="overlay $name"
  [ "$role" = primary ] || label="overlay $name, $sts"
  local settings="$WORK/$name-$sts.settings"
  # "env KEY=VALUE" for the ConfigMaps the container reads, "file PATH
  # BASE64" for each file of a mounted Secret, "probe SERVICE" for each gRPC
  # probe.
  node "$ROOT/deploy/validate-k8s.mjs" --settings "$WORK/$name.yaml" "$sts" >"$settings" 2>&1 \
    || fail "reading $label's settings: $(cat "$settings")"
  # Each file of a mounted Secret (the write token) as a scratch copy; a
  # variable naming one names the copy instead.
  local -A copies=()
  local kind path data setting value
  mkdir -p "$WORK/files-$name-$sts"
  while read -r kind path data; do
    [ "$kind" = file ] || continue
    copies[$path]="$WORK/files-$name-$sts/$(basename "$path")"
    base64 -d <<<"$data" >"${copies[$path]}"
  done <"$settings"
  local variables=()
  while read -r kind setting; do
    [ "$kind" = env ] || continue
    check_variable "${setting%%=*}" "$label"
    value=${setting#*=}
    [ -z "${copies[$value]:-}" ] || setting="${setting%%=*}=${copies[$value]}"
    variables+=("$setting")
  done <"$settings"
  [ "${#variables[@]}" -gt 0 ] || fail "$label sets no IMPORTAI_* variables"
  local token_file
  token_file=$(printf '%s\n' "${variables[@]}" | sed -n 's/^IMPORTAI_INGEST_TOKEN_FILE=//p')
  [ -n "$token_file" ] && [ -f "$token_file" ] || fail "$label: no write token file from a Secret"

  # A replica follows the primary started above (its IMPORTAI_FOLLOW names
  # the primary's Service in the cluster; the flag wins).
  local follow=()
  if [ "$role" = follower ]; then
    [ -n "$PRIMARY_ADDRESS" ] || fail "$label: a replica StatefulSet but no primary to follow"
    local follow_token
    follow_token=$(printf '%s\n' "${variables[@]}" | sed -n 's/^IMPORTAI_FOLLOW_TOKEN_FILE=//p')
    [ -n "$follow_token" ] && [ -f "$follow_token" ] || fail "$label: no follow token file from a Secret"
    follow=(--follow="$PRIMARY_ADDRESS")
  fi

  # The real server with those values; the command line moves gRPC, metrics
  # and data to a scratch loopback setup (flags win over the environment).
  # As shipped, the Secret holds the placeholder: the server refuses it.
  for setting in "${variables[@]}"; do export "${setting?}"; done
  expect_server_refuses 'placeholder token' --listen=127.0.0.1:0 \
    --data_dir="$WORK/data-$name-$sts" --metrics_listen=127.0.0.1:0 "${follow[@]}"
  # With a real token it serves, on the wildcard address too: a new one for
  # the primary, the primary's for a replica (the Secret they share).
  if [ "$role" = follower ]; then
    cp "$PRIMARY_TOKEN" "$token_file"
    cp "$PRIMARY_TOKEN" "$follow_token"
  else
    openssl rand -hex 32 >"$token_file"
  fi
  start_server "$WORK/data-$name-$sts" --listen=0.0.0.0:0 --metrics_listen=127.0.0.1:0 "${follow[@]}"
  PIDS+=("$SERVER_PID")
  SERVER_PID=""  # stopped with PIDS, after the replicas that follow it
  for setting in "${variables[@]}"; do unset "${setting%%=*}"; done
  if [ "$role" = primary ]; then PRIMARY_ADDRESS=$ADDRESS PRIMARY_TOKEN=$token_file; fi

  # Each service a probe asks about answers SERVING: at once on a primary;
  # on a replica once it has copied its snapshot and caught up (readiness
  # asks about "", NOT_SERVING until then), within a minute.
  local service deadline
  while read -r _ service; do
    deadline=$((SECONDS + 60))
    while :; do
      "$BUF" curl --protocol grpc --http2-prior-knowledge -d "{\"service\": \"$service\"}" \
        "http://$ADDRESS/grpc.health.v1.Health/Check" >"$WORK/health" 2>"$WORK/health.err" || true
      jq -e '.status == "SERVING"' "$WORK/health" >/dev/null 2>&1 && break
      [ "$role" = follower ] && [ "$SECONDS" -lt "$deadline" ] \
        || fail "$label: health of '$service' (a probe asks it): $(cat "$WORK/health" "$WORK/health.err")"
      sleep 0.2
    done
  done < <(grep '^probe' "$settings" | sort -u)
  echo "$label: placeholder token refused; ${#variables[@]} settings with a real token accepted by importai-server on 0.0.0.0$([ "$role" = primary ] || echo ", following the primary"), probes answered SERVING"
}

# stop_servers: SIGTERM to each server of PIDS, replicas before their
# primary, and each must exit 0.
stop_servers() {
  local i code
  for ((i = ${#PIDS[@]} - 1; i >= 0; i--)); do
    kill -TERM "${PIDS[i]}"
    code=0
    wait "${PIDS[i]}" || code=$?
    [ "$code" -eq 0 ] || fail "server ${PIDS[i]} exited with $code after SIGTERM"
  done
  PIDS=()
}

for dir in "$ROOT"/deploy/k8s/overlays/*/; do
  name=$(basename "$dir")
  kubectl kustomize "$dir" >"$WORK/$name.yaml" 2>"$WORK/$name.err" || fail "kubectl kustomize $dir: $(cat "$WORK/$name.err")"
  # Its StatefulSets, the primary first, then any read replicas ("NAME ROLE").
  node "$ROOT/deploy/validate-k8s.mjs" --statefulsets "$WORK/$name.yaml" >"$WORK/$name.statefulsets" 2>&1 \
    || fail "listing $name's StatefulSets: $(cat "$WORK/$name.statefulsets")"
  mapfile -t statefulsets <"$WORK/$name.statefulsets"
  PRIMARY_ADDRESS="" PRIMARY_TOKEN=""
  for line in "${statefulsets[@]}"; do
    read -r sts role <<<"$line"
    try_statefulset "$name" "$sts" "$role"
  done
  stop_servers
done
echo "deploy config: PASS"
