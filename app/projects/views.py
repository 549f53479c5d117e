"""Pages: project list and page, review submission, votes awaiting, hold/resume, action items.

Views parse, authorise through the same services as the API and render; a refused service call
(`Refused`) re-renders the form with the reasons, with status 400, or flashes them.
"""

from __future__ import annotations

from typing import Any

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select
from wtforms import SelectChoice

from app.auth.access import roles_required
from app.auth.models import Role, User
from app.auth.services import display_names
from app.errors import flash_refusal, refusal_messages
from app.extensions import db
from app.labels import doc_status_label
from app.library.lessons import relevant_lessons
from app.projects import bp
from app.projects.actions import close_action_item, get_action_item, verify_action_item
from app.projects.definitions import all_current, engine_for
from app.projects.diagrams import workflow_svg
from app.projects.forms import (
    ActionForm,
    CloseActionForm,
    ManagerForm,
    ProjectForm,
    answers_of,
    deliverables_of,
    lessons_of,
    parse_conditions,
    review_form,
    risks_of,
    scores_of,
    vote_form,
)
from app.projects.managers import active_managers, change_manager
from app.projects.models import ActionItem, AuditEvent, GateReview, Project
from app.projects.programmes import Programme, programme_choices
from app.projects.queries import (
    PROJECT_FILTERS,
    awaiting_vote,
    deliverable_documents,
    filtered_projects,
    scorecards,
)
from app.projects.refusal_messages import transition_message
from app.projects.review_facts import budget_of, deliverables_seen
from app.projects.services import (
    create_project,
    get_project,
    hold_project,
    resume_project,
    state_of,
)
from app.projects.submission import submit_review
from app.projects.voting import cast_vote
from app.refusals import Refused
from app.web import page_arg
from workflows import Status

PER_PAGE = 50


def _lang() -> str:
    return str(get_locale() or "en")


def _project(project_id: int) -> Project:
    try:
        return get_project(current_user, project_id)
    except Refused:
        abort(404)


@bp.route("/projects")
@login_required
def projects():
    args = {name: request.args.get(name) for name in PROJECT_FILTERS}
    if args["status"] not in (*[s.value for s in Status], None, ""):
        args["status"] = None
    page = page_arg()
    pagination = db.paginate(
        filtered_projects(current_user, args), page=page, per_page=PER_PAGE, error_out=False
    )
    return render_template(
        "projects/list.html",
        pagination=pagination,
        args=args,
        workflows=all_current(),
        statuses=list(Status),
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
    project = _project(project_id)
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
        can_submit=can_submit and not any(r.open_project_id for r in reviews),
        why_not=transition_message(refused, engine.definition) if refused else "",
        lang=_lang(),
        action_form=ActionForm(),
        close_form=CloseActionForm(),
        manager_form=manager_form,
    )


@bp.route("/projects/<id:project_id>/manager", methods=["POST"])
@roles_required(Role.PMO)
def reassign(project_id: int):
    project = _project(project_id)
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
    project = _project(project_id)
    svg = workflow_svg(engine_for(project).definition, project.stage, _lang())
    return Response(svg, mimetype="image/svg+xml")


@bp.route("/projects/<id:project_id>/review", methods=["GET", "POST"])
@login_required
def submit(project_id: int):
    project = _project(project_id)
    gate = engine_for(project).gate_from(project.stage)
    documents = [
        SelectChoice(str(d.id), f"{d.title} (v{d.current_version}, {doc_status_label(d.status)})")
        for d in deliverable_documents(current_user)
    ]
    form = review_form(gate, _lang(), documents)
    errors: list[str] = []
    if form.validate_on_submit():
        try:
            review = submit_review(
                current_user,
                project,
                answers_of(form, gate),
                deliverables_of(form, gate),
                summary=form.summary.data,
                budget={
                    "planned": form.budget_planned.data,
                    "actual": form.budget_actual.data,
                    "forecast": form.budget_forecast.data,
                },
                top_risks=risks_of(form.top_risks.data or ""),
                lessons=lessons_of(form, _lang()),
            )
        except Refused as refusal:
            errors = refusal_messages(refusal)
        else:
            flash(_("Gate review submitted."), "success")
            return redirect(url_for("projects.review", review_id=review.id))
    status = 400 if form.is_submitted() else 200
    return render_template(
        "projects/submit.html", project=project, gate=gate, form=form, errors=errors, lang=_lang()
    ), status


@bp.route("/reviews/awaiting")
@roles_required(Role.GATEKEEPER)
def awaiting():
    reviews = db.session.scalars(awaiting_vote(current_user).limit(200)).all()
    return render_template("projects/awaiting.html", reviews=reviews)


def _review(review_id: int) -> GateReview:
    review = db.session.get(GateReview, review_id)
    if review is None:
        abort(404)
    _project(review.project_id)
    return review


@bp.route("/reviews/<id:review_id>", methods=["GET", "POST"])
@login_required
def review(review_id: int):
    review = _review(review_id)
    gate = engine_for(review.project).definition.gate(review.gate)
    form = vote_form(gate, _lang())
    errors: list[str] = []
    if form.validate_on_submit():
        try:
            cast_vote(
                current_user,
                review.id,
                form.decision.data,
                comment=form.comment.data or "",
                conditions=parse_conditions(form.conditions.data or ""),
                scores=scores_of(form, gate),
            )
        except Refused as refusal:
            errors = refusal_messages(refusal)
        else:
            flash(_("Vote recorded."), "success")
            return redirect(url_for("projects.review", review_id=review.id))
    status = 400 if form.is_submitted() else 200
    return render_template(
        "projects/review.html",
        review=review,
        gate=gate,
        form=form,
        errors=errors,
        lang=_lang(),
        cards=scorecards(review, gate),
        budget=budget_of(review),
        deliverables=deliverables_seen(review, gate, _lang()),
    ), status


def _pmo_button(project_id: int, move: Any, done: str) -> Any:
    project = _project(project_id)
    if ActionForm().validate_on_submit():
        try:
            move(current_user, project)
            flash(done, "success")
        except Refused as refusal:
            flash_refusal(refusal)
    return redirect(url_for("projects.project", project_id=project.id))


@bp.route("/projects/<id:project_id>/hold", methods=["POST"])
@roles_required(Role.PMO)
def hold(project_id: int):
    return _pmo_button(project_id, hold_project, _("Project put on hold."))


@bp.route("/projects/<id:project_id>/resume", methods=["POST"])
@roles_required(Role.PMO)
def resume(project_id: int):
    return _pmo_button(project_id, resume_project, _("Project resumed."))


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
