"""The state machine that alone decides how a project moves through its workflow.

One `transitions` machine is built per definition version and shared by every project pinned to
it. A project is never stored in the machine: for each move a throwaway holder is attached with
the project's persisted stage and status as its initial state, triggered, and detached in a
`finally`, so the caller persists the returned `ProjectState` in its own transaction.

States of the machine:

- each stage key, for an active project in that stage;
- `<stage>__on_hold` for each stage, for a project on hold there; its only transition is `resume`
  back to the stage, so an on-hold project structurally cannot do anything else;
- `completed` (reached by `go`/`conditional_go` at the last gate) and `killed`, which have no
  outgoing transitions at all.

`auto_transitions=False`, so there is no `to_<state>` shortcut around the gates. Engines are
thread-safe: each holds a lock over every attach-trigger-detach.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import ClassVar

from transitions import Machine, MachineError

from workflows.errors import TransitionRefused
from workflows.model import COMPLETED, KILLED, Decision, Gate, Status, WorkflowDefinition

#: Trigger a PMO uses to take a project off hold; not a gate decision, so not in `Decision`.
RESUME = "resume"
#: Internal (state-preserving) trigger whose availability says whether a review may be submitted.
SUBMIT = "submit"
_HOLD_SUFFIX = "__on_hold"
#: Why nothing but `resume` (on hold), or nothing at all, is accepted: the refusal's code.
_STATUS_REFUSALS = {
    Status.KILLED: "project_killed",
    Status.COMPLETED: "project_completed",
    Status.ON_HOLD: "project_on_hold",
}


@dataclass(frozen=True)
class ProjectState:
    """What the app persists for a project: its stage key and its `Status`.

    A killed or completed project keeps the stage it was in, so reports can say where it ended.
    """

    stage: str
    status: Status = Status.ACTIVE

    def __post_init__(self) -> None:
        # Accept the plain string read from a database column; refuse an unknown one early.
        object.__setattr__(self, "status", Status(self.status))


class _Holder:
    """Stand-in model for one move; `transitions` sets `state` and trigger methods on it."""

    state: str


def _on_hold(stage: str) -> str:
    return f"{stage}{_HOLD_SUFFIX}"


class WorkflowEngine:
    """Moves projects of one definition version; get it with `WorkflowEngine.for_definition`."""

    _cache: ClassVar[dict[tuple[str, int], WorkflowEngine]] = {}
    _cache_lock: ClassVar[threading.Lock] = threading.Lock()

    def __init__(self, definition: WorkflowDefinition) -> None:
        """Build the machine; prefer `for_definition`, which builds it once per version."""
        self.definition = definition
        stages = definition.stage_keys
        transitions: list[dict[str, str | None]] = [
            {"trigger": RESUME, "source": _on_hold(stage), "dest": stage} for stage in stages
        ]
        for gate in definition.gates:
            stage = gate.from_stage
            moves: dict[str, str | None] = {
                Decision.GO.value: gate.to_stage,
                Decision.CONDITIONAL_GO.value: gate.to_stage,
                Decision.HOLD.value: _on_hold(stage),
                Decision.RECYCLE.value: stage,
                Decision.KILL.value: KILLED,
                SUBMIT: None,
            }
            transitions += [
                {"trigger": trigger, "source": stage, "dest": dest}
                for trigger, dest in moves.items()
            ]
        # A plain Machine behind one lock held for the whole attach-trigger-detach: the machine's
        # model list is shared state (transitions' LockedMachine would wrap every attribute
        # access instead).
        self._lock = threading.Lock()
        self._machine = Machine(
            model=None,
            states=[*stages, *map(_on_hold, stages), COMPLETED, KILLED],
            initial=stages[0],
            transitions=transitions,
            auto_transitions=False,
            name=f"{definition.key}@v{definition.version}",
        )

    @classmethod
    def for_definition(cls, definition: WorkflowDefinition) -> WorkflowEngine:
        """The shared engine of this definition's (key, version), built on first use.

        A different definition under an already-loaded (key, version) is refused: projects are
        pinned to a version, so its rules must not change under them; bump `version` instead.
        """
        cache_key = (definition.key, definition.version)
        with cls._cache_lock:
            engine = cls._cache.get(cache_key)
            if engine is None:
                engine = cls._cache[cache_key] = cls(definition)
        if engine.definition != definition:
            raise ValueError(
                f"{definition.key} version {definition.version} is already loaded with other "
                f"content (from {engine.definition.source}); bump its version"
            )
        return engine

    @classmethod
    def clear_cache(cls) -> None:
        """Forget every engine (tests, or a reload of definitions)."""
        with cls._cache_lock:
            cls._cache.clear()

    @property
    def machine(self) -> Machine:
        """The underlying machine, read-only by convention (diagrams, introspection)."""
        return self._machine

    def gate_from(self, stage: str) -> Gate | None:
        """The gate a project in `stage` must pass next."""
        return self.definition.gate_from(stage)

    def apply_decision(self, state: ProjectState, decision: Decision | str) -> ProjectState:
        """The state after a gate `decision`, or `TransitionRefused` when it is not allowed.

        `go` and `conditional_go` advance one gate (completing the project at the last one),
        `hold` puts it on hold in the same stage, `recycle` keeps it active in the same stage,
        `kill` ends it. Raises `ValueError` for a value that is not a decision.
        """
        return self._fire(state, Decision(decision).value)

    def resume(self, state: ProjectState) -> ProjectState:
        """Take a project off hold, back to its stage and active."""
        return self._fire(state, RESUME)

    def ensure_can_submit(self, state: ProjectState) -> None:
        """Raise `TransitionRefused` unless a gate review may be submitted in this state."""
        with self._attached(state) as holder:
            if not holder.may_trigger(SUBMIT):
                raise self._refusal(state, SUBMIT)

    def can_submit(self, state: ProjectState) -> tuple[bool, TransitionRefused | None]:
        """`(True, None)`, or `(False, refusal)` when the project's state forbids a submission."""
        try:
            self.ensure_can_submit(state)
        except TransitionRefused as refused:
            return False, refused
        return True, None

    def allowed_triggers(self, state: ProjectState) -> frozenset[str]:
        """Decisions (and `resume`) the machine accepts from this state, for forms and buttons."""
        with self._attached(state) as holder:
            return frozenset(t for t in self._machine.get_triggers(holder.state) if t != SUBMIT)

    def _state_name(self, state: ProjectState) -> str:
        d = self.definition
        if d.stage(state.stage) is None:
            raise ValueError(f"{state.stage!r} is not a stage of {d.key} v{d.version}")
        return {
            Status.ACTIVE: state.stage,
            Status.ON_HOLD: _on_hold(state.stage),
            Status.KILLED: KILLED,
            Status.COMPLETED: COMPLETED,
        }[state.status]

    def _project_state(self, name: str, previous: ProjectState) -> ProjectState:
        if name in (KILLED, COMPLETED):
            return ProjectState(previous.stage, Status(name))
        if name.endswith(_HOLD_SUFFIX):
            return ProjectState(name.removesuffix(_HOLD_SUFFIX), Status.ON_HOLD)
        return ProjectState(name, Status.ACTIVE)

    @contextmanager
    def _attached(self, state: ProjectState) -> Iterator[_Holder]:
        holder = _Holder()
        initial = self._state_name(state)
        with self._lock:
            self._machine.add_model(holder, initial=initial)
            try:
                yield holder
            finally:
                self._machine.remove_model(holder)

    def _fire(self, state: ProjectState, trigger: str) -> ProjectState:
        with self._attached(state) as holder:
            try:
                moved = holder.trigger(trigger)
            except MachineError:
                moved = False
            if not moved:
                raise self._refusal(state, trigger)
            return self._project_state(holder.state, state)

    def _refusal(self, state: ProjectState, trigger: str) -> TransitionRefused:
        """Explain, after the machine said no, why it did."""
        known = _STATUS_REFUSALS.get(state.status)
        if known is not None:
            return TransitionRefused(known)
        if trigger == RESUME:
            return TransitionRefused("not_on_hold")
        return TransitionRefused("not_allowed", trigger=trigger, stage=state.stage)
