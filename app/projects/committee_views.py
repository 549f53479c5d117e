"""Pages of the committee: the review page's committee section and its forms, my delegations.

Each form posts to its own endpoint, calls one service and comes back to the review page; a
refused request re-renders the page with the reasons at the top of the form that failed.
"""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import format_date, get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select
from werkzeug.wrappers import Response
from wtforms import SelectChoice

from app.auth.models import Role, User, UserRole
from app.errors import flash_refusal, refusal_messages
from app.extensions import db
from app.labels import decision_label, review_status_label
from app.projects import bp
from app.projects.committee import chair_decision_of, is_open, recusals_of
from app.projects.committee_forms import (
    ChairForm,
    DelegationForm,
    RecusalForm,
    SeatForm,
    vote_data,
)
from app.projects.definitions import engine_for
from app.projects.delegations import (
    create_delegation,
    delegators_of,
    delete_delegation,
    my_delegations,
)
from app.projects.forms import ActionForm, parse_conditions, vote_form, vote_of
from app.projects.models import GateReview, ReviewStatus
from app.projects.review_actions import chair_decide, recuse, withdraw_review
from app.projects.services import can_see
from app.projects.voting import change_vote, withdraw_vote
from app.refusals import Refused
from workflows import Gate


def _lang() -> str:
    return str(get_locale() or "en")


def review_or_404(review_id: int) -> GateReview:
    """The review if the signed-in person may see its project, else 404."""
    review = db.session.get(GateReview, review_id)
    if review is None or not can_see(current_user, review.project):
        abort(404)
    return review


def _gate(review: GateReview) -> Gate:
    gate = engine_for(review.project).definition.gate(review.gate)
    assert gate is not None
    return gate


def _can_vote_as(
    person: User, review: GateReview, gate: Gate, voted: set[int], recused: set[int]
) -> bool:
    return (
        person.id != review.submitted_by_id
        and person.has_role(gate.approvers.role)
        and person.id not in voted
        and person.id not in recused
    )


def seat_choices(review: GateReview, gate: Gate) -> list[SelectChoice]:
    """Whose vote I may cast now: mine, and each delegator's whose vote I hold today."""
    if not is_open(review):
        return []
    voted = {vote.voter_id for vote in review.votes}
    recused = {recusal.user_id for recusal in recusals_of(review)}
    if current_user.id in recused:
        return []
    choices = []
    if _can_vote_as(current_user, review, gate, voted, recused):
        choices.append(SelectChoice("", _("My own vote")))
    for delegator in delegators_of(current_user):
        if current_user.id != review.submitted_by_id and _can_vote_as(
            delegator, review, gate, voted, recused
        ):
            label = _("On behalf of %(name)s", name=delegator.display_name)
            choices.append(SelectChoice(delegator.username, label))
    return choices


def committee_context(review: GateReview, gate: Gate, **forms: Any) -> dict[str, Any]:
    """What the committee section of the review page shows to the signed-in person.

    A form is given only when its action is open to them: no vote form after voting (the
    vote is shown, with its change and withdraw forms), the chair's form only to the chair of
    a `no_consensus` review, the withdraw button only to the submitter while nobody voted.
    """
    me = current_user
    open_ = is_open(review)
    mine = next((vote for vote in review.votes if vote.voter_id == me.id), None)
    recusals = recusals_of(review)
    recused = any(recusal.user_id == me.id for recusal in recusals)
    approver = me.has_role(gate.approvers.role) and me.id != review.submitted_by_id
    context: dict[str, Any] = {
        "status": review_status_label(review.status),
        "decision_label": decision_label,
        "vote_by": format_date(review.vote_by, "long") if review.vote_by else None,
        "chair_decision": chair_decision_of(review),
        "chair_name": review.chair.display_name if review.chair_id else None,
        "recusals": recusals,
        "recused": recused,
        "mine": mine,
        "errors": forms.get("errors", []),
        "failed": forms.get("failed"),
    }
    if mine is not None:
        context["voted_on"] = format_date(mine.created_at, "medium")
    if open_ and mine is not None:
        context["change_form"] = forms.get("change") or vote_form(
            gate, _lang(), prefix="change", data=vote_data(mine, gate)
        )
        context["withdraw_vote_form"] = ActionForm(prefix="withdraw-vote")
    seat = forms.get("seat") or SeatForm()
    if not seat.seat.choices:
        seat.seat.choices = seat_choices(review, gate)
    if open_ and seat.seat.choices:
        context["vote_form"] = forms.get("vote") or vote_form(gate, _lang())
        context["seat_form"] = seat
    if open_ and approver and mine is None and not recused:
        context["recusal_form"] = forms.get("recusal") or RecusalForm(prefix="recusal")
    is_chair = me.has_role(gate.chair) and me.id != review.submitted_by_id
    if review.status is ReviewStatus.NO_CONSENSUS and is_chair:
        context["chair_form"] = forms.get("chair") or ChairForm(prefix="chair")
    submitter = me.id in (review.submitted_by_id, review.project.manager_id)
    if open_ and submitter and not review.votes:
        context["withdraw_review_form"] = ActionForm(prefix="withdraw-review")
    return context


def _back(review: GateReview) -> Response:
    return redirect(url_for("projects.review", review_id=review.id))


def _failed(review: GateReview, name: str, form: Any, errors: list[str]) -> tuple[str, int]:
    from app.projects.views import render_review

    page = render_review(review, _gate(review), **{name: form}, errors=errors, failed=name)
    return page, 400


@bp.route("/reviews/<id:review_id>/vote/change", methods=["POST"])
@login_required
def change_my_vote(review_id: int):
    review = review_or_404(review_id)
    gate = _gate(review)
    form = vote_form(gate, _lang(), prefix="change")
    if form.validate_on_submit():
        try:
            change_vote(current_user, review.id, **vote_of(form, gate))
        except Refused as refusal:
            return _failed(review, "change", form, refusal_messages(refusal))
        flash(_("Vote changed."), "success")
        return _back(review)
    return _failed(review, "change", form, [])


@bp.route("/reviews/<id:review_id>/vote/withdraw", methods=["POST"])
@login_required
def withdraw_my_vote(review_id: int):
    review = review_or_404(review_id)
    if ActionForm(prefix="withdraw-vote").validate_on_submit():
        try:
            withdraw_vote(current_user, review.id)
            flash(_("Vote withdrawn."), "success")
        except Refused as refusal:
            flash_refusal(refusal)
    return _back(review)


@bp.route("/reviews/<id:review_id>/recusal", methods=["POST"])
@login_required
def recuse_me(review_id: int):
    review = review_or_404(review_id)
    form = RecusalForm(prefix="recusal")
    if form.validate_on_submit():
        try:
            recuse(current_user, review.id, form.reason.data)
        except Refused as refusal:
            return _failed(review, "recusal", form, refusal_messages(refusal))
        flash(_("You recused yourself from this review."), "success")
        return _back(review)
    return _failed(review, "recusal", form, [])


@bp.route("/reviews/<id:review_id>/chair", methods=["POST"])
@login_required
def chair_decision(review_id: int):
    review = review_or_404(review_id)
    form = ChairForm(prefix="chair")
    if form.validate_on_submit():
        try:
            chair_decide(
                current_user,
                review.id,
                form.decision.data,
                form.rationale.data,
                conditions=parse_conditions(form.conditions.data or ""),
            )
        except Refused as refusal:
            return _failed(review, "chair", form, refusal_messages(refusal))
        flash(_("Decision recorded."), "success")
        return _back(review)
    return _failed(review, "chair", form, [])


@bp.route("/reviews/<id:review_id>/withdraw", methods=["POST"])
@login_required
def withdraw(review_id: int):
    review = review_or_404(review_id)
    if ActionForm(prefix="withdraw-review").validate_on_submit():
        try:
            withdraw_review(current_user, review.id)
        except Refused as refusal:
            flash_refusal(refusal)
            return _back(review)
        flash(_("Gate review withdrawn."), "success")
        return redirect(url_for("projects.project", project_id=review.project_id))
    return _back(review)


def _gatekeeper_choices() -> list[SelectChoice]:
    people = db.session.scalars(
        select(User)
        .join(UserRole, UserRole.user_id == User.id)
        .where(UserRole.role == Role.GATEKEEPER, User.active, User.id != current_user.id)
        .order_by(User.display_name)
    )
    return [SelectChoice(person.username, person.display_name) for person in people]


@bp.route("/delegations", methods=["GET", "POST"])
@login_required
def delegations():
    form = DelegationForm()
    form.delegate.choices = _gatekeeper_choices()
    errors: list[str] = []
    if form.validate_on_submit():
        try:
            create_delegation(
                current_user, form.delegate.data, form.starts_on.data, form.ends_on.data
            )
        except Refused as refusal:
            errors = refusal_messages(refusal)
        else:
            flash(_("Delegation recorded."), "success")
            return redirect(url_for("projects.delegations"))
    mine = my_delegations(current_user)
    page = render_template(
        "projects/delegations.html",
        form=form if current_user.has_role(Role.GATEKEEPER) else None,
        errors=errors,
        given=[d for d in mine if d.delegator_id == current_user.id],
        received=[d for d in mine if d.delegate_id == current_user.id],
        delete_form=ActionForm(),
    )
    return page, 400 if form.is_submitted() else 200


@bp.route("/delegations/<id:delegation_id>/delete", methods=["POST"])
@login_required
def remove_delegation(delegation_id: int):
    if ActionForm().validate_on_submit():
        try:
            delete_delegation(current_user, delegation_id)
            flash(_("Delegation withdrawn."), "success")
        except Refused as refusal:
            flash_refusal(refusal)
    return redirect(url_for("projects.delegations"))
