"""Turn the votes cast on a gate review into a decision, into "not yet", or into "never".

A review stays open until at least `min_votes` votes are cast *and* the rule yields a single
outcome; a split committee keeps the review open for more votes rather than deciding by some
tie-break nobody agreed to. When the votes still to come can no longer make the rule hold
(`deadlocked`), the review is `no_consensus` and the gate's chair decides instead.
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


def can_still_decide(tally: Mapping[Decision, int], rule: Rule | str, remaining: int) -> bool:
    """Whether the `remaining` votes still to come could make the rule hold.

    `remaining`: eligible voters who have not voted (the approvers, minus the submitter,
    minus those who recused themselves, minus those who voted).
    `unanimous`: no two different decisions were cast, and someone has voted or still may.
    `majority`: all the remaining votes going to the leading decision would give it a strict
    majority of the votes cast by then (with none to come: a strict majority exists now).
    `min_votes` plays no part: a committee short of people is not split, it awaits a member.
    """
    if remaining < 0:
        raise ValueError(f"remaining must not be negative, got {remaining}")
    rule = Rule(rule)
    cast = sum(tally.values())
    leader = max(tally.values(), default=0)
    if rule is Rule.UNANIMOUS:
        return leader == cast and cast + remaining > 0
    return 2 * leader + remaining > cast


def deadlocked(
    tally: Mapping[Decision, int], min_votes: int, rule: Rule | str, remaining: int
) -> bool:
    """True when the votes decide nothing and the votes still to come never will.

    The review is then `no_consensus`: unanimous with two different decisions cast, majority
    with every eligible voter heard (or too few left to tip it) and no strict majority.
    """
    if decide_tally(tally, min_votes, rule) is not None:
        return False
    return not can_still_decide(tally, rule, remaining)
