#!/usr/bin/env bash
# TLS, mTLS and the write token with the real binaries, over real
# connections. Certificates and keys are made here with openssl, never
# committed.
# usage: tls_auth_test.sh SERVER CLI SAMPLE_FILE
set -euo pipefail
SERVER=$1 CLI=$2 SAMPLE=$3
WORK=$(mktemp -d)
source "$(dirname "$0")/lib.sh"
trap cleanup EXIT
PKI="$WORK/pki"
mkdir -p "$PKI"

# make_ca NAME; make_cert NAME CA [SAN]
make_ca() {
  openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=$1" \
    -keyout "$PKI/$1.key" -out "$PKI/$1.pem" 2>/dev/null
}
make_cert() {
  local name=$1 ca=$2 san=${3:-}
  openssl req -newkey rsa:2048 -nodes -subj "/CN=$name" \
    -keyout "$PKI/$name.key" -out "$PKI/$name.csr" 2>/dev/null
  local ext="$PKI/$name.ext"
  if [ -n "$san" ]; then echo "subjectAltName=$san" >"$ext"; else : >"$ext"; fi
  openssl x509 -req -in "$PKI/$name.csr" -CA "$PKI/$ca.pem" -CAkey "$PKI/$ca.key" \
    -CAcreateserial -days 2 -extfile "$ext" -out "$PKI/$name.pem" 2>/dev/null
}
make_ca ca
make_ca rogue-ca
make_cert server ca "IP:127.0.0.1,DNS:localhost"
make_cert client ca
make_cert rogue-client rogue-ca
echo "the-write-token" >"$WORK/token"
echo "a-wrong-token" >"$WORK/wrong-token"

cli() { "$CLI" --server="$ADDRESS" --timeout=5s "$@"; }
expect_failure() {  # expect_failure PATTERN CLI-ARGS...
  local pattern=$1; shift
  if cli "$@" >"$WORK/out" 2>"$WORK/err"; then fail "succeeded: $*"; fi
  grep -q "$pattern" "$WORK/err" || { cat "$WORK/err" >&2; fail "'$*' did not fail with $pattern"; }
}
TLS=(--tls_ca="$PKI/ca.pem")

# TLS and a write token.
start_server "$WORK/data" --tls_cert="$PKI/server.pem" --tls_key="$PKI/server.key" \
  --ingest_token_file="$WORK/token"
expect_failure UNAVAILABLE list                                   # plaintext client
expect_failure UNAVAILABLE --tls_ca="$PKI/rogue-ca.pem" list      # server not trusted
cli "${TLS[@]}" list >/dev/null || fail "TLS read with the right CA"
expect_failure UNAUTHENTICATED "${TLS[@]}" ingest "$SAMPLE"
expect_failure PERMISSION_DENIED "${TLS[@]}" --token_file="$WORK/wrong-token" ingest "$SAMPLE"
cli "${TLS[@]}" list --page_size=100 >"$WORK/list.out"
[ ! -s "$WORK/list.out" ] || fail "a refused ingest stored something"
IMPORTAI_TOKEN_FILE="$WORK/token" cli "${TLS[@]}" ingest "$SAMPLE" >"$WORK/ingest.out" \
  || fail "ingest with the token (from the environment)"
grep -q "head revision 2" "$WORK/ingest.out" || fail "ingest with the token stored nothing"
cli "${TLS[@]}" get 901 >/dev/null || fail "read back over TLS"
stop_server

# Mutual TLS: the client must present a certificate the client CA signed.
start_server "$WORK/data" --tls_cert="$PKI/server.pem" --tls_key="$PKI/server.key" \
  --tls_client_ca="$PKI/ca.pem"
expect_failure UNAVAILABLE "${TLS[@]}" list
expect_failure UNAVAILABLE "${TLS[@]}" --tls_cert="$PKI/rogue-client.pem" \
  --tls_key="$PKI/rogue-client.key" list
cli "${TLS[@]}" --tls_cert="$PKI/client.pem" --tls_key="$PKI/client.key" list \
  >"$WORK/mtls.out" || fail "mTLS with a signed client certificate"
grep -q "^902" "$WORK/mtls.out" || fail "mTLS list"
# A replica of the mTLS primary reaches it over TLS, verifying it against
# --follow_tls_ca and presenting its own certificate, and serves TLS itself.
primary_pid=$SERVER_PID primary=$ADDRESS
start_server "$WORK/replica" --tls_cert="$PKI/server.pem" --tls_key="$PKI/server.key" \
  --follow="$primary" --follow_tls_ca="$PKI/ca.pem"
cli "${TLS[@]}" --min_revision=2 --timeout=60s get 902 >/dev/null \
  || fail "the replica of an mTLS primary did not catch up"
stop_server
SERVER_PID=$primary_pid ADDRESS=$primary
stop_server

# Flag errors name the flag.
if "$SERVER" --data_dir="$WORK/data" --tls_cert="$PKI/server.pem" 2>"$WORK/flag.err" >&2; then
  fail "--tls_cert without --tls_key was accepted"
fi
grep -q "tls_cert and tls_key go together" "$WORK/flag.err" || fail "flag error message"
echo "tls/auth: PASS"
