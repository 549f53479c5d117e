"""Immutable, typed model of a workflow definition.

Definitions are frozen dataclasses so that a loaded version can be shared between threads and
cached engines without anyone mutating it; `WorkflowDefinition.to_dict` gives back the schema form
so the app can store each version (as JSON) and rebuild it later with `parse_definition`.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from workflows.audit import canonical_json

#: Target of the last gate: passing it completes the project instead of entering a stage.
COMPLETED = "completed"
#: Terminal state reached by a `kill` decision.
KILLED = "killed"
#: Names that cannot be stage keys because the engine uses them as states of its own.
RESERVED_STAGE_KEYS = frozenset({COMPLETED, KILLED})
#: Document kinds of the methodology library; a deliverable may also name a kind of its own.
LIBRARY_KINDS = frozenset({"standard", "guideline", "template", "lesson"})
#: Languages a label may carry.
LANGUAGES = ("en", "fr")
#: Roles a definition may name (the app's roles; a test keeps the two lists equal).
ROLES = ("admin", "pmo", "manager", "gatekeeper", "staff")
#: Role of a gate's chair when its definition names none.
DEFAULT_CHAIR = "pmo"
#: Days to vote on a review when the gate does not say.
DEFAULT_VOTE_WITHIN_DAYS = 10


class Status(StrEnum):
    """A project's status, persisted next to its stage."""

    ACTIVE = "active"
    ON_HOLD = "on_hold"
    KILLED = "killed"
    COMPLETED = "completed"


class Decision(StrEnum):
    """Outcome of a gate review, and the vote a gatekeeper casts."""

    GO = "go"
    CONDITIONAL_GO = "conditional_go"
    HOLD = "hold"
    RECYCLE = "recycle"
    KILL = "kill"


class Rule(StrEnum):
    """How the votes of a gate review turn into a decision (see `workflows.quorum`)."""

    MAJORITY = "majority"
    UNANIMOUS = "unanimous"


@dataclass(frozen=True)
class Label:
    """A bilingual text. A plain string in YAML means the same text in every language."""

    en: str
    fr: str

    @classmethod
    def plain(cls, text: str) -> Label:
        """A label that reads the same in English and French."""
        return cls(en=text, fr=text)

    def text(self, language: str = "en") -> str:
        """The text for `language` (`fr`, `fr_CA`, `en`...), English for anything else."""
        return self.fr if language.lower().startswith("fr") else self.en

    def __str__(self) -> str:
        return self.en

    def to_data(self) -> str | dict[str, str]:
        """Schema form: a plain string when both languages agree."""
        return self.en if self.en == self.fr else {"en": self.en, "fr": self.fr}


def _optional_label(label: Label | None) -> dict[str, Any]:
    return {} if label is None else {"description": label.to_data()}


@dataclass(frozen=True)
class Stage:
    """A stage of the lifecycle, where the project team does the work a gate will judge."""

    key: str
    name: Label
    description: Label | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"key": self.key, "name": self.name.to_data(), **_optional_label(self.description)}


@dataclass(frozen=True)
class Criterion:
    """A question asked at a gate.

    Must-meet criteria are answered yes/no and any "no" blocks the submission; should-meet
    criteria are scored 0-5 and weighted into a percentage compared with the gate's `pass_score`.
    """

    key: str
    label: Label
    must_meet: bool
    weight: float | None = None
    description: Label | None = None

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "key": self.key,
            "label": self.label.to_data(),
            "must_meet": self.must_meet,
        }
        if self.weight is not None:
            data["weight"] = self.weight
        return data | _optional_label(self.description)


@dataclass(frozen=True)
class Deliverable:
    """A document the project must hand in at a gate.

    `kind` is a library document kind (see `LIBRARY_KINDS`) or a free kind of the PMO's own;
    `template` optionally names the library template the document should follow.
    """

    key: str
    name: Label
    kind: str
    template: str | None = None
    description: Label | None = None

    @property
    def is_library_kind(self) -> bool:
        return self.kind in LIBRARY_KINDS

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"key": self.key, "name": self.name.to_data(), "kind": self.kind}
        if self.template is not None:
            data["template"] = self.template
        return data | _optional_label(self.description)


@dataclass(frozen=True)
class Approvers:
    """Who decides at a gate: holders of `role`, at least `min_votes` of them."""

    role: str = "gatekeeper"
    min_votes: int = 2

    def to_dict(self) -> dict[str, Any]:
        return {"role": self.role, "min_votes": self.min_votes}


@dataclass(frozen=True)
class Gate:
    """The decision point between stage `from_stage` and `to_stage` (or `COMPLETED`)."""

    key: str
    name: Label
    from_stage: str
    to_stage: str
    criteria: tuple[Criterion, ...] = ()
    pass_score: float = 0
    deliverables: tuple[Deliverable, ...] = ()
    approvers: Approvers = field(default_factory=Approvers)
    rule: Rule = Rule.MAJORITY
    requires_training: tuple[str, ...] = ()
    description: Label | None = None
    #: Role whose holder decides when the committee cannot (`no_consensus`).
    chair: str = DEFAULT_CHAIR
    #: Days the committee has to vote once a review is submitted (its vote-by date).
    vote_within_days: int = DEFAULT_VOTE_WITHIN_DAYS

    @property
    def completes_project(self) -> bool:
        return self.to_stage == COMPLETED

    @property
    def must_meet_criteria(self) -> tuple[Criterion, ...]:
        return tuple(c for c in self.criteria if c.must_meet)

    @property
    def should_meet_criteria(self) -> tuple[Criterion, ...]:
        return tuple(c for c in self.criteria if not c.must_meet)

    def criterion(self, key: str) -> Criterion | None:
        return next((c for c in self.criteria if c.key == key), None)

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "key": self.key,
            "name": self.name.to_data(),
            "from": self.from_stage,
            "to": self.to_stage,
            "criteria": [c.to_dict() for c in self.criteria],
            "pass_score": self.pass_score,
            "deliverables": [d.to_dict() for d in self.deliverables],
            "approvers": self.approvers.to_dict(),
            "rule": self.rule.value,
            "requires_training": list(self.requires_training),
        }
        # Written only when set, so definitions stored before these existed keep their hash.
        if self.chair != DEFAULT_CHAIR:
            data["chair"] = self.chair
        if self.vote_within_days != DEFAULT_VOTE_WITHIN_DAYS:
            data["vote_within_days"] = self.vote_within_days
        return data | _optional_label(self.description)


@dataclass(frozen=True)
class WorkflowDefinition:
    """One version of a workflow: ordered stages and the gate that leaves each of them.

    The loader guarantees that `gates[i]` leaves `stages[i]` and enters `stages[i + 1]`, and
    that the last gate leads to `COMPLETED`, so every stage has exactly one gate.
    `source` says where it was loaded from (file path or database row) and is not compared.
    """

    key: str
    version: int
    name: Label
    stages: tuple[Stage, ...]
    gates: tuple[Gate, ...]
    description: Label | None = None
    source: str = field(default="", compare=False)

    @property
    def stage_keys(self) -> tuple[str, ...]:
        return tuple(s.key for s in self.stages)

    @property
    def first_stage(self) -> Stage:
        """Where a new project starts."""
        return self.stages[0]

    def stage(self, key: str) -> Stage | None:
        return next((s for s in self.stages if s.key == key), None)

    def gate(self, key: str) -> Gate | None:
        return next((g for g in self.gates if g.key == key), None)

    def gate_from(self, stage_key: str) -> Gate | None:
        """The gate a project in `stage_key` must pass next (None for an unknown stage)."""
        return next((g for g in self.gates if g.from_stage == stage_key), None)

    def to_dict(self) -> dict[str, Any]:
        """Schema form, JSON-serialisable; `parse_definition(d.to_dict(), ...) == d`."""
        data: dict[str, Any] = {
            "key": self.key,
            "version": self.version,
            "name": self.name.to_data(),
            "stages": [s.to_dict() for s in self.stages],
            "gates": [g.to_dict() for g in self.gates],
        }
        return data | _optional_label(self.description)

    @property
    def content_hash(self) -> str:
        """SHA-256 of the canonical schema form.

        Lets the app notice a YAML file edited without bumping `version`, which would silently
        change the rules for projects pinned to that version.
        """
        return hashlib.sha256(canonical_json(self.to_dict()).encode()).hexdigest()
