"""Fixtures for the engine's unit tests: no Flask, no database."""

from collections.abc import Callable, Iterator

import pytest

from workflows import (
    Approvers,
    Criterion,
    Deliverable,
    Gate,
    Label,
    WorkflowDefinition,
    WorkflowEngine,
    load_definitions_dir,
)

#: A small valid definition; the loader tests break it one way at a time and check the line.
MINI_YAML = """\
key: mini
version: 1
name: Mini
stages:
  - key: idea
    name: Idea
  - key: build
    name: Build
gates:
  - key: screen
    name: Screen
    from: idea
    to: build
    criteria:
      - key: fit
        label: Strategic fit
        must_meet: true
      - key: value
        label: Value
        must_meet: false
        weight: 2
    pass_score: 50
    deliverables:
      - key: charter
        name: Charter
        kind: template
    approvers:
      role: gatekeeper
      min_votes: 2
    rule: majority
    requires_training: []
  - key: close
    name: Close
    from: build
    to: completed
"""


@pytest.fixture
def mini_yaml() -> str:
    return MINI_YAML


@pytest.fixture(scope="session")
def shipped() -> dict[str, WorkflowDefinition]:
    return load_definitions_dir()


@pytest.fixture
def stage_gate(shipped: dict[str, WorkflowDefinition]) -> WorkflowDefinition:
    return shipped["stage-gate"]


@pytest.fixture
def it_project(shipped: dict[str, WorkflowDefinition]) -> WorkflowDefinition:
    return shipped["it-project"]


@pytest.fixture(autouse=True)
def _fresh_engine_cache() -> Iterator[None]:
    """Each test sees an empty engine cache, so cache tests do not depend on test order."""
    WorkflowEngine.clear_cache()
    yield
    WorkflowEngine.clear_cache()


@pytest.fixture
def make_gate() -> Callable[..., Gate]:
    """A gate with one must-meet criterion, two weighted should-meet ones and two deliverables."""

    def factory(**overrides: object) -> Gate:
        fields: dict[str, object] = {
            "key": "g",
            "name": Label.plain("Gate"),
            "from_stage": "a",
            "to_stage": "b",
            "criteria": (
                Criterion("fit", Label.plain("Strategic fit"), must_meet=True),
                Criterion("value", Label.plain("Value"), must_meet=False, weight=3),
                Criterion("risk", Label.plain("Risk"), must_meet=False, weight=1),
            ),
            "pass_score": 60,
            "deliverables": (
                Deliverable("charter", Label.plain("Charter"), "template", "tpl-charter"),
                Deliverable("plan", Label.plain("Plan"), "template"),
            ),
            "approvers": Approvers(),
            "requires_training": ("project-method",),
        }
        fields.update(overrides)
        return Gate(**fields)  # type: ignore[arg-type]

    return factory
