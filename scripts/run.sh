#!/usr/bin/env bash
# The main job: installs what is missing, builds, starts redis-server, chainhub-registry,
# chainhub-intake and chainhub-notify (with the shipped rules, data/notify/) on loopback with their
# data in .run/, seeds the Chuzhou data (data/), prints the PV
# chain map and its gap list, imports the project library (data/projects.csv) and its monthly
# progress (data/progress.csv), evaluates the traffic lights, opens a few 问题清单 items, prints the
# summary of every chain and the overdue items (reminding their owners); then starts chainhub-assessment (its facts backfilled
# from intake and the registry), applies the sample assessment scheme (data/assessment/), runs the
# 2026-Q3 final assessment of the eight chains, prints the ranking and the explanation of a score,
# writes the XLSX and SVG exports into the run directory; sends a supervision letter (督办函) about a
# red-light project, prints a department's inbox, signs for it, prints who has and has not signed
# and the alerts the red lights became; then starts chainhub-province (a reference provincial
# receiver) and chainhub-sync (its copy backfilled from the registry, intake and assessment),
# pushes the city's data in the province's taxonomy, prints the receiver's counts per provincial
# category for both lists and the reconciliation, and writes the province workbook; then starts
# chainhub-support (its enterprise copy backfilled from the registry; plans published to assessment
# and intake), puts the working-day calendar and the request deadline rules, applies the 包保
# assignments, imports the enterprise requests (企业诉求), creates the sample policy and imports its
# items, generates the 免申即享 payouts, applies the chain lists (多链协同), imports supplier spend,
# applies, publishes and reports the PV three-year action plan (data/support/, synthetic), and
# prints the PV chain's 本地配套率, the plan's progress, the overdue requests and one 免申即享
# payout list; prints how to call the API, and serves until Ctrl-C.
#
#   scripts/run.sh          run and serve until Ctrl-C
#   scripts/run.sh stop     stop what a previous run left running (e.g. after closing its terminal)
#   scripts/run.sh --once   the same on free ports in a temp dir, then stop (used by the tests)
#
# Ports (serve mode): CHAINHUB_PORT (50051), CHAINHUB_REDIS_PORT (16379), CHAINHUB_METRICS_PORT (9091),
# CHAINHUB_INTAKE_PORT (50052), CHAINHUB_INTAKE_METRICS_PORT (9092), CHAINHUB_ASSESSMENT_PORT (50053),
# CHAINHUB_ASSESSMENT_METRICS_PORT (9093), CHAINHUB_NOTIFY_PORT (50054), CHAINHUB_NOTIFY_METRICS_PORT
# (9094), CHAINHUB_SYNC_PORT (50055), CHAINHUB_SYNC_METRICS_PORT (9095), CHAINHUB_PROVINCE_PORT
# (50056), CHAINHUB_PROVINCE_METRICS_PORT (9096), CHAINHUB_SUPPORT_PORT (50057),
# CHAINHUB_SUPPORT_METRICS_PORT (9097). CHAINHUB_RUN_DIR moves .run/ (serve mode), and
# CHAINHUB_BUILD_DIR the build (as for scripts/build.sh).
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
  stop_pidfile "$RUN_DIR/support.pid"
  stop_pidfile "$RUN_DIR/sync.pid"
  stop_pidfile "$RUN_DIR/province.pid"
  stop_pidfile "$RUN_DIR/notify.pid"
  stop_pidfile "$RUN_DIR/assessment.pid"
  stop_pidfile "$RUN_DIR/intake.pid"
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
  INTAKE_LISTEN="127.0.0.1:0"
  INTAKE_METRICS="127.0.0.1:0"
  ASSESSMENT_LISTEN="127.0.0.1:0"
  ASSESSMENT_METRICS="127.0.0.1:0"
  NOTIFY_LISTEN="127.0.0.1:0"
  NOTIFY_METRICS="127.0.0.1:0"
  SYNC_LISTEN="127.0.0.1:0"
  SYNC_METRICS="127.0.0.1:0"
  PROVINCE_LISTEN="127.0.0.1:0"
  PROVINCE_METRICS="127.0.0.1:0"
  SUPPORT_LISTEN="127.0.0.1:0"
  SUPPORT_METRICS="127.0.0.1:0"
else
  REDIS_PORT="${CHAINHUB_REDIS_PORT:-16379}"
  LISTEN="127.0.0.1:${CHAINHUB_PORT:-50051}"
  METRICS="127.0.0.1:${CHAINHUB_METRICS_PORT:-9091}"
  INTAKE_LISTEN="127.0.0.1:${CHAINHUB_INTAKE_PORT:-50052}"
  INTAKE_METRICS="127.0.0.1:${CHAINHUB_INTAKE_METRICS_PORT:-9092}"
  ASSESSMENT_LISTEN="127.0.0.1:${CHAINHUB_ASSESSMENT_PORT:-50053}"
  ASSESSMENT_METRICS="127.0.0.1:${CHAINHUB_ASSESSMENT_METRICS_PORT:-9093}"
  NOTIFY_LISTEN="127.0.0.1:${CHAINHUB_NOTIFY_PORT:-50054}"
  NOTIFY_METRICS="127.0.0.1:${CHAINHUB_NOTIFY_METRICS_PORT:-9094}"
  SYNC_LISTEN="127.0.0.1:${CHAINHUB_SYNC_PORT:-50055}"
  SYNC_METRICS="127.0.0.1:${CHAINHUB_SYNC_METRICS_PORT:-9095}"
  PROVINCE_LISTEN="127.0.0.1:${CHAINHUB_PROVINCE_PORT:-50056}"
  PROVINCE_METRICS="127.0.0.1:${CHAINHUB_PROVINCE_METRICS_PORT:-9096}"
  SUPPORT_LISTEN="127.0.0.1:${CHAINHUB_SUPPORT_PORT:-50057}"
  SUPPORT_METRICS="127.0.0.1:${CHAINHUB_SUPPORT_METRICS_PORT:-9097}"
  stop_pidfile "$RUN_DIR/support.pid"
  stop_pidfile "$RUN_DIR/sync.pid"
  stop_pidfile "$RUN_DIR/province.pid"
  stop_pidfile "$RUN_DIR/notify.pid"
  stop_pidfile "$RUN_DIR/assessment.pid"
  stop_pidfile "$RUN_DIR/intake.pid"
  stop_pidfile "$RUN_DIR/registry.pid"
  stop_pidfile "$RUN_DIR/redis.pid"
  for p in "$REDIS_PORT" "${LISTEN##*:}" "${METRICS##*:}" "${INTAKE_LISTEN##*:}" "${INTAKE_METRICS##*:}" \
           "${ASSESSMENT_LISTEN##*:}" "${ASSESSMENT_METRICS##*:}" "${NOTIFY_LISTEN##*:}" \
           "${NOTIFY_METRICS##*:}" "${SYNC_LISTEN##*:}" "${SYNC_METRICS##*:}" \
           "${PROVINCE_LISTEN##*:}" "${PROVINCE_METRICS##*:}" "${SUPPORT_LISTEN##*:}" \
           "${SUPPORT_METRICS##*:}"; do
    if ! port_free "$p"; then
      echo "error: port $p on 127.0.0.1 is in use; set CHAINHUB_PORT, CHAINHUB_REDIS_PORT, CHAINHUB_METRICS_PORT, CHAINHUB_INTAKE_PORT, CHAINHUB_INTAKE_METRICS_PORT, CHAINHUB_ASSESSMENT_PORT, CHAINHUB_ASSESSMENT_METRICS_PORT, CHAINHUB_NOTIFY_PORT, CHAINHUB_NOTIFY_METRICS_PORT, CHAINHUB_SYNC_PORT, CHAINHUB_SYNC_METRICS_PORT, CHAINHUB_PROVINCE_PORT, CHAINHUB_PROVINCE_METRICS_PORT, CHAINHUB_SUPPORT_PORT or CHAINHUB_SUPPORT_METRICS_PORT" >&2
      exit 1
    fi
  done
fi

"$ROOT/scripts/deps.sh"
echo "== building (first build takes a few minutes on 2 cores)" >&2
CHAINHUB_TARGETS="chainhub-registry chainhub-intake chainhub-assessment chainhub-notify chainhub-sync chainhub-province chainhub-support chainctl" "$ROOT/scripts/build.sh"
BUILD="${CHAINHUB_BUILD_DIR:-build}"  # where scripts/build.sh built, relative to the repo or absolute
case "$BUILD" in /*) ;; *) BUILD="$ROOT/$BUILD" ;; esac
REGISTRY="$BUILD/services/registry/chainhub-registry"
INTAKE="$BUILD/services/intake/chainhub-intake"
ASSESSMENT="$BUILD/services/assessment/chainhub-assessment"
NOTIFY="$BUILD/services/notify/chainhub-notify"
SYNC="$BUILD/services/sync/chainhub-sync"
PROVINCE="$BUILD/services/province/chainhub-province"
SUPPORT="$BUILD/services/support/chainhub-support"
CHAINCTL="$BUILD/tools/chainctl/chainctl"

mkdir -p "$RUN_DIR/logs" "$RUN_DIR/redis" "$RUN_DIR/data"
if [ ! -s "$RUN_DIR/jwt_secret" ]; then
  (umask 077; head -c 48 /dev/urandom | base64 -w0 > "$RUN_DIR/jwt_secret")
fi
# The reference provincial receiver is another party: it signs the city's token with its own secret.
if [ ! -s "$RUN_DIR/province_secret" ]; then
  (umask 077; head -c 48 /dev/urandom | base64 -w0 > "$RUN_DIR/province_secret")
fi

cleanup() {
  stop_pidfile "$RUN_DIR/support.pid"
  stop_pidfile "$RUN_DIR/sync.pid"
  stop_pidfile "$RUN_DIR/province.pid"
  stop_pidfile "$RUN_DIR/notify.pid"
  stop_pidfile "$RUN_DIR/assessment.pid"
  stop_pidfile "$RUN_DIR/intake.pid"
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

# wait_listening SERVICE: prints the address SERVICE (started with stdout in $RUN_DIR/SERVICE.out)
# reports in its "listening on HOST:PORT" line; fails when it exits or takes more than 30 s.
wait_listening() {
  local name="$1" addr=""
  for _ in $(seq 1 300); do
    addr="$(sed -n 's/^listening on //p' "$RUN_DIR/$name.out" | head -n1)"
    if [ -n "$addr" ]; then echo "$addr"; return 0; fi
    if ! kill -0 "$(cat "$RUN_DIR/$name.pid")" 2>/dev/null; then
      echo "error: chainhub-$name exited; its log:" >&2
      tail -n 20 "$RUN_DIR/logs/$name.log" >&2
      return 1
    fi
    sleep 0.1
  done
  echo "error: chainhub-$name did not start" >&2
  return 1
}

echo "== starting chainhub-registry" >&2
"$REGISTRY" --listen="$LISTEN" --data_dir="$RUN_DIR/data" --redis="127.0.0.1:$REDIS_PORT" \
  --jwt_secret_file="$RUN_DIR/jwt_secret" --metrics_listen="$METRICS" \
  >"$RUN_DIR/registry.out" 2>"$RUN_DIR/logs/registry.log" &
echo $! > "$RUN_DIR/registry.pid"
TARGET="$(wait_listening registry)"

echo "== starting chainhub-intake" >&2
"$INTAKE" --listen="$INTAKE_LISTEN" --data_dir="$RUN_DIR/data" --redis="127.0.0.1:$REDIS_PORT" \
  --jwt_secret_file="$RUN_DIR/jwt_secret" --metrics_listen="$INTAKE_METRICS" \
  --registry_target="$TARGET" \
  >"$RUN_DIR/intake.out" 2>"$RUN_DIR/logs/intake.log" &
echo $! > "$RUN_DIR/intake.pid"
INTAKE_TARGET="$(wait_listening intake)"

TOKEN="$("$CHAINCTL" token mint --secret_file="$RUN_DIR/jwt_secret" --sub=systems/run \
  --roles=admin --ttl=24h)"
echo "$TOKEN" > "$RUN_DIR/admin.token"
export CHAINHUB_TARGET="$TARGET" CHAINHUB_INTAKE_TARGET="$INTAKE_TARGET" CHAINHUB_TOKEN="$TOKEN"
for _ in $(seq 1 100); do
  "$CHAINCTL" --target="$INTAKE_TARGET" health >/dev/null 2>&1 && break
  sleep 0.1
done
"$CHAINCTL" --target="$INTAKE_TARGET" health >/dev/null

echo "== starting chainhub-notify" >&2
"$NOTIFY" --listen="$NOTIFY_LISTEN" --data_dir="$RUN_DIR/data" --redis="127.0.0.1:$REDIS_PORT" \
  --jwt_secret_file="$RUN_DIR/jwt_secret" --metrics_listen="$NOTIFY_METRICS" \
  >"$RUN_DIR/notify.out" 2>"$RUN_DIR/logs/notify.log" &
echo $! > "$RUN_DIR/notify.pid"
NOTIFY_TARGET="$(wait_listening notify)"
export CHAINHUB_NOTIFY_TARGET="$NOTIFY_TARGET"
"$CHAINCTL" --target="$NOTIFY_TARGET" health >/dev/null
# The shipped rules, before any data moves: every red light from here on becomes an alert.
echo "== notify rules: data/notify/subscriptions.yaml" >&2
"$CHAINCTL" subscriptions apply "$ROOT/data/notify/subscriptions.yaml" >&2

echo "== seeding the Chuzhou data from data/" >&2
"$CHAINCTL" seed --data="$ROOT/data"

echo
echo "== 光伏 chain map (chains/pv)"
"$CHAINCTL" map pv
echo
echo "== 光伏 gaps and attraction list (补链分析 / 招引清单)"
"$CHAINCTL" gaps pv

# The demonstration world ends on 2026-10-31 (the last stage date and progress month of the
# synthetic data), so its lights are evaluated on that date whatever the day of the run.
LIGHT_DATE=2026-10-31
echo
echo "== project library (产业项目库): data/projects.csv"
"$CHAINCTL" projects import "$ROOT/data/projects.csv"
echo
echo "== monthly progress (月度报进展): data/progress.csv"
"$CHAINCTL" projects report --file="$ROOT/data/progress.csv"
echo
echo "== traffic lights (红黄绿灯) on $LIGHT_DATE"
"$CHAINCTL" lights evaluate --date="$LIGHT_DATE"
echo
echo "== red-light projects (红灯项目), largest first"
"$CHAINCTL" projects list --filter='light = "RED"' --order_by="total_investment_yuan desc" \
  --page_size=10

echo
echo "== 问题清单 / 任务清单 (dispatch lists)"
RED_PROJECT="$("$CHAINCTL" --output=json projects list --filter='light = "RED" AND stage = "STARTED"' \
  --order_by="total_investment_yuan desc" --page_size=1 |
  sed -n 's/^ *"name": "\(projects\/[^"]*\)".*/\1/p' | head -n1)"
"$CHAINCTL" issues create --kind=issue --subject=CZXM-PV-0003 --owner=zrzyj --deadline=2026-10-20 \
  --title="光伏玻璃项目二期用地指标未落实" \
  --description="二期用地约300亩需省级统筹指标，影响开工；请市自然资源和规划局对接省厅"
"$CHAINCTL" issues create --kind=issue --subject=chains/nev-battery --owner=zsj --deadline=2027-03-31 \
  --title="负极材料环节缺链，按图索骥招引龙头企业"
"$CHAINCTL" issues create --kind=task --subject=chains/pv --owner=fgw --deadline=2027-01-31 \
  --title="光伏产业链季度调度会：推进组件项目达产"
if [ -n "$RED_PROJECT" ]; then
  "$CHAINCTL" issues create --kind=issue --subject="$RED_PROJECT" --owner=fgw --deadline=2026-12-31 \
    --title="项目投资进度严重滞后于序时进度，开展一对一调度"
  # Moved once: a run on a .run/ where it is already being coordinated leaves it so.
  RED_ISSUE="$("$CHAINCTL" --output=json issues list \
    --filter="subject = \"$RED_PROJECT\" AND status = \"OPEN\"" |
    sed -n 's/^ *"name": "\(issues\/[^"]*\)".*/\1/p' | head -n1)"
  if [ -n "$RED_ISSUE" ]; then
    "$CHAINCTL" issues move "$RED_ISSUE" --to=COORDINATING --note="链长办一对一调度"
  fi
fi

CHAIN_IDS="pv semiconductor auto-equipment nev-battery medical home-appliance new-chemical health-food"
for chain in $CHAIN_IDS; do
  echo
  echo "== summary $chain (2026)"
  "$CHAINCTL" summary "$chain" --period=2026
done
echo
echo "== summary all chains (全市, 2026)"
"$CHAINCTL" summary all --period=2026
echo
echo "== overdue dispatch items (逾期事项, today)"
"$CHAINCTL" issues list --overdue
echo
echo "== daily reminders (催办): issue.overdue / task.overdue, which notify sends to each owner"
"$CHAINCTL" issues remind

# KPI assessment (考核). Started once intake holds the data, its facts are backfilled from intake's
# and the registry's list APIs before it listens; events keep them current from then on.
echo "== starting chainhub-assessment" >&2
"$ASSESSMENT" --listen="$ASSESSMENT_LISTEN" --data_dir="$RUN_DIR/data" --redis="127.0.0.1:$REDIS_PORT" \
  --jwt_secret_file="$RUN_DIR/jwt_secret" --metrics_listen="$ASSESSMENT_METRICS" \
  --intake_target="$INTAKE_TARGET" --registry_target="$TARGET" \
  >"$RUN_DIR/assessment.out" 2>"$RUN_DIR/logs/assessment.log" &
echo $! > "$RUN_DIR/assessment.pid"
ASSESSMENT_TARGET="$(wait_listening assessment)"
export CHAINHUB_ASSESSMENT_TARGET="$ASSESSMENT_TARGET"
"$CHAINCTL" --target="$ASSESSMENT_TARGET" health >/dev/null

echo
echo "== assessment indicators, scheme, targets and reported values (data/assessment/, SAMPLE data)"
"$CHAINCTL" indicators apply "$ROOT/data/assessment/indicators.yaml" | tail -n1
"$CHAINCTL" schemes apply "$ROOT/data/assessment/scheme-2026.yaml"
"$CHAINCTL" targets import "$ROOT/data/assessment/targets.csv"
"$CHAINCTL" values import "$ROOT/data/assessment/values.csv"
# The rating item (链长制工作评议) is judged by assessors; these points are synthetic.
for rating in pv:9 semiconductor:8.5 auto-equipment:8 nev-battery:8.8 medical:7.5 \
              home-appliance:8.2 new-chemical:7 health-food:7.8; do
  "$CHAINCTL" ratings enter chain-2026 chain_work "${rating%%:*}" 2026-Q3 "${rating#*:}" \
    --note="样例评议（合成数据）" >/dev/null
done
echo "ratings: chain_work entered for the 8 chains (synthetic)"

# The quarter's facts are the imported projects' stage dates and progress reports in 2026-Q3,
# taken as recorded by the end of today (China time).
AS_OF="$(date -u -d '+8 hours' +%F)"
echo
echo "== 2026-Q3 final assessment (scheme chain-2026, as of $AS_OF)"
"$CHAINCTL" --output=json runs create chain-2026 2026-Q3 --as_of="$AS_OF" > "$RUN_DIR/run-2026-Q3.json"
RUN="$(sed -n 's/^ *"name": "\(runs\/[^"]*\)".*/\1/p' "$RUN_DIR/run-2026-Q3.json" | head -n1)"
FIRST_CHAIN="$(sed -n 's/^ *"subject": "\(chains\/[^"]*\)".*/\1/p' "$RUN_DIR/run-2026-Q3.json" | head -n1)"
FIRST_ITEM="$(sed -n 's/^ *"key": "\([^"]*\)".*/\1/p' "$RUN_DIR/run-2026-Q3.json" | head -n1)"
"$CHAINCTL" runs show "$RUN"
echo
echo "== why $FIRST_CHAIN scored what it did on $FIRST_ITEM (runs explain)"
"$CHAINCTL" runs explain "$RUN" "$FIRST_CHAIN" "$FIRST_ITEM"
echo
echo "== replay (the same inputs give the same digest and scores)"
"$CHAINCTL" runs replay "$RUN"
echo
echo "== exports"
"$CHAINCTL" runs export "$RUN" --format=xlsx --out="$RUN_DIR/assessment-2026-Q3.xlsx"
"$CHAINCTL" runs export "$RUN" --format=svg --out="$RUN_DIR/assessment-2026-Q3.svg"

# Notifications (通知, 督办, 签收).
mint() { "$CHAINCTL" token mint --secret_file="$RUN_DIR/jwt_secret" --ttl=24h "$@"; }
PV_OFFICE_TOKEN="$(mint --sub=departments/fgw --roles=chain_office --chains=pv)"
ZRZYJ_TOKEN="$(mint --sub=departments/zrzyj --roles=department)"
NOTICE_DEADLINE="$(TZ=Asia/Shanghai date -d '+3 days' +%F)"
send_supervision() {
  "$CHAINCTL" --token="$PV_OFFICE_TOKEN" "$@" notices send --kind=supervision --chain=pv \
    --subject="${RED_PROJECT:-chains/pv}" --to=departments/zrzyj,departments/fgw,chains/pv/leader \
    --title="关于光伏玻璃项目二期用地指标的督办函" \
    --description="二期用地约300亩需省级统筹指标，影响开工。请市自然资源和规划局于3个工作日内反馈对接省厅情况并签收。" \
    --deadline="$NOTICE_DEADLINE"
}
echo
echo "== 督办函 from the 光伏 chain office, to be signed by $NOTICE_DEADLINE"
send_supervision
NOTICE="$(send_supervision --output=json | sed -n 's/^ *"name": "\(notices\/[^"]*\)".*/\1/p' | head -n1)"
echo
echo "== inbox of 市自然资源和规划局 (departments/zrzyj)"
"$CHAINCTL" --token="$ZRZYJ_TOKEN" inbox list
"$CHAINCTL" --token="$ZRZYJ_TOKEN" inbox ack "$NOTICE/deliveries/dept-zrzyj" \
  --note="已对接省厅，用地指标预计下月下达。"
echo
echo "== who has and has not signed (签收情况)"
"$CHAINCTL" --token="$PV_OFFICE_TOKEN" notices show "$NOTICE"
echo
echo "== red-light alerts the rules made (subscriptions/red-light), newest first"
"$CHAINCTL" notices list --filter='sender = "subscriptions/red-light"' | sed -n '1,12p'
echo
echo "== overdue reminders the rules made (subscriptions/overdue-item)"
"$CHAINCTL" notices list --filter='sender = "subscriptions/overdue-item"'

# Province sync (省十大产业链对接). The reference receiver stands in for the provincial platform;
# sync copies the city's data from the owners (a backfill), then follows the events and pushes.
echo "== starting chainhub-province (the reference provincial receiver)" >&2
"$PROVINCE" --listen="$PROVINCE_LISTEN" --data_dir="$RUN_DIR/data" --redis="127.0.0.1:$REDIS_PORT" \
  --jwt_secret_file="$RUN_DIR/province_secret" --metrics_listen="$PROVINCE_METRICS" \
  >"$RUN_DIR/province.out" 2>"$RUN_DIR/logs/province.log" &
echo $! > "$RUN_DIR/province.pid"
PROVINCE_TARGET="$(wait_listening province)"
# The token the province issued to the city, and one of the province's own readers.
"$CHAINCTL" token mint --secret_file="$RUN_DIR/province_secret" --sub=systems/chuzhou --roles=admin \
  --ttl=720h > "$RUN_DIR/province.token"
echo "== starting chainhub-sync" >&2
"$SYNC" --listen="$SYNC_LISTEN" --data_dir="$RUN_DIR/data" --redis="127.0.0.1:$REDIS_PORT" \
  --jwt_secret_file="$RUN_DIR/jwt_secret" --metrics_listen="$SYNC_METRICS" \
  --registry_target="$TARGET" --intake_target="$INTAKE_TARGET" \
  --assessment_target="$ASSESSMENT_TARGET" --province_target="$PROVINCE_TARGET" \
  --province_token_file="$RUN_DIR/province.token" --province_sender=chuzhou \
  >"$RUN_DIR/sync.out" 2>"$RUN_DIR/logs/sync.log" &
echo $! > "$RUN_DIR/sync.pid"
SYNC_TARGET="$(wait_listening sync)"
export CHAINHUB_SYNC_TARGET="$SYNC_TARGET"
"$CHAINCTL" --target="$SYNC_TARGET" health >/dev/null
# The push is done when nothing is pending (JSON leaves a zero out) and the backfill has run.
pushed=""
for _ in $(seq 1 600); do
  status="$("$CHAINCTL" --output=json sync status 2>/dev/null || true)"
  case "$status" in
    *'"pending"'*|"") ;;
    *'"checkpoint": "0"'*) ;;
    *) pushed=yes; break ;;
  esac
  sleep 0.2
done
if [ -z "$pushed" ]; then
  echo "error: the push to the provincial receiver did not finish" >&2
  "$CHAINCTL" sync status >&2 || true
  exit 1
fi
echo
echo "== the push to the provincial receiver ($PROVINCE_TARGET)"
"$CHAINCTL" sync status
echo
echo "== what the receiver holds per provincial category, both lists (2021: dated before"
echo "   2026-01-01; 2026: dated on or after it, and every chain and enterprise), and the reconciliation"
"$CHAINCTL" sync reconcile
echo
echo "== the province workbook (a sheet per record type, the category on every row)"
"$CHAINCTL" sync export --format=xlsx --list=2026 --out="$RUN_DIR/province-2026.xlsx"
"$CHAINCTL" sync export --format=xlsx --list=2021 --out="$RUN_DIR/province-2021.xlsx"

# Enterprise support (企业服务: 包保, 企业诉求, 惠企政策, 多链协同, 本地配套, 规划). Started after the
# registry is seeded: its first start copies the registry's enterprises (after it listens; a
# restart keeps its copy and follows the events), and a published plan's targets go to assessment
# and its tasks to intake. Its sample data (data/support/) is synthetic but for the calendar.
SUPPORT_COPIED=""
if [ -s "$RUN_DIR/data/support.db" ]; then SUPPORT_COPIED=yes; fi
echo "== starting chainhub-support" >&2
"$SUPPORT" --listen="$SUPPORT_LISTEN" --data_dir="$RUN_DIR/data" --redis="127.0.0.1:$REDIS_PORT" \
  --jwt_secret_file="$RUN_DIR/jwt_secret" --metrics_listen="$SUPPORT_METRICS" \
  --registry_target="$TARGET" --assessment_target="$ASSESSMENT_TARGET" \
  --intake_target="$INTAKE_TARGET" \
  >"$RUN_DIR/support.out" 2>"$RUN_DIR/logs/support.log" &
echo $! > "$RUN_DIR/support.pid"
SUPPORT_TARGET="$(wait_listening support)"
export CHAINHUB_SUPPORT_TARGET="$SUPPORT_TARGET"
"$CHAINCTL" --target="$SUPPORT_TARGET" health >/dev/null
# Requests, claims and spend name enterprises of the copy: wait up to 30 s for a first start's
# "support backfilled" log line (a restart on this .run/ has its copy already).
for _ in $(seq 1 300); do
  [ -n "$SUPPORT_COPIED" ] && break
  if grep -q '"support backfilled"' "$RUN_DIR/logs/support.log"; then SUPPORT_COPIED=yes; break; fi
  kill -0 "$(cat "$RUN_DIR/support.pid")" 2>/dev/null || break
  sleep 0.1
done
if [ -z "$SUPPORT_COPIED" ]; then
  echo "error: chainhub-support did not copy the registry's enterprises; its log:" >&2
  tail -n 20 "$RUN_DIR/logs/support.log" >&2
  exit 1
fi

# The demonstration's support figures are taken on the same day as its lights, so that they read
# the same whatever the day of the run (the requests' deadlines are real: see below).
SUPPORT_AS_OF="$LIGHT_DATE"
echo
echo "== support: calendar, deadline rules, 包保, requests, policy, payouts, chain lists, spend,"
echo "   the PV action plan (data/support/: SYNTHETIC but for the holiday calendar)"
"$CHAINCTL" calendar put "$ROOT/data/support/calendar-cn.csv"
"$CHAINCTL" deadline-rules put "$ROOT/data/support/deadline-rules.yaml"
"$CHAINCTL" assignments apply "$ROOT/data/support/assignments.yaml" | tail -n1
# Requests dated in September to November 2026 are imported with their acceptance times, so the
# deadlines they have passed are escalated at once; the undated ones are accepted now.
"$CHAINCTL" requests import "$ROOT/data/support/requests.csv"
# The policy's id is the service's: its items' file names it by a placeholder, filled in here.
applied="$("$CHAINCTL" policies apply "$ROOT/data/support/pv-policy.yaml")"
POLICY="$(printf '%s\n' "$applied" |
  sed -n 's/^\(created\|unchanged\) *\(policies\/[^ ]*\)$/\2/p' | head -n1)"
if [ -z "$POLICY" ]; then
  echo "error: the sample policy (data/support/pv-policy.yaml) was not applied: $applied" >&2
  exit 1
fi
echo "$applied"
sed "s#policies/replace-with-policy-id#$POLICY#g" "$ROOT/data/support/policy-items.csv" \
  > "$RUN_DIR/policy-items.csv"
"$CHAINCTL" items import "$RUN_DIR/policy-items.csv"
AUTOMATIC_ITEM="$POLICY/items/specialized-award"
"$CHAINCTL" items payouts "$AUTOMATIC_ITEM" --as_of="$SUPPORT_AS_OF" > "$RUN_DIR/payouts.txt"
echo "payouts: $(head -n1 "$RUN_DIR/payouts.txt")"
"$CHAINCTL" entries apply pv "$ROOT/data/support/chain-entries.yaml" | tail -n1
"$CHAINCTL" spend import "$ROOT/data/support/supplier-spend.csv"
applied="$("$CHAINCTL" plans apply pv "$ROOT/data/support/pv-action-plan.yaml")"
echo "$applied"
PLAN="$(printf '%s\n' "$applied" |
  sed -n 's/^\(created\|updated\|unchanged\) *\(chains\/pv\/plans\/[^ ]*\) .*/\2/p' | head -n1)"
if [ -z "$PLAN" ]; then
  echo "error: the PV action plan (data/support/pv-action-plan.yaml) was not applied" >&2
  exit 1
fi
published="$("$CHAINCTL" plans publish "$PLAN")"
echo "published $PLAN $(printf '%s\n' "$published" | sed -n 's/^版本 *//p'):" \
  "$(printf '%s\n' "$published" | grep -c '^ *indicators/' || true) targets set in assessment," \
  "$(printf '%s\n' "$published" | grep -c ' tasks/' || true) tasks in intake"
# Its tasks are intake tasks now: those already past their deadline get today's reminder.
reminded="$("$CHAINCTL" issues remind)"
echo "${reminded%%$'\n'*}"
# The plan's actuals for 2026 as of 2026-Q3, from the data: output the sum of the reported
# quarters (data/assessment/values.csv), the 链主 and 百亿级 firms the registry holds, and the local
# suppliers and 本地配套率 of the chain owners' spend (2026-Q2, the latest reported); the task
# percentages are synthetic.
OUTPUT_2026="$(awk -F, '$1 == "chains/pv" && $2 == "indicators/output" && $3 ~ /^2026-Q[123]$/ \
  { s += $4 } END { printf "%.2f", s }' "$ROOT/data/assessment/values.csv")"
count_pv() {
  "$CHAINCTL" --output=json enterprises list --filter="chain = \"pv\" AND $1" --all |
    grep -c '"name": "enterprises/' || true
}
RATE_JSON="$("$CHAINCTL" --output=json spend rate --chain=pv --period=2026-Q2)"
LOCAL_RATE="$(printf '%s\n' "$RATE_JSON" | sed -n 's/^ *"rate": \([0-9.e+-]*\).*/\1/p' | head -n1)"
LOCAL_RATE="$(LC_ALL=C printf '%.3f' "${LOCAL_RATE:-0}")"
LOCAL_SUPPLIERS="$(printf '%s\n' "$RATE_JSON" |
  sed -n 's/^ *"localSuppliers": "\([0-9]*\)".*/\1/p' | head -n1)"
"$CHAINCTL" plans report "$PLAN" --period=2026-Q3 --actual=output="$OUTPUT_2026" \
  --actual=chain_owner_firms="$(count_pv 'label = "CHAIN_OWNER"')" \
  --actual=firms_over_10b="$(count_pv 'annual_output_yuan >= 10000000000')" \
  --actual=core_suppliers="${LOCAL_SUPPLIERS:-0}" \
  --actual=local_supporting_rate="$LOCAL_RATE" \
  --task=1:30 --task=2:40 --task=3:60 --task=4:80 --task=5:20 --task=6:50 \
  --note="样例进度（合成数据）：截至2026年第三季度" >/dev/null
echo "plan progress: reported for 2026-Q3 (output $OUTPUT_2026 亿元, 本地配套率 $LOCAL_RATE)"

echo
echo "== 光伏 本地配套率 (local supporting rate, ComputeLocalRate): chains/pv, 2026-Q2, in the city"
"$CHAINCTL" spend rate --chain=pv --period=2026-Q2
echo
echo "== 光伏 three-year action plan: progress as of $SUPPORT_AS_OF ($PLAN)"
"$CHAINCTL" plans progress "$PLAN" --as_of="$SUPPORT_AS_OF"
echo
echo "== overdue enterprise requests (逾期诉求, today)"
"$CHAINCTL" requests list --overdue --order_by=close_deadline
echo
echo "== 免申即享 payout list: $AUTOMATIC_ITEM (as of $SUPPORT_AS_OF)"
cat "$RUN_DIR/payouts.txt"

if [ "$MODE" = "once" ]; then
  "$CHAINCTL" health >/dev/null
  chains="$("$CHAINCTL" --output=json chains list | grep -c '"name": "chains/' || true)"
  if [ "$chains" -lt 8 ]; then
    echo "error: expected the 8 Chuzhou chains, listed $chains" >&2
    exit 1
  fi
  "$CHAINCTL" seed --data="$ROOT/data" >/dev/null  # a second seed is a no-op, not an error
  "$CHAINCTL" --target="$INTAKE_TARGET" health >/dev/null
  projects="$("$CHAINCTL" --output=json projects list --page_size=1 |
    sed -n 's/^ *"totalSize": \([0-9]*\).*/\1/p')"
  expected="$(($(wc -l < "$ROOT/data/projects.csv") - 1))"
  if [ "${projects:-0}" -ne "$expected" ]; then
    echo "error: expected $expected projects in intake, listed ${projects:-0}" >&2
    exit 1
  fi
  # A second import of the same file changes nothing (rows are upserted by external_id).
  again="$("$CHAINCTL" projects import "$ROOT/data/projects.csv" 2>/dev/null)"
  case "$again" in
    *" 0 created, 0 updated, $expected unchanged, 0 failed"*) ;;
    *) echo "error: a second import was not a no-op: $again" >&2; exit 1 ;;
  esac
  overdue="$("$CHAINCTL" --output=json issues list --overdue | grep -c '"name": "issues/' || true)"
  if [ "$overdue" -lt 1 ]; then
    echo "error: expected an overdue issue, listed $overdue" >&2
    exit 1
  fi
  ranked="$(grep -c '^ *"subject": "chains/' "$RUN_DIR/run-2026-Q3.json" || true)"
  if [ "$ranked" -ne 8 ]; then
    echo "error: expected the 8 chains ranked in $RUN, got $ranked" >&2
    exit 1
  fi
  graded="$(grep -c '^ *"grade": "GRADE_' "$RUN_DIR/run-2026-Q3.json" || true)"
  if [ "$graded" -ne 8 ]; then
    echo "error: expected 8 grades in $RUN, got $graded" >&2
    exit 1
  fi
  bars="$(grep -o 'class="bar"' "$RUN_DIR/assessment-2026-Q3.svg" | wc -l)"
  if [ "$bars" -ne 8 ] || [ ! -s "$RUN_DIR/assessment-2026-Q3.xlsx" ]; then
    echo "error: expected an XLSX and an SVG of 8 bars, got $bars bars" >&2
    exit 1
  fi
  # Applying the assessment data again changes nothing.
  again="$("$CHAINCTL" values import "$ROOT/data/assessment/values.csv")"
  case "$again" in
    *" 0 reported, "*" unchanged, 0 failed"*) ;;
    *) echo "error: a second values import was not a no-op: $again" >&2; exit 1 ;;
  esac
  again="$("$CHAINCTL" schemes apply "$ROOT/data/assessment/scheme-2026.yaml")"
  case "$again" in
    *": unchanged, version 1") ;;
    *) echo "error: a second scheme apply was not a no-op: $again" >&2; exit 1 ;;
  esac
  # Every red light became an alert to its department and chain office (the rule runs on the
  # event stream, so give it a moment to catch up).
  reds="$("$CHAINCTL" --output=json projects list --filter='light = "RED"' --all |
    grep -c '"name": "projects/' || true)"
  alerts=0
  for _ in $(seq 1 100); do
    alerts="$("$CHAINCTL" --output=json notices list --filter='sender = "subscriptions/red-light"' \
      --all | grep -c '"name": "notices/' || true)"
    [ "$alerts" -ge "$reds" ] && break
    sleep 0.2
  done
  if [ "$reds" -eq 0 ] || [ "$alerts" -lt "$reds" ]; then
    echo "error: $reds red-light projects but $alerts red-light alerts" >&2
    exit 1
  fi
  # Every overdue item's owner got today's reminder, and a second pass the same day sends none.
  reminders=0
  for _ in $(seq 1 100); do
    reminders="$("$CHAINCTL" --output=json notices list \
      --filter='sender = "subscriptions/overdue-item"' --all | grep -c '"name": "notices/' || true)"
    [ "$reminders" -ge "$overdue" ] && break
    sleep 0.2
  done
  if [ "$reminders" -lt "$overdue" ]; then
    echo "error: $overdue overdue items but $reminders reminders" >&2
    exit 1
  fi
  case "$("$CHAINCTL" issues remind)" in
    "reminded 0 overdue item(s) on "*) ;;
    *) echo "error: a second reminder pass on one day reminded again" >&2; exit 1 ;;
  esac
  # Sending the same letter again is a retry: the same notice, still one signature.
  again="$(send_supervision --output=json)"
  case "$again" in
    *"\"name\": \"$NOTICE\""*) ;;
    *) echo "error: a second send made another notice: $again" >&2; exit 1 ;;
  esac
  signed="$("$CHAINCTL" --token="$PV_OFFICE_TOKEN" --output=json notices show "$NOTICE")"
  case "$signed" in
    *"\"acknowledgedCount\": 1"*) ;;
    *) echo "error: expected one signature on $NOTICE: $signed" >&2; exit 1 ;;
  esac
  # Every project is a record of the list of its date: the two lists' project records add up to
  # the library, and the receiver holds exactly sync's records.
  synced=0
  for list in 2021 2026; do
    n="$("$CHAINCTL" sync snapshot --list="$list" --type=project --out="$RUN_DIR/snapshot-$list.jsonl" |
      sed -n 's/^wrote .*: \([0-9]*\) records of list.*/\1/p')"
    synced=$((synced + ${n:-0}))
  done
  if [ "$synced" -ne "$expected" ]; then
    echo "error: expected the $expected projects in the province's lists, found $synced" >&2
    exit 1
  fi
  case "$("$CHAINCTL" sync reconcile)" in
    *"consistent: the receiver holds exactly sync's records"*) ;;
    *) echo "error: the receiver does not hold exactly sync's records" >&2; exit 1 ;;
  esac
  if [ ! -s "$RUN_DIR/province-2026.xlsx" ]; then
    echo "error: no province workbook" >&2
    exit 1
  fi
  # Support: the requests dated in the past are overdue, the payout list has claims, the rate is the
  # one docs/support/local-rate.md states, and loading every sample file again changes nothing.
  overdue_requests="$("$CHAINCTL" --output=json requests list --overdue --all |
    grep -c '"name": "requests/' || true)"
  if [ "$overdue_requests" -lt 1 ]; then
    echo "error: expected overdue requests (data/support/requests.csv is dated in 2026), listed" \
      "$overdue_requests" >&2
    exit 1
  fi
  payees="$("$CHAINCTL" --output=json claims list "$AUTOMATIC_ITEM" --filter='state = "APPROVED"' \
    --all | grep -c '"name": "policies/' || true)"
  if [ "$payees" -lt 1 ]; then
    echo "error: expected claims on the payout list of $AUTOMATIC_ITEM, listed $payees" >&2
    exit 1
  fi
  case "$("$CHAINCTL" spend rate --chain=pv --period=2026-Q2)" in
    *"28.7%"*) ;;
    *) echo "error: expected the PV chain's 本地配套率 of 28.7% (docs/support/local-rate.md)" >&2
       exit 1 ;;
  esac
  again_support() {  # again_support WANT COMMAND…: COMMAND's output must contain WANT
    local want="$1" got
    shift
    got="$("$CHAINCTL" "$@" 2>&1)" || true
    case "$got" in
      *"$want"*) ;;
      *) echo "error: a second 'chainctl $*' was not a no-op: $got" >&2; exit 1 ;;
    esac
  }
  again_support "unchanged" calendar put "$ROOT/data/support/calendar-cn.csv"
  again_support "unchanged" deadline-rules put "$ROOT/data/support/deadline-rules.yaml"
  again_support " 0 created, 0 updated, " assignments apply "$ROOT/data/support/assignments.yaml"
  again_support " 0 created, " requests import "$ROOT/data/support/requests.csv"
  again_support "unchanged $POLICY" policies apply "$ROOT/data/support/pv-policy.yaml"
  again_support " 0 created, " items import "$RUN_DIR/policy-items.csv"
  again_support " 0 created, 0 updated, " entries apply pv "$ROOT/data/support/chain-entries.yaml"
  again_support " 0 created, " spend import "$ROOT/data/support/supplier-spend.csv"
  again_support "unchanged $PLAN v1" plans apply pv "$ROOT/data/support/pv-action-plan.yaml"
  echo "main job ok: registry at $TARGET seeded, map and gaps printed; intake at $INTAKE_TARGET" \
    "holds $projects projects with progress, lights, issues and summaries; assessment at" \
    "$ASSESSMENT_TARGET ranked the $ranked chains for 2026-Q3 ($RUN, replayed to the same digest);" \
    "notify at $NOTIFY_TARGET turned $reds red lights into $alerts alerts and $overdue overdue items" \
    "into $reminders reminders, delivered $NOTICE and" \
    "took its first signature; sync at $SYNC_TARGET pushed the $synced projects with the chains," \
    "enterprises and progress to the receiver at $PROVINCE_TARGET, which reconciles exactly;" \
    "support at $SUPPORT_TARGET holds $overdue_requests overdue requests, $payees 免申即享 claims" \
    "on $AUTOMATIC_ITEM and the published PV plan $PLAN, and loading its data again changed" \
    "nothing" >&2
  exit 0
fi

cat <<MSG

== chainhub is serving
  registry (gRPC)   $TARGET
  intake (gRPC)     $INTAKE_TARGET
  assessment (gRPC) $ASSESSMENT_TARGET
  notify (gRPC)     $NOTIFY_TARGET
  sync (gRPC)       $SYNC_TARGET
  province (gRPC)   $PROVINCE_TARGET (the reference provincial receiver)
  support (gRPC)    $SUPPORT_TARGET
  metrics           http://$METRICS/metrics (registry), http://$INTAKE_METRICS/metrics (intake),
                    http://$ASSESSMENT_METRICS/metrics (assessment), http://$NOTIFY_METRICS/metrics (notify),
                    http://$SYNC_METRICS/metrics (sync), http://$PROVINCE_METRICS/metrics (province),
                    http://$SUPPORT_METRICS/metrics (support)
  redis             127.0.0.1:$REDIS_PORT
  data and logs     $RUN_DIR (logs/registry.log, logs/intake.log, logs/assessment.log, logs/notify.log,
                    logs/sync.log, logs/province.log, logs/support.log: one JSON line per RPC)
  2026-Q3 ranking   $RUN_DIR/assessment-2026-Q3.xlsx, $RUN_DIR/assessment-2026-Q3.svg
  province workbook $RUN_DIR/province-2026.xlsx, $RUN_DIR/province-2021.xlsx

Call it (an admin token is in $RUN_DIR/admin.token; mint others with chainctl token mint):
  export CHAINHUB_TARGET=$TARGET CHAINHUB_INTAKE_TARGET=$INTAKE_TARGET \\
    CHAINHUB_ASSESSMENT_TARGET=$ASSESSMENT_TARGET CHAINHUB_NOTIFY_TARGET=$NOTIFY_TARGET \\
    CHAINHUB_SYNC_TARGET=$SYNC_TARGET CHAINHUB_SUPPORT_TARGET=$SUPPORT_TARGET \\
    CHAINHUB_TOKEN=\$(cat $RUN_DIR/admin.token)
  $CHAINCTL chains list
  $CHAINCTL map semiconductor
  $CHAINCTL enterprises list --filter='chain = "pv" AND label = "SPECIALIZED"'
  $CHAINCTL province resolve chains/nev-battery --date=2025-06-30
  grpcurl -plaintext -H "authorization: Bearer \$CHAINHUB_TOKEN" -d '{"name":"chains/pv"}' \\
      $TARGET chainhub.registry.v1.ChainRegistry/GetChainMap
Intake (产业项目库, 问题清单, 红黄绿灯):
  $CHAINCTL projects list --filter='chain = "pv" AND light = "RED"'
  $CHAINCTL projects get CZXM-PV-0003
  $CHAINCTL projects history CZXM-PV-0003
  $CHAINCTL summary nev-battery --period=2026-Q3
  $CHAINCTL issues list --overdue
  grpcurl -plaintext -H "authorization: Bearer \$CHAINHUB_TOKEN" -d '{"chain":"chains/pv","period":"2026"}' \\
      $INTAKE_TARGET chainhub.intake.v1.ProjectIntake/SummarizeProjects
Assessment (考核):
  $CHAINCTL runs list --scheme=chain-2026
  $CHAINCTL runs show $RUN
  $CHAINCTL runs explain $RUN $FIRST_CHAIN $FIRST_ITEM
  $CHAINCTL schemes show chain-2026
  $CHAINCTL values list --subject=pv --history
Notify (通知, 督办, 签收):
  $CHAINCTL notices show $NOTICE
  $CHAINCTL --token=\$($CHAINCTL token mint --secret_file=$RUN_DIR/jwt_secret --sub=departments/fgw \\
      --roles=department) inbox list
Province sync (省十大产业链对接):
  $CHAINCTL sync status
  $CHAINCTL sync watch --from_now
  $CHAINCTL sync reconcile --list=2026
  $CHAINCTL sync export --format=csv --type=project --list=2026
Support (包保, 企业诉求, 惠企政策, 多链协同, 本地配套率, 规划):
  $CHAINCTL assignments list --overdue
  $CHAINCTL requests list --overdue
  $CHAINCTL requests figures --period=2026 --by=department
  $CHAINCTL items match $POLICY/items/module-upgrade --as_of=$SUPPORT_AS_OF
  $CHAINCTL payouts figures --year=2026 --as_of=$SUPPORT_AS_OF
  $CHAINCTL entries list --chain=pv
  $CHAINCTL spend rate --chain=pv --period=2026-Q2 --scope=province
  $CHAINCTL plans progress $PLAN
More: docs/api.md, docs/assessment.md, docs/notify.md, docs/province-sync.md, docs/support.md. Stop with
Ctrl-C (or scripts/run.sh stop from another terminal).
MSG
wait "$(cat "$RUN_DIR/registry.pid")" "$(cat "$RUN_DIR/intake.pid")" "$(cat "$RUN_DIR/assessment.pid")" \
  "$(cat "$RUN_DIR/notify.pid")" "$(cat "$RUN_DIR/sync.pid")" "$(cat "$RUN_DIR/province.pid")" \
  "$(cat "$RUN_DIR/support.pid")"
