"""Delegations: a gatekeeper gives their vote to another gatekeeper for a window of days.

During the window the delegate may vote `on_behalf_of` the delegator on any review the
delegator may vote on; the vote fills the delegator's seat (see `voting`). One delegator has
at most one delegation on any day, so whose vote it is is never in doubt. Days are the
server's (UTC) calendar days; both ends of the window are included.
"""

from __future__ import annotations

from datetime import date

from flask_babel import gettext as _
from sqlalchemy import or_, select

from app.auth.models import Principal, Role, User
from app.auth.services import get_user_by_username
from app.extensions import db
from app.projects import audit
from app.projects.committee_models import Delegation
from app.refusals import Conflict, Forbidden, Invalid, NotFound
from app.timeutil import utcnow


def _refusal(kind: type[Invalid] | type[Conflict], message: str, field: str, code: str):
    return kind(message, code=code, details=[{"field": field, "code": code, "message": message}])


def today() -> date:
    """The day delegation windows are read against."""
    return utcnow().date()


def create_delegation(
    actor: User | Principal, delegate_name: str, starts_on: date, ends_on: date
) -> Delegation:
    """Give my vote to `delegate_name` from `starts_on` to `ends_on` (both included).

    403 unless I am a gatekeeper. 422: an unknown delegate (`unknown_delegate`), myself
    (`self_delegation`), a window ending before it starts (`window_reversed`), a delegate
    who is not an active gatekeeper (`delegate_not_gatekeeper`). 409 `delegation_overlaps`
    when another of my delegations shares a day with this one.
    """
    if not actor.has_role(Role.GATEKEEPER):
        raise Forbidden(_("Only gatekeepers delegate their vote."), code="not_a_gatekeeper")
    delegate = get_user_by_username(delegate_name)
    if delegate is None:
        raise _refusal(Invalid, _("No such user."), "delegate", "unknown_delegate")
    if delegate.id == actor.id:
        message = _("You cannot delegate your vote to yourself.")
        raise _refusal(Invalid, message, "delegate", "self_delegation")
    if ends_on < starts_on:
        message = _("The delegation must end on or after the day it starts.")
        raise _refusal(Invalid, message, "ends_on", "window_reversed")
    if not delegate.active or Role.GATEKEEPER not in delegate.roles:
        message = _("%(name)s is not a gatekeeper.", name=delegate.display_name)
        raise _refusal(Invalid, message, "delegate", "delegate_not_gatekeeper")
    overlapping = db.session.scalar(
        select(Delegation.id).where(
            Delegation.delegator_id == actor.id,
            Delegation.starts_on <= ends_on,
            Delegation.ends_on >= starts_on,
        )
    )
    if overlapping is not None:
        message = _("You already delegated your vote for some of these days.")
        raise _refusal(Conflict, message, "starts_on", "delegation_overlaps")
    delegation = Delegation(
        delegator_id=actor.id,
        delegate_id=delegate.id,
        delegate=delegate,
        starts_on=starts_on,
        ends_on=ends_on,
    )
    db.session.add(delegation)
    db.session.flush()
    audit.record(
        "delegation_created",
        actor.username,
        {
            "delegation": delegation.id,
            "delegate": delegate.username,
            "starts_on": starts_on.isoformat(),
            "ends_on": ends_on.isoformat(),
        },
    )
    return delegation


def my_delegations(actor: User | Principal) -> list[Delegation]:
    """The delegations I gave and those I received, the latest window first."""
    statement = select(Delegation).where(
        or_(Delegation.delegator_id == actor.id, Delegation.delegate_id == actor.id)
    )
    return list(
        db.session.scalars(statement.order_by(Delegation.starts_on.desc(), Delegation.id.desc()))
    )


def delete_delegation(actor: User | Principal, delegation_id: int) -> None:
    """Take back a delegation I gave (404 for anyone else's); votes already cast stay."""
    delegation = db.session.get(Delegation, delegation_id)
    if delegation is None or delegation.delegator_id != actor.id:
        raise NotFound(_("No such delegation."))
    audit.record(
        "delegation_deleted",
        actor.username,
        {"delegation": delegation.id, "delegate": delegation.delegate.username},
    )
    db.session.delete(delegation)
    db.session.flush()


def active_delegation(delegate: User | Principal, delegator_name: str) -> Delegation | None:
    """The delegation from `delegator_name` to `delegate` whose window holds today, if any."""
    day = today()
    return db.session.scalar(
        select(Delegation)
        .join(User, User.id == Delegation.delegator_id)
        .where(
            User.username == delegator_name.strip().lower(),
            Delegation.delegate_id == delegate.id,
            Delegation.starts_on <= day,
            Delegation.ends_on >= day,
        )
    )


def delegators_of(delegate: User | Principal) -> list[User]:
    """The people whose vote `delegate` holds today (for the review page's form)."""
    day = today()
    return list(
        db.session.scalars(
            select(User)
            .join(Delegation, Delegation.delegator_id == User.id)
            .where(
                Delegation.delegate_id == delegate.id,
                Delegation.starts_on <= day,
                Delegation.ends_on >= day,
            )
            .order_by(User.username)
        )
    )
