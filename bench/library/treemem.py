"""Run a command and report the peak memory of its whole process tree.

Usage: python bench/library/treemem.py COMMAND [ARGS...]

``/usr/bin/time -v`` reports the largest single process, but a parallel reindex runs a parent
and worker processes at once: this sums them, sampling every 0.2 s. RSS counts pages shared
by forked workers once per process (an overestimate); PSS splits shared pages between the
processes that map them (the fair total). Prints ``peak tree RSS ... MB, PSS ... MB`` on stderr
and exits with the command's status.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path


def _children(pid: int) -> list[int]:
    found = []
    for path in Path(f"/proc/{pid}/task").glob("*/children"):
        try:
            found += [int(child) for child in path.read_text().split()]
        except OSError:
            continue
    return found


def _tree(pid: int) -> list[int]:
    pids, queue = [], [pid]
    while queue:
        current = queue.pop()
        pids.append(current)
        queue += _children(current)
    return pids


def _memory_kb(pid: int) -> tuple[int, int]:
    rss = pss = 0
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            name, _, value = line.partition(":")
            if name == "Rss":
                rss = int(value.split()[0])
            elif name == "Pss":
                pss = int(value.split()[0])
    except (OSError, ValueError):
        pass
    return rss, pss


def main(command: list[str]) -> int:
    process = subprocess.Popen(command)
    peak_rss = peak_pss = 0
    while process.poll() is None:
        totals = [_memory_kb(pid) for pid in _tree(process.pid)]
        peak_rss = max(peak_rss, sum(rss for rss, _ in totals))
        peak_pss = max(peak_pss, sum(pss for _, pss in totals))
        time.sleep(0.2)
    print(f"peak tree RSS {peak_rss // 1024} MB, PSS {peak_pss // 1024} MB", file=sys.stderr)
    return process.returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
