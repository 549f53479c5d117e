"""Loading and validating workflow definitions."""

import json
from dataclasses import replace
from pathlib import Path

import pytest

from workflows import (
    COMPLETED,
    DefinitionError,
    Rule,
    WorkflowDefinition,
    load_definition_file,
    load_definition_text,
    load_definitions_dir,
    parse_definition,
)


def test_both_shipped_definitions_load(shipped: dict[str, WorkflowDefinition]) -> None:
    assert set(shipped) == {"stage-gate", "it-project"}
    assert all(d.version == 1 for d in shipped.values())


def test_stage_gate_follows_coopers_stages_and_completes_after_post_launch_review(
    stage_gate: WorkflowDefinition,
) -> None:
    assert stage_gate.stage_keys == (
        "discovery",
        "scoping",
        "business-case",
        "development",
        "testing",
        "launch",
    )
    assert stage_gate.gates[-1].from_stage == "launch"
    assert stage_gate.gates[-1].to_stage == COMPLETED
    assert "post-launch" in stage_gate.gates[-1].key


def test_stage_gate_idea_screen_asks_for_criteria_only(stage_gate: WorkflowDefinition) -> None:
    idea_screen = stage_gate.gates[0]
    assert idea_screen.criteria
    assert idea_screen.deliverables == ()


def test_it_project_names_carry_french_accents_and_keys_stay_ascii(
    it_project: WorkflowDefinition,
) -> None:
    assert [s.name.text("fr") for s in it_project.stages] == [
        "Opportunité",
        "Cadrage",
        "Conception",
        "Réalisation",
        "Recette",
        "Déploiement",
        "Clôture",
    ]
    assert all(key.isascii() for key in it_project.stage_keys)
    assert it_project.gates[-1].to_stage == COMPLETED


def test_it_project_first_gate_requires_the_project_method_course(
    it_project: WorkflowDefinition,
) -> None:
    assert it_project.gate_from("opportunite").requires_training == ("project-method",)


def test_shipped_gates_default_to_two_gatekeeper_votes_and_some_are_unanimous(
    shipped: dict[str, WorkflowDefinition],
) -> None:
    for definition in shipped.values():
        assert all(g.approvers.role == "gatekeeper" for g in definition.gates)
        assert all(g.approvers.min_votes == 2 for g in definition.gates)
        assert {g.rule for g in definition.gates} == {Rule.MAJORITY, Rule.UNANIMOUS}


def test_shipped_definitions_round_trip_through_json(
    shipped: dict[str, WorkflowDefinition],
) -> None:
    for definition in shipped.values():
        stored = json.loads(json.dumps(definition.to_dict()))
        rebuilt = parse_definition(stored, "database")
        assert rebuilt == definition
        assert rebuilt.content_hash == definition.content_hash


def test_content_hash_changes_when_a_rule_changes(stage_gate: WorkflowDefinition) -> None:
    stricter = replace(stage_gate, gates=(replace(stage_gate.gates[0], pass_score=99),))
    assert stricter.content_hash != stage_gate.content_hash


def test_missing_approvers_and_rule_default_to_two_gatekeepers_by_majority(mini_yaml: str) -> None:
    close = load_definition_text(mini_yaml, "mini.yaml").gate("close")
    assert (close.approvers.role, close.approvers.min_votes, close.rule) == (
        "gatekeeper",
        2,
        Rule.MAJORITY,
    )


def test_chair_and_vote_window_default_to_the_pmo_and_ten_days(mini_yaml: str) -> None:
    close = load_definition_text(mini_yaml, "mini.yaml").gate("close")
    assert (close.chair, close.vote_within_days) == ("pmo", 10)
    assert "chair" not in close.to_dict()  # a default leaves stored definitions' hash alone


def test_a_gate_names_its_chair_and_vote_window(mini_yaml: str) -> None:
    text = mini_yaml.replace(
        "rule: majority", "rule: majority\n    chair: admin\n    vote_within_days: 5"
    )
    definition = load_definition_text(text, "mini.yaml")
    gate = definition.gates[0]
    assert (gate.chair, gate.vote_within_days) == ("admin", 5)
    assert parse_definition(definition.to_dict(), "json") == definition


def test_a_chair_that_is_no_role_is_refused(mini_yaml: str) -> None:
    text = mini_yaml.replace("rule: majority", "rule: majority\n    chair: boss")
    with pytest.raises(DefinitionError, match=r"gates\[0\]\.chair: unknown value 'boss'"):
        load_definition_text(text, "mini.yaml")


def test_a_vote_window_below_one_day_is_refused(mini_yaml: str) -> None:
    text = mini_yaml.replace("rule: majority", "rule: majority\n    vote_within_days: 0")
    with pytest.raises(DefinitionError, match=r"gates\[0\]\.vote_within_days: must be at least 1"):
        load_definition_text(text, "mini.yaml")


def test_a_label_may_be_given_in_one_language_only(mini_yaml: str) -> None:
    text = mini_yaml.replace("name: Idea", "name: {fr: Idée}")
    idea = load_definition_text(text, "mini.yaml").stage("idea")
    assert (idea.name.text("en"), idea.name.text("fr")) == ("Idée", "Idée")


def _break(text: str, old: str, new: str) -> str:
    assert text.count(old) == 1, f"the test's anchor {old!r} must be unique"
    return text.replace(old, new)


# (what is wrong, text to replace, replacement, field path, line, words of the reason)
BAD_DEFINITIONS = [
    ("unknown stage in to", "to: build", "to: biuld", "gates[0].to", 13, "unknown stage 'biuld'"),
    (
        "duplicate stage key",
        "key: build\n    name: Build",
        "key: idea\n    name: Build",
        "stages[1].key",
        7,
        "duplicate stage key 'idea'",
    ),
    (
        "duplicate criterion key",
        "key: value",
        "key: fit",
        "gates[0].criteria[1].key",
        18,
        "duplicate criterion key",
    ),
    (
        "weight missing on a should-meet criterion",
        "        weight: 2\n",
        "",
        "gates[0].criteria[1].weight",
        18,
        "needs a weight",
    ),
    (
        "weight on a must-meet criterion",
        "must_meet: true\n",
        "must_meet: true\n        weight: 1\n",
        "gates[0].criteria[0].weight",
        18,
        "only should-meet",
    ),
    (
        "pass_score above 100",
        "pass_score: 50",
        "pass_score: 150",
        "gates[0].pass_score",
        22,
        "between 0 and 100",
    ),
    (
        "pass_score missing with should-meet criteria",
        "    pass_score: 50\n",
        "",
        "gates[0].pass_score",
        10,
        "required",
    ),
    (
        "gates out of order",
        "from: build\n    to: completed",
        "from: idea\n    to: completed",
        "gates[1].from",
        34,
        "chain the stages in order",
    ),
    (
        "gate skipping a stage",
        "to: build",
        "to: completed",
        "gates[0].to",
        13,
        "chain the stages in order",
    ),
    (
        "last stage without a gate",
        "  - key: close\n    name: Close\n    from: build\n    to: completed\n",
        "",
        "gates",
        9,
        "stage 'build' has no gate",
    ),
    ("unknown rule", "rule: majority", "rule: consensus", "gates[0].rule", 30, "unknown value"),
    (
        "min_votes below one",
        "min_votes: 2",
        "min_votes: 0",
        "gates[0].approvers.min_votes",
        29,
        "at least 1",
    ),
    (
        "min_votes not a number",
        "min_votes: 2",
        "min_votes: two",
        "gates[0].approvers.min_votes",
        29,
        "whole number",
    ),
    (
        "unknown field",
        "    name: Screen\n",
        "    name: Screen\n    colour: red\n",
        "gates[0].colour",
        12,
        "unknown field",
    ),
    (
        "field repeated in YAML",
        "    name: Screen\n",
        "    name: Screen\n    name: Again\n",
        "gates[0].name",
        12,
        "duplicate field",
    ),
    (
        "reserved stage key",
        "key: build\n    name: Build",
        "key: killed\n    name: Build",
        "stages[1].key",
        7,
        "reserved",
    ),
    (
        "stage key with a double underscore",
        "key: build\n    name: Build",
        "key: build__x\n    name: Build",
        "stages[1].key",
        7,
        "not a key",
    ),
    ("key that is not a slug", "key: screen", "key: Screen Gate", "gates[0].key", 10, "not a key"),
    ("version zero", "version: 1", "version: 0", "version", 2, "at least 1"),
    (
        "must_meet not a boolean",
        "must_meet: true",
        "must_meet: maybe",
        "gates[0].criteria[0].must_meet",
        17,
        "true or false",
    ),
    (
        "unknown label language",
        "name: Idea",
        "name: {en: Idea, de: Idee}",
        "stages[0].name.de",
        6,
        "unknown field",
    ),
    (
        "training course listed twice",
        "requires_training: []",
        "requires_training: [method, method]",
        "gates[0].requires_training[1]",
        31,
        "listed twice",
    ),
]


@pytest.mark.parametrize(
    ("old", "new", "field", "line", "reason"),
    [case[1:] for case in BAD_DEFINITIONS],
    ids=[case[0] for case in BAD_DEFINITIONS],
)
def test_bad_definition_error_names_file_line_and_field(
    tmp_path: Path, mini_yaml: str, old: str, new: str, field: str, line: int, reason: str
) -> None:
    path = tmp_path / "broken.yaml"
    path.write_text(_break(mini_yaml, old, new), encoding="utf-8")
    with pytest.raises(DefinitionError) as caught:
        load_definition_file(path)
    error = caught.value
    assert (error.source, error.line, error.field) == (str(path), line, field)
    assert reason in error.reason
    assert str(error).startswith(f"{path}, line {line}: {field}: ")


def test_invalid_yaml_syntax_reports_the_line(mini_yaml: str) -> None:
    with pytest.raises(DefinitionError, match=r"mini\.yaml, line \d+: invalid YAML") as caught:
        load_definition_text(_break(mini_yaml, "name: Mini", "name: [Mini"), "mini.yaml")
    assert caught.value.line is not None


def test_empty_file_is_refused(tmp_path: Path) -> None:
    (tmp_path / "empty.yaml").write_text("", encoding="utf-8")
    with pytest.raises(DefinitionError, match="empty"):
        load_definition_file(tmp_path / "empty.yaml")


def test_definition_from_a_dict_names_the_field_without_a_line(
    stage_gate: WorkflowDefinition,
) -> None:
    data = stage_gate.to_dict()
    data["gates"][2]["approvers"]["min_votes"] = 0
    with pytest.raises(DefinitionError) as caught:
        parse_definition(data, "database: stage-gate v1")
    assert caught.value.line is None
    assert str(caught.value) == (
        "database: stage-gate v1: gates[2].approvers.min_votes: must be at least 1 (got 0)"
    )


def test_two_files_with_the_same_key_are_refused(tmp_path: Path, mini_yaml: str) -> None:
    (tmp_path / "a.yaml").write_text(mini_yaml, encoding="utf-8")
    (tmp_path / "b.yml").write_text(mini_yaml, encoding="utf-8")
    with pytest.raises(
        DefinitionError, match=r"b\.yml: key: 'mini' is already defined in .*a\.yaml"
    ):
        load_definitions_dir(tmp_path)


def test_definitions_dir_ignores_other_files(tmp_path: Path, mini_yaml: str) -> None:
    (tmp_path / "mini.yaml").write_text(mini_yaml, encoding="utf-8")
    (tmp_path / "README.md").write_text("not a definition", encoding="utf-8")
    assert list(load_definitions_dir(tmp_path)) == ["mini"]


def test_a_key_longer_than_its_columns_is_refused(stage_gate: WorkflowDefinition) -> None:
    data = stage_gate.to_dict()
    data["stages"][0]["key"] = "s" * 65
    with pytest.raises(DefinitionError, match="longer than 64 characters"):
        parse_definition(data, "database: stage-gate v1")
