"""Pages: project list and page, votes awaiting, hold/resume, action items (the submission
page is `submission_views`).

Views parse, authorise through the same services as the API and render; a refused service call
(`Refused`) re-renders the form with the reasons, with status 400, or flashes them.
"""

from __future__ import annotations

from typing import Any

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.orm import joinedload
from wtforms import SelectChoice

from app.auth.access import roles_required
from app.auth.models import Role, User
from app.auth.services import display_names
from app.error_summary import Problem, refusal_problems
from app.errors import flash_refusal, refusal_messages, status_of
from app.extensions import db
from app.labels import project_status_label
from app.library.lessons import relevant_lessons
from app.projects import bp
from app.projects.actions import close_action_item, get_action_item, verify_action_item
from app.projects.committee_forms import SeatForm
from app.projects.committee_views import committee_context, review_or_404, seat_choices
from app.projects.definitions import all_current, engine_for
from app.projects.deliverables import (
    templates_of,
)
from app.projects.diagrams import workflow_svg
from app.projects.forms import (
    ActionForm,
    CloseActionForm,
    ManagerForm,
    PauseForm,
    ProjectForm,
    vote_form,
    vote_of,
)
from app.projects.managers import active_managers, change_manager
from app.projects.models import ActionItem, AuditEvent, GateReview, Project
from app.projects.programmes import Programme, programme_choices
from app.projects.queries import (
    awaiting_vote,
    filter_args,
    filter_options,
    filtered_projects,
    scorecards,
)
from app.projects.refusal_messages import transition_message
from app.projects.review_facts import budget_of, deliverables_seen
from app.projects.services import (
    create_project,
    get_project,
    hold_project,
    last_pause,
    resume_project,
    state_of,
)
from app.projects.voting import cast_vote
from app.refusals import Refused
from app.web import page_arg
from workflows import Gate

PER_PAGE = 50


def _lang() -> str:
    return str(get_locale() or "en")


def project_or_404(project_id: int) -> Project:
    """The project if the signed-in person may see it, else a 404 page."""
    try:
        return get_project(current_user, project_id)
    except Refused:
        abort(404)


@bp.route("/projects")
@login_required
def projects():
    args = filter_args(request.args)
    page = page_arg()
    pagination = db.paginate(
        filtered_projects(current_user, args), page=page, per_page=PER_PAGE, error_out=False
    )
    return render_template(
        "projects/list.html",
        pagination=pagination,
        args=args,
        options=filter_options(current_user),
        status_label=project_status_label,
    )


def _manager_choices(form: ManagerForm | ProjectForm) -> None:
    """Offer the active managers; the current one (or the PMO, if a manager) comes selected."""
    form.manager.choices = [SelectChoice(str(u.id), u.display_name) for u in active_managers()]
    if form.manager.data is None:
        form.manager.data = str(current_user.id)


@bp.route("/projects/new", methods=["GET", "POST"])
@roles_required(Role.MANAGER, Role.PMO)
def new_project():
    form = ProjectForm()
    if current_user.has_role(Role.PMO):
        _manager_choices(form)
    else:
        del form.manager
    form.workflow.choices = [SelectChoice(d.key, d.name.text(_lang())) for d in all_current()]
    form.programme.choices = programme_choices()
    if form.validate_on_submit():
        project = create_project(
            current_user,
            form.name.data,
            form.workflow.data,
            manager=db.session.get(User, int(form.manager.data)) if "manager" in form else None,
            programme=db.session.get(Programme, int(form.programme.data))
            if form.programme.data
            else None,
            budget=form.budget.data,
        )
        flash(_("Project created."), "success")
        return redirect(url_for("projects.project", project_id=project.id))
    status = 400 if form.is_submitted() else 200
    return render_template("projects/new.html", form=form), status


@bp.route("/projects/<id:project_id>")
@login_required
def project(project_id: int):
    project = project_or_404(project_id)
    engine = engine_for(project)
    gate = engine.gate_from(project.stage)
    reviews = db.session.scalars(
        select(GateReview).where(GateReview.project_id == project.id).order_by(GateReview.id)
    ).all()
    items = db.session.scalars(
        select(ActionItem).where(ActionItem.project_id == project.id).order_by(ActionItem.id)
    ).all()
    events = db.session.scalars(
        select(AuditEvent)
        .where(AuditEvent.project_id == project.id)
        .order_by(AuditEvent.id.desc())
        .limit(100)
    ).all()
    actors = display_names(event.actor for event in events)
    can_submit, refused = engine.can_submit(state_of(project))
    open_review = next((r for r in reviews if r.open_project_id), None)
    manager_form = None
    if current_user.has_role(Role.PMO):
        manager_form = ManagerForm(formdata=None, manager=str(project.manager_id))
        _manager_choices(manager_form)
    return render_template(
        "projects/project.html",
        project=project,
        definition=engine.definition,
        gate=gate,
        reviews=reviews,
        items=items,
        events=events,
        actors=actors,
        lessons=relevant_lessons(project.stage, project.id, current_user),
        can_submit=can_submit and open_review is None,
        open_review=open_review,
        why_not=transition_message(refused, engine.definition) if refused else "",
        pause=last_pause(project),
        templates=templates_of(current_user, gate) if gate else {},
        lang=_lang(),
        action_form=ActionForm(),
        close_form=CloseActionForm(),
        manager_form=manager_form,
    )


@bp.route("/projects/<id:project_id>/manager", methods=["POST"])
@roles_required(Role.PMO)
def reassign(project_id: int):
    project = project_or_404(project_id)
    form = ManagerForm()
    _manager_choices(form)
    if form.validate_on_submit():
        try:
            change_manager(current_user, project, db.session.get(User, int(form.manager.data)))
            flash(_("Manager changed."), "success")
        except Refused as refusal:
            flash_refusal(refusal)
    else:
        flash(_("Choose an active manager."), "error")
    return redirect(url_for("projects.project", project_id=project.id))


@bp.route("/projects/<id:project_id>/diagram.svg")
@login_required
def diagram(project_id: int):
    project = project_or_404(project_id)
    svg = workflow_svg(engine_for(project).definition, project.stage, _lang())
    return Response(svg, mimetype="image/svg+xml")


@bp.route("/reviews/awaiting")
@roles_required(Role.GATEKEEPER)
def awaiting():
    query = awaiting_vote(current_user).options(joinedload(GateReview.project)).limit(200)
    reviews = db.session.scalars(query).all()
    return render_template("projects/awaiting.html", reviews=reviews)


@bp.route("/reviews/<id:review_id>", methods=["GET", "POST"])
@login_required
def review(review_id: int):
    review = review_or_404(review_id)
    gate = engine_for(review.project).definition.gate(review.gate)
    form = vote_form(gate, _lang())
    seat_form = SeatForm()
    seat_form.seat.choices = seat_choices(review, gate)
    errors: list[str] = []
    if form.validate_on_submit() and seat_form.validate():
        try:
            cast_vote(
                current_user,
                review.id,
                **vote_of(form, gate),
                on_behalf_of=seat_form.seat.data or None,
            )
        except Refused as refusal:
            errors = refusal_messages(refusal)
        else:
            flash(_("Vote recorded."), "success")
            return redirect(url_for("projects.review", review_id=review.id))
    status = 400 if form.is_submitted() else 200
    page = render_review(
        review, gate, vote=form, seat=seat_form, errors=errors, failed="vote" if errors else None
    )
    return page, status


def render_review(review: GateReview, gate: Gate, **forms: Any) -> str:
    """The review page; `forms` replaces the committee's forms (a failed one, with `errors`)."""
    return render_template(
        "projects/review.html",
        review=review,
        gate=gate,
        lang=_lang(),
        cards=scorecards(review, gate),
        committee=committee_context(review, gate, **forms),
        budget=budget_of(review),
        deliverables=deliverables_seen(review, gate, _lang()),
    )


#: Each PMO move: its service, the confirmation page's title, the message once done.
PAUSES = {
    "hold": (hold_project, _l("Put the project on hold"), _l("Project put on hold.")),
    "resume": (resume_project, _l("Resume the project"), _l("Project resumed.")),
}


@bp.route("/projects/<id:project_id>/<any(hold, resume):move>", methods=["GET", "POST"])
@roles_required(Role.PMO)
def pause(project_id: int, move: str):
    """Hold or resume: a confirmation page that asks for the reason, then the move."""
    project = project_or_404(project_id)
    service, title, done = PAUSES[move]
    form = PauseForm()
    problems: list[Problem] = []
    if form.validate_on_submit():
        try:
            service(current_user, project, form.reason.data)
        except Refused as refusal:
            problems = refusal_problems(refusal, lambda field: field or None)
            status = status_of(refusal)
        else:
            flash(str(done), "success")
            return redirect(url_for("projects.project", project_id=project.id))
    else:
        status = 400 if form.is_submitted() else 200
    return render_template(
        "projects/pause.html", project=project, form=form, title=title, problems=problems
    ), status


@bp.route("/action-items/<id:item_id>/close", methods=["POST"])
@login_required
def close_item(item_id: int):
    item = _item(item_id)
    form = CloseActionForm()
    if form.validate_on_submit():
        try:
            close_action_item(current_user, item, form.evidence.data)
            flash(_("Action item closed."), "success")
        except Refused as refusal:
            flash_refusal(refusal)
    else:
        flash(_("Give the evidence that it was done."), "error")
    return redirect(url_for("projects.project", project_id=item.project_id))


@bp.route("/action-items/<id:item_id>/verify", methods=["POST"])
@roles_required(Role.PMO)
def verify_item(item_id: int):
    item = _item(item_id)
    if ActionForm().validate_on_submit():
        try:
            verify_action_item(current_user, item)
            flash(_("Action item verified."), "success")
        except Refused as refusal:
            flash_refusal(refusal)
    return redirect(url_for("projects.project", project_id=item.project_id))


def _item(item_id: int) -> ActionItem:
    try:
        return get_action_item(current_user, item_id)
    except Refused:
        abort(404)
