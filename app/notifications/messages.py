"""The text of every message, written in the recipient's language.

Each function renders under `flask_babel.force_locale` with the recipient's `locale` (the
default language when unset), so a French approver reads French whoever triggered the event.
Bodies are plain text. Links are absolute: from `JALON_BASE_URL` (see app/config.py) or,
inside a request, the address the request came to; without either (the CLI
with no base URL) the message has no link rather than a wrong one.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from urllib.parse import urlsplit

from flask import current_app, has_request_context, url_for
from flask_babel import force_locale, format_date
from flask_babel import gettext as _

from app.auth.models import Role, User
from app.labels import DECISION_LABELS, ROLE_LABELS
from app.projects.models import ActionItem, GateReview
from app.training.status import Status
from workflows import Decision, Gate


@dataclass(frozen=True, slots=True)
class Message:
    subject: str
    body: str


def language_of(user: User) -> str:
    """The user's chosen language when supported, else the default one."""
    if user.locale in current_app.config["JALON_LOCALES"]:
        return user.locale
    return current_app.config["BABEL_DEFAULT_LOCALE"]


@contextmanager
def speaking_to(user: User) -> Iterator[str]:
    """Translate (gettext, dates) in `user`'s language inside the block; yields the language."""
    language = language_of(user)
    with force_locale(language):
        yield language


def link(endpoint: str, **values: object) -> str | None:
    """An absolute URL to a page, or None when the server's address is unknown."""
    base = current_app.config.get("JALON_BASE_URL")
    if not base:
        return url_for(endpoint, _external=True, **values) if has_request_context() else None
    parts = urlsplit(base)
    adapter = current_app.url_map.bind(
        parts.netloc, script_name=parts.path or "/", url_scheme=parts.scheme or "https"
    )
    return adapter.build(endpoint, values, force_external=True)


def _body(*lines: str | None, url: str | None = None) -> str:
    parts = [line for line in lines if line]
    if url:
        parts.append(_("Open: %(url)s", url=url))
    return "\n\n".join(parts) + "\n"


def _day(day: date) -> str:
    return format_date(day, "long")


def _condition(item: ActionItem) -> str:
    if item.due_date is None:
        return f"- {item.description}"
    return "- " + _("%(text)s (due %(date)s)", text=item.description, date=_day(item.due_date))


@contextmanager
def _about_review(recipient: User, review: GateReview, gate: Gate) -> Iterator[dict[str, str]]:
    """In `recipient`'s language: the project's name, the gate's name and the review's link."""
    with speaking_to(recipient) as language:
        yield {
            "project": review.project.name,
            "gate": gate.name.text(language),
            "url": link("projects.review", review_id=review.id) or "",
        }


def review_submitted(recipient: User, review: GateReview, gate: Gate) -> Message:
    """To an approver: a review awaits their vote."""
    with _about_review(recipient, review, gate) as names:
        return Message(
            _("Gate review to decide: %(project)s, %(gate)s", **names),
            _body(
                _(
                    "%(person)s submitted the gate review %(gate)s of the project %(project)s.",
                    person=review.submitted_by.display_name,
                    **names,
                ),
                review.summary,
                _("It awaits your vote."),
                url=names["url"],
            ),
        )


def review_waiting(recipient: User, review: GateReview, gate: Gate) -> Message:
    """Reminder to an approver who has not voted on a review open for days."""
    with _about_review(recipient, review, gate) as names:
        return Message(
            _("Gate review awaiting your vote: %(project)s, %(gate)s", **names),
            _body(
                _(
                    "The gate review %(gate)s of the project %(project)s has been waiting for "
                    "votes since %(date)s.",
                    date=_day(review.submitted_at.date()),
                    **names,
                ),
                url=names["url"],
            ),
        )


def no_consensus_reached(recipient: User, review: GateReview, gate: Gate) -> Message:
    """To the gate's chair: the committee cannot decide, the chair must."""
    with _about_review(recipient, review, gate) as names:
        return Message(
            _("No consensus: %(project)s, %(gate)s awaits the chair's decision", **names),
            _body(
                _(
                    "The votes on the gate review %(gate)s of the project %(project)s can no "
                    "longer meet the gate's rule.",
                    **names,
                ),
                _("As the gate's chair, decide it and give your rationale."),
                url=names["url"],
            ),
        )


def vote_overdue(recipient: User, review: GateReview, gate: Gate) -> Message:
    """Reminder, once the vote-by date has passed: to a missing voter, or to the PMO."""
    assert review.vote_by is not None
    with _about_review(recipient, review, gate) as names:
        return Message(
            _("Votes overdue: %(project)s, %(gate)s", **names),
            _body(
                _(
                    "The committee was to vote on the gate review %(gate)s of the project "
                    "%(project)s by %(date)s.",
                    date=_day(review.vote_by),
                    **names,
                ),
                url=names["url"],
            ),
        )


def decision_taken(
    recipient: User, review: GateReview, gate: Gate, conditions: Sequence[ActionItem]
) -> Message:
    """To the manager: the committee's decision and, for a conditional go, its conditions."""
    with _about_review(recipient, review, gate) as names:
        decision = str(DECISION_LABELS[Decision(review.decision)])
        lines = [
            _(
                "The committee decided at the gate %(gate)s of the project %(project)s: "
                "%(decision)s.",
                decision=decision,
                **names,
            )
        ]
        if conditions:
            items = [_condition(item) for item in conditions]
            lines.append(_("Conditions to meet before the next gate:") + "\n" + "\n".join(items))
        return Message(
            _("Decision at %(gate)s for %(project)s: %(decision)s", decision=decision, **names),
            _body(*lines, url=names["url"]),
        )


def action_item_due(recipient: User, item: ActionItem, project_name: str, today: date) -> Message:
    """Reminder to an action item's owner: due soon, or overdue."""
    with speaking_to(recipient):
        assert item.due_date is not None
        names = {"project": project_name, "date": _day(item.due_date)}
        if item.due_date < today:
            subject = _("Action item overdue since %(date)s: %(project)s", **names)
        else:
            subject = _("Action item due on %(date)s: %(project)s", **names)
        return Message(
            subject,
            _body(
                _("Action item of the project %(project)s:", **names),
                item.description,
                url=link("projects.project", project_id=item.project_id),
            ),
        )


def training_due(
    recipient: User,
    person: str | None,
    course: str,
    status: Status,
    day: date | None,
) -> Message:
    """Reminder of a course expiring, expired or overdue: to the person (`person` None) or
    to one of their managers (`person` is the person's name)."""
    with speaking_to(recipient):
        values = {"course": course, "person": person, "date": _day(day) if day else ""}
        if person is None:
            subject = _("Training reminder: %(course)s", **values)
            sentence = {
                Status.EXPIRING: _("Your training %(course)s expires on %(date)s.", **values),
                Status.EXPIRED: _("Your training %(course)s expired on %(date)s.", **values),
                Status.OVERDUE: _("Your training %(course)s was due on %(date)s.", **values),
            }[status]
        else:
            subject = _("Training reminder: %(course)s (%(person)s)", **values)
            sentence = {
                Status.EXPIRING: _(
                    "The training %(course)s of %(person)s expires on %(date)s.", **values
                ),
                Status.EXPIRED: _(
                    "The training %(course)s of %(person)s expired on %(date)s.", **values
                ),
                Status.OVERDUE: _(
                    "The training %(course)s of %(person)s was due on %(date)s.", **values
                ),
            }[status]
        endpoint = "training.mine" if person is None else "training.lists"
        return Message(subject, _body(sentence, url=link(endpoint)))


def roles_changed(
    recipient: User, person: User, actor: str, added: Sequence[str], removed: Sequence[str]
) -> Message:
    """To an administrator: someone's roles changed (separation of duties is watched)."""

    with speaking_to(recipient):

        def words(roles: Sequence[str]) -> str:
            return ", ".join(str(ROLE_LABELS[Role(role)]) for role in roles) or _("none")

        return Message(
            _("Roles changed: %(person)s", person=person.display_name),
            _body(
                _(
                    "%(actor)s changed the roles of %(person)s (%(username)s).",
                    actor=actor,
                    person=person.display_name,
                    username=person.username,
                ),
                _("Granted: %(roles)s", roles=words(added)),
                _("Withdrawn: %(roles)s", roles=words(removed)),
                url=link("admin.edit_user", user_id=person.id),
            ),
        )
