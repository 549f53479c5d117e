"""Whoosh specifics behind the contract: parallel rebuilds and bit sets agree with Whoosh."""

import random
from pathlib import Path

import pytest
from whoosh import query as wq

from docs_store.search import SearchFilters, SearchQuery, Visibility, WhooshBackend, whoosh_build
from docs_store.search.query_syntax import parse
from docs_store.search.whoosh_docsets import DocSets
from docs_store.search.whoosh_query import QueryTranslator
from tests.docs_store.conftest import make_doc

WORDS = [
    "gouvernance",
    "risque",
    "stratégie",
    "comité",
    "pilotage",
    "jalon",
    "budget",
    "recette",
    "planning",
]
QUERIES = ["", "risque", "stratégie budget", '"comité de pilotage"', "jalon OR recette", "-budget"]


def corpus(count: int) -> list:
    rng = random.Random(7)
    return [
        make_doc(
            n,
            " ".join(rng.sample(WORDS, 2)),
            " de ".join(rng.choices(WORDS, k=12)),
            kind=rng.choice(["standard", "template"]),
            status=rng.choice(["published", "draft", "obsolete"]),
            tags=tuple(rng.sample(["risque", "rex", "agile"], rng.randint(0, 2))),
            stage=rng.choice(["cadrage", None]),
        )
        for n in range(1, count + 1)
    ]


def outcome(backend: WhooshBackend, text: str) -> tuple:
    results = backend.search(
        SearchQuery(text, visibility=Visibility.everything(), per_page=100, include_obsolete=True)
    )
    # Documents of equal score come in index order, which differs between the two builds.
    return results.total, results.facets, {hit.id: (hit.status, hit.score) for hit in results.items}


def test_parallel_rebuild_indexes_like_a_single_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(whoosh_build, "PARALLEL_MIN_DOCS", 10)
    monkeypatch.setattr(whoosh_build, "JOB_SIZE", 7)
    docs = corpus(80)
    single = WhooshBackend(tmp_path / "single", procs=1)
    parallel = WhooshBackend(tmp_path / "parallel", procs=2)
    seen: list[int] = []
    assert single.rebuild(docs) == parallel.rebuild(iter(docs), batch_size=30, progress=seen.append)
    assert seen == [30, 60, 80]
    assert len(parallel._current_searcher().reader().leaf_readers()) == 2
    for text in QUERIES:
        assert outcome(parallel, text) == outcome(single, text), text
    assert parallel.doc_ids() == single.doc_ids()
    single.close()
    parallel.close()


def test_failed_parallel_rebuild_stops_its_workers_and_keeps_the_live_index(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(whoosh_build, "PARALLEL_MIN_DOCS", 10)
    backend = WhooshBackend(tmp_path, procs=2)
    backend.rebuild([make_doc(1, "Référentiel")])

    def broken():
        yield from corpus(30)
        raise RuntimeError("database went away")

    with pytest.raises(RuntimeError, match="database went away"):
        backend.rebuild(broken())
    assert backend.search(SearchQuery("référentiel")).total == 1
    backend.close()
    assert len([path for path in tmp_path.iterdir() if path.is_dir()]) == 1


def test_bit_sets_match_what_whoosh_matches_with_deletions_and_segments(tmp_path: Path) -> None:
    backend = WhooshBackend(tmp_path)
    docs = corpus(60)
    backend.rebuild(docs[:40])
    backend.index(docs[40:])  # a second segment
    backend.delete([3, 41, 42])
    backend.index([make_doc(5, "Jalon revu", "budget")])  # replaced: deleted then added
    searcher = backend._current_searcher()
    sets = DocSets(searcher)
    translator = QueryTranslator(searcher.reader())
    for text in [*QUERIES, "title:jalon", "kind:template", "strat*", "gouvernnace"]:
        q = translator.translate(parse(text))
        expected = set(searcher.docs_for_query(q)) if not isinstance(q, wq.Every) else None
        if expected is None:
            expected = set(searcher.reader().all_doc_ids())
        found = {n for n in range(sets.size) if sets.evaluate(q) >> n & 1}
        assert found == expected, text
    backend.close()


def test_facet_counts_follow_the_filters(tmp_path: Path) -> None:
    backend = WhooshBackend(tmp_path)
    docs = corpus(50)
    backend.rebuild(docs)
    results = backend.search(
        SearchQuery("", visibility=Visibility.published_only(), filters=SearchFilters(tag="rex"))
    )
    expected = [d for d in docs if d.status == "published" and "rex" in d.tags]
    assert results.total == len(expected)
    assert results.facets["tag"]["rex"] == len(expected)
    templates = sum(1 for d in expected if d.kind == "template")
    assert results.facets["kind"].get("template", 0) == templates
    backend.close()
