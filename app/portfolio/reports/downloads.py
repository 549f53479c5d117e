"""What the report pages and the report API share: reading the request, answering files."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import Response
from flask_babel import format_date, get_locale
from flask_babel import gettext as _

from app import formats
from app.auth.models import Role, User
from app.downloads import download
from app.portfolio.reports.model import StatusReport
from app.portfolio.reports.service import (
    build_status_report,
    file_name,
    parse_month,
    report_filters,
)
from app.projects.decision_record import decision_record
from app.projects.models import GateReview
from app.timeutil import utcnow

#: Who reads the portfolio's reports (admins hold every role).
REPORT_ROLES = (Role.PMO, Role.GATEKEEPER)


def language() -> str:
    return str(get_locale() or "en")


def report_for(user: User, args: Mapping[str, Any]) -> StatusReport:
    """The report asked for by query arguments (`month` and the project filters)."""
    month = parse_month(args.get("month"), utcnow().date())
    return build_status_report(user, report_filters(args), month, language())


def report_title(report: StatusReport) -> str:
    return _("Status report — %(portfolio)s", portfolio=report.portfolio)


def report_subtitle(report: StatusReport) -> str:
    return _(
        "%(month)s · figures as at %(when)s",
        month=format_date(report.month, "MMMM yyyy"),
        when=formats.datetime(report.generated_at),
    )


def status_report_response(user: User, args: Mapping[str, Any], extension: str) -> Response:
    """The report as an XLSX or PDF attachment named after its portfolio and month."""
    # The file libraries load with the first file asked for: see app.spreadsheets.
    from app.portfolio.reports.files import status_report_pdf, status_report_xlsx

    report = report_for(user, args)
    if extension == "xlsx":
        content = status_report_xlsx(report, _)
    else:
        content = status_report_pdf(report, _, report_title(report), report_subtitle(report))
    return download(content, file_name(report, args.get("portfolio"), extension))


def decision_record_response(review: GateReview) -> Response:
    from app.projects.decision_record_pdf import decision_record_pdf  # see status_report_response

    content = decision_record_pdf(decision_record(review, language()), _)
    return download(content, f"gate-decision-record-{review.id}.pdf")
