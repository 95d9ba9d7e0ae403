#!/usr/bin/env bash
# What a grpcurl user sees: through server reflection alone (no .proto files),
# buf curl lists the services and calls health and a lookup.
# usage: reflection_test.sh SERVER BUF
set -euo pipefail
SERVER=$1 BUF=$2
WORK=$(mktemp -d)
source "$(dirname "$0")/lib.sh"
trap cleanup EXIT
[ -x "$BUF" ] || fail "buf not found at $BUF: run scripts/install-deps.sh"
need_jq

start_server "$WORK/data"
curl_grpc() { "$BUF" curl --protocol grpc --http2-prior-knowledge "$@"; }

curl_grpc --list-methods "http://$ADDRESS" >"$WORK/methods"
for method in grpc.health.v1.Health/Check grpc.health.v1.Health/Watch \
    importai.v1.ArchiveService/GetIssue importai.v1.IngestService/IngestIssues; do
  grep -qx "$method" "$WORK/methods" || { cat "$WORK/methods" >&2; fail "reflection lacks $method"; }
done
for service in "" importai.v1.ArchiveService importai.v1.IngestService; do
  curl_grpc -d "{\"service\": \"$service\"}" \
    "http://$ADDRESS/grpc.health.v1.Health/Check" >"$WORK/health"
  jq -e '.status == "SERVING"' "$WORK/health" >/dev/null \
    || fail "health of '$service': $(cat "$WORK/health")"
done
if curl_grpc -d '{"name": "issues/1"}' "http://$ADDRESS/importai.v1.ArchiveService/GetIssue" \
    2>"$WORK/get.err"; then
  fail "GetIssue on an empty archive succeeded"
fi
# buf curl writes the error as JSON to stderr.
jq -e '.code == "not_found"' "$WORK/get.err" >/dev/null || fail "GetIssue error: $(cat "$WORK/get.err")"
stop_server
echo "reflection: PASS"
