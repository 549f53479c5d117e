"""Ranking the matches of a ``Plan``: by how many clauses they hold, status, then score.

Documents holding every clause of a query come first, then those holding fewer; among those
holding as many, the ones holding the rarer clauses first; within each set, published
documents before the others, then Whoosh's score. Sets of documents are bit sets
(``whoosh_docsets``), so grouping costs a few int operations; only the sets that reach the
page are scored.
"""

import functools
import itertools
import operator

from whoosh import collectors
from whoosh import query as wq

from docs_store.search.types import STATUS_ORDER
from docs_store.search.whoosh_docsets import AllowedDocs, DocSets, iter_bits
from docs_store.search.whoosh_query import Plan

# Queries with more clauses rank the documents holding some of them as one group per count.
MAX_SPLIT_CLAUSES = 6


def by_coordination(sets: list[int]) -> dict[int, int]:
    """The documents of ``sets`` grouped by how many of the sets hold them, most first:
    ``{count: documents}``, empty groups left out.

    Counts are kept as bit planes (plane ``i`` holds bit ``i`` of each document's count), a
    binary adder over whole sets, so grouping costs a few int operations per set.
    """
    planes: list[int] = []
    for bits in sets:
        carry = bits
        for index, plane in enumerate(planes):
            planes[index], carry = plane ^ carry, plane & carry
            if not carry:
                break
        if carry:
            planes.append(carry)
    anywhere = functools.reduce(operator.or_, sets, 0)
    groups = {}
    for count in range(len(sets), 0, -1):
        if count >> len(planes):
            continue  # more than any document reaches
        group = anywhere
        for index, plane in enumerate(planes):
            group &= plane if count >> index & 1 else ~plane
        if group:
            groups[count] = group
    return groups


def held_sets(sets: DocSets, plan: Plan, allowed: int) -> list[int]:
    """For each clause of a plan, the allowed documents meeting ``required`` that hold it;
    without clauses, the one set of those meeting ``required`` (none if empty)."""
    base = (
        allowed if isinstance(plan.required, wq.Every) else allowed & sets.evaluate(plan.required)
    )
    if not plan.clauses:
        return [base] if base else []
    return [sets.evaluate(clause) & base for clause in plan.clauses]


def ranked_groups(
    plan: Plan, held: list[int], groups: dict[int, int]
) -> list[tuple[wq.Query, int]]:
    """(ranking query, documents) in the order results are listed.

    Documents holding every clause first, then by how many they hold; among those holding as
    many, by which: the rarer clauses first (their documents say more), each such set scored
    by a query over its own clauses only, so that ranking a few documents holding a rare word
    never walks the postings of a common one. Past ``MAX_SPLIT_CLAUSES`` the sets would be
    too many: each group is scored as a whole.
    """
    everything = range(len(plan.clauses))
    ranked: list[tuple[wq.Query, int]] = []
    for count, documents in groups.items():
        every = count == len(plan.clauses)
        if every or len(plan.clauses) > MAX_SPLIT_CLAUSES:
            ranked.append((plan.ranking(everything, every=every), documents))
            continue
        weight = [1 / max(1, bits.bit_count()) for bits in held]
        subsets = []
        for combination in itertools.combinations(everything, count):
            within = functools.reduce(operator.and_, (held[i] for i in combination), documents)
            if within:
                subsets.append((sum(weight[i] for i in combination), combination, within))
        subsets.sort(key=lambda subset: (-subset[0], subset[1]))
        ranked.extend((plan.ranking(subset, every=False), within) for _, subset, within in subsets)
    return ranked


def ranked_page(
    sets: DocSets, groups: list[tuple[wq.Query, int]], start: int, count: int
) -> list[tuple[float, int]]:
    """(score, docnum) of matches ``start`` to ``start + count``: by group, status, score.

    ``groups`` are (ranking query, documents), best first. Each group and status is ranked
    on its own, published first, and only while the page is not full, so a page of
    published documents never scores the drafts nor the documents with fewer words;
    within one, Whoosh's top-N collector skips blocks of postings that cannot reach it.
    """
    found: list[tuple[float, int]] = []
    for q, group in groups:
        for status in STATUS_ORDER:
            tier = group & sets.values("status").get(str(status), 0)
            size = tier.bit_count()
            if start >= size:
                start -= size
                continue
            wanted = start + count - len(found)
            if isinstance(q, wq.Every):
                ranked = [(1.0, docnum) for docnum in itertools.islice(iter_bits(tier), wanted)]
            else:
                top = collectors.TopCollector(limit=wanted)
                collector = collectors.FilterCollector(top, allow=AllowedDocs(tier, sets.size))
                sets.searcher.search_with_collector(q, collector)
                ranked = collector.results().top_n
            found.extend(ranked[start:])
            start = 0
            if len(found) >= count:
                return found[:count]
    return found[:count]
