"""The state machine: which decisions move a project where, and what is refused."""

import threading
from dataclasses import replace

import pytest

from workflows import (
    COMPLETED,
    RESUME,
    Decision,
    ProjectState,
    Status,
    TransitionRefused,
    WorkflowDefinition,
    WorkflowEngine,
    load_definitions_dir,
)

DEFINITIONS = load_definitions_dir()
#: Every (definition, stage) pair of the shipped workflows.
EVERY_STAGE = [(d, s) for d in DEFINITIONS.values() for s in d.stage_keys]
STAGE_IDS = [f"{d.key}:{s}" for d, s in EVERY_STAGE]
ADVANCING = [Decision.GO, Decision.CONDITIONAL_GO]


def _assert_every_decision_refused(engine: WorkflowEngine, state: ProjectState, code: str) -> None:
    for decision in Decision:
        with pytest.raises(TransitionRefused) as refused:
            engine.apply_decision(state, decision)
        assert refused.value.code == code


def _next(definition: WorkflowDefinition, stage: str) -> ProjectState:
    target = definition.gate_from(stage).to_stage
    return ProjectState(stage, Status.COMPLETED) if target == COMPLETED else ProjectState(target)


@pytest.mark.parametrize("decision", ADVANCING)
@pytest.mark.parametrize(("definition", "stage"), EVERY_STAGE, ids=STAGE_IDS)
def test_go_and_conditional_go_advance_exactly_one_gate(
    definition: WorkflowDefinition, stage: str, decision: Decision
) -> None:
    engine = WorkflowEngine.for_definition(definition)
    assert engine.apply_decision(ProjectState(stage), decision) == _next(definition, stage)


@pytest.mark.parametrize("decision", ADVANCING)
@pytest.mark.parametrize("definition", DEFINITIONS.values(), ids=DEFINITIONS)
def test_last_gate_completes_the_project_in_its_last_stage(
    definition: WorkflowDefinition, decision: Decision
) -> None:
    last = definition.stage_keys[-1]
    engine = WorkflowEngine.for_definition(definition)
    assert engine.apply_decision(ProjectState(last), decision) == ProjectState(
        last, Status.COMPLETED
    )


@pytest.mark.parametrize(("definition", "stage"), EVERY_STAGE, ids=STAGE_IDS)
def test_hold_recycle_and_kill_keep_the_stage(definition: WorkflowDefinition, stage: str) -> None:
    engine = WorkflowEngine.for_definition(definition)
    active = ProjectState(stage)
    assert engine.apply_decision(active, Decision.HOLD) == ProjectState(stage, Status.ON_HOLD)
    assert engine.apply_decision(active, Decision.RECYCLE) == active
    assert engine.apply_decision(active, Decision.KILL) == ProjectState(stage, Status.KILLED)


@pytest.mark.parametrize(("definition", "stage"), EVERY_STAGE, ids=STAGE_IDS)
def test_on_hold_refuses_every_decision_but_resumes(
    definition: WorkflowDefinition, stage: str
) -> None:
    engine = WorkflowEngine.for_definition(definition)
    held = ProjectState(stage, Status.ON_HOLD)
    _assert_every_decision_refused(engine, held, "project_on_hold")
    assert engine.resume(held) == ProjectState(stage)
    assert engine.allowed_triggers(held) == {RESUME}


@pytest.mark.parametrize(
    ("status", "code"),
    [(Status.KILLED, "project_killed"), (Status.COMPLETED, "project_completed")],
)
@pytest.mark.parametrize(("definition", "stage"), EVERY_STAGE, ids=STAGE_IDS)
def test_killed_and_completed_projects_accept_nothing(
    definition: WorkflowDefinition, stage: str, status: Status, code: str
) -> None:
    engine = WorkflowEngine.for_definition(definition)
    ended = ProjectState(stage, status)
    _assert_every_decision_refused(engine, ended, code)
    with pytest.raises(TransitionRefused) as refused:
        engine.resume(ended)
    assert refused.value.code == code
    assert engine.allowed_triggers(ended) == frozenset()
    assert engine.can_submit(ended)[0] is False


def test_resume_of_an_active_project_is_refused(stage_gate: WorkflowDefinition) -> None:
    engine = WorkflowEngine.for_definition(stage_gate)
    with pytest.raises(TransitionRefused) as refused:
        engine.resume(ProjectState("scoping"))
    assert (refused.value.code, refused.value.params) == ("not_on_hold", {})


def test_only_an_active_project_may_submit(stage_gate: WorkflowDefinition) -> None:
    engine = WorkflowEngine.for_definition(stage_gate)
    assert engine.can_submit(ProjectState("scoping")) == (True, None)
    allowed, refusal = engine.can_submit(ProjectState("scoping", Status.ON_HOLD))
    assert (allowed, refusal.code) == (False, "project_on_hold")
    with pytest.raises(TransitionRefused) as refused:
        engine.ensure_can_submit(ProjectState("scoping", Status.KILLED))
    assert refused.value.code == "project_killed"


def test_active_project_is_offered_every_decision(stage_gate: WorkflowDefinition) -> None:
    engine = WorkflowEngine.for_definition(stage_gate)
    assert engine.allowed_triggers(ProjectState("testing")) == set(Decision)


def test_machine_has_no_auto_transitions(stage_gate: WorkflowDefinition) -> None:
    machine = WorkflowEngine.for_definition(stage_gate).machine
    assert not machine.auto_transitions
    assert not [event for event in machine.events if event.startswith("to_")]
    assert set(machine.events) == {*Decision, RESUME, "submit"}


def test_gate_from_gives_the_next_gate_or_none(stage_gate: WorkflowDefinition) -> None:
    engine = WorkflowEngine.for_definition(stage_gate)
    assert engine.gate_from("discovery") is stage_gate.gates[0]
    assert engine.gate_from("nowhere") is None


def test_unknown_stage_or_decision_is_a_programming_error(stage_gate: WorkflowDefinition) -> None:
    engine = WorkflowEngine.for_definition(stage_gate)
    with pytest.raises(ValueError, match="not a stage of stage-gate v1"):
        engine.apply_decision(ProjectState("opportunite"), Decision.GO)
    with pytest.raises(ValueError, match="approve"):
        engine.apply_decision(ProjectState("scoping"), "approve")


def test_engine_is_cached_per_definition_version(stage_gate: WorkflowDefinition) -> None:
    engine = WorkflowEngine.for_definition(stage_gate)
    assert WorkflowEngine.for_definition(stage_gate) is engine
    bumped = replace(stage_gate, version=2)
    other = WorkflowEngine.for_definition(bumped)
    assert other is not engine
    assert other.machine is not engine.machine
    assert WorkflowEngine.for_definition(stage_gate).machine is engine.machine


def test_changed_content_under_the_same_version_is_refused(stage_gate: WorkflowDefinition) -> None:
    WorkflowEngine.for_definition(stage_gate)
    edited = replace(stage_gate, gates=(replace(stage_gate.gates[0], pass_score=99),))
    with pytest.raises(ValueError, match="bump its version"):
        WorkflowEngine.for_definition(edited)


def test_projects_are_detached_after_moves_refusals_and_errors(
    stage_gate: WorkflowDefinition, monkeypatch: pytest.MonkeyPatch
) -> None:
    engine = WorkflowEngine.for_definition(stage_gate)
    engine.apply_decision(ProjectState("scoping"), Decision.GO)
    with pytest.raises(TransitionRefused):
        engine.apply_decision(ProjectState("scoping", Status.KILLED), Decision.GO)
    engine.can_submit(ProjectState("scoping", Status.ON_HOLD))

    def broken(*_args: object) -> ProjectState:
        raise RuntimeError("failure after the transition")

    monkeypatch.setattr(engine, "_project_state", broken)
    with pytest.raises(RuntimeError):
        engine.apply_decision(ProjectState("scoping"), Decision.GO)
    assert engine.machine.models == []


def test_concurrent_moves_on_one_shared_machine_do_not_mix_projects(
    it_project: WorkflowDefinition,
) -> None:
    engine = WorkflowEngine.for_definition(it_project)
    stages = it_project.stage_keys
    errors: list[BaseException] = []

    def walk(offset: int) -> None:
        try:
            for i in range(200):
                stage = stages[(offset + i) % (len(stages) - 1)]
                result = engine.apply_decision(ProjectState(stage), Decision.GO)
                assert result == ProjectState(stages[stages.index(stage) + 1])
        except BaseException as error:  # reported to the main thread below
            errors.append(error)

    threads = [threading.Thread(target=walk, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert engine.machine.models == []


def test_project_state_takes_the_status_string_stored_in_the_database() -> None:
    assert ProjectState("scoping", "on_hold").status is Status.ON_HOLD
    with pytest.raises(ValueError, match="paused"):
        ProjectState("scoping", "paused")
