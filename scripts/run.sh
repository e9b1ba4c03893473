#!/usr/bin/env bash
# The main job: installs what is missing, builds, starts redis-server and chainhub-registry on
# loopback with their data in .run/, seeds the Chuzhou data (data/), prints the PV chain map and its
# gap list and how to call the API, then serves until Ctrl-C.
#
#   scripts/run.sh          run and serve until Ctrl-C
#   scripts/run.sh stop     stop what a previous run left running (e.g. after closing its terminal)
#   scripts/run.sh --once   the same on free ports in a temp dir, then stop (used by the tests)
#
# Ports (serve mode): CHAINHUB_PORT (50051), CHAINHUB_REDIS_PORT (16379), CHAINHUB_METRICS_PORT (9091).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$PWD"
MODE="serve"
case "${1:-}" in
  --once) MODE="once" ;;
  stop) MODE="stop" ;;
  "") ;;
  *) echo "usage: scripts/run.sh [--once|stop]" >&2; exit 1 ;;
esac

RUN_DIR="${CHAINHUB_RUN_DIR:-$ROOT/.run}"

stop_pidfile() {
  local file="$1"
  if [ -f "$file" ]; then
    local pid
    pid="$(cat "$file")"
    if kill -0 "$pid" 2>/dev/null; then
      kill -TERM "$pid" 2>/dev/null || true
      for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      kill -KILL "$pid" 2>/dev/null || true
    fi
    rm -f "$file"
  fi
}

if [ "$MODE" = "stop" ]; then
  stop_pidfile "$RUN_DIR/registry.pid"
  stop_pidfile "$RUN_DIR/redis.pid"
  echo "stopped"
  exit 0
fi

port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
free_port() {
  local p
  for _ in $(seq 1 200); do
    p=$(( 20000 + RANDOM % 30000 ))
    if port_free "$p"; then echo "$p"; return 0; fi
  done
  return 1
}

if [ "$MODE" = "once" ]; then
  RUN_DIR="$(mktemp -d)"
  REDIS_PORT="$(free_port)"
  LISTEN="127.0.0.1:0"
  METRICS="127.0.0.1:0"
else
  REDIS_PORT="${CHAINHUB_REDIS_PORT:-16379}"
  LISTEN="127.0.0.1:${CHAINHUB_PORT:-50051}"
  METRICS="127.0.0.1:${CHAINHUB_METRICS_PORT:-9091}"
  stop_pidfile "$RUN_DIR/registry.pid"
  stop_pidfile "$RUN_DIR/redis.pid"
  for p in "$REDIS_PORT" "${LISTEN##*:}" "${METRICS##*:}"; do
    if ! port_free "$p"; then
      echo "error: port $p on 127.0.0.1 is in use; set CHAINHUB_PORT, CHAINHUB_REDIS_PORT or CHAINHUB_METRICS_PORT" >&2
      exit 1
    fi
  done
fi

"$ROOT/scripts/deps.sh"
echo "== building (first build takes a few minutes on 2 cores)" >&2
CHAINHUB_TARGETS="chainhub-registry chainctl" "$ROOT/scripts/build.sh"
REGISTRY="$ROOT/build/services/registry/chainhub-registry"
CHAINCTL="$ROOT/build/tools/chainctl/chainctl"

mkdir -p "$RUN_DIR/logs" "$RUN_DIR/redis" "$RUN_DIR/data"
if [ ! -s "$RUN_DIR/jwt_secret" ]; then
  (umask 077; head -c 48 /dev/urandom | base64 -w0 > "$RUN_DIR/jwt_secret")
fi

cleanup() {
  stop_pidfile "$RUN_DIR/registry.pid"
  stop_pidfile "$RUN_DIR/redis.pid"
  if [ "$MODE" = "once" ]; then rm -rf "$RUN_DIR"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

echo "== starting redis-server on 127.0.0.1:$REDIS_PORT" >&2
redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --dir "$RUN_DIR/redis" \
  --appendonly yes --appendfsync everysec --save "" --daemonize yes \
  --pidfile "$RUN_DIR/redis.pid" --logfile "$RUN_DIR/logs/redis.log"
for _ in $(seq 1 100); do
  redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1 && break
  sleep 0.1
done

echo "== starting chainhub-registry" >&2
"$REGISTRY" --listen="$LISTEN" --data_dir="$RUN_DIR/data" --redis="127.0.0.1:$REDIS_PORT" \
  --jwt_secret_file="$RUN_DIR/jwt_secret" --metrics_listen="$METRICS" \
  >"$RUN_DIR/registry.out" 2>"$RUN_DIR/logs/registry.log" &
echo $! > "$RUN_DIR/registry.pid"
TARGET=""
for _ in $(seq 1 300); do
  TARGET="$(sed -n 's/^listening on //p' "$RUN_DIR/registry.out" | head -n1)"
  [ -n "$TARGET" ] && break
  if ! kill -0 "$(cat "$RUN_DIR/registry.pid")" 2>/dev/null; then
    echo "error: chainhub-registry exited; its log:" >&2
    tail -n 20 "$RUN_DIR/logs/registry.log" >&2
    exit 1
  fi
  sleep 0.1
done
[ -n "$TARGET" ] || { echo "error: chainhub-registry did not start" >&2; exit 1; }

TOKEN="$("$CHAINCTL" token mint --secret_file="$RUN_DIR/jwt_secret" --sub=systems/run \
  --roles=admin --ttl=24h)"
echo "$TOKEN" > "$RUN_DIR/admin.token"
export CHAINHUB_TARGET="$TARGET" CHAINHUB_TOKEN="$TOKEN"

echo "== seeding the Chuzhou data from data/" >&2
"$CHAINCTL" seed --data="$ROOT/data"

echo
echo "== 光伏 chain map (chains/pv)"
"$CHAINCTL" map pv
echo
echo "== 光伏 gaps and attraction list (补链分析 / 招引清单)"
"$CHAINCTL" gaps pv

if [ "$MODE" = "once" ]; then
  "$CHAINCTL" health >/dev/null
  chains="$("$CHAINCTL" --output=json chains list | grep -c '"name": "chains/' || true)"
  if [ "$chains" -lt 8 ]; then
    echo "error: expected the 8 Chuzhou chains, listed $chains" >&2
    exit 1
  fi
  "$CHAINCTL" seed --data="$ROOT/data" >/dev/null  # a second seed is a no-op, not an error
  echo "main job ok: registry at $TARGET seeded, map and gaps printed" >&2
  exit 0
fi

cat <<MSG

== chainhub is serving
  registry (gRPC)   $TARGET
  metrics           http://$METRICS/metrics
  redis             127.0.0.1:$REDIS_PORT
  data and logs     $RUN_DIR (logs/registry.log: one JSON line per RPC)

Call it (an admin token is in $RUN_DIR/admin.token; mint others with chainctl token mint):
  export CHAINHUB_TARGET=$TARGET CHAINHUB_TOKEN=\$(cat $RUN_DIR/admin.token)
  $CHAINCTL chains list
  $CHAINCTL map semiconductor
  $CHAINCTL enterprises list --filter='chain = "pv" AND label = "SPECIALIZED"'
  $CHAINCTL province resolve chains/nev-battery --date=2025-06-30
  grpcurl -plaintext -H "authorization: Bearer \$CHAINHUB_TOKEN" -d '{"name":"chains/pv"}' \\
      $TARGET chainhub.registry.v1.ChainRegistry/GetChainMap
More: docs/api.md. Stop with Ctrl-C (or scripts/run.sh stop from another terminal).
MSG
wait "$(cat "$RUN_DIR/registry.pid")"
