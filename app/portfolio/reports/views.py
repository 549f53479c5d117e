"""Pages: the monthly status report with its downloads, the decision record PDF, and the
RAG status shown on the project page."""

from __future__ import annotations

from flask import abort, render_template, request
from flask_login import current_user, login_required
from sqlalchemy import select

from app.auth.access import roles_required
from app.extensions import db
from app.labels import project_status_label
from app.portfolio import bp
from app.portfolio.metrics import project_figures, rag_statuses
from app.portfolio.rag import RagResult
from app.portfolio.reports.downloads import (
    REPORT_ROLES,
    decision_record_response,
    language,
    report_for,
    report_subtitle,
    report_title,
    status_report_response,
)
from app.projects.decision_record import get_review
from app.projects.definitions import all_current
from app.projects.models import Project
from app.projects.programmes import Portfolio, Programme
from app.refusals import NotFound
from app.timeutil import utcnow
from workflows import Status


@bp.route("/portfolio/report")
@roles_required(*REPORT_ROLES)
def report():
    status_report = report_for(current_user, request.args)
    return render_template(
        "portfolio/report.html",
        report=status_report,
        title=report_title(status_report),
        subtitle=report_subtitle(status_report),
        args={name: value for name, value in request.args.items() if value},
        month=f"{status_report.month:%Y-%m}",
        portfolios=db.session.scalars(select(Portfolio.name).order_by(Portfolio.name)).all(),
        programmes=db.session.scalars(select(Programme.name).order_by(Programme.name)).all(),
        workflows=all_current(),
        statuses=list(Status),
        status_label=project_status_label,
        lang=language(),
    )


@bp.route("/portfolio/report.xlsx")
@roles_required(*REPORT_ROLES)
def report_xlsx():
    return status_report_response(current_user, request.args, "xlsx")


@bp.route("/portfolio/report.pdf")
@roles_required(*REPORT_ROLES)
def report_pdf():
    return status_report_response(current_user, request.args, "pdf")


@bp.route("/portfolio/gate-reviews/<id:review_id>/record.pdf")
@login_required
def decision_record_pdf(review_id: int):
    try:
        review = get_review(current_user, review_id)
    except NotFound:
        abort(404)
    return decision_record_response(review)


@bp.app_template_global()
def project_rag(project: Project) -> RagResult:
    """The project's RAG status and the rules that made it so, in the reader's language."""
    now = utcnow()
    ids = select(Project.id).where(Project.id == project.id)
    figures = project_figures(ids, now)
    return rag_statuses(figures, [project.id], language())[project.id]
