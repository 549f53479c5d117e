"""Validate a definition given as plain data and build the typed model.

Plain data comes from YAML (with line numbers, see `workflows.loader`) or from the JSON the app
stored for an older version (no line numbers). Every check fails with a `DefinitionError` that
names the field path, so both sources report problems the same way.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, NoReturn, TypeVar

from workflows.errors import DefinitionError
from workflows.model import (
    COMPLETED,
    DEFAULT_CHAIR,
    DEFAULT_VOTE_WITHIN_DAYS,
    LANGUAGES,
    RESERVED_STAGE_KEYS,
    ROLES,
    Approvers,
    Criterion,
    Deliverable,
    Gate,
    Label,
    Rule,
    Stage,
    WorkflowDefinition,
)

T = TypeVar("T")

#: Location of a value inside the definition: mapping keys and list indexes.
Path = tuple[str | int, ...]

#: Keys are ASCII slugs so they can live in URLs, database columns and state names. A double
#: underscore is refused because the engine uses it to name the on-hold twin of each stage.
_KEY = re.compile(r"^[a-z0-9]+(?:[-_][a-z0-9]+)*$")
#: Keys (of workflows, stages, gates, criteria, deliverables) are stored in columns this long.
MAX_KEY_LENGTH = 64


def format_path(path: Path) -> str:
    """`("gates", 2, "approvers", "min_votes")` -> `gates[2].approvers.min_votes`."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text


@dataclass(frozen=True)
class _Context:
    source: str
    lines: Mapping[Path, int]

    def line_of(self, path: Path) -> int | None:
        """Line of `path`, else of its nearest ancestor (where a missing field is reported)."""
        while path not in self.lines:
            if not path:
                return None
            path = path[:-1]
        return self.lines[path]


@dataclass(frozen=True)
class _Field:
    """A value of the definition together with where it sits, so any check can say where."""

    ctx: _Context
    value: Any
    path: Path

    def fail(self, reason: str) -> NoReturn:
        raise DefinitionError(
            self.ctx.source, self.ctx.line_of(self.path), format_path(self.path), reason
        )

    def child(self, part: str | int, value: Any) -> _Field:
        return _Field(self.ctx, value, (*self.path, part))

    def mapping(self, required: Iterable[str], optional: Iterable[str] = ()) -> dict[str, _Field]:
        """Fields of a mapping, refusing unknown fields and missing required ones."""
        if not isinstance(self.value, Mapping):
            self.fail(f"expected a mapping, got {_kind(self.value)}")
        required = tuple(required)
        allowed = set(required) | set(optional)
        fields: dict[str, _Field] = {}
        for name, value in self.value.items():
            field = self.child(str(name), value)
            if name not in allowed:
                field.fail(f"unknown field (allowed: {', '.join(sorted(allowed))})")
            fields[name] = field
        for name in required:
            if name not in fields:
                self.child(name, None).fail("missing required field")
        return fields

    def sequence(self, *, allow_empty: bool = True) -> list[_Field]:
        if not isinstance(self.value, list):
            self.fail(f"expected a list, got {_kind(self.value)}")
        if not allow_empty and not self.value:
            self.fail("must not be empty")
        return [self.child(i, v) for i, v in enumerate(self.value)]

    def text(self) -> str:
        if not isinstance(self.value, str) or not self.value.strip():
            self.fail(f"expected non-empty text, got {_kind(self.value)}")
        return self.value.strip()

    def key(self) -> str:
        text = self.text()
        if not _KEY.match(text):
            self.fail(f"{text!r} is not a key: use lowercase ASCII letters, digits, '-' or '_'")
        if len(text) > MAX_KEY_LENGTH:
            self.fail(f"{text!r} is longer than {MAX_KEY_LENGTH} characters")
        return text

    def boolean(self) -> bool:
        if not isinstance(self.value, bool):
            self.fail(f"expected true or false, got {_kind(self.value)}")
        return self.value

    def integer(self, minimum: int) -> int:
        if isinstance(self.value, bool) or not isinstance(self.value, int):
            self.fail(f"expected a whole number, got {_kind(self.value)}")
        if self.value < minimum:
            self.fail(f"must be at least {minimum} (got {self.value})")
        return self.value

    def number(
        self, *, above: float | None = None, within: tuple[float, float] | None = None
    ) -> float:
        if isinstance(self.value, bool) or not isinstance(self.value, int | float):
            self.fail(f"expected a number, got {_kind(self.value)}")
        if above is not None and not self.value > above:
            self.fail(f"must be greater than {above:g} (got {self.value})")
        if within is not None and not within[0] <= self.value <= within[1]:
            self.fail(f"must be between {within[0]:g} and {within[1]:g} (got {self.value})")
        return self.value

    def choice(self, choices: Iterable[str]) -> str:
        choices = tuple(choices)
        text = self.text()
        if text not in choices:
            self.fail(f"unknown value {text!r} (expected one of: {', '.join(choices)})")
        return text

    def label(self) -> Label:
        """A plain string, or a mapping of `en`/`fr` texts (a missing one borrows the other)."""
        if isinstance(self.value, str):
            return Label.plain(self.text())
        texts = {lang: f.text() for lang, f in self.mapping((), LANGUAGES).items()}
        if not texts:
            self.fail(f"expected text or a mapping with {' and/or '.join(LANGUAGES)}")
        english = texts.get("en") or texts["fr"]
        return Label(en=english, fr=texts.get("fr") or english)


def _kind(value: Any) -> str:
    names = {type(None): "nothing", bool: "true/false", dict: "a mapping", list: "a list"}
    return names.get(type(value), f"{type(value).__name__} {value!r}")


def _optional(
    fields: dict[str, _Field], name: str, read: Callable[[_Field], Any], default: Any = None
) -> Any:
    return read(fields[name]) if name in fields else default


def _unique_keys(items: list[_Field], what: str) -> None:
    """Refuse a key repeated within a list, reported where it repeats."""
    seen: dict[str, Path] = {}
    for item in items:
        field = item.child("key", item.value["key"])
        key = field.key()
        if key in seen:
            field.fail(f"duplicate {what} key {key!r} (first at {format_path(seen[key])})")
        seen[key] = field.path


def _stage(f: _Field) -> Stage:
    fields = f.mapping(("key", "name"), ("description",))
    key = fields["key"].key()
    if key in RESERVED_STAGE_KEYS:
        fields["key"].fail(f"{key!r} is reserved for the engine's terminal states")
    return Stage(key, fields["name"].label(), _optional(fields, "description", _Field.label))


def _criterion(f: _Field) -> Criterion:
    fields = f.mapping(("key", "label", "must_meet"), ("weight", "description"))
    must_meet = fields["must_meet"].boolean()
    if must_meet and "weight" in fields:
        fields["weight"].fail("only should-meet criteria (must_meet: false) carry a weight")
    if not must_meet and "weight" not in fields:
        f.child("weight", None).fail("a should-meet criterion (must_meet: false) needs a weight")
    weight = _optional(fields, "weight", lambda w: w.number(above=0))
    description = _optional(fields, "description", _Field.label)
    return Criterion(fields["key"].key(), fields["label"].label(), must_meet, weight, description)


def _deliverable(f: _Field) -> Deliverable:
    fields = f.mapping(("key", "name", "kind"), ("template", "description"))
    return Deliverable(
        key=fields["key"].key(),
        name=fields["name"].label(),
        kind=fields["kind"].key(),
        template=_optional(fields, "template", _Field.key),
        description=_optional(fields, "description", _Field.label),
    )


def _approvers(f: _Field) -> Approvers:
    fields = f.mapping((), ("role", "min_votes"))
    default = Approvers()
    return Approvers(
        role=_optional(fields, "role", _Field.key, default.role),
        min_votes=_optional(fields, "min_votes", lambda v: v.integer(1), default.min_votes),
    )


def _keyed_list(
    fields: dict[str, _Field],
    name: str,
    parse: Callable[[_Field], T],
    what: str,
    *,
    allow_empty: bool = True,
) -> list[T]:
    """Parse an optional list whose items are mappings with a `key` unique within the list."""
    if name not in fields:
        return []
    items = fields[name].sequence(allow_empty=allow_empty)
    parsed = [parse(item) for item in items]
    _unique_keys(items, what)
    return parsed


_GATE_OPTIONAL = (
    "criteria",
    "pass_score",
    "deliverables",
    "approvers",
    "rule",
    "requires_training",
    "description",
    "chair",
    "vote_within_days",
)


def _gate(f: _Field, stages: list[str]) -> Gate:
    fields = f.mapping(("key", "name", "from", "to"), _GATE_OPTIONAL)
    from_stage = fields["from"].key()
    to_stage = fields["to"].key()
    for name, value in (("from", from_stage), ("to", to_stage)):
        if value not in stages and not (name == "to" and value == COMPLETED):
            fields[name].fail(f"unknown stage {value!r} (stages: {', '.join(stages)})")
    index = int(f.path[-1])
    if index >= len(stages):
        f.fail(f"one gate per stage: there are {len(stages)} stages but more gates")
    expected_to = stages[index + 1] if index + 1 < len(stages) else COMPLETED
    if from_stage != stages[index]:
        fields["from"].fail(f"gates must chain the stages in order: expected {stages[index]!r}")
    if to_stage != expected_to:
        fields["to"].fail(f"gates must chain the stages in order: expected {expected_to!r}")

    criteria = _keyed_list(fields, "criteria", _criterion, "criterion")
    should_meet = [c for c in criteria if not c.must_meet]
    if should_meet and "pass_score" not in fields:
        f.child("pass_score", None).fail("required when the gate has should-meet criteria")
    return Gate(
        key=fields["key"].key(),
        name=fields["name"].label(),
        from_stage=from_stage,
        to_stage=to_stage,
        criteria=tuple(criteria),
        pass_score=_optional(fields, "pass_score", lambda p: p.number(within=(0, 100)), 0),
        deliverables=tuple(_keyed_list(fields, "deliverables", _deliverable, "deliverable")),
        approvers=_optional(fields, "approvers", _approvers, Approvers()),
        rule=Rule(_optional(fields, "rule", lambda r: r.choice(Rule), Rule.MAJORITY)),
        requires_training=_optional(fields, "requires_training", _course_keys, ()),
        description=_optional(fields, "description", _Field.label),
        chair=_optional(fields, "chair", lambda c: c.choice(ROLES), DEFAULT_CHAIR),
        vote_within_days=_optional(
            fields, "vote_within_days", lambda v: v.integer(1), DEFAULT_VOTE_WITHIN_DAYS
        ),
    )


def _course_keys(f: _Field) -> tuple[str, ...]:
    keys: list[str] = []
    for item in f.sequence():
        key = item.key()
        if key in keys:
            item.fail(f"course {key!r} is listed twice")
        keys.append(key)
    return tuple(keys)


def parse_fields(data: Any, source: str, lines: Mapping[Path, int]) -> WorkflowDefinition:
    """Build a definition from plain data; `lines` maps field paths to YAML line numbers."""
    root = _Field(_Context(source, lines), data, ())
    fields = root.mapping(("key", "version", "name", "stages", "gates"), ("description",))
    key, version, name = fields["key"].key(), fields["version"].integer(1), fields["name"].label()
    stages = _keyed_list(fields, "stages", _stage, "stage", allow_empty=False)
    stage_keys = [s.key for s in stages]
    gates = _keyed_list(fields, "gates", lambda g: _gate(g, stage_keys), "gate")
    if len(gates) < len(stages):
        missing = stage_keys[len(gates)]
        fields["gates"].fail(
            f"stage {missing!r} has no gate: each stage needs the gate that leaves it, "
            f"and the last gate leads to {COMPLETED!r}"
        )
    return WorkflowDefinition(
        key=key,
        version=version,
        name=name,
        stages=tuple(stages),
        gates=tuple(gates),
        description=_optional(fields, "description", _Field.label),
        source=source,
    )


def parse_definition(data: Mapping[str, Any], source: str) -> WorkflowDefinition:
    """Build a definition from a plain dict, such as the JSON the app stored for a version.

    `source` names the origin in error messages (`"database: stage-gate v1"`).
    """
    return parse_fields(data, source, {})
