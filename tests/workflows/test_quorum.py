"""When the votes cast on a review make a decision."""

from collections import Counter

import pytest

from workflows import Decision, Rule, can_still_decide, deadlocked, decide, decide_tally

GO, CGO, HOLD, KILL = Decision.GO, Decision.CONDITIONAL_GO, Decision.HOLD, Decision.KILL
RECYCLE = Decision.RECYCLE


@pytest.mark.parametrize(
    ("votes", "min_votes", "rule", "expected"),
    [
        ([], 2, Rule.MAJORITY, None),
        ([GO], 2, Rule.MAJORITY, None),  # min_votes not reached, even if all agree
        ([GO, GO], 2, Rule.MAJORITY, GO),
        ([GO, KILL], 2, Rule.MAJORITY, None),  # tie: the review stays open
        ([GO, CGO], 2, Rule.MAJORITY, None),  # go and conditional go are different outcomes
        ([GO, KILL, GO], 2, Rule.MAJORITY, GO),
        ([GO, KILL, HOLD], 2, Rule.MAJORITY, None),  # plurality is not a strict majority
        ([GO, GO, KILL, KILL], 3, Rule.MAJORITY, None),
        ([GO, GO, KILL, KILL, KILL], 3, Rule.MAJORITY, KILL),
        ([HOLD], 1, Rule.MAJORITY, HOLD),
        ([GO, GO], 2, Rule.UNANIMOUS, GO),
        ([GO, GO, GO], 2, Rule.UNANIMOUS, GO),
        ([GO, GO, KILL], 2, Rule.UNANIMOUS, None),
        ([GO], 2, Rule.UNANIMOUS, None),
    ],
)
def test_decision_needs_min_votes_and_one_outcome(
    votes: list[Decision], min_votes: int, rule: Rule, expected: Decision | None
) -> None:
    assert decide(votes, min_votes, rule) == expected
    assert decide_tally(Counter(votes), min_votes, rule) == expected


def test_plain_strings_are_accepted_for_votes_and_rule() -> None:
    assert decide(["kill", "kill", "go"], 2, "majority") == Decision.KILL


@pytest.mark.parametrize(
    ("votes", "min_votes", "rule"),
    [([GO], 0, Rule.MAJORITY), (["approve"], 1, Rule.MAJORITY), ([GO], 1, "consensus")],
)
def test_invalid_input_is_refused(votes: list[str], min_votes: int, rule: str) -> None:
    with pytest.raises(ValueError, match=r"min_votes|approve|consensus"):
        decide(votes, min_votes, rule)


@pytest.mark.parametrize(
    ("votes", "min_votes", "rule", "remaining", "expected"),
    [
        # unanimous: two different decisions can never become one
        ([GO, RECYCLE], 2, Rule.UNANIMOUS, 5, True),
        ([GO, CGO], 2, Rule.UNANIMOUS, 0, True),
        ([GO], 2, Rule.UNANIMOUS, 1, False),
        ([GO], 2, Rule.UNANIMOUS, 0, False),  # short of members, not split
        ([], 2, Rule.UNANIMOUS, 3, False),
        ([], 2, Rule.UNANIMOUS, 0, True),  # nobody left who may vote
        ([GO, GO], 2, Rule.UNANIMOUS, 0, False),  # decided, not deadlocked
        # majority: every eligible voter heard and no strict majority
        ([GO, KILL], 2, Rule.MAJORITY, 0, True),
        ([GO, KILL], 2, Rule.MAJORITY, 1, False),  # the third voter tips it
        ([GO, KILL, HOLD], 2, Rule.MAJORITY, 0, True),
        ([GO, KILL, HOLD], 2, Rule.MAJORITY, 1, True),  # 2 go of 4 is no strict majority
        ([GO, KILL, HOLD], 2, Rule.MAJORITY, 2, False),  # 3 go of 5 would be
        ([GO], 2, Rule.MAJORITY, 0, False),  # a majority awaiting its quorum
        ([], 2, Rule.MAJORITY, 0, True),
        ([], 2, Rule.MAJORITY, 2, False),
        ([GO, GO, KILL], 2, Rule.MAJORITY, 0, False),  # decided
    ],
)
def test_deadlocked_when_the_votes_to_come_can_no_longer_meet_the_rule(
    votes: list[Decision], min_votes: int, rule: Rule, remaining: int, expected: bool
) -> None:
    assert deadlocked(Counter(votes), min_votes, rule, remaining) is expected


def test_can_still_decide_refuses_a_negative_number_of_voters() -> None:
    with pytest.raises(ValueError, match="remaining"):
        can_still_decide(Counter([GO]), Rule.MAJORITY, -1)
