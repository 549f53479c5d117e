#!/bin/sh
# Vote endpoint vs /healthz on the same gunicorn (4 sync workers, SQLite), measured with wrk.
set -eu
cd "$(dirname "$0")/../.."
WORK=$(mktemp -d)
export DATABASE_URL="sqlite:///$WORK/bench.db" SECRET_KEY=bench JALON_DATA_DIR="$WORK/data"
export JALON_WORKFLOWS_DIR="$WORK/workflows"
mkdir -p "$JALON_WORKFLOWS_DIR" && cp workflows/definitions/*.yaml bench/votes/bench.yaml "$JALON_WORKFLOWS_DIR"
.venv/bin/python bench/votes/setup.py "${REVIEWS:-200}" "${VOTERS:-200}"
# FLOOR=1: votes answered by a stub that touches no database (bench/votes/floor.py).
CONFIG=${FLOOR:+-c bench/votes/floor.py}
.venv/bin/gunicorn -w "${WORKERS:-4}" -k sync --no-control-socket -b 127.0.0.1:8765 $CONFIG wsgi:app \
  --log-level warning & PID=$!
trap 'kill $PID; wait $PID 2>/dev/null; rm -rf "$WORK"' EXIT  # let in-flight requests finish first
until curl -sf http://127.0.0.1:8765/healthz >/dev/null; do sleep 1; done
# Warm every worker (app creation, index checks) before measuring.
wrk -t2 -c16 -d5s http://127.0.0.1:8765/healthz >/dev/null
DURATION=${DURATION:-10s}
echo "== GET /healthz"; wrk -t2 -c16 -d"$DURATION" http://127.0.0.1:8765/healthz
echo "== POST /api/v1/gate-reviews/{id}/votes${FLOOR:+ (vote service stubbed: the floor)}"
wrk -t2 -c16 -d"$DURATION" -s bench/votes/votes.lua http://127.0.0.1:8765/
# A few more votes than wrk's "requests in" (those in flight when it stopped counting), never
# fewer; wrk prints "Non-2xx" if any vote was refused.
echo "== votes in the database: $(.venv/bin/python -c 'import sqlite3, sys
print(sqlite3.connect(sys.argv[1]).execute("SELECT count(*) FROM votes").fetchone()[0])' "$WORK/bench.db")"
# The brief's memory target: < 150 MB RSS per worker after the benchmarks.
echo "== worker RSS after the runs (MB)"
for worker in $(pgrep -P $PID); do echo "worker $worker: $(( $(ps -o rss= -p "$worker") / 1024 ))"; done
