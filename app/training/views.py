"""Training pages: my training, courses, the matrix, action lists, recording and import."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select
from wtforms import SelectChoice

from app.auth.access import roles_required
from app.auth.models import Role, Team
from app.errors import refusal_messages
from app.extensions import db
from app.refusals import Refused
from app.training import bp, services
from app.training.compliance import count_compliance
from app.training.evidence import evidence_store, store_evidence
from app.training.exporting import export_response
from app.training.forms import CompletionForm, ImportForm
from app.training.importing import import_completions, read_rows
from app.training.matrix import (
    OVERDUE_LIST_STATUSES,
    Matrix,
    action_list,
    fill,
    open_matrix,
)
from app.training.models import Completion, Course, Requirement
from app.training.rendering import status_helpers
from app.training.status import Status
from app.web import page_arg
from docs_store.storage import sanitize_filename

bp.app_context_processor(status_helpers)
# A gate names the training it requires by course key; pages show the title.
bp.add_app_template_global(services.course_title)

WRITERS = (Role.ADMIN, Role.PMO)
READERS = (Role.PMO, Role.MANAGER)
#: Rows per matrix page: percentages cover everyone, the table shows a page of people.
PEOPLE_PER_PAGE = 100
#: Past any real page, and small enough for an SQL OFFSET.


@bp.route("/")
@login_required
def mine():
    """Every signed-in person's own record."""
    return render_template(
        "training/mine.html", record=services.my_training(current_user, services.today())
    )


@bp.route("/courses")
@login_required
def courses():
    return render_template(
        "training/courses.html",
        courses=db.session.scalars(select(Course).order_by(Course.title)).all(),
    )


@bp.route("/courses/<string:key>")
@login_required
def course(key: str):
    course = services.get_course(key)
    requirements = db.session.scalars(
        select(Requirement).where(Requirement.course_id == course.id).order_by(Requirement.id)
    ).all()
    return render_template("training/course.html", course=course, requirements=requirements)


def _scope() -> tuple[str | None, list[Team], Matrix]:
    """The team asked for, the teams the reader may choose from, and the opened matrix."""
    team = request.args.get("team") or None
    readable = services.readable_team_ids(current_user)
    statement = select(Team).order_by(Team.name)
    if readable is not None:
        statement = statement.where(Team.id.in_(readable))
    teams = db.session.scalars(statement).all()
    return team, list(teams), open_matrix(services.today(), services.scope_for(current_user, team))


@bp.route("/matrix")
@roles_required(*READERS)
def matrix():
    """Team x course matrix with completion percentages (PMO: all teams; managers: theirs).

    The percentages cover everyone; the table shows a page of people.
    """
    team, teams, result = _scope()
    counts = count_compliance(result)
    page = page_arg()
    fill(result, page, PEOPLE_PER_PAGE)
    return render_template(
        "training/matrix.html",
        matrix=result,
        people=result.people,
        page=page,
        pages=max((result.total + PEOPLE_PER_PAGE - 1) // PEOPLE_PER_PAGE, 1),
        team=team,
        teams=teams,
        team_percent=counts.teams,
        course_percent={item.label: item for item in counts.courses},
    )


@bp.route("/lists")
@roles_required(*READERS)
def lists():
    """Overdue and expiring courses, with each person's managers."""
    team, teams, result = _scope()
    fill(result)
    return render_template(
        "training/lists.html",
        matrix=result,
        team=team,
        teams=teams,
        overdue=action_list(result, OVERDUE_LIST_STATUSES),
        expiring=action_list(result, {Status.EXPIRING}),
    )


@bp.route("/exports/<any(matrix, overdue):name>.<any(csv, xlsx):fmt>")
@roles_required(*READERS)
def export(name: str, fmt: str):
    _team, _teams, result = _scope()
    return export_response(fill(result), name, fmt)


@bp.route("/completions/new", methods=["GET", "POST"])
@roles_required(*WRITERS)
def record():
    """Record one completion, with an optional evidence file (PMO)."""
    form = CompletionForm()
    form.course.choices = [
        SelectChoice(course.key, course.title)
        for course in db.session.scalars(select(Course).order_by(Course.title))
    ]
    if form.validate_on_submit():
        try:
            evidence = None
            if form.evidence.data:
                evidence = store_evidence(form.evidence.data.stream, form.evidence.data.filename)
            completion = services.record_completion(
                services.get_user(form.username.data),
                services.get_course(form.course.data),
                form.completed_on.data,
                recorded_by=current_user,
                score=form.score.data,
                evidence=evidence,
            )
        except Refused as refusal:
            form.form_errors.extend(refusal_messages(refusal))
        else:
            flash(
                _(
                    "Completion of %(course)s recorded for %(name)s.",
                    course=completion.course.title,
                    name=completion.user.display_name,
                ),
                "success",
            )
            return redirect(url_for("training.record"))
    status = 400 if form.is_submitted() else 200
    return render_template("training/record.html", form=form), status


@bp.route("/import", methods=["GET", "POST"])
@roles_required(*WRITERS)
def import_page():
    """Import a CSV or XLSX file and show what was imported and what was rejected."""
    form = ImportForm()
    result = None
    if form.validate_on_submit():
        upload = form.file.data
        try:
            result = import_completions(
                read_rows(upload.read(), upload.filename or ""), recorded_by=current_user
            )
        except Refused as refusal:
            form.form_errors.extend(refusal_messages(refusal))
    status = 400 if form.is_submitted() and result is None else 200
    return render_template("training/import.html", form=form, result=result), status


@bp.route("/completions/<id:completion_id>/evidence")
@login_required
def evidence(completion_id: int):
    """The evidence file, for the person, the managers of their teams and the PMO."""
    completion = db.session.get(Completion, completion_id)
    if completion is None or completion.evidence_sha256 is None:
        abort(404)
    if completion.user_id != current_user.id:
        readable = services.readable_team_ids(current_user)
        teams = {membership.team_id for membership in completion.user.memberships}
        if readable is not None and not readable & teams:
            abort(403)
    return send_file(
        evidence_store().open(completion.evidence_sha256),
        as_attachment=True,
        download_name=sanitize_filename(completion.evidence_name or "evidence"),
    )
