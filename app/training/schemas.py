"""API schemas for courses, requirements, completions and the matrix."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from app.api.schemas import PageArgsSchema, QueryArgsSchema, Text
from app.auth.models import Role
from app.training.services import COURSE_KEY_PATTERN
from app.web import MAX_PAGE

COURSE_KEY = validate.Regexp(
    COURSE_KEY_PATTERN, error=_l("Use lower-case letters, digits and hyphens.")
)
ROLE_VALUES = [role.value for role in Role]
SCORE = validate.Range(min=0, max=100)


class CourseCreateSchema(Schema):
    key = fields.String(required=True, validate=COURSE_KEY)
    title = Text(required=True, validate=validate.Length(min=1, max=200))
    description = Text(load_default="", validate=validate.Length(max=10_000))
    methodology = Text(load_default="", validate=validate.Length(max=80))
    validity_months = fields.Integer(
        load_default=None, allow_none=True, validate=validate.Range(min=1, max=600)
    )
    documents = fields.List(
        fields.Integer(validate=validate.Range(min=1, max=2**31 - 1)),
        load_default=list,
        metadata={"description": "ids of linked library documents"},
    )


class DocumentRefSchema(Schema):
    id = fields.Integer(required=True)
    title = fields.String(required=True)


class CourseSchema(Schema):
    id = fields.Integer(required=True)
    key = fields.String(required=True)
    title = fields.String(required=True)
    description = fields.String(required=True)
    methodology = fields.String(required=True)
    validity_months = fields.Integer(allow_none=True)
    documents = fields.List(fields.Nested(DocumentRefSchema), required=True)


class RequirementCreateSchema(Schema):
    course = fields.String(required=True, validate=COURSE_KEY)
    role = fields.String(load_default=None, allow_none=True, validate=validate.OneOf(ROLE_VALUES))
    team = Text(load_default=None, allow_none=True, validate=validate.Length(min=1, max=80))
    due_date = fields.Date(load_default=None, allow_none=True)
    due_days = fields.Integer(
        load_default=None, allow_none=True, validate=validate.Range(min=0, max=3650)
    )

    @validates_schema
    def _one_target_one_deadline(self, data: dict, **_kwargs: object) -> None:
        if data["role"] is None and data["team"] is None:
            raise ValidationError(_("Give a role, a team or both."), "role")
        if data["due_date"] is not None and data["due_days"] is not None:
            raise ValidationError(_("Give either due_date or due_days, not both."), "due_date")


class RequirementSchema(Schema):
    id = fields.Integer(required=True)
    course = fields.Function(lambda requirement: requirement.course.key, required=True)
    role = fields.Function(
        lambda requirement: requirement.role.value if requirement.role else None,
        allow_none=True,
    )
    team = fields.Function(
        lambda requirement: requirement.team.name if requirement.team else None,
        allow_none=True,
    )
    due_date = fields.Date(allow_none=True)
    due_days = fields.Integer(allow_none=True)


class CompletionCreateSchema(Schema):
    user = Text(required=True, validate=validate.Length(min=1, max=64))
    course = fields.String(required=True, validate=COURSE_KEY)
    completed_on = fields.Date(required=True)
    score = fields.Float(load_default=None, allow_none=True, validate=SCORE)


class CompletionSchema(Schema):
    id = fields.Integer(required=True)
    user = fields.Function(lambda completion: completion.user.username, required=True)
    course = fields.Function(lambda completion: completion.course.key, required=True)
    completed_on = fields.Date(required=True)
    score = fields.Float(allow_none=True)
    valid_until = fields.Date(allow_none=True)
    source = fields.Function(lambda completion: completion.source.value, required=True)
    recorded_by = fields.Function(
        lambda completion: completion.recorded_by.username if completion.recorded_by else None,
        allow_none=True,
    )
    recorded_at = fields.DateTime(required=True)
    evidence = fields.Function(lambda completion: completion.evidence_name, allow_none=True)


class CompletionListArgsSchema(PageArgsSchema):
    user = Text(validate=validate.Length(min=1, max=64))
    course = fields.String(validate=COURSE_KEY)


class TeamArgsSchema(QueryArgsSchema):
    team = Text(validate=validate.Length(min=1, max=80))


#: People per matrix page: a page of 50 x 40 courses is about 200 KB of JSON.
MATRIX_PER_PAGE = 50
MATRIX_MAX_PER_PAGE = 500


class MatrixArgsSchema(TeamArgsSchema):
    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=MAX_PAGE))
    per_page = fields.Integer(
        load_default=MATRIX_PER_PAGE, validate=validate.Range(min=1, max=MATRIX_MAX_PER_PAGE)
    )


class ImportRejectSchema(Schema):
    line = fields.Integer(required=True)
    error = fields.String(required=True)


class ImportResultSchema(Schema):
    imported = fields.Integer(required=True)
    duplicates = fields.Integer(
        required=True, metadata={"description": "rows already recorded (re-import)"}
    )
    rejected = fields.List(fields.Nested(ImportRejectSchema), required=True)


class CellSchema(Schema):
    status = fields.String(allow_none=True)
    valid_until = fields.Date(allow_none=True)
    completed_on = fields.Date(allow_none=True)
    due_date = fields.Date(allow_none=True)


class MatrixRowSchema(Schema):
    person = fields.String(required=True, metadata={"description": "username"})
    display_name = fields.String(required=True)
    teams = fields.List(fields.String(), required=True)
    # Raw, documented as an object: the cells are JSON values already (api._cell_json), and
    # a Dict field would walk 40 keys of every row again.
    courses = fields.Raw(
        required=True,
        metadata={
            "type": "object",
            "description": "course key -> {status, valid_until, completed_on, due_date}",
            "additionalProperties": {
                "type": "object",
                "properties": {
                    "status": {"type": "string", "nullable": True},
                    "valid_until": {"type": "string", "format": "date", "nullable": True},
                    "completed_on": {"type": "string", "format": "date", "nullable": True},
                    "due_date": {"type": "string", "format": "date", "nullable": True},
                },
            },
        },
    )


class MatrixSchema(Schema):
    on = fields.Date(required=True)
    courses = fields.List(fields.String(), required=True)
    items = fields.List(
        fields.Nested(MatrixRowSchema),
        required=True,
        metadata={"description": "this page's people, by name"},
    )
    rows = fields.List(
        fields.Nested(MatrixRowSchema),
        required=True,
        metadata={"description": "the same rows as items (kept from before pagination)"},
    )
    total = fields.Integer(required=True, metadata={"description": "people covered"})
    page = fields.Integer(required=True)
    per_page = fields.Integer(required=True)


class PercentSchema(Schema):
    required = fields.Integer(required=True, metadata={"description": "required cells"})
    valid = fields.Integer(required=True, metadata={"description": "of which valid"})
    percent = fields.Float(
        allow_none=True, metadata={"description": "valid / required x 100; null when none"}
    )


class TeamPercentSchema(PercentSchema):
    team = fields.String(required=True)


class CoursePercentSchema(PercentSchema):
    course = fields.String(required=True)


class ComplianceSchema(Schema):
    on = fields.Date(required=True)
    teams = fields.List(fields.Nested(TeamPercentSchema), required=True)
    courses = fields.List(fields.Nested(CoursePercentSchema), required=True)


class MyCourseSchema(CellSchema):
    course = fields.String(required=True)
    title = fields.String(required=True)
    required = fields.Boolean(required=True)


class MyTrainingSchema(Schema):
    on = fields.Date(required=True)
    courses = fields.List(
        fields.Nested(MyCourseSchema),
        required=True,
        metadata={"description": "courses required of the caller or completed by them"},
    )
    history = fields.List(fields.Nested(CompletionSchema), required=True)
