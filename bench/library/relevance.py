"""Relevance of the library search on the judged queries: Whoosh beside SQLite FTS5.

Usage: ``python bench/library/relevance.py`` (or ``bench/library/run.sh``, which runs it last).
Builds a throwaway database and data directory (``RELEVANCE_DIR``, default
``/tmp/jalon-bench-relevance``) with the demo library (``jalon demo seed``) and the generated
documents of ``judged_corpus.py``, then runs every query of ``judged_queries.yaml`` as the
demo's ``staff`` account through ``GET /api/v1/search`` (top 10), and through SQLite FTS5 on
the same published documents as a reference: ``porter unicode61 remove_diacritics 2``, every
word required (FTS5's default), bm25 with the title weighted x5.

Reports nDCG@10 (gains 2^grade - 1), recall@10 (relevant documents in the top 10 over as many
as fit there) and the queries with no result, overall and by query type, as a Markdown table.
"""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
import statistics
import sys
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

WORK = Path(os.environ.get("RELEVANCE_DIR", "/tmp/jalon-bench-relevance"))
_WORD = re.compile(r"\w+")


def _prepare_environment() -> None:
    shutil.rmtree(WORK, ignore_errors=True)
    WORK.mkdir(parents=True)
    os.environ.update(
        DATABASE_URL=f"sqlite:///{WORK / 'relevance.db'}",
        JALON_DATA_DIR=str(WORK / "data"),
        SECRET_KEY="bench",
    )


def _build(app) -> dict[int, tuple[str, str]]:
    """Seed the library, index it; the published documents as ``id → (title, text)``."""
    from sqlalchemy import select

    from app.auth.services import get_user_by_username
    from app.demo import seed
    from app.extensions import db
    from app.library.indexing import rebuild_index, search_service, to_indexed
    from app.library.models import Document, DocumentStatus
    from bench.library.judged import seed_generated

    with app.app_context():
        db.create_all()
        search_service().backend.rebuild([])  # an empty index, filled as documents are made
        seed()
        seed_generated(get_user_by_username("manager"), get_user_by_username("pmo"))
        db.session.commit()
        rebuild_index()
        published = db.session.scalars(
            select(Document).where(Document.status == DocumentStatus.PUBLISHED)
        )
        out = {}
        for doc in published:
            indexed = to_indexed(doc)
            text = "\n\n".join([indexed.summary, indexed.body, *indexed.attachments])
            out[doc.id] = (doc.title, text)
        return out


def whoosh_search(app) -> Callable[[str], list[int]]:
    from app.auth.services import get_user_by_username, issue_token
    from app.extensions import db

    with app.app_context():
        token, _ = issue_token(get_user_by_username("staff"), name="relevance")
        db.session.commit()
    client = app.test_client()
    headers = {"Authorization": f"Bearer {token}"}

    def run(text: str) -> list[int]:
        response = client.get("/api/v1/search", query_string={"q": text}, headers=headers)
        assert response.status_code == 200, (text, response.get_json())
        return [item["id"] for item in response.get_json()["items"]]

    return run


def fts5_search(documents: dict[int, tuple[str, str]]) -> Callable[[str], list[int]]:
    connection = sqlite3.connect(":memory:")
    connection.execute(
        "CREATE VIRTUAL TABLE docs USING fts5(title, body,"
        " tokenize='porter unicode61 remove_diacritics 2')"
    )
    connection.executemany(
        "INSERT INTO docs(rowid, title, body) VALUES (?, ?, ?)",
        ((doc_id, title, text) for doc_id, (title, text) in documents.items()),
    )
    sql = "SELECT rowid FROM docs WHERE docs MATCH ? ORDER BY bm25(docs, 5.0, 1.0) LIMIT 10"

    def run(text: str) -> list[int]:
        parts = re.split(r'("[^"]*")', text)
        terms = []
        for part in parts:
            words = _WORD.findall(part)
            if part.startswith('"') and words:
                terms.append('"' + " ".join(words) + '"')
            else:
                terms.extend(f'"{word}"' for word in words)
        if not terms:
            return []
        return [row[0] for row in connection.execute(sql, (" ".join(terms),))]

    return run


def evaluate(search: Callable[[str], list[int]], documents, queries) -> dict[str, list]:
    """Per query type (and ``all``): lists of (ndcg, recall, zero results, zero but relevant)."""
    from bench.library.judged import ndcg, recall

    titles = {doc_id: title for doc_id, (title, _text) in documents.items()}
    by_type: dict[str, list] = defaultdict(list)
    for query in queries:
        ranked = [titles.get(doc_id, f"#{doc_id}") for doc_id in search(query.text)]
        grades = query.grades(titles.values())
        row = (
            ndcg(ranked, grades),
            recall(ranked, grades),
            not ranked,
            not ranked and bool(grades),
        )
        by_type["all"].append(row)
        by_type[query.type].append(row)
    return by_type


def report(results: dict[str, dict[str, list]]) -> str:
    types = ["all", *sorted(t for t in next(iter(results.values())) if t != "all")]
    lines = [
        "| queries | n | "
        + " | ".join(f"{name} nDCG@10 | {name} recall@10" for name in results)
        + " | "
        + " | ".join(f"{name} 0 results" for name in results)
        + " |",
        "|---|---|" + "---|" * (3 * len(results)),
    ]
    for query_type in types:
        cells = []
        zeros = []
        for rows in results.values():
            group = rows[query_type]
            cells.append(f"{statistics.fmean(r[0] for r in group):.3f}")
            cells.append(f"{statistics.fmean(r[1] for r in group):.3f}")
            zero = sum(r[2] for r in group)
            relevant_missed = sum(r[3] for r in group)
            zeros.append(f"{zero} ({relevant_missed} with a relevant document)")
        count = len(next(iter(results.values()))[query_type])
        label = f"**{query_type}**" if query_type == "all" else query_type
        lines.append(f"| {label} | {count} | " + " | ".join(cells + zeros) + " |")
    return "\n".join(lines)


def main() -> None:
    _prepare_environment()
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
    from app import create_app
    from bench.library.judged import load_queries

    app = create_app()
    documents = _build(app)
    queries = load_queries()
    print(f"{len(documents)} published documents, {len(queries)} judged queries")
    whoosh = whoosh_search(app)
    results = {
        "Whoosh": evaluate(whoosh, documents, queries),
        "FTS5": evaluate(fts5_search(documents), documents, queries),
    }
    print(report(results))
    if os.environ.get("RELEVANCE_DETAILS"):  # each query's top 3, to see what went wrong
        for query in queries:
            top = [documents.get(doc_id, ("?",))[0] for doc_id in whoosh(query.text)[:3]]
            print(f"{query.text!r}: {top}")


if __name__ == "__main__":
    main()
