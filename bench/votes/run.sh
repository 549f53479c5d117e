#!/bin/sh
# Vote endpoint vs /healthz on the same gunicorn (4 sync workers, SQLite), measured with wrk.
set -eu
cd "$(dirname "$0")/../.."
WORK=$(mktemp -d)
export DATABASE_URL="sqlite:///$WORK/bench.db" SECRET_KEY=bench JALON_DATA_DIR="$WORK/data"
export JALON_WORKFLOWS_DIR="$WORK/workflows"
mkdir -p "$JALON_WORKFLOWS_DIR" && cp workflows/definitions/*.yaml bench/votes/bench.yaml "$JALON_WORKFLOWS_DIR"
.venv/bin/python bench/votes/setup.py "${REVIEWS:-300}" "${VOTERS:-200}"
# FLOOR=1: votes answered by a stub that touches no database (bench/votes/floor.py).
CONFIG=${FLOOR:+-c bench/votes/floor.py}
.venv/bin/gunicorn -w "${WORKERS:-4}" -k sync --no-control-socket -b 127.0.0.1:8765 $CONFIG wsgi:app \
  --log-level warning & PID=$!
trap 'kill $PID; wait $PID 2>/dev/null; rm -rf "$WORK"' EXIT  # let in-flight requests finish first
until curl -sf http://127.0.0.1:8765/healthz >/dev/null; do sleep 1; done
# Warm every worker (app creation, index checks) before measuring.
wrk -t2 -c16 -d5s http://127.0.0.1:8765/healthz >/dev/null
# Shared hosts drift (their other tenants): /healthz and the votes alternate, ROUNDS times each,
# DURATION each, so both see the same drift; each round votes on its own slice of the pairs.
DURATION=${DURATION:-5s} ROUNDS=${ROUNDS:-4}
# The workers' CPU time (user, sys: /proc/PID/stat, in clock ticks) and context switches
# (voluntary: waiting, for a lock or the socket; involuntary: preempted), summed over them.
workers_counters() {
  for worker in $(pgrep -P $PID); do
    echo "$(cut -d' ' -f14,15 "/proc/$worker/stat")" \
      "$(awk '/^(non)?voluntary_ctxt_switches/ {printf "%s ", $2}' "/proc/$worker/status")"
  done | awk '{u += $1; s += $2; v += $3; n += $4} END {print u, s, v, n}'
}
# wrk's report, saved in $WORK/$1; CPU=1: then what the workers spent per request.
measure() {
  out="$WORK/$1"; shift
  before=$(workers_counters)
  wrk -t2 -c16 -d"$DURATION" "$@" | tee "$out"
  [ -z "${CPU:-}" ] && return
  echo "$before $(workers_counters) $(awk '/requests in/ {print $1}' "$out")" |
    awk -v hz="$(getconf CLK_TCK)" '{r = $9; printf "  workers per request: user %.0f us," \
      " sys %.0f us, %.2f voluntary and %.2f involuntary context switches\n",
      ($5 - $1) * 1e6 / hz / r, ($6 - $2) * 1e6 / hz / r, ($7 - $3) / r, ($8 - $4) / r}'
}
round=0
while [ "$round" -lt "$ROUNDS" ]; do
  echo "== round $((round + 1)) of $ROUNDS: GET /healthz"
  measure "hello.$round" http://127.0.0.1:8765/healthz
  echo "== round $((round + 1)) of $ROUNDS: POST /api/v1/gate-reviews/{id}/votes${FLOOR:+ (vote service stubbed: the floor)}"
  measure "votes.$round" -s bench/votes/votes.lua http://127.0.0.1:8765/ -- 2 "$round" "$ROUNDS"
  round=$((round + 1))
done
# Each round's ratio, and the rounds' together: all votes/s over all hello/s.
for round in $(seq 0 $((ROUNDS - 1))); do
  awk '/Requests\/sec/ {printf "%s ", $2} END {print ""}' "$WORK/hello.$round" "$WORK/votes.$round"
done | awk '{h += $1; v += $2; printf "%s%.1f %%", (NR > 1 ? ", " : ""), $2 / $1 * 100}
  END {printf " ==> votes/s at %.1f %% of hello/s over the %d rounds (%.0f / %.0f)\n",
       v / h * 100, NR, v / NR, h / NR}' | sed 's/^/== ratio per round: /'
# A few more votes than wrk's "requests in" (those in flight when it stopped counting), never
# fewer; wrk prints "Non-2xx" if any vote was refused.
echo "== votes in the database: $(.venv/bin/python -c 'import sqlite3, sys
print(sqlite3.connect(sys.argv[1]).execute("SELECT count(*) FROM votes").fetchone()[0])' "$WORK/bench.db")"
# The brief's memory target: < 150 MB RSS per worker after the benchmarks.
echo "== worker RSS after the runs (MB)"
for worker in $(pgrep -P $PID); do echo "worker $worker: $(( $(ps -o rss= -p "$worker") / 1024 ))"; done
