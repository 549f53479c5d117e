"""Turn the votes cast on a gate review into a decision, or into "not yet".

A review stays open until at least `min_votes` votes are cast *and* the rule yields a single
outcome; a split committee therefore keeps the review open for more votes rather than deciding
by some tie-break nobody agreed to.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence

from workflows.model import Decision, Rule


def decide(votes: Sequence[Decision | str], min_votes: int, rule: Rule | str) -> Decision | None:
    """The decision the votes make, or None while the review must stay open.

    `majority`: one decision holds a strict majority of the votes cast (more than half).
    `unanimous`: every vote cast is the same decision.
    `go` and `conditional_go` are different decisions: a committee split between them has not
    agreed on whether conditions apply. Raises `ValueError` for an unknown vote or rule.
    """
    return decide_tally(Counter(Decision(v) for v in votes), min_votes, rule)


def decide_tally(
    tally: Mapping[Decision, int], min_votes: int, rule: Rule | str
) -> Decision | None:
    """`decide` from the number of votes cast per decision (what a database count gives).

    A review may collect many ballots; the rules need only how many went each way.
    """
    if min_votes < 1:
        raise ValueError(f"min_votes must be at least 1, got {min_votes}")
    rule = Rule(rule)
    cast = sum(tally.values())
    if cast < min_votes:
        return None
    count, leader = max((count, decision) for decision, count in tally.items())
    needed = cast if rule is Rule.UNANIMOUS else cast // 2 + 1
    return leader if count >= needed else None
