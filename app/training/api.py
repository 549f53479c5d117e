"""API: courses, requirements, completions, import, matrix, compliance and exports."""

from __future__ import annotations

from flask import Response
from flask_babel import gettext as _
from sqlalchemy import select

from app.api.auth import api_user, token_required
from app.api.blueprint import ApiBlueprint as Blueprint
from app.api.pagination import paginate
from app.api.schemas import PageArgsSchema, UploadSchema, page_schema
from app.auth.models import Role, Team
from app.errors import ApiError
from app.extensions import db
from app.refusals import Invalid
from app.training import services
from app.training.compliance import Percent, count_compliance
from app.training.exporting import export_response
from app.training.importing import import_completions, read_rows
from app.training.matrix import Matrix, build_matrix, fill, open_matrix
from app.training.models import Completion, Course, Requirement
from app.training.schemas import (
    CompletionCreateSchema,
    CompletionListArgsSchema,
    CompletionSchema,
    ComplianceSchema,
    CourseCreateSchema,
    CourseSchema,
    ImportResultSchema,
    MatrixArgsSchema,
    MatrixSchema,
    MyTrainingSchema,
    RequirementCreateSchema,
    RequirementSchema,
    TeamArgsSchema,
)
from app.training.status import Cell

blp = Blueprint("training_api", __name__, description="Training: courses and compliance")

WRITERS = (Role.ADMIN, Role.PMO)


@blp.route("/courses", methods=["POST"])
@token_required(*WRITERS)
@blp.arguments(CourseCreateSchema)
@blp.response(201, CourseSchema)
def create_course(data: dict):
    """Create a course (PMO)."""
    return services.create_course(
        data["key"],
        data["title"],
        description=data["description"],
        methodology=data["methodology"],
        validity_months=data["validity_months"],
        document_ids=data["documents"],
    )


@blp.route("/courses", methods=["GET"])
@token_required()
@blp.arguments(PageArgsSchema, location="query")
@blp.response(200, page_schema(CourseSchema))
def list_courses(args: dict):
    """Every course, by title."""
    return paginate(select(Course).order_by(Course.title), args["page"], args["per_page"])


@blp.route("/courses/<string:key>", methods=["GET"])
@token_required()
@blp.response(200, CourseSchema)
def get_course(key: str):
    """One course by key."""
    return services.get_course(key)


@blp.route("/training/requirements", methods=["POST"])
@token_required(*WRITERS)
@blp.arguments(RequirementCreateSchema)
@blp.response(201, RequirementSchema)
def create_requirement(data: dict):
    """Require a course for a role and/or a team, by a date or days after joining (PMO)."""
    team = None
    if data["team"] is not None:
        team = db.session.scalar(select(Team).where(Team.name == data["team"]))
        if team is None:
            raise Invalid(_("No such team."))
    return services.create_requirement(
        _course_or_422(data["course"]),
        role=Role(data["role"]) if data["role"] else None,
        team=team,
        due_date=data["due_date"],
        due_days=data["due_days"],
    )


@blp.route("/training/requirements", methods=["GET"])
@token_required()
@blp.arguments(PageArgsSchema, location="query")
@blp.response(200, page_schema(RequirementSchema))
def list_requirements(args: dict):
    """Every requirement (they are policy, readable by all)."""
    return paginate(select(Requirement).order_by(Requirement.id), args["page"], args["per_page"])


@blp.route("/training/completions", methods=["POST"])
@token_required(*WRITERS)
@blp.arguments(CompletionCreateSchema)
@blp.response(201, CompletionSchema)
def create_completion(data: dict):
    """Record one completion (PMO); a renewal adds a row, history is kept."""
    return services.record_completion(
        services.get_user(data["user"]),
        _course_or_422(data["course"]),
        data["completed_on"],
        recorded_by=api_user(),
        score=data["score"],
    )


@blp.route("/training/completions", methods=["GET"])
@token_required()
@blp.arguments(CompletionListArgsSchema, location="query")
@blp.response(200, page_schema(CompletionSchema))
def list_completions(args: dict):
    """Completion history, newest first: all for the PMO, a manager's teams, else one's own."""
    statement = services.visible_completions(api_user(), args.get("user"))
    if args.get("course"):
        statement = statement.where(Completion.course.has(Course.key == args["course"]))
    return paginate(statement, args["page"], args["per_page"])


@blp.route("/training/matrix", methods=["GET"])
@token_required(Role.PMO, Role.MANAGER)
@blp.arguments(MatrixArgsSchema, location="query")
@blp.response(200, MatrixSchema)
def matrix(args: dict):
    """People x courses, a page of people at a time (by name): each cell's status and dates.

    PMO: everyone; managers: their teams. ``items`` and ``rows`` hold the same rows
    (``rows`` is kept for the clients written before pagination).
    """
    scope = services.scope_for(api_user(), args.get("team"))
    page, per_page = args["page"], args["per_page"]
    result = fill(open_matrix(services.today(), scope), page, per_page)
    rows = _matrix_rows(result)
    return {
        "on": result.on,
        "courses": [course.key for course in result.courses],
        "rows": rows,
        "items": rows,
        "total": result.total,
        "page": page,
        "per_page": per_page,
    }


@blp.route("/training/compliance", methods=["GET"])
@token_required(Role.PMO, Role.MANAGER)
@blp.arguments(TeamArgsSchema, location="query")
@blp.response(200, ComplianceSchema)
def compliance(args: dict):
    """Per team and per course: required cells, valid ones and the percentage."""
    result = open_matrix(services.today(), services.scope_for(api_user(), args.get("team")))
    counts = count_compliance(result)
    return {
        "on": result.on,
        "teams": [_percent(item, "team") for item in counts.teams],
        "courses": [_percent(item, "course") for item in counts.courses],
    }


@blp.route("/training/import", methods=["POST"])
@token_required(*WRITERS)
@blp.arguments(UploadSchema, location="files")
@blp.response(200, ImportResultSchema)
@blp.alt_response(
    422, description="Unreadable, over a limit the code names, or lacking a required column"
)
def import_file(files: dict):
    """Import completions from CSV or XLSX (multipart field ``file``), PMO only.

    Good rows are imported, each bad row is reported with its line (header = line 1);
    rows already recorded count as ``duplicates``, so a second import adds nothing.
    """
    upload = files["file"]
    if not upload.filename:
        raise ApiError(400, _("Send the file in a multipart field named file."))
    rows = read_rows(upload.read(), upload.filename)
    return import_completions(rows, recorded_by=api_user())


@blp.route("/training/exports/<any(matrix, overdue):name>.<any(csv, xlsx):fmt>", methods=["GET"])
@token_required(Role.PMO, Role.MANAGER)
@blp.arguments(TeamArgsSchema, location="query")
@blp.response(200, description="The file, as an attachment")
def export(args: dict, name: str, fmt: str) -> Response:
    """The matrix or the overdue list as CSV or XLSX (XLSX: one sheet per team)."""
    result = build_matrix(services.today(), services.scope_for(api_user(), args.get("team")))
    return export_response(result, name, fmt)


@blp.route("/me/training", methods=["GET"])
@token_required()
@blp.response(200, MyTrainingSchema)
def my_training():
    """The caller's own record: every required or completed course with its status."""
    return services.my_training(api_user(), services.today())


def _course_or_422(key: str) -> Course:
    course = db.session.scalar(select(Course).where(Course.key == key))
    if course is None:
        raise Invalid(_("Unknown course: %(key)s.", key=key))
    return course


def _percent(item: Percent, label: str) -> dict:
    return {
        label: item.label,
        "required": item.required,
        "valid": item.valid,
        "percent": item.percent,
    }


def _matrix_rows(result: Matrix) -> list[dict]:
    return [
        {
            "person": person.username,
            "display_name": person.display_name,
            "teams": person.teams,
            "courses": {key: _cell_json(cell) for key, cell in person.cells.items()},
        }
        for person in result.people
    ]


def _cell_json(cell: Cell) -> dict:
    """A cell as JSON values, built directly: a nested schema per cell is too slow."""
    return {
        "status": cell.status.value if cell.status else None,
        "valid_until": cell.valid_until.isoformat() if cell.valid_until else None,
        "completed_on": cell.completed_on.isoformat() if cell.completed_on else None,
        "due_date": cell.due_date.isoformat() if cell.due_date else None,
    }
