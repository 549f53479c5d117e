"""The workflow engine's refusals, said in the reader's language.

`workflows/` answers with codes and parameters only (`must_meet_unmet` + a criterion key,
`project_on_hold`...). This module is the one place that turns them into sentences: with the
criterion's label and the deliverable's name in the reader's language, taken from the gate's
definition, and a course's title for missing training. The API's `details` and the review form
show the same sentences.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from enum import StrEnum
from typing import Any, Protocol

from flask import url_for
from flask_babel import format_date, format_decimal, get_locale, ngettext
from flask_babel import gettext as _

from app.refusals import Conflict, Forbidden
from workflows import ANSWER_MAX, Gate, Refusal, RefusalCode, TransitionRefused, WorkflowDefinition


class ItemProblem(StrEnum):
    """Why one item of a submission's `deliverables` cannot be used (the app's own checks).

    Carried as the `problem` parameter of a `deliverable_missing` refusal, so API clients keep
    the one code they know while the sentence says exactly what is wrong.
    """

    NO_SUCH_DOCUMENT = "no_such_document"
    NOT_A_DELIVERABLE = "not_a_deliverable"
    NO_DOCUMENT_OR_URL = "no_document_or_url"
    MATCHES_NO_DELIVERABLE = "matches_no_deliverable"


class HasId(Protocol):
    """A person (a `User` or an API `Principal`): only the id is read."""

    id: int


def reader_language() -> str:
    """The language the current reader is answered in (`fr`, `en`)."""
    return str(get_locale() or "en")


def submission_details(
    gate: Gate, refusals: Sequence[Refusal], person: HasId | None = None
) -> list[dict[str, Any]]:
    """The API's `details` of a refused submission: `code`, `field` and a translated `message`;
    a missing course also names its `course`, `title`, `url` and (when required of `person`)
    `due_date`."""
    language = reader_language()
    missing = [r.params["course"] for r in refusals if r.code is RefusalCode.TRAINING_MISSING]
    courses = _courses(missing, person)
    details: list[dict[str, Any]] = []
    for refusal in refusals:
        detail: dict[str, Any] = {"code": refusal.code.value, "field": refusal.field}
        if refusal.code is RefusalCode.TRAINING_MISSING:
            detail.update(courses[refusal.params["course"]])
        else:
            detail["message"] = _sentence(refusal, gate, language)
        details.append(detail)
    return details


def transition_message(
    refused: TransitionRefused, definition: WorkflowDefinition | None = None
) -> str:
    """Why the project's state forbids the move, in the reader's language."""
    match refused.code:
        case "project_killed":
            return _("The project was killed: nothing further is accepted.")
        case "project_completed":
            return _("The project is already completed.")
        case "project_on_hold":
            return _("The project is on hold: only resuming it is accepted.")
        case "not_on_hold":
            return _("The project is not on hold.")
    stage = refused.params.get("stage", "")
    found = definition.stage(stage) if definition is not None else None
    return _(
        "This is not allowed in the stage %(stage)s.",
        stage=found.name.text(reader_language()) if found is not None else stage,
    )


def transition_conflict(
    refused: TransitionRefused, definition: WorkflowDefinition | None = None
) -> Conflict:
    """The 409 refusal of a move the state machine does not allow, with the engine's code."""
    return Conflict(transition_message(refused, definition), code=refused.code)


def training_refusal(missing: Sequence[str], person: HasId | None = None) -> Forbidden:
    """The refusal of a vote by someone lacking the gate's training, naming the courses by
    title, with a link to each and the date it is due by when it is required of `person`."""
    courses = _courses(missing, person)
    return Forbidden(
        _(
            "Training required to vote: %(courses)s.",
            courses=", ".join(courses[key]["title"] for key in missing),
        ),
        code="training_missing",
        details=[
            {"field": f"training.{key}", "code": "training_missing", **courses[key]}
            for key in missing
        ],
    )


def _courses(keys: Sequence[str], person: HasId | None) -> dict[str, dict[str, Any]]:
    """Course key -> `course`, `title`, `url` of its page, `due_date` (ISO, when required of
    `person`) and the `message` naming them in the reader's language."""
    if not keys:
        return {}
    from app.training.services import course_due_dates, course_titles, today

    titles = course_titles(sorted(set(keys)))
    dues = course_due_dates(person.id, keys, today()) if person is not None else {}
    courses = {}
    for key in keys:
        title = titles.get(key, key)
        course: dict[str, Any] = {"course": key, "title": title}
        if key in titles:
            course["url"] = url_for("training.course", key=key)
        if key in dues:
            course["due_date"] = dues[key].isoformat()
            course["message"] = _(
                "Training missing: %(course)s (due by %(date)s)",
                course=title,
                date=format_date(dues[key], format="long"),
            )
        else:
            course["message"] = _("Training missing: %(course)s", course=title)
        courses[key] = course
    return courses


def _answer(value: Any) -> str:
    """An answer as the client wrote it (JSON), so `1` and `"1"` read differently."""
    return json.dumps(value, ensure_ascii=False, default=str)


def _sentence(refusal: Refusal, gate: Gate, language: str) -> str:
    params = refusal.params
    if "problem" in params:
        return _item_sentence(params)
    match refusal.code:
        case RefusalCode.DELIVERABLE_MISSING:
            found = next((d for d in gate.deliverables if d.key == params["deliverable"]), None)
            name = found.name.text(language) if found is not None else params["deliverable"]
            return _("Deliverable missing: %(name)s", name=name)
        case RefusalCode.SCORE_BELOW_PASS:
            return _(
                "The should-meet score (%(score)s %%) is below the pass score (%(pass_score)s %%).",
                score=format_decimal(round(params["score"])),
                pass_score=format_decimal(params["pass_score"]),
            )
        case RefusalCode.CONDITIONS_OPEN:
            return ngettext(
                "%(num)d condition of the last conditional go is still open.",
                "%(num)d conditions of the last conditional go are still open.",
                params["count"],
            )
        case RefusalCode.UNKNOWN_CRITERION:
            return _("Not a criterion of this gate: %(key)s", key=params["criterion"])
    return _criterion_sentence(refusal, gate, language)


def _criterion_sentence(refusal: Refusal, gate: Gate, language: str) -> str:
    params = refusal.params
    criterion = gate.criterion(params["criterion"])
    label = criterion.label.text(language) if criterion is not None else params["criterion"]
    if refusal.code is RefusalCode.MUST_MEET_UNMET:
        return _("Must-meet criterion not met: %(label)s", label=label)
    if refusal.code is RefusalCode.CRITERION_MISSING:
        if params["must_meet"]:
            return _("Answer yes or no: %(label)s", label=label)
        return _("Give a score from 0 to %(max)d: %(label)s", max=ANSWER_MAX, label=label)
    answer = _answer(params.get("answer"))
    if params["must_meet"]:
        return _("%(label)s: the answer is yes or no, not %(answer)s.", label=label, answer=answer)
    return _(
        "%(label)s: the answer is a whole number from 0 to %(max)d, not %(answer)s.",
        label=label,
        max=ANSWER_MAX,
        answer=answer,
    )


def _item_sentence(params: Mapping[str, Any]) -> str:
    match params["problem"]:
        case ItemProblem.NO_SUCH_DOCUMENT:
            return _("No such document: %(document)s", document=_answer(params["document"]))
        case ItemProblem.NOT_A_DELIVERABLE:
            return _("Not a deliverable of this gate: %(key)s", key=_answer(params["key"]))
        case ItemProblem.NO_DOCUMENT_OR_URL:
            return _("Give a library document id or an http(s) URL.")
    return _("“%(title)s” matches no deliverable of this gate.", title=params["title"])
