#!/bin/sh
# Mixed workload against the server as `make run` starts it (`make serve`), with Locust.
#
# Usage: sh bench/load/run.sh sqlite
#        sh bench/load/run.sh postgresql+psycopg://postgres@127.0.0.1:5433/jalon_bench
# Environment: USERS (50), SPAWN_RATE (10), DURATION (2m: measured from the last sign-in;
# Locust runs SIGN_IN seconds more, one per person by default, for everybody to sign in),
# EXPORT=1 (an XLSX export every EXPORT_PAUSE seconds, 2, in the background), WORKERS and
# THREADS (as `make run`), PORT (8770), README=0 (print the figures, leave
# bench/load/README.md alone).
# The PostgreSQL database's `public` schema is dropped and created again: give a database
# that holds nothing else. Databases, logs and CSV files go to a temporary folder (kept).
set -eu
TARGET=${1:?"usage: sh bench/load/run.sh sqlite | postgresql+psycopg://USER@HOST:PORT/DATABASE"}
cd "$(dirname "$0")/../.."
USERS=${USERS:-50} SPAWN_RATE=${SPAWN_RATE:-10} DURATION=${DURATION:-2m} PORT=${PORT:-8770}
case "$DURATION" in
*m) SECONDS_RUN=$((${DURATION%m} * 60)) ;;
*s) SECONDS_RUN=${DURATION%s} ;;
*) SECONDS_RUN=$DURATION ;;
esac
SECONDS_RUN=$((SECONDS_RUN + ${SIGN_IN:-$USERS}))
WORK=$(mktemp -d /tmp/jalon-load.XXXXXX)
BIN=.venv/bin
[ -x "$BIN/locust" ] || { echo "locust missing: $BIN/pip install -e '.[test,bench]'" >&2; exit 1; }

case "$TARGET" in
sqlite)
  DATABASE_URL="sqlite:///$WORK/jalon.db" LABEL=SQLite ;;
postgres*)
  DATABASE_URL="$TARGET" LABEL=PostgreSQL
  "$BIN/python" - "$TARGET" <<'EOF'
import sys

from sqlalchemy import create_engine, text

with create_engine(sys.argv[1]).begin() as connection:
    connection.execute(text("DROP SCHEMA public CASCADE"))
    connection.execute(text("CREATE SCHEMA public"))
EOF
  ;;
*)
  echo "unknown database: $TARGET" >&2; exit 2 ;;
esac
LABEL="$LABEL, $USERS people${EXPORT:+, XLSX export looping}"
export DATABASE_URL JALON_DATA_DIR="$WORK/data" SECRET_KEY=bench-load
echo "== $LABEL: building the database in $WORK"
"$BIN/jalon" db upgrade >"$WORK/setup.log" 2>&1
"$BIN/jalon" demo seed >>"$WORK/setup.log" 2>&1
"$BIN/python" -m bench.load.seed "$WORK/load.json" 2>>"$WORK/setup.log"

# The server in a session of its own (setsid), so that the whole of it stops at the end;
# setsid may fork, so the session's leader says who it is.
setsid sh -c 'echo $$ >"$1"; shift; exec "$@"' _ "$WORK/server.sid" \
  make -s serve PORT="$PORT" ACCESS_LOG="$WORK/access.log" >"$WORK/server.log" 2>&1 &
LOOP="" SERVER=""
stop() {
  kill $LOOP 2>/dev/null || :
  [ -n "$SERVER" ] || return 0
  /bin/kill -s TERM -- -"$SERVER" 2>/dev/null || :  # the session's group (dash's kill cannot)
  while kill -0 "$SERVER" 2>/dev/null; do sleep 0.2; done  # make leaves after gunicorn
}
trap stop EXIT
until [ -s "$WORK/server.sid" ]; do sleep 0.1; done
SERVER=$(cat "$WORK/server.sid")
URL="http://127.0.0.1:$PORT"
until curl -sf "$URL/healthz" >/dev/null; do
  kill -0 "$SERVER" 2>/dev/null || { cat "$WORK/server.log"; exit 1; }
  sleep 1
done

if [ -n "${EXPORT:-}" ]; then
  # The PMO downloads the training matrix and the monthly status report, in turn.
  TOKEN=$(curl -sf -H 'Content-Type: application/json' "$URL/api/v1/auth/token" \
    -d '{"username": "pmo", "password": "jalon-demo", "name": "exports"}' |
    "$BIN/python" -c 'import json, sys; print(json.load(sys.stdin)["token"])')
  (
    while :; do
      for path in /api/v1/training/exports/matrix.xlsx /api/v1/reports/status.xlsx; do
        curl -s -o /dev/null -w "%{http_code} %{time_total} $path\n" \
          -H "Authorization: Bearer $TOKEN" "$URL$path" >>"$WORK/exports.txt"
        sleep "${EXPORT_PAUSE:-2}"
      done
    done
  ) &
  LOOP=$!
fi

echo "== locust: $USERS people, ${SECONDS_RUN}s (load: $(uptime | sed 's/.*load average: //'))"
LOAD_DATA="$WORK/load.json" LOAD_KINDS="$WORK/kinds.json" LOAD_USERS="$USERS" "$BIN/locust" \
  -f bench/load/locustfile.py --headless -u "$USERS" -r "$SPAWN_RATE" -t "${SECONDS_RUN}s" \
  --processes 1 --reset-stats --host "$URL" --csv "$WORK/locust" --only-summary >"$WORK/locust.log" 2>&1 ||
  echo "(locust exited with $?: failures; see $WORK/locust.log)"
[ -z "$LOOP" ] || { kill "$LOOP" && wait "$LOOP" 2>/dev/null || :; LOOP=""; }
tail -n 40 "$WORK/locust.log"

# The workers: the gunicorn processes of the server's session whose parent is gunicorn too.
ps -o pid=,ppid=,rss=,args= -s "$SERVER" | awk '/gunicorn/ { parent[$1] = $2; rss[$1] = $3 }
  END { for (pid in parent) if (parent[pid] in parent) print rss[pid] }' >"$WORK/rss.txt"
NOTE="commit $(git rev-parse --short HEAD), ${WORKERS:-2} workers x ${THREADS:-4} threads, load average $(cut -d' ' -f1-3 /proc/loadavg)"
README_ARG=""
[ "${README:-1}" = 0 ] || README_ARG="--readme bench/load/README.md"
echo "== figures"
# shellcheck disable=SC2086
"$BIN/python" -m bench.load.report "$WORK" "$LABEL" --note "$NOTE" $README_ARG
echo "== run files: $WORK"
