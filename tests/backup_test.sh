#!/usr/bin/env bash
# Backups with the real binaries: `importai checkpoint NAME` while the server
# serves (names under the checkpoint root only), then a server started on the
# checkpoint finds every issue, the whole revision log and the search index;
# `importai-server --checkpoint_to` does the same for a stopped server's data
# directory. Also checks the metrics
# endpoint and the environment form of the flags.
# usage: backup_test.sh SERVER CLI SAMPLE_FILE
set -euo pipefail
SERVER=$1 CLI=$2 SAMPLE=$3
WORK=$(mktemp -d)
source "$(dirname "$0")/lib.sh"
trap cleanup EXIT
cli() { "$CLI" --server="$ADDRESS" "$@"; }

# Flags from the environment: the metrics port comes from IMPORTAI_METRICS_LISTEN.
IMPORTAI_METRICS_LISTEN=127.0.0.1:0 start_server "$WORK/data"
metrics_port=$(sed -n 's/.*"metrics_port":\([0-9]*\).*/\1/p' "$WORK"/server.*.log | tail -1)
[ "${metrics_port:-0}" -gt 0 ] || fail "IMPORTAI_METRICS_LISTEN did not turn metrics on"
cli ingest "$SAMPLE" >/dev/null
sed 's/^Import AI 901:/Import AI 903:/; s/^Import AI 902:/Import AI 904:/' "$SAMPLE" | cli ingest - >/dev/null
exec 3<>"/dev/tcp/127.0.0.1/$metrics_port"
printf 'GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n' >&3
metrics=$(cat <&3)
exec 3<&-
grep -q '^importai_head_revision 4$' <<<"$metrics" || fail "metrics: head revision"
grep -q '^grpc_server_handled_total{grpc_code="OK",grpc_method="IngestIssues",grpc_service="importai.v1.IngestService"} 2$' \
  <<<"$metrics" || fail "metrics: ingest count"
grep -q '^grpc_server_handling_seconds_bucket{.*le="+Inf"}' <<<"$metrics" || fail "metrics: histogram"

# Checkpoints are names under the checkpoint root (by default "checkpoints"
# in the data directory); nothing else is written.
cli checkpoint backup-1 >"$WORK/checkpoint.out"
grep -q "^checkpoint $WORK/data/checkpoints/backup-1 at revision 4$" "$WORK/checkpoint.out" \
  || fail "checkpoint output: $(cat "$WORK/checkpoint.out")"
if cli checkpoint backup-1 2>"$WORK/again.err"; then fail "checkpoint over an existing directory"; fi
grep -q "ALREADY_EXISTS" "$WORK/again.err" || fail "checkpoint into an existing directory: wrong error"
for name in ../x /tmp/x "$WORK/outside" a/../../b "" ./x a//b; do
  if cli checkpoint "$name" 2>"$WORK/bad.err"; then fail "checkpoint \"$name\" was written"; fi
  grep -q "INVALID_ARGUMENT.*directory" "$WORK/bad.err" || fail "checkpoint \"$name\": $(cat "$WORK/bad.err")"
done
[ ! -e "$WORK/outside" ] && [ ! -e "$WORK/data/x" ] || fail "a refused checkpoint was written"
cli list --page_size=100 >"$WORK/list.out"
stop_server
# Info lines are batched; stopping writes out the rest.
grep -q '"msg":"rpc","method":"/importai.v1.IngestService/IngestIssues"' "$WORK"/server.*.log \
  || fail "no log line for the IngestIssues RPC"

start_server "$WORK/data/checkpoints/backup-1"
cli list --page_size=100 >"$WORK/restored-list.out"
cmp -s "$WORK/list.out" "$WORK/restored-list.out" || fail "the checkpoint lists different issues"
cli watch --from=1 --max_events=4 >"$WORK/log.out"
[ "$(grep -c . "$WORK/log.out")" -eq 4 ] || fail "the checkpoint's revision log is not whole"
cli search laundry >"$WORK/search.out"
grep -q "^2 matches$" "$WORK/search.out" || fail "the checkpoint's search index"
stop_server

# A stopped server's data: --checkpoint_to takes a name too, under
# --checkpoint_root (here from its variable).
IMPORTAI_CHECKPOINT_ROOT="$WORK/backups" "$SERVER" --data_dir="$WORK/data" \
  --checkpoint_to=backup-2 >/dev/null 2>&1 || fail "--checkpoint_to failed"
expect_server_refuses 'checkpoint_to: .*\.\./backup-3.* component' --data_dir="$WORK/data" --checkpoint_to=../backup-3
start_server "$WORK/backups/backup-2"
cli list --page_size=100 >"$WORK/offline-list.out"
cmp -s "$WORK/list.out" "$WORK/offline-list.out" || fail "--checkpoint_to lists different issues"
stop_server
echo "backup: PASS"
