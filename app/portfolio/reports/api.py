"""API: the monthly status report as XLSX or PDF, and the gate decision record (JSON, PDF)."""

from __future__ import annotations

from flask import Response

from app.api.auth import api_user, token_required
from app.api.blueprint import ApiBlueprint as Blueprint
from app.downloads import MEDIA_TYPES
from app.portfolio.reports.downloads import (
    REPORT_ROLES,
    decision_record_response,
    language,
    status_report_response,
)
from app.portfolio.schemas import StatusReportArgsSchema
from app.projects.decision_record import decision_record, get_review
from app.projects.decision_record_schemas import DecisionRecordSchema

blp = Blueprint("reports_api", __name__, description="Status reports and gate decision records")

BINARY = {"type": "string", "format": "binary"}


@blp.route("/reports/status.xlsx", methods=["GET"])
@token_required(*REPORT_ROLES)
@blp.arguments(StatusReportArgsSchema, location="query")
@blp.response(
    200,
    BINARY,
    content_type=MEDIA_TYPES["xlsx"],
    description="The report as an attachment: one sheet per programme, frozen header",
)
def status_report_xlsx(args: dict) -> Response:
    """The month's status report of the projects matching the filters, as XLSX."""
    return status_report_response(api_user(), args, "xlsx")


@blp.route("/reports/status.pdf", methods=["GET"])
@token_required(*REPORT_ROLES)
@blp.arguments(StatusReportArgsSchema, location="query")
@blp.response(200, BINARY, content_type=MEDIA_TYPES["pdf"], description="The report as a PDF")
def status_report_pdf(args: dict) -> Response:
    """The month's status report of the projects matching the filters, as PDF."""
    return status_report_response(api_user(), args, "pdf")


@blp.route("/gate-reviews/<id:review_id>/record", methods=["GET"])
@token_required()
@blp.response(200, DecisionRecordSchema)
def gate_decision_record(review_id: int):
    """What was decided at a gate, by whom, on what evidence; `decision` is null until decided.

    Whoever may see the project may read it; 404 otherwise, as for an unknown review.
    """
    return decision_record(get_review(api_user(), review_id), language())


@blp.route("/gate-reviews/<id:review_id>/record.pdf", methods=["GET"])
@token_required()
@blp.response(200, BINARY, content_type=MEDIA_TYPES["pdf"], description="The record as a PDF")
def gate_decision_record_pdf(review_id: int) -> Response:
    """The gate decision record as a PDF."""
    return decision_record_response(get_review(api_user(), review_id))
