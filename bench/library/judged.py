"""The judged query set: loading the judgments, seeding the generated documents, scoring.

Shared by ``relevance.py`` (the full set, on the demo library plus ``judged_corpus``) and by
the regression tests in ``tests/library/test_library_relevance.py`` (a fixed subset).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from fnmatch import fnmatchcase
from pathlib import Path
from typing import Any

import yaml

from bench.library.judged_corpus import generated_documents

QUERIES = Path(__file__).with_name("judged_queries.yaml")
CUTOFF = 10


@dataclass(frozen=True)
class JudgedQuery:
    """A query and its graded relevant documents, by title pattern (``*`` for any text)."""

    text: str
    type: str
    relevant: Mapping[str, int]

    def grade(self, title: str) -> int:
        """0, 1 or 2: the best grade of the patterns the title matches."""
        return max(
            (grade for pattern, grade in self.relevant.items() if fnmatchcase(title, pattern)),
            default=0,
        )

    def grades(self, titles: Iterable[str]) -> dict[str, int]:
        """The relevant documents among ``titles`` (those a reader may find) with their grade."""
        found = {title: self.grade(title) for title in titles}
        return {title: grade for title, grade in found.items() if grade > 0}


def load_queries(path: Path = QUERIES) -> list[JudgedQuery]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return [
        JudgedQuery(item["q"], item["type"], dict(item["relevant"])) for item in data["queries"]
    ]


def seed_generated(author: Any, pmo: Any, titles: set[str] | None = None) -> int:
    """Create the generated documents (only those titled in ``titles`` when given) through the
    library services, published ones walked through review; the caller commits."""
    from app.library.documents import create_document
    from app.library.lifecycle import transition

    created = 0
    for values in generated_documents():
        if titles is not None and values["title"] not in titles:
            continue
        values = dict(values)
        status = values.pop("status")
        doc = create_document(author, reason="Judged corpus", **values)
        if status == "published":
            transition(doc, author, "in_review")
            transition(doc, pmo, "published")
        created += 1
    return created


def ndcg(ranked: Sequence[str], grades: Mapping[str, int], cutoff: int = CUTOFF) -> float:
    """Normalised discounted cumulative gain of a ranking, gains ``2**grade - 1``."""

    def dcg(values: Iterable[int]) -> float:
        return sum((2**g - 1) / math.log2(rank + 2) for rank, g in enumerate(values))

    ideal = dcg(sorted(grades.values(), reverse=True)[:cutoff])
    if ideal == 0:
        return 1.0
    return dcg(grades.get(title, 0) for title in ranked[:cutoff]) / ideal


def recall(ranked: Sequence[str], grades: Mapping[str, int], cutoff: int = CUTOFF) -> float:
    """Relevant documents in the top ``cutoff``, over as many as could fit there."""
    if not grades:
        return 1.0
    found = sum(1 for title in ranked[:cutoff] if title in grades)
    return found / min(cutoff, len(grades))
