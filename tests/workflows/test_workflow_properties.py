"""Random decision sequences never break the engine's invariants."""

from hypothesis import given
from hypothesis import strategies as st

from workflows import (
    RESUME,
    Decision,
    ProjectState,
    Status,
    TransitionRefused,
    WorkflowDefinition,
    WorkflowEngine,
    load_definitions_dir,
)

DEFINITIONS = list(load_definitions_dir().values())
MOVES = [*Decision, RESUME]
#: Status after a move that keeps the stage.
STAYING = {
    Decision.HOLD: Status.ON_HOLD,
    Decision.RECYCLE: Status.ACTIVE,
    Decision.KILL: Status.KILLED,
    RESUME: Status.ACTIVE,
}


def _is_allowed(state: ProjectState, move: str) -> bool:
    """Active projects take any decision, on-hold ones only resume, ended ones nothing."""
    if state.status is Status.ACTIVE:
        return move != RESUME
    return state.status is Status.ON_HOLD and move == RESUME


@given(
    definition=st.sampled_from(DEFINITIONS),
    moves=st.lists(st.sampled_from(MOVES), max_size=60),
)
def test_random_decisions_respect_the_lifecycle(
    definition: WorkflowDefinition, moves: list[str]
) -> None:
    engine = WorkflowEngine.for_definition(definition)
    order = definition.stage_keys
    state = ProjectState(order[0])
    for move in moves:
        try:
            after = engine.resume(state) if move == RESUME else engine.apply_decision(state, move)
        except TransitionRefused:
            assert not _is_allowed(state, move)
            continue
        assert _is_allowed(state, move)
        if move in STAYING:
            assert after == ProjectState(state.stage, STAYING[move])
        elif state.stage == order[-1]:
            assert after == ProjectState(state.stage, Status.COMPLETED)
        else:
            assert after == ProjectState(order[order.index(state.stage) + 1], Status.ACTIVE)
        state = after
    assert engine.machine.models == []
