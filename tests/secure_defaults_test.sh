#!/usr/bin/env bash
# Secure defaults with the real binaries: the server refuses to listen on a
# non-loopback address while writes are open (no write token, no client CA),
# before it opens or creates anything; --allow_unauthenticated_writes (or its
# variable) starts it anyway with a warning naming the address; a write token
# starts it with writes guarded.
# usage: secure_defaults_test.sh SERVER CLI SAMPLE_FILE
set -euo pipefail
SERVER=$1 CLI=$2 SAMPLE=$3
WORK=$(mktemp -d)
source "$(dirname "$0")/lib.sh"
trap cleanup EXIT
cli() { "$CLI" --server="$ADDRESS" --timeout=10s "$@"; }
WARNING='"level":"warning","msg":"writes are open to everyone who reaches this address'

# Refused, saying what to set: by flag and by variable, IPv4 and IPv6
# wildcards alike; the data directory is not even created.
for listen in 0.0.0.0:0 '[::]:0'; do
  expect_server_refuses \
    'not a loopback address.*--ingest_token_file \(IMPORTAI_INGEST_TOKEN_FILE\).*--tls_client_ca.*--allow_unauthenticated_writes \(IMPORTAI_ALLOW_UNAUTHENTICATED_WRITES\)' \
    --listen="$listen" --data_dir="$WORK/refused"
done
IMPORTAI_LISTEN=0.0.0.0:0 expect_server_refuses 'not a loopback address' --data_dir="$WORK/refused"
[ ! -e "$WORK/refused" ] || fail "a refused server created its data directory"

# Allowed explicitly: it serves, writes are open, and it says so loudly.
start_server "$WORK/open" --listen=0.0.0.0:0 --allow_unauthenticated_writes --log_level=error
grep -F "$WARNING" "$SERVER_LOG" | grep -qF "\"address\":\"0.0.0.0:${ADDRESS##*:}\"" \
  || { cat "$SERVER_LOG" >&2; fail "no warning naming the open address"; }
cli ingest "$SAMPLE" >/dev/null || fail "an allowed open server refused a write"
stop_server
IMPORTAI_ALLOW_UNAUTHENTICATED_WRITES=true start_server "$WORK/open" --listen=0.0.0.0:0
grep -qF "$WARNING" "$SERVER_LOG" || fail "IMPORTAI_ALLOW_UNAUTHENTICATED_WRITES: no warning"
stop_server

# With a write token: it serves on 0.0.0.0, writes need the token, no warning.
openssl rand -hex 32 >"$WORK/token"
start_server "$WORK/guarded" --listen=0.0.0.0:0 --ingest_token_file="$WORK/token"
if grep -qF "$WARNING" "$SERVER_LOG"; then fail "warned with writes guarded"; fi
if cli ingest "$SAMPLE" 2>"$WORK/err" >/dev/null; then fail "a write without the token was accepted"; fi
grep -q UNAUTHENTICATED "$WORK/err" || fail "a write without the token: $(cat "$WORK/err")"
if cli checkpoint backup-1 2>"$WORK/err" >/dev/null; then fail "a checkpoint without the token was accepted"; fi
grep -q UNAUTHENTICATED "$WORK/err" || fail "a checkpoint without the token: $(cat "$WORK/err")"
cli --token_file="$WORK/token" ingest "$SAMPLE" >/dev/null || fail "a write with the token"
stop_server

# Loopback needs nothing (the default, and what the other tests use).
start_server "$WORK/local" --listen=localhost:0
if grep -qF "$WARNING" "$SERVER_LOG"; then fail "warned on loopback"; fi
stop_server
echo "secure defaults: PASS"
