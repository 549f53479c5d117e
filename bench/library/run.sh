#!/bin/bash
# Library search benchmark: corpus of N documents, full reindex (time + peak memory), then
# search latency of the API beside SQLite FTS5. Usage: bench/library/run.sh [N]
set -euo pipefail
cd "$(dirname "$0")/../.."
N=${1:-50000}
WORK=${BENCH_DIR:-/tmp/jalon-bench-library}
rm -rf "$WORK" && mkdir -p "$WORK"
export DATABASE_URL="sqlite:///$WORK/bench.db" JALON_DATA_DIR="$WORK/data" SECRET_KEY=bench
export PYTHONPATH=.
echo "== corpus: $N documents"
.venv/bin/python bench/library/corpus.py "$N"
echo "== reindex"
/usr/bin/time -v .venv/bin/jalon search reindex 2> "$WORK/reindex.time" | tail -1
grep -E "Elapsed|Maximum resident" "$WORK/reindex.time"
.venv/bin/jalon search check | tail -2
echo "== latency"
.venv/bin/python bench/library/latency.py
