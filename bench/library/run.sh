#!/bin/bash
# Library search benchmark: corpus of N documents, full reindex (time + peak memory), then
# search latency of the API beside SQLite FTS5, then relevance on the judged queries
# (relevance.py, its own small library). Usage: bench/library/run.sh [N]
# KEEP_CORPUS=1 reuses the corpus already in BENCH_DIR (its index is rebuilt anyway).
set -euo pipefail
cd "$(dirname "$0")/../.."
N=${1:-50000}
WORK=${BENCH_DIR:-/tmp/jalon-bench-library}
export DATABASE_URL="sqlite:///$WORK/bench.db" JALON_DATA_DIR="$WORK/data" SECRET_KEY=bench
export PYTHONPATH=.
if [ -z "${KEEP_CORPUS:-}" ]; then
    rm -rf "$WORK" && mkdir -p "$WORK"
    echo "== corpus: $N documents"
    .venv/bin/python bench/library/corpus.py "$N"
fi
echo "== reindex (load: $(uptime | sed 's/.*load/load/'))"
# time -v gives the largest single process; treemem sums the parent and its workers.
.venv/bin/python bench/library/treemem.py /usr/bin/time -v .venv/bin/jalon search reindex \
    2> "$WORK/reindex.time" | tail -1
grep -E "User time|System time|Elapsed|Maximum resident|peak tree" "$WORK/reindex.time"
.venv/bin/jalon search check | tail -2
echo "== latency (load: $(uptime | sed 's/.*load/load/'))"
.venv/bin/python bench/library/latency.py
echo "== relevance (load: $(uptime | sed 's/.*load/load/'))"
.venv/bin/python bench/library/relevance.py
