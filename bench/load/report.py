"""Summarise one bench/load run and put its table in bench/load/README.md.

Usage: python -m bench.load.report RUN_DIR LABEL [--readme README] [--note TEXT]
RUN_DIR holds what run.sh left there: locust_stats.csv (Locust's per-request statistics),
kinds.json (per kind, from the locustfile), rss.txt (one worker's RSS in kB per line) and,
with EXPORT=1, exports.txt (status and seconds of each background XLSX export).
The README keeps one section per LABEL, between `<!-- load: LABEL -->` markers; a new run
of the same label replaces its section.
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import statistics
from datetime import UTC, datetime
from pathlib import Path

KINDS = ["page", "search", "api", "write", "vote", "all", "login"]
P95_MS, P99_MS, RSS_MB = 150, 500, 150  # the targets table of ../shared/product.md
NAMES = {"vote": "of which votes", "all": "**all but sign-ins**", "login": "sign-ins (form, token)"}


def _ms(value: float | str) -> str:
    return f"{float(value):,.0f}"


def table(run: Path, label: str, note: str) -> str:
    kinds = json.loads((run / "kinds.json").read_text())
    window = kinds.pop("window")
    with (run / "locust_stats.csv").open() as handle:
        rows = list(csv.DictReader(handle))
    total = next(row for row in rows if row["Name"] == "Aggregated")
    rss = [int(line) // 1024 for line in (run / "rss.txt").read_text().split()]
    ended = datetime.fromtimestamp((run / "kinds.json").stat().st_mtime, UTC)
    stamp = ended.strftime("%Y-%m-%d %H:%M UTC")
    lines = [
        f"### {label} ({stamp}{', ' + note if note else ''})",
        "",
        "| kind | requests | errors | p50 ms | p95 ms | p99 ms | max ms |",
        "|---|---|---|---|---|---|---|",
    ]
    for kind in sorted(kinds, key=lambda k: KINDS.index(k) if k in KINDS else len(KINDS)):
        row = kinds[kind]
        name = NAMES.get(kind, kind)
        lines.append(
            f"| {name} | {row['requests']:,} | {row['errors']} | {_ms(row['p50'])} "
            f"| {_ms(row['p95'])} | {_ms(row['p99'])} | {_ms(row['max'])} |"
        )
    lines += [
        "",
        f"Measured over {window['seconds']:.0f} s after the {window['signed_in']} people had"
        f" signed in; {float(total['Requests/s']):.1f} requests/s over the whole run."
        " Workers' RSS at the end:",
    ]
    lines[-1] += " " + ", ".join(f"{mb} MB" for mb in rss) + "."
    lines.append(verdict(kinds, rss))
    exports = run / "exports.txt"
    if exports.exists():
        times: dict[str, list[float]] = {}
        failed = 0
        for status, seconds, path in (line.split() for line in exports.read_text().splitlines()):
            times.setdefault(path, []).append(float(seconds))
            failed += status != "200"
        each = ", ".join(
            f"`{path}` {len(t)} times, median {statistics.median(t):.2f} s, max {max(t):.2f} s"
            for path, t in sorted(times.items())
        )
        lines.append(f"XLSX exports in the background ({failed} failed): {each}.")
    return "\n".join(lines) + "\n"


def verdict(kinds: dict, rss: list[int]) -> str:
    """The targets of ../shared/product.md, met or not, in one line."""
    people, votes = kinds["all"], kinds.get("vote")
    checks = [
        (f"p95 {_ms(people['p95'])} ms (< {P95_MS})", people["p95"] < P95_MS),
        (f"p99 {_ms(people['p99'])} ms (< {P99_MS})", people["p99"] < P99_MS),
        (f"{people['errors']} errors (0)", people["errors"] == 0),
        (f"largest worker {max(rss)} MB (< {RSS_MB})", max(rss) < RSS_MB),
    ]
    if votes:
        checks.insert(3, (f"vote p95 {_ms(votes['p95'])} ms (< {P95_MS})", votes["p95"] < P95_MS))
    said = "; ".join(f"{text}: {'met' if met else '**not met**'}" for text, met in checks)
    return f"Targets: {said}."


def update_readme(readme: Path, label: str, section: str) -> None:
    start, end = f"<!-- load: {label} -->", f"<!-- /load: {label} -->"
    block = f"{start}\n{section}{end}"
    text = readme.read_text()
    pattern = re.compile(re.escape(start) + ".*?" + re.escape(end), re.DOTALL)
    if pattern.search(text):
        text = pattern.sub(lambda _m: block, text)
    else:
        text = text.rstrip("\n") + "\n\n" + block + "\n"
    readme.write_text(text)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("run", type=Path)
    parser.add_argument("label")
    parser.add_argument("--readme", type=Path)
    parser.add_argument("--note", default="", help="said beside the date: commit, load average")
    args = parser.parse_args()
    section = table(args.run, args.label, args.note)
    print(section)
    if args.readme:
        update_readme(args.readme, args.label, section)
        print(f"(written to {args.readme})")


if __name__ == "__main__":
    main()
