# Shared by the end-to-end tests: start and stop the real importai-server.
# Expects SERVER (path of importai-server) and WORK (a scratch directory).

fail() { echo "FAIL: $*" >&2; exit 1; }

# start_server DATA_DIR [FLAGS...]: starts the server on a free loopback port;
# sets SERVER_PID and ADDRESS.
start_server() {
  local data_dir=$1; shift
  local log="$WORK/server.$RANDOM.log"
  "$SERVER" --listen=127.0.0.1:0 --data_dir="$data_dir" "$@" >"$log" 2>&1 &
  SERVER_PID=$!
  for _ in $(seq 1 200); do
    # The log may not exist yet: the background shell creates it.
    ADDRESS=$(sed -n 's/.*"msg":"listening","address":"\([^"]*\)".*/\1/p' "$log" 2>/dev/null || true)
    [ -n "$ADDRESS" ] && return 0
    kill -0 "$SERVER_PID" 2>/dev/null || { cat "$log" >&2; fail "server exited early"; }
    sleep 0.05
  done
  cat "$log" >&2
  fail "server did not report its address within 10 s"
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
