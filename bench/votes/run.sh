#!/bin/sh
# Vote endpoint vs /healthz on the same gunicorn (4 sync workers, SQLite), measured with wrk.
#
# Usage: sh bench/votes/run.sh [TREE ...]   (default: this checkout)
# With several trees (checkouts or `git worktree`s, each with a .venv), each tree gets its own
# database and server, and every round measures them all, in reverse order every other round:
# the trees compared see the same drift of the machine.
set -eu
for tree in "$@"; do  # as absolute paths, before leaving the caller's directory
  shift
  set -- "$@" "$(cd "$tree" && pwd)"
done
cd "$(dirname "$0")/../.."
HERE=$(pwd)
[ $# -gt 0 ] || set -- "$HERE"
WORK=$(mktemp -d)
PIDS=""
trap 'kill $PIDS 2>/dev/null || :; wait; rm -rf "$WORK"' EXIT  # let in-flight requests finish first
# Shared hosts drift (their other tenants): /healthz and the votes alternate, ROUNDS times each,
# DURATION each, so both see the same drift; each round votes on its own slice of the pairs.
DURATION=${DURATION:-5s} ROUNDS=${ROUNDS:-4}

# start_server N TREE: tree N's database (setup.py: open reviews, gatekeepers and their tokens
# in $WORK/N/data.lua for votes.lua) and its gunicorn on port 8765 + N.
# FLOOR=1: votes answered by a stub that touches no database (bench/votes/floor.py).
start_server() {
  dir="$WORK/$1"
  mkdir -p "$dir/workflows"
  cp "$2"/workflows/definitions/*.yaml "$HERE/bench/votes/bench.yaml" "$dir/workflows"
  (
    cd "$2"
    export DATABASE_URL="sqlite:///$dir/bench.db" SECRET_KEY=bench JALON_DATA_DIR="$dir/data"
    export JALON_WORKFLOWS_DIR="$dir/workflows"
    PYTHONPATH="$2" .venv/bin/python "$HERE/bench/votes/setup.py" \
      "${REVIEWS:-300}" "${VOTERS:-200}" "$dir/data.lua"
    exec .venv/bin/gunicorn -w "${WORKERS:-4}" -k sync --no-control-socket \
      -b "127.0.0.1:$((8765 + $1))" ${FLOOR:+-c "$HERE/bench/votes/floor.py"} wsgi:app \
      --log-level warning
  ) &
  echo $! >"$dir/pid"
  PIDS="$PIDS $!"
}
n=0
for tree in "$@"; do
  n=$((n + 1))
  start_server "$n" "$tree"
  until curl -sf "http://127.0.0.1:$((8765 + n))/healthz" >/dev/null; do sleep 1; done
  # Warm every worker (app creation, index checks) before measuring.
  wrk -t2 -c16 -d5s "http://127.0.0.1:$((8765 + n))/healthz" >/dev/null
done

# The workers' CPU time (user, sys: /proc/PID/stat, in clock ticks) and context switches
# (voluntary: waiting, for a lock or the socket; involuntary: preempted), summed over them.
workers_counters() {
  for worker in $(pgrep -P "$1"); do
    echo "$(cut -d' ' -f14,15 "/proc/$worker/stat")" \
      "$(awk '/^(non)?voluntary_ctxt_switches/ {printf "%s ", $2}' "/proc/$worker/status")"
  done | awk '{u += $1; s += $2; v += $3; n += $4} END {print u, s, v, n}'
}
# measure N FILE WRK-ARGS...: wrk's report, saved in $WORK/N/FILE; CPU=1: then what tree N's
# workers spent per request.
measure() {
  pid=$(cat "$WORK/$1/pid") out="$WORK/$1/$2"
  shift 2
  before=$(workers_counters "$pid")
  wrk -t2 -c16 -d"$DURATION" "$@" | tee "$out"
  [ -z "${CPU:-}" ] && return
  echo "$before $(workers_counters "$pid") $(awk '/requests in/ {print $1}' "$out")" |
    awk -v hz="$(getconf CLK_TCK)" '{r = $9; printf "  workers per request: user %.0f us," \
      " sys %.0f us, %.2f voluntary and %.2f involuntary context switches\n",
      ($5 - $1) * 1e6 / hz / r, ($6 - $2) * 1e6 / hz / r, ($7 - $3) / r, ($8 - $4) / r}'
}
round=0
while [ "$round" -lt "$ROUNDS" ]; do
  order=$(seq 1 $#)
  [ $((round % 2)) -eq 0 ] || order=$(seq $# -1 1)
  for n in $order; do
    url="http://127.0.0.1:$((8765 + n))"
    echo "== round $((round + 1)) of $ROUNDS, tree $n: GET /healthz"
    measure "$n" "hello.$round" "$url/healthz"
    echo "== round $((round + 1)) of $ROUNDS, tree $n:" \
      "POST /api/v1/gate-reviews/{id}/votes${FLOOR:+ (vote service stubbed: the floor)}"
    measure "$n" "votes.$round" -s bench/votes/votes.lua "$url/" \
      -- 2 "$round" "$ROUNDS" "$WORK/$n/data.lua"
  done
  round=$((round + 1))
done

n=0
for tree in "$@"; do
  n=$((n + 1))
  echo "== tree $n: $tree"
  # Each round's ratio, and the rounds' together: all votes/s over all hello/s.
  for round in $(seq 0 $((ROUNDS - 1))); do
    awk '/Requests\/sec/ {printf "%s ", $2} END {print ""}' \
      "$WORK/$n/hello.$round" "$WORK/$n/votes.$round"
  done | awk '{h += $1; v += $2; printf "%s%.1f %%", (NR > 1 ? ", " : ""), $2 / $1 * 100}
    END {printf " ==> votes/s at %.1f %% of hello/s over the %d rounds (%.0f / %.0f)\n",
         v / h * 100, NR, v / NR, h / NR}' | sed 's/^/== ratio per round: /'
  # A few more votes than wrk's "requests in" (those in flight when it stopped counting),
  # never fewer; wrk prints "Non-2xx" if any vote was refused.
  echo "== votes in the database: $(.venv/bin/python -c 'import sqlite3, sys
print(sqlite3.connect(sys.argv[1]).execute("SELECT count(*) FROM votes").fetchone()[0])' \
    "$WORK/$n/bench.db")"
  # The brief's memory target: < 150 MB RSS per worker after the benchmarks.
  echo "== worker RSS after the runs (MB)"
  for worker in $(pgrep -P "$(cat "$WORK/$n/pid")"); do
    echo "worker $worker: $(($(ps -o rss= -p "$worker") / 1024))"
  done
done
