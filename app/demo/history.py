"""A year of gate governance for the demo portfolio, planned as dated steps.

Each project's story (see ``portfolio.yaml``) becomes a timeline: created, reviews submitted
with criteria, budget figures and risks, votes with comments, conditions and scorecards, action
items closed and verified, holds and resumes. The timeline is laid out backwards from the last
event's age so the story ends when the data says, squeezed into the last twelve months when it
is long. Everything random comes from one seeded generator, so the plan is the same every time
relative to today. Pure data: `app.demo.portfolio` replays the steps through the services.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from typing import Any

from workflows import Gate, Rule, WorkflowDefinition, score

#: The history never starts more than this many days ago.
HISTORY_DAYS = 355
#: Decisions that let a project through its gate.
PASSING = ("go", "conditional_go")
#: Story moves that leave a review open, and the votes already cast on it.
OPEN_VOTES = {"open": ("go",), "open0": (), "split": ("go", "recycle")}
#: Story move -> the committee's decision.
DECISIONS = {
    "go": "go",
    "cgo": "conditional_go",
    "cgo!": "conditional_go",
    "recycle": "recycle",
    "hold": "hold",
    "kill": "kill",
}
#: A dissenting vote, cast before the majority forms (majority gates only).
DISSENT = {"go": "conditional_go", "conditional_go": "go", "recycle": "go", "kill": "recycle"}


@dataclass(frozen=True)
class Step:
    """One thing that happened to one project at one moment."""

    at: datetime
    project: str
    #: create, submit, vote, close, verify, hold, resume, lesson.
    action: str
    args: dict[str, Any] = field(default_factory=dict)


@dataclass
class _Timeline:
    """Events at day offsets from the project's creation, in the order they happen."""

    rng: random.Random
    day: float = 0.0
    events: list[tuple[float, str, dict[str, Any]]] = field(default_factory=list)

    def add(self, low: float, high: float, action: str, **args: Any) -> int:
        self.day += self.rng.uniform(low, high)
        self.events.append((self.day, action, args))
        return len(self.events) - 1


def parse_story(story: str) -> tuple[list[str], int | None]:
    """The moves of a story and the age in days of its last event, if given."""
    moves = story.split()
    if not moves or ":" not in moves[-1]:
        return moves, None
    last, ago = moves[-1].split(":")
    return moves[:-1] + ([last] if last else []), int(ago)


class Planner:
    """Turns project specs into dated steps with one random generator."""

    def __init__(
        self, definitions: dict[str, WorkflowDefinition], texts: dict[str, Any], now: datetime
    ) -> None:
        self.definitions = definitions
        self.texts = texts
        self.now = now
        self.rng = random.Random(2026)

    def plan(self, spec: dict[str, Any], gatekeepers: list[str]) -> list[Step]:
        """Every step of one project, dated, oldest first."""
        moves, ago = parse_story(spec["story"])
        line = _Timeline(self.rng)
        line.events.append((0.0, "create", {}))
        anchor = self._walk(spec, moves, line, gatekeepers)
        return self._date(spec["name"], line, anchor, ago or self.rng.randint(3, 30))

    def _walk(
        self, spec: dict[str, Any], moves: list[str], line: _Timeline, gatekeepers: list[str]
    ) -> int:
        """Lay the story out on the timeline; the index of the event its age is measured on."""
        gates = self.definitions[spec["workflow"]].gates
        texts = self.texts[_language(spec)]
        overrun = spec.get("overrun", self.rng.uniform(-6, 8)) / 100
        reviews = sum(1 for move in moves if move in DECISIONS or move in OPEN_VOTES)
        index, done, gap, again = 0, 0, (10, 40), False
        anchor = 0
        for move in moves:
            if move in ("pause", "resume"):
                anchor = line.add(10, 35, "hold" if move == "pause" else "resume")
                gap = (7, 20)
                continue
            if (move not in DECISIONS and move not in OPEN_VOTES) or index == len(gates):
                raise ValueError(f"{spec['name']}: {move!r} is not a move or is past the last gate")
            gate = gates[index]
            done += 1
            progress = (done / reviews, ((index + 1) / len(gates)) ** 1.6)
            submit = self._submission(gate, texts, spec, progress, overrun, move)
            if again:
                submit["summary"] = texts["resubmitted"].format(
                    gate=gate.name.text(_language(spec))
                )
            anchor = line.add(*gap, "submit", **submit)
            decision = DECISIONS.get(move)
            votes = self._votes(gate, move, decision, submit["criteria"], texts, gatekeepers)
            spread = (0.1, 0.4) if move in OPEN_VOTES else (0.3, 4)
            for vote in votes:
                last_vote = line.add(*spread, "vote", **vote)
            if move not in OPEN_VOTES:
                anchor = last_vote
            if decision in PASSING:
                index += 1
            if decision == "conditional_go":
                self._close_conditions(line, votes, texts, all_closed=move == "cgo")
            if decision == "kill":  # the manager writes down why, for the next projects
                line.add(3, 10, "lesson", stopped=True)
            again = decision not in PASSING
            gap = {"recycle": (14, 30), "hold": (20, 45)}.get(move, (21, 60))
        return anchor

    def _submission(
        self,
        gate: Gate,
        texts: dict[str, Any],
        spec: dict[str, Any],
        progress: tuple[float, float],
        overrun: float,
        move: str,
    ) -> dict[str, Any]:
        """Criteria answers that pass, figures and risks.

        `progress`: how far through its reviews the story is (the forecast drifts towards the
        project's overrun) and how much of the budget the work so far has spent.
        """
        rng = self.rng
        drift, spent = progress
        weak = move == "recycle"
        answers: dict[str, Any] = {c.key: True for c in gate.must_meet_criteria}
        for criterion in gate.should_meet_criteria:
            answers[criterion.key] = rng.choice((3, 3, 4) if weak else (3, 4, 4, 5))
        _lift(gate, answers, rng)
        budget = spec["budget"]
        forecast = budget * (1 + overrun * drift + rng.uniform(-0.004, 0.004))
        actual = budget * spent * (1 + overrun * drift) * rng.uniform(0.85, 1.0)
        return {
            "gate": gate.key,
            "criteria": answers,
            "summary": texts["summary"].format(gate=gate.name.text(_language(spec))),
            "budget": {"planned": budget, "actual": round(actual, -2), "forecast": round(forecast)},
            "top_risks": rng.sample(texts["risks"], rng.randint(2, 3)),
        }

    def _votes(
        self,
        gate: Gate,
        move: str,
        decision: str | None,
        answers: dict[str, Any],
        texts: dict[str, Any],
        gatekeepers: list[str],
    ) -> list[dict[str, Any]]:
        """The ballots of a review, the decisive one last."""
        rng = self.rng
        if decision is None:
            ballots = list(OPEN_VOTES[move])
        else:
            ballots = [decision, decision]
            if gate.rule is Rule.MAJORITY and decision in DISSENT and rng.random() < 0.3:
                ballots.insert(rng.randint(0, 1), DISSENT[decision])
        voters = rng.sample(gatekeepers, len(ballots))
        conditions = rng.sample(texts["conditions"], 3)
        votes = []
        for voter, ballot in zip(voters, ballots, strict=True):
            vote: dict[str, Any] = {"voter": voter, "decision": ballot}
            pool = texts["comments"]["split" if move == "split" and ballot != "go" else ballot]
            vote["comment"] = rng.choice(pool)
            if ballot == "conditional_go":
                count = 1 if len(votes) else rng.randint(1, 2)
                vote["conditions"] = [
                    {"description": conditions.pop(), "due_in": rng.randint(21, 30)}
                    for _ in range(count)
                ]
            if rng.random() < 0.7:
                vote["scores"] = self._scorecard(gate, answers, ballot in PASSING)
            votes.append(vote)
        return votes

    def _scorecard(self, gate: Gate, answers: dict[str, Any], passing: bool) -> dict[str, int]:
        shift = (-1, 0, 0, 1) if passing else (-2, -1, -1, 0)
        scores = {
            c.key: max(0, min(5, answers[c.key] + self.rng.choice(shift)))
            for c in gate.should_meet_criteria
        }
        if passing:
            _lift(gate, scores, self.rng)
        return scores

    def _close_conditions(
        self, line: _Timeline, votes: list[dict[str, Any]], texts: dict[str, Any], all_closed: bool
    ) -> None:
        """Close the action items of a conditional go: all (most verified), or one of several."""
        items = [c for vote in votes for c in vote.get("conditions", ())]
        if not all_closed:
            items = items[:1] if len(items) > 1 else []
        for _item in items:
            line.add(4, 12, "close", evidence=self.rng.choice(texts["evidence"]))
            if all_closed and self.rng.random() < 0.75:
                line.add(1, 5, "verify")

    def _date(self, name: str, line: _Timeline, anchor: int, ago: int) -> list[Step]:
        """Steps dated so the anchor event happened `ago` days ago, within the history."""
        span = line.events[anchor][0]
        scale = min(1.0, (HISTORY_DAYS - ago) / span) if span else 1.0
        anchor_at = self.now - timedelta(days=ago)
        steps = []
        for offset, action, args in line.events:
            raw = anchor_at - timedelta(days=(span - offset) * scale)
            if raw >= self.now:
                raise ValueError(f"{name}: the story runs past today; make it end earlier")
            steps.append(Step(_office_hours(raw, self.now), name, action, args))
        return steps


def _language(spec: dict[str, Any]) -> str:
    return "fr" if spec["workflow"] == "it-project" else "en"


def _lift(gate: Gate, answers: dict[str, Any], rng: random.Random) -> None:
    """Raise should-meet answers one point at a time until the gate's pass score is met."""
    keys = [c.key for c in gate.should_meet_criteria]
    while keys and score(gate, answers) < gate.pass_score:
        key = rng.choice([k for k in keys if answers[k] < 5])
        answers[key] += 1


def _office_hours(moment: datetime, now: datetime) -> datetime:
    """The same day between 08:00 and 18:00, order kept; today never later than it was.

    Committees do not sit at weekends: Saturday moves to 07:00-07:30 on Monday and Sunday to
    07:30-08:00, before Monday's own events, unless that Monday is today.
    """
    day = moment.date()
    fraction = (moment - datetime.combine(day, time(), moment.tzinfo)) / timedelta(days=1)
    weekend = day.weekday() - 4  # 1 on Saturday, 2 on Sunday
    monday = day + timedelta(days=3 - weekend) if weekend > 0 else None
    if monday is not None and monday < now.date():
        start = datetime.combine(monday, time(7), moment.tzinfo) + timedelta(
            hours=weekend / 2 - 0.5
        )
        return start + timedelta(hours=fraction / 2)
    shifted = datetime.combine(day, time(8), moment.tzinfo) + timedelta(hours=10 * fraction)
    return min(shifted, moment) if day == now.date() else shifted
