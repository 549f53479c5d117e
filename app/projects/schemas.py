"""API schemas of workflows, projects, gate reviews, votes, action items and the audit trail."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from flask_babel import gettext as _
from marshmallow import Schema, ValidationError, fields, validate

from app.api.schemas import PageArgsSchema, QueryArgsSchema, Text
from app.projects import limits
from app.projects.committee import chair_decision_of, recusals_of
from app.projects.review_facts import budget_data
from workflows import Decision, Status

DECISIONS = [d.value for d in Decision]
STATUSES = [s.value for s in Status]


#: Largest amount a NUMERIC(14, 2) column holds.
MAX_AMOUNT = 10**12 - 1


class Money(fields.Float):
    """An amount read as a JSON number and handed over as a 2-place `Decimal`."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(validate=validate.Range(min=0, max=MAX_AMOUNT), **kwargs)

    def _deserialize(self, value: Any, attr: Any, data: Any, **kwargs: Any) -> Decimal:
        number = super()._deserialize(value, attr, data, **kwargs)
        if not 0 <= number <= MAX_AMOUNT:  # before quantize, which fails on huge numbers
            raise ValidationError(_("Must be between %(min)s and %(max)s.", min=0, max=MAX_AMOUNT))
        return Decimal(str(number)).quantize(Decimal("0.01"))


class WorkflowQuerySchema(QueryArgsSchema):
    version = fields.Integer(validate=validate.Range(min=1, max=2**31 - 1))


class DiagramQuerySchema(QueryArgsSchema):
    project = fields.Integer(
        validate=validate.Range(min=1, max=2**31 - 1),
        metadata={"description": "highlight this project's stage"},
    )


class WorkflowSchema(Schema):
    """A definition; gates carry `min_votes` and `rule` flat, as the contract says."""

    key = fields.String(required=True)
    version = fields.Integer(required=True)
    name = fields.Raw(required=True)
    description = fields.Raw()
    stages = fields.List(fields.Dict(), required=True)
    gates = fields.List(fields.Dict(), required=True)
    versions = fields.List(fields.Integer(), metadata={"description": "every stored version"})


class WorkflowListSchema(Schema):
    items = fields.List(fields.Nested(WorkflowSchema), required=True)


class ProjectCreateSchema(Schema):
    name = Text(required=True, validate=validate.Length(min=1, max=200))
    workflow = Text(required=True, validate=validate.Length(min=1, max=64))
    manager = Text(validate=validate.Length(min=1, max=64), metadata={"description": "username"})
    programme = Text(
        allow_none=True,
        validate=validate.Length(max=120),
        metadata={"description": "name of an existing programme"},
    )
    budget = Money(allow_none=True)


class ProjectUpdateSchema(Schema):
    manager = Text(
        required=True,
        validate=validate.Length(min=1, max=64),
        metadata={"description": "username of the new manager (PMO only)"},
    )


class ProjectQuerySchema(PageArgsSchema):
    workflow = Text(validate=validate.Length(max=64))
    stage = Text(validate=validate.Length(max=64))
    status = fields.String(validate=validate.OneOf(STATUSES))
    manager = Text(validate=validate.Length(max=64), metadata={"description": "username"})
    programme = Text(validate=validate.Length(max=120), metadata={"description": "programme name"})
    portfolio = Text(validate=validate.Length(max=120), metadata={"description": "portfolio name"})


class ProjectSchema(Schema):
    id = fields.Integer(required=True)
    name = fields.String(required=True)
    workflow = fields.String(required=True)
    workflow_version = fields.Integer(required=True)
    stage = fields.String(required=True)
    status = fields.String(required=True)
    manager = fields.Function(lambda p: p.manager.username, required=True)
    programme = fields.String(attribute="programme_name", allow_none=True)
    portfolio = fields.String(attribute="portfolio_name", allow_none=True)
    budget = fields.Decimal(allow_none=True, as_string=True)
    created_at = fields.DateTime(required=True)


class BudgetSchema(Schema):
    planned = Money(allow_none=True)
    actual = Money(allow_none=True)
    forecast = Money(allow_none=True)


#: The longest link to a deliverable (its column's length).
MAX_URL_LENGTH = 1000

#: A deliverable named by its key, given as a URL or a library document id.
DELIVERABLE_ITEM = {
    "type": "object",
    "properties": {
        "key": {"type": "string", "pattern": "^[^\\u0000]*$"},
        "url": {"type": "string", "pattern": "^[^\\u0000]*$", "maxLength": MAX_URL_LENGTH},
        "document": {"type": "integer"},
    },
    "required": ["key"],
}


def _is_id(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _deliverables_shape(value: Any) -> None:
    """Refuse what is neither a list of ids/items nor an object of ids (see `DELIVERABLE_ITEM`),
    and more than `limits.DELIVERABLES_MAX` of them."""
    if value is None:
        return
    if isinstance(value, list | dict) and len(value) > limits.DELIVERABLES_MAX:
        raise ValidationError(_("At most %(max)d deliverables.", max=limits.DELIVERABLES_MAX))
    if isinstance(value, dict):
        ok = all(_is_id(v) for v in value.values())
    elif isinstance(value, list):
        ok = all(
            _is_id(item) or (isinstance(item, dict) and isinstance(item.get("key"), str))
            for item in value
        )
    else:
        ok = False
    if not ok:
        raise ValidationError(
            _("Give a list of document ids or items, or an object of document ids.")
        )
    urls = [item.get("url") for item in value if isinstance(item, dict)]
    if any(isinstance(url, str) and len(url) > MAX_URL_LENGTH for url in urls):
        raise ValidationError(_("A link has at most %(n)d characters.", n=MAX_URL_LENGTH))


class ReviewLessonSchema(Schema):
    title = Text(required=True, validate=validate.Length(min=1, max=300))
    body = Text(required=True, validate=validate.Length(min=1, max=20_000))
    language = fields.String(
        validate=validate.OneOf(["fr", "en"]),
        metadata={"description": "detected from the title and body when not given"},
    )


class ReviewCreateSchema(Schema):
    criteria = fields.Dict(
        keys=fields.String(),
        values=fields.Raw(),
        required=True,
        validate=validate.Length(max=limits.CRITERIA_MAX),
        metadata={
            "description": "criterion key -> true/false (must-meet) or 0-5 (should-meet)",
            "maxProperties": limits.CRITERIA_MAX,
        },
    )
    deliverables = fields.Raw(
        load_default=list,
        allow_none=True,
        validate=_deliverables_shape,
        metadata={
            "description": "[document ids] matched to the gate's deliverables by tag, template "
            'or kind, with items {"key", "url"} or {"key", "document"} to say which is which; or '
            "an object {deliverable_key: document_id}",
            "oneOf": [
                {
                    "type": "array",
                    "items": {"oneOf": [{"type": "integer"}, DELIVERABLE_ITEM]},
                    "maxItems": limits.DELIVERABLES_MAX,
                },
                {
                    "type": "object",
                    "additionalProperties": {"type": "integer"},
                    "maxProperties": limits.DELIVERABLES_MAX,
                },
            ],
        },
    )
    summary = Text(load_default="", validate=validate.Length(max=limits.SUMMARY_MAX))
    budget = fields.Nested(BudgetSchema, load_default=dict)
    top_risks = fields.List(
        Text(validate=validate.Length(max=limits.TOP_RISK_MAX)),
        load_default=list,
        validate=validate.Length(max=limits.TOP_RISKS_MAX),
    )
    lessons = fields.List(
        fields.Nested(ReviewLessonSchema),
        load_default=list,
        validate=validate.Length(max=limits.LESSONS_MAX),
        metadata={"description": "lessons learned, recorded as lesson documents of the stage"},
    )


class ReviewCreatedSchema(Schema):
    id = fields.Integer(required=True)
    gate = fields.String(required=True)
    status = fields.String(required=True)


class ScoreSchema(Schema):
    criterion = fields.String()
    score = fields.Integer()


class VoteSchema(Schema):
    id = fields.Integer(required=True)
    voter = fields.Function(
        lambda v: (v.cast_by or v.voter).username,
        metadata={"description": "username of who cast it (the delegate, for a delegated vote)"},
    )
    on_behalf_of = fields.Function(
        lambda v: v.voter.username if v.cast_by_id else None,
        allow_none=True,
        metadata={"description": "username of the gatekeeper it counts for, when delegated"},
    )
    decision = fields.String(required=True)
    comment = fields.String()
    conditions = fields.List(fields.Dict())
    scores = fields.Function(lambda v: {s.criterion: s.score for s in v.scores})
    created_at = fields.DateTime()


class DeliverableSchema(Schema):
    deliverable = fields.String()
    document_id = fields.Integer(allow_none=True)
    document_version = fields.Integer(allow_none=True)
    url = fields.String(allow_none=True)


class ReviewSchema(Schema):
    id = fields.Integer(required=True)
    project = fields.Integer(attribute="project_id")
    gate = fields.String(required=True)
    from_stage = fields.String(data_key="from")
    to_stage = fields.String(data_key="to")
    status = fields.String(required=True)
    decision = fields.String(allow_none=True)
    submitted_by = fields.Function(lambda r: r.submitted_by.username)
    submitted_at = fields.DateTime()
    decided_at = fields.DateTime(allow_none=True)
    summary = fields.String()
    criteria = fields.Dict()
    score = fields.Float()
    budget = fields.Function(
        budget_data,
        metadata={
            "description": "as submitted: planned, actual and forecast, decimal strings or null",
            "type": "object",
            "properties": {
                name: {"type": "string", "nullable": True}
                for name in ("planned", "actual", "forecast")
            },
        },
    )
    top_risks = fields.List(fields.String())
    risks = fields.Function(
        lambda r: list(r.top_risks or []),
        metadata={
            "description": "the risks as submitted (the same as top_risks)",
            "type": "array",
            "items": {"type": "string"},
        },
    )
    deliverables = fields.List(fields.Nested(DeliverableSchema))
    votes = fields.List(fields.Nested(VoteSchema))
    vote_by = fields.Date(allow_none=True, metadata={"description": "the committee's vote-by date"})
    chair_decision = fields.Function(
        lambda r: chair_decision_of(r),
        allow_none=True,
        metadata={
            "description": '{"decision", "rationale", "by", "by_name", "at"} when the chair decided'
        },
    )
    recusals = fields.Function(
        lambda r: [
            {"voter": recusal.user.username, "reason": recusal.reason, "at": recusal.created_at}
            for recusal in recusals_of(r)
        ],
        metadata={"description": 'who recused themselves: [{"voter", "reason", "at"}]'},
    )


class ConditionSchema(Schema):
    description = Text(required=True, validate=validate.Length(min=1, max=limits.CONDITION_MAX))
    due_date = fields.Date(allow_none=True)


class VoteChangeSchema(Schema):
    """A vote's content: a new vote, or my vote changed (`PATCH .../votes/mine`)."""

    decision = fields.String(required=True, validate=validate.OneOf(DECISIONS))
    comment = Text(load_default="", validate=validate.Length(max=limits.COMMENT_MAX))
    conditions = fields.List(
        fields.Nested(ConditionSchema),
        load_default=list,
        validate=validate.Length(max=limits.CONDITIONS_MAX),
    )
    scores = fields.Dict(
        keys=fields.String(),
        values=fields.Integer(strict=True),
        load_default=dict,
        validate=validate.Length(max=limits.SCORES_MAX),
        metadata={
            "description": "should-meet criterion key -> 0-5 (the voter's scorecard)",
            "maxProperties": limits.SCORES_MAX,
        },
    )


class VoteCreateSchema(VoteChangeSchema):
    on_behalf_of = Text(
        load_default=None,
        allow_none=True,
        validate=validate.Length(min=1, max=64),
        metadata={"description": "username of the gatekeeper who delegated their vote to you"},
    )


class ActionItemSchema(Schema):
    id = fields.Integer(required=True)
    project = fields.Integer(attribute="project_id")
    review = fields.Integer(attribute="review_id")
    description = fields.String()
    owner = fields.Function(lambda a: a.owner.username)
    due_date = fields.Date(allow_none=True)
    status = fields.String()
    evidence = fields.String()
    closed_at = fields.DateTime(allow_none=True)
    verified_at = fields.DateTime(allow_none=True)


class PauseSchema(Schema):
    """Why the PMO puts a project on hold or resumes it (kept in the audit trail)."""

    reason = Text(required=True, validate=validate.Length(min=1, max=limits.REASON_MAX))


class ActionCloseSchema(Schema):
    evidence = Text(required=True, validate=validate.Length(min=1, max=5000))


class AuditEventSchema(Schema):
    id = fields.Integer()
    project = fields.Integer(attribute="project_id", allow_none=True)
    kind = fields.String()
    actor = fields.String()
    data = fields.Dict()
    created_at = fields.DateTime()
    prev_hash = fields.String()
    hash = fields.String()


class ChainReportSchema(Schema):
    ok = fields.Boolean(required=True)
    events = fields.Integer(required=True)
    first_broken = fields.Integer(allow_none=True)
    reason = fields.String(allow_none=True)
