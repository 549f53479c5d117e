"""The error summary at the top of an invalid form: every problem, each a link to its field.

Pages show it through the `form_errors` macro of `templates/_forms.html`. The first field in
error gets the `autofocus` attribute, so the browser puts the cursor on it without JavaScript;
the links (`#field-id`) take the reader to each other field.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from flask import Flask, g
from flask_babel import gettext as _
from wtforms import Field, Form

from app.errors import detail_text, refusal_details
from app.refusals import Refused

#: `flask.g` key holding the id of the first field in error of the page's form.
_FIRST = "first_invalid_field"


@dataclass(frozen=True, slots=True)
class Problem:
    """One line of the summary: the message (a field's starts with its label) and, when it
    belongs to a field, the field's id."""

    message: Any
    field_id: str | None = None


def _field_problems(field: Field) -> Iterator[Problem]:
    """A field's errors; lists and sub-forms yield their own fields' errors, in order."""
    if field.type == "CSRFTokenField":
        return
    if field.type in ("FieldList", "FormField"):
        for sub in field:
            yield from _field_problems(sub)
        return
    errors = field.errors if isinstance(field.errors, list | tuple) else []
    for error in errors:
        yield Problem(_("%(label)s: %(error)s", label=field.label.text, error=error), field.id)


def form_problems(form: Form, refusals: Iterable[Any] = ()) -> list[Problem]:
    """Every problem of `form` in page order: its own errors (an expired form first), its
    fields' errors, then `refusals` (sentences of a refused service call, or `Problem`s).

    Remembers the first field in error for `is_first_invalid`.
    """
    problems: list[Problem] = []
    csrf = getattr(form, "csrf_token", None)
    if csrf is not None and csrf.errors:
        problems.append(Problem(_("The form expired. Please submit it again.")))
    problems += [Problem(error) for error in getattr(form, "form_errors", [])]
    for field in form:
        problems += _field_problems(field)
    problems += [r if isinstance(r, Problem) else Problem(r) for r in refusals]
    first = next((p.field_id for p in problems if p.field_id), None)
    if first is not None and g.get(_FIRST) is None:
        setattr(g, _FIRST, first)
    return problems


def refusal_problems(
    refusal: Refused, field_id: Callable[[str], str | None] | None = None
) -> list[Problem]:
    """A refused service call as summary lines: its sentence, then each detail's, linked to
    the form field `field_id` maps the detail's `field` (`criteria.budget-ok`) to, if any."""
    problems = [Problem(refusal.message)]
    for detail in refusal_details(refusal):
        target = field_id(str(detail.get("field", ""))) if field_id is not None else None
        text = str(detail["message"]) if target is not None else detail_text(detail)
        problems.append(Problem(text, target))
    return problems


def is_first_invalid(field: Field) -> bool:
    """Whether `field` is the first field in error of the summary shown on this page."""
    return g.get(_FIRST) is not None and g.get(_FIRST) == field.id


def register_template_helpers(app: Flask) -> None:
    app.jinja_env.globals.update(form_problems=form_problems, is_first_invalid=is_first_invalid)
