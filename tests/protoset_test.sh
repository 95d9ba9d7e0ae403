#!/usr/bin/env bash
# The descriptor set the build writes (importai.protoset) serves tools without
# reflection: buf curl --schema reads from it every service (Archive, Ingest,
# Admin, Health) with its comments, and calls the real server through it.
# usage: protoset_test.sh SERVER BUF PROTOSET SAMPLE_FILE
set -euo pipefail
SERVER=$1 BUF=$2 PROTOSET=$3 SAMPLE=$4
WORK=$(mktemp -d)
source "$(dirname "$0")/lib.sh"
trap cleanup EXIT
[ -x "$BUF" ] || fail "buf not found at $BUF: run scripts/install-deps.sh"
[ -s "$PROTOSET" ] || fail "no descriptor set at $PROTOSET: the build writes it (proto/CMakeLists.txt)"
need_jq
schema="$PROTOSET#format=binpb"

"$BUF" curl --schema "$schema" --list-methods >"$WORK/methods"
for method in importai.v1.ArchiveService/GetIssue importai.v1.ArchiveService/WatchIssues \
    importai.v1.IngestService/IngestIssues importai.v1.AdminService/CreateCheckpoint \
    grpc.health.v1.Health/Check; do
  grep -qx "$method" "$WORK/methods" || { cat "$WORK/methods" >&2; fail "the protoset lacks $method"; }
done
# Imports included (the well-known types), and source info: the comments.
"$BUF" build "$schema" -o '-#format=json' >"$WORK/image.json"
for file in google/protobuf/timestamp.proto google/protobuf/duration.proto; do
  jq -e --arg f "$file" 'any(.file[]; .name == $f)' "$WORK/image.json" >/dev/null \
    || fail "the protoset does not include $file"
done
jq -e 'all(.file[]; .sourceCodeInfo.location | length > 0)' "$WORK/image.json" >/dev/null \
  || fail "a file in the protoset has no source info"
jq -e '[.file[] | select(.name == "importai/v1/archive_service.proto") | .sourceCodeInfo.location[].leadingComments // empty] | length > 0' \
  "$WORK/image.json" >/dev/null || fail "the protoset lost archive_service.proto's comments"

# A call through the protoset alone.
start_server "$WORK/data" --preload="$SAMPLE"
"$BUF" curl --schema "$schema" --protocol grpc --http2-prior-knowledge -d '{"name": "issues/901"}' \
  "http://$ADDRESS/importai.v1.ArchiveService/GetIssue" >"$WORK/issue.json"
jq -e '.number == 901 and (.title | startswith("Robots that fold laundry"))' "$WORK/issue.json" >/dev/null \
  || fail "GetIssue through the protoset: $(cat "$WORK/issue.json")"
stop_server
echo "protoset: PASS ($(wc -l <"$WORK/methods") methods, imports and comments included, GetIssue through it)"
