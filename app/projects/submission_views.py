"""The gate review submission page: shown only when it can be used, with the deliverables'
pickers, their templates and file uploads, and the error summary linking each refusal to its
field."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.error_summary import Problem, refusal_problems
from app.projects import bp
from app.projects.definitions import engine_for
from app.projects.deliverables import (
    choices_for,
    offered_documents,
    templates_of,
    upload_deliverable,
)
from app.projects.forms import (
    answers_of,
    deliverables_of,
    lessons_of,
    review_form,
    risks_of,
    uploads_of,
)
from app.projects.models import GateReview, Project
from app.projects.refusal_messages import reader_language, transition_message
from app.projects.services import open_review_id, state_of
from app.projects.submission import submit_review
from app.projects.views import project_or_404
from app.refusals import Refused
from workflows import Gate

#: Form field id prefixes of the submission refusals' fields (`criteria.<key>`...).
SUBMISSION_FIELDS = {"criteria": "criterion__", "deliverables": "document__", "files": "file__"}


def _submission_field(field: str) -> str | None:
    """The form field a submission refusal's `field` is about, if any."""
    prefix, _dot, key = field.partition(".")
    return SUBMISSION_FIELDS[prefix] + key if key and prefix in SUBMISSION_FIELDS else None


@bp.route("/projects/<id:project_id>/review", methods=["GET", "POST"])
@login_required
def submit(project_id: int):
    """The gate review form, shown only when it can be used: to the project's manager, while
    the project may submit and no review is open (else a link to it, or why not)."""
    project = project_or_404(project_id)
    if current_user.id != project.manager_id:
        abort(403)
    engine = engine_for(project)
    can_submit, refused = engine.can_submit(state_of(project))
    open_id = open_review_id(project)
    if not can_submit or open_id is not None:
        return render_template(
            "projects/submit.html",
            project=project,
            open_review_id=open_id,
            why_not=transition_message(refused, engine.definition) if refused else "",
            form=None,
        ), (409 if request.method == "POST" else 200)
    gate = engine.gate_from(project.stage)
    search = request.args.get("q", "")[:200]
    offered = offered_documents(current_user, gate, search)
    form = review_form(
        gate,
        reader_language(),
        {d.key: choices_for(d, gate, project, offered) for d in gate.deliverables},
    )
    problems: list[Problem] = []
    if form.validate_on_submit():
        uploads = uploads_of(form, gate)
        try:
            review = _submit(project, gate, form, uploads)
        except Refused as refusal:
            problems = refusal_problems(refusal, _submission_field)
            if uploads:
                problems.append(Problem(_("The files you chose were not kept: choose them again.")))
        else:
            flash(_("Gate review submitted."), "success")
            return redirect(url_for("projects.review", review_id=review.id))
    status = 400 if form.is_submitted() else 200
    return render_template(
        "projects/submit.html",
        project=project,
        gate=gate,
        form=form,
        problems=problems,
        search=search,
        templates=templates_of(current_user, gate),
        lang=reader_language(),
    ), status


def _submit(project: Project, gate: Gate, form: Any, uploads: dict[str, Any]) -> GateReview:
    """Hand in the uploaded files, then submit the review with them (one transaction)."""
    uploaded = {}
    for key, upload in uploads.items():
        try:
            document = upload_deliverable(
                current_user, project, key, upload.stream, upload.filename
            )
        except Refused as refusal:  # said beside the file's field
            detail = {"field": f"files.{key}", "message": refusal.message}
            raise type(refusal)(refusal.message, code=refusal.code, details=[detail]) from refusal
        uploaded[key] = document.id
    return submit_review(
        current_user,
        project,
        answers_of(form, gate),
        deliverables_of(form, gate, uploaded),
        summary=form.summary.data,
        budget={
            "planned": form.budget_planned.data,
            "actual": form.budget_actual.data,
            "forecast": form.budget_forecast.data,
        },
        top_risks=risks_of(form.top_risks.data or ""),
        lessons=lessons_of(form),
    )
