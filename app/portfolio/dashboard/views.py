"""Pages: the portfolio dashboard (PMO; gatekeepers read it) and its project table exports."""

from __future__ import annotations

import math

from flask import render_template, request
from flask_babel import get_locale
from flask_login import current_user

from app.auth.access import roles_required
from app.auth.models import Role
from app.labels import project_status_label
from app.portfolio import bp
from app.portfolio.dashboard.charts import dashboard_charts
from app.portfolio.dashboard.export import PER_PAGE, export_response, project_rows
from app.portfolio.dashboard.service import portfolio_summary, project_scope
from app.projects.queries import filter_args, filter_options
from app.timeutil import utcnow
from app.web import page_arg

READERS = (Role.PMO, Role.GATEKEEPER)


def _language() -> str:
    return str(get_locale() or "en")


@bp.route("/portfolio/")
@roles_required(*READERS)
def dashboard():
    args = filter_args(request.args)
    summary = portfolio_summary(current_user, args, language=_language())
    page = page_arg()
    rows = project_rows(
        project_scope(current_user, args), summary.generated_at, _language(), page=page
    )
    return render_template(
        "portfolio/dashboard.html",
        summary=summary,
        charts=dashboard_charts(summary),
        rows=rows,
        page=page,
        pages=max(math.ceil(summary.total_projects / PER_PAGE), 1),
        args=args,
        query={key: value for key, value in args.items() if value},
        options=filter_options(current_user),
        is_pmo=current_user.has_role(Role.PMO),
        status_label=project_status_label,
    )


@bp.route("/portfolio/projects.<any(csv, xlsx):fmt>")
@roles_required(*READERS)
def export_projects(fmt: str):
    """The dashboard's project table, every filtered project, as CSV or XLSX."""
    now = utcnow()
    rows = project_rows(project_scope(current_user, filter_args(request.args)), now, _language())
    return export_response(rows, fmt, now)
