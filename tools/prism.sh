#!/usr/bin/env bash
# Local Prism mock server for spec/anthropic-openapi.json (see tools/PRISM.md).
#   tools/prism.sh install        # npm ci from tools/package-lock.json if prism is missing
#   tools/prism.sh start [PORT]   # start on 127.0.0.1:PORT (default 4010), wait until it answers
#   tools/prism.sh stop           # stop the server started by `start`
#   tools/prism.sh url [PORT]     # print http://127.0.0.1:PORT (PORT defaults to the running one, else 4010)
set -euo pipefail

cd "$(dirname "$0")/.."

HOST=127.0.0.1
DEFAULT_PORT=4010
PRISM_BIN=tools/node_modules/.bin/prism
SPEC=spec/anthropic-openapi.json
LOG=target/prism.log
PIDFILE=target/prism.pid
PORTFILE=target/prism.port
WAIT_SECS=${PRISM_WAIT_SECS:-60}

die() { echo "prism.sh: $*" >&2; exit 1; }

cmd_install() {
  if [[ ! -x "$PRISM_BIN" ]]; then
    command -v npm >/dev/null 2>&1 || die "npm not found (Node >= 18.20.1 required)"
    npm ci --prefix tools --no-audit --no-fund >&2
  fi
  [[ -x "$PRISM_BIN" ]] || die "install failed: $PRISM_BIN missing"
}

is_running() {
  [[ -f "$PIDFILE" ]] && kill -0 "$(cat "$PIDFILE")" 2>/dev/null
}

port_answers() {
  # any HTTP answer counts (prism returns 404/422 for unknown routes)
  (exec 3<>"/dev/tcp/$HOST/$1") 2>/dev/null
}

cmd_start() {
  local port=${1:-$DEFAULT_PORT}
  [[ "$port" =~ ^[0-9]+$ ]] || die "bad port: $port"
  cmd_install
  if is_running; then
    die "already running (pid $(cat "$PIDFILE")); run: tools/prism.sh stop"
  fi
  if port_answers "$port"; then
    die "port $port on $HOST is already in use"
  fi
  mkdir -p target
  # setsid: own process group, so `stop` can end prism and its children together.
  setsid "$PRISM_BIN" mock "$SPEC" -h "$HOST" -p "$port" >"$LOG" 2>&1 </dev/null &
  local pid=$!
  echo "$pid" >"$PIDFILE"
  echo "$port" >"$PORTFILE"
  local i
  for ((i = 0; i < WAIT_SECS * 4; i++)); do
    if ! kill -0 "$pid" 2>/dev/null; then
      echo "prism exited during startup; log tail:" >&2
      tail -n 30 "$LOG" >&2 || true
      rm -f "$PIDFILE"
      exit 1
    fi
    if port_answers "$port" && grep -q "Prism is listening" "$LOG" 2>/dev/null; then
      echo "prism listening on http://$HOST:$port (pid $pid, log $LOG)" >&2
      return 0
    fi
    sleep 0.25
  done
  echo "prism did not come up within ${WAIT_SECS}s; log tail:" >&2
  tail -n 30 "$LOG" >&2 || true
  cmd_stop
  exit 1
}

cmd_stop() {
  if [[ -f "$PIDFILE" ]]; then
    local pid
    pid=$(cat "$PIDFILE")
    if kill -0 "$pid" 2>/dev/null; then
      # pid is a process-group leader (setsid); fall back to the pid alone
      kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
      local i
      for ((i = 0; i < 40; i++)); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.25
      done
      if kill -0 "$pid" 2>/dev/null; then
        kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null || true
      fi
    fi
    rm -f "$PIDFILE"
  fi
  rm -f "$PORTFILE"
}

cmd_url() {
  local port=${1:-}
  if [[ -z "$port" && -f "$PORTFILE" ]]; then port=$(cat "$PORTFILE"); fi
  echo "http://$HOST:${port:-$DEFAULT_PORT}"
}

case "${1:-}" in
  install) cmd_install ;;
  start) shift; cmd_start "$@" ;;
  stop) cmd_stop ;;
  url) shift; cmd_url "$@" ;;
  *) echo "usage: $0 {install|start [PORT]|stop|url [PORT]}" >&2; exit 2 ;;
esac
