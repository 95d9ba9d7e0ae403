# Shared by the end-to-end tests: start and stop the real importai-server.
# Expects SERVER (path of importai-server) and WORK (a scratch directory).

fail() { echo "FAIL: $*" >&2; exit 1; }

# The tests read JSON (the CLI's --json, buf curl) with jq.
need_jq() { command -v jq >/dev/null || fail "jq not found: scripts/install-deps.sh installs it"; }

# change_events FILE...: the CREATED and UPDATED events of `importai watch
# --json` output, one JSON object a line. Lines that are not whole JSON (the
# last line of a subscriber still writing, or killed mid-line) are skipped.
change_events() {
  jq -R -c 'fromjson? | select(.type == "EVENT_TYPE_CREATED" or .type == "EVENT_TYPE_UPDATED")' "$@"
}

# start_server DATA_DIR [FLAGS...]: starts the server on a free loopback port
# (FLAGS may say otherwise); sets SERVER_PID, ADDRESS and SERVER_LOG.
start_server() {
  local data_dir=$1; shift
  SERVER_LOG="$WORK/server.$RANDOM.log"
  "$SERVER" --listen=127.0.0.1:0 --data_dir="$data_dir" "$@" >"$SERVER_LOG" 2>&1 &
  SERVER_PID=$!
  # A minute, for a busy machine; a server that starts returns at once.
  local deadline=$((SECONDS + 60))
  while [ "$SECONDS" -lt "$deadline" ]; do
    # The log may not exist yet: the background shell creates it.
    ADDRESS=$(sed -n 's/.*"msg":"listening","address":"\([^"]*\)".*/\1/p' "$SERVER_LOG" 2>/dev/null || true)
    # A wildcard listen (--listen=0.0.0.0:0) is reached on loopback.
    ADDRESS=${ADDRESS/#0.0.0.0:/127.0.0.1:}
    [ -n "$ADDRESS" ] && return 0
    kill -0 "$SERVER_PID" 2>/dev/null || { cat "$SERVER_LOG" >&2; fail "server exited early"; }
    sleep 0.05
  done
  cat "$SERVER_LOG" >&2
  fail "server did not report its address within 60 s"
}

# expect_server_refuses PATTERN [FLAGS...]: the server must exit non-zero
# without listening, its log matching PATTERN (grep -E). A server that
# serves instead is stopped after a minute.
expect_server_refuses() {
  local pattern=$1; shift
  local log="$WORK/refused.$RANDOM.log" code=0
  timeout 60 "$SERVER" "$@" >"$log" 2>&1 || code=$?
  [ "$code" -ne 124 ] || { cat "$log" >&2; fail "the server served instead of refusing: $*"; }
  [ "$code" -ne 0 ] || { cat "$log" >&2; fail "the server exited 0 instead of refusing: $*"; }
  grep -qE -- "$pattern" "$log" || { cat "$log" >&2; fail "the server's refusal does not say /$pattern/: $*"; }
}

# stop_server: SIGTERM, and the server must exit 0.
stop_server() {
  kill -TERM "$SERVER_PID"
  local code=0
  wait "$SERVER_PID" || code=$?
  [ "$code" -eq 0 ] || fail "server exited with $code after SIGTERM"
}

cleanup() {
  if [ -n "${SERVER_PID:-}" ]; then kill -9 "$SERVER_PID" 2>/dev/null || true; fi
  rm -rf "$WORK"
}
