"""Forms of the governance pages; review and vote forms are built per gate."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from werkzeug.datastructures import FileStorage
from wtforms import (
    BooleanField,
    DecimalField,
    FieldList,
    Form,
    FormField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
    URLField,
)
from wtforms.validators import URL, DataRequired, Length, Optional, ValidationError

from app.form_validators import FiniteNumberRange
from app.labels import DECISION_LABELS
from app.projects import limits
from app.projects.schemas import MAX_AMOUNT, MAX_URL_LENGTH
from workflows import ANSWER_MAX, Gate

SCORE_CHOICES = [SelectChoice(str(n), str(n)) for n in range(ANSWER_MAX + 1)]
#: An amount of money: what the API's `Money` takes, and a NUMERIC(14, 2) column holds.
AMOUNT = [Optional(), FiniteNumberRange(min=0, max=MAX_AMOUNT)]


class ActionForm(FlaskForm):
    """A button posting to an endpoint (hold, resume, verify): only the CSRF token."""


class PauseForm(FlaskForm):
    """The PMO confirms putting a project on hold, or resuming it, and says why."""

    reason = TextAreaField(_l("Reason"), validators=[DataRequired(), Length(max=limits.REASON_MAX)])


class CloseActionForm(FlaskForm):
    evidence = TextAreaField(_l("Evidence"), validators=[DataRequired(), Length(max=5000)])


class ProjectForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    workflow = SelectField(_l("Workflow"), choices=[])
    #: Programme id ("" for none); choices are set by the view from the existing programmes.
    programme = SelectField(_l("Programme"), choices=[], validate_choice=True)
    budget = DecimalField(_l("Budget"), validators=AMOUNT)
    #: The manager's user id; offered to the PMO only (the view removes it for a manager).
    manager = SelectField(_l("Manager"), choices=[])


class ManagerForm(FlaskForm):
    """The PMO hands a project to another manager."""

    manager = SelectField(_l("New manager"), choices=[])


class LessonEntryForm(Form):
    """One optional lesson learned (the parent form carries the CSRF token)."""

    title = StringField(_l("Lesson learned"), validators=[Optional(), Length(max=300)])
    body = TextAreaField(_l("What happened, what to do next time"), validators=[Length(max=20_000)])

    def validate_body(self, field: TextAreaField) -> None:
        if bool((self.title.data or "").strip()) != bool((field.data or "").strip()):
            raise ValidationError(_l("A lesson needs both its title and its text."))


#: Lesson rows shown on the submission form.
LESSON_ROWS = 3


def _document_id(value: Any) -> int | None:
    """A library document id from the form ("" when none); anything else fails the field."""
    if value in ("", None):
        return None
    return int(value)


def review_form(
    gate: Gate,
    lang: str,
    documents: Mapping[str, Sequence[SelectChoice]] | None = None,
    formdata: Any = None,
) -> FlaskForm:
    """A submission form: one field per criterion, per deliverable of `gate` a library
    document (`documents`: the options offered for each deliverable key), a file to upload or
    a link, and a few lessons learned.
    """

    class ReviewForm(FlaskForm):
        summary = TextAreaField(
            _l("Summary"), validators=[DataRequired(), Length(max=limits.SUMMARY_MAX)]
        )
        budget_planned = DecimalField(_l("Budget planned"), validators=AMOUNT)
        budget_actual = DecimalField(_l("Budget spent"), validators=AMOUNT)
        budget_forecast = DecimalField(_l("Budget forecast"), validators=AMOUNT)
        top_risks = TextAreaField(
            _l("Top risks (one per line)"),
            validators=[
                Optional(),
                Length(max=limits.lines_max(limits.TOP_RISKS_MAX, limits.TOP_RISK_MAX)),
            ],
        )
        lessons = FieldList(
            FormField(LessonEntryForm), min_entries=LESSON_ROWS, max_entries=LESSON_ROWS
        )

        def validate_top_risks(self, field: TextAreaField) -> None:
            risks = risks_of(field.data or "")
            _check_lines(risks, limits.TOP_RISKS_MAX, limits.TOP_RISK_MAX)

    for criterion in gate.criteria:
        label = criterion.label.text(lang)
        if criterion.must_meet:
            field: Any = BooleanField(label)
        else:
            field = SelectField(label, choices=SCORE_CHOICES, default="0")
        setattr(ReviewForm, f"criterion__{criterion.key}", field)
    for deliverable in gate.deliverables:
        name = deliverable.name.text(lang)
        offered = (documents or {}).get(deliverable.key, ())
        choices = [SelectChoice("", _l("No library document")), *offered]
        # validate_choice=False: the service refuses a document the manager may not see.
        field = SelectField(name, choices=choices, coerce=_document_id, validate_choice=False)
        setattr(ReviewForm, f"document__{deliverable.key}", field)
        field = FileField(_l("%(name)s: or upload the completed file", name=name))
        setattr(ReviewForm, f"file__{deliverable.key}", field)
        field = URLField(
            _l("%(name)s: or a link", name=name),
            validators=[Optional(), URL(), Length(max=MAX_URL_LENGTH)],
        )
        setattr(ReviewForm, f"deliverable__{deliverable.key}", field)
    return ReviewForm(formdata=formdata) if formdata is not None else ReviewForm()


def uploads_of(form: FlaskForm, gate: Gate) -> dict[str, FileStorage]:
    """Deliverable key -> the file uploaded for it (a file wins over a document or a link)."""
    return {
        d.key: upload
        for d in gate.deliverables
        if isinstance(upload := form[f"file__{d.key}"].data, FileStorage) and upload.filename
    }


def answers_of(form: FlaskForm, gate: Gate) -> dict[str, Any]:
    return {
        c.key: bool(form[f"criterion__{c.key}"].data)
        if c.must_meet
        else int(form[f"criterion__{c.key}"].data)
        for c in gate.criteria
    }


def deliverables_of(
    form: FlaskForm, gate: Gate, uploaded: Mapping[str, int] | None = None
) -> list[dict[str, Any]]:
    """Each deliverable's uploaded document (`uploaded`: key -> document id), else its library
    document, else its link."""
    items: list[dict[str, Any]] = []
    for d in gate.deliverables:
        if uploaded and d.key in uploaded:
            items.append({"key": d.key, "document": uploaded[d.key]})
            continue
        document, url = form[f"document__{d.key}"].data, form[f"deliverable__{d.key}"].data
        if document is not None:
            items.append({"key": d.key, "document": document})
        elif url:
            items.append({"key": d.key, "url": url})
    return items


def lessons_of(form: FlaskForm) -> list[dict[str, str]]:
    """The lesson rows filled in; their language is detected from their text, not taken from
    the interface (a French lesson written in the English interface is French)."""
    return [
        {"title": row.title.data.strip(), "body": row.body.data.strip()}
        for row in form.lessons
        if (row.title.data or "").strip()
    ]


def risks_of(text: str) -> list[str]:
    """The top risks written one per line, blank lines left out."""
    return [line.strip() for line in text.splitlines() if line.strip()]


def _check_lines(items: Sequence[str], most: int, longest: int) -> None:
    """Refuse more than `most` lines, or one longer than `longest` characters."""
    if len(items) > most:
        raise ValidationError(_l("At most %(max)d lines.", max=most))
    if any(len(item) > longest for item in items):
        raise ValidationError(_l("Each line has at most %(max)d characters.", max=longest))


def parse_conditions(text: str) -> list[dict[str, Any]]:
    """One condition per line, optionally ending with `| YYYY-MM-DD` for its due date."""
    conditions = []
    for line in text.splitlines():
        description, _sep, due = line.partition("|")
        if not description.strip():
            continue
        try:
            due_date = date.fromisoformat(due.strip()) if due.strip() else None
        except ValueError as error:
            raise ValidationError(_l("Due dates are written YYYY-MM-DD.")) from error
        conditions.append({"description": description.strip(), "due_date": due_date})
    return conditions


def vote_form(
    gate: Gate, lang: str, prefix: str = "", data: dict[str, Any] | None = None
) -> FlaskForm:
    """A vote with the voter's scorecard: one 0-5 score per should-meet criterion (optional).

    `prefix` and `data` give a second form on the page prefilled with a vote to change.
    """

    class VoteForm(FlaskForm):
        decision = SelectField(
            _l("Decision"),
            choices=[SelectChoice(d.value, label) for d, label in DECISION_LABELS.items()],
        )
        comment = TextAreaField(
            _l("Comment"), validators=[Optional(), Length(max=limits.COMMENT_MAX)]
        )
        conditions = TextAreaField(
            _l("Conditions (one per line, optionally '| YYYY-MM-DD')"),
            validators=[
                Optional(),
                Length(max=limits.lines_max(limits.CONDITIONS_MAX, limits.CONDITION_MAX)),
            ],
        )

        def validate_conditions(self, field: TextAreaField) -> None:
            conditions = parse_conditions(field.data or "")
            descriptions = [condition["description"] for condition in conditions]
            _check_lines(descriptions, limits.CONDITIONS_MAX, limits.CONDITION_MAX)

    choices = [SelectChoice("", _l("not scored")), *SCORE_CHOICES]
    for criterion in gate.should_meet_criteria:
        field = SelectField(criterion.label.text(lang), choices=choices, default="")
        setattr(VoteForm, f"score__{criterion.key}", field)
    return VoteForm(prefix=prefix, data=data)


def vote_of(form: FlaskForm, gate: Gate) -> dict[str, Any]:
    """The vote form's content as the voting services take it."""
    return {
        "decision": form.decision.data,
        "comment": form.comment.data or "",
        "conditions": parse_conditions(form.conditions.data or ""),
        "scores": scores_of(form, gate),
    }


def scores_of(form: FlaskForm, gate: Gate) -> dict[str, int]:
    return {
        c.key: int(form[f"score__{c.key}"].data)
        for c in gate.should_meet_criteria
        if form[f"score__{c.key}"].data not in ("", None)
    }
