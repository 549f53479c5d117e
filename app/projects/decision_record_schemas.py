"""API schema of the gate decision record: the JSON form of `decision_record.decision_record`."""

from __future__ import annotations

from marshmallow import Schema, fields


class RecordProjectSchema(Schema):
    id = fields.Integer(required=True)
    name = fields.String(required=True)
    manager = fields.String(required=True, metadata={"description": "username"})
    manager_name = fields.String(required=True, metadata={"description": "display name"})
    programme = fields.String(allow_none=True)
    portfolio = fields.String(allow_none=True)


class RecordWorkflowSchema(Schema):
    key = fields.String(required=True)
    version = fields.Integer(required=True)
    name = fields.String(required=True)


class RecordCriterionSchema(Schema):
    key = fields.String(required=True)
    label = fields.String(required=True)
    must_meet = fields.Boolean(allow_none=True)
    weight = fields.Float(allow_none=True)
    answer = fields.Raw(
        allow_none=True, metadata={"description": "the manager's answer: true/false or 0-5"}
    )


class RecordGateSchema(Schema):
    key = fields.String(required=True)
    name = fields.String(required=True)
    from_stage = fields.String(data_key="from", attribute="from", required=True)
    to_stage = fields.String(data_key="to", attribute="to", required=True)
    pass_score = fields.Float(allow_none=True)
    rule = fields.String(allow_none=True)
    from_name = fields.String(required=True, metadata={"description": "stage name, in words"})
    to_name = fields.String(required=True, metadata={"description": "stage name, in words"})
    rule_label = fields.String(allow_none=True, metadata={"description": "rule, in words"})
    min_votes = fields.Integer(allow_none=True)
    criteria = fields.List(fields.Nested(RecordCriterionSchema), required=True)


class RecordBudgetSchema(Schema):
    planned = fields.Decimal(allow_none=True, as_string=True)
    actual = fields.Decimal(allow_none=True, as_string=True)
    forecast = fields.Decimal(allow_none=True, as_string=True)
    variance = fields.Decimal(
        allow_none=True, as_string=True, metadata={"description": "forecast - planned"}
    )
    variance_pct = fields.Float(
        allow_none=True, metadata={"description": "variance as a percentage of planned"}
    )


class RecordFileSchema(Schema):
    name = fields.String(required=True)
    link = fields.String(allow_none=True, metadata={"description": "download"})


class RecordDocumentSchema(Schema):
    id = fields.Integer(required=True)
    version = fields.Integer(required=True, metadata={"description": "the version seen"})
    title = fields.String(allow_none=True, metadata={"description": "its title at that version"})
    link = fields.String(allow_none=True, metadata={"description": "the page of that version"})
    files = fields.List(fields.Nested(RecordFileSchema), required=True)


class RecordDeliverableSchema(Schema):
    key = fields.String(required=True)
    name = fields.String(required=True)
    document = fields.Nested(RecordDocumentSchema, allow_none=True)
    url = fields.String(allow_none=True)


class RecordVoteSchema(Schema):
    voter = fields.String(required=True, metadata={"description": "username"})
    voter_name = fields.String(required=True)
    decision = fields.String(required=True)
    decision_label = fields.String(required=True)
    comment = fields.String(required=True)
    conditions = fields.List(fields.Dict(), required=True)
    scores = fields.Dict(keys=fields.String(), values=fields.Integer(), required=True)
    cast_at = fields.DateTime(required=True)


class RecordRangeSchema(Schema):
    min = fields.Integer(required=True)
    max = fields.Integer(required=True)


class RecordActionItemSchema(Schema):
    id = fields.Integer(required=True)
    description = fields.String(required=True)
    owner = fields.String(required=True)
    owner_name = fields.String(required=True)
    due_date = fields.Date(allow_none=True)
    status = fields.String(required=True)
    status_label = fields.String(required=True)


class RecordChairDecisionSchema(Schema):
    decision = fields.String(required=True)
    rationale = fields.String(required=True)
    by = fields.String(required=True, metadata={"description": "username of the chair"})
    by_name = fields.String(required=True, metadata={"description": "the chair's display name"})
    at = fields.String(allow_none=True, metadata={"description": "when (ISO 8601)"})


class RecordAuditLinkSchema(Schema):
    event = fields.Integer(required=True)
    actor = fields.String(required=True)
    actor_name = fields.String(required=True)
    at = fields.DateTime(required=True)
    hash = fields.String(required=True)
    prev_hash = fields.String(required=True)


class RecordAuditSchema(Schema):
    submission = fields.Nested(RecordAuditLinkSchema, allow_none=True)
    votes = fields.List(fields.Nested(RecordAuditLinkSchema), required=True)
    decision = fields.Nested(RecordAuditLinkSchema, allow_none=True)


class DecisionRecordSchema(Schema):
    """A gate review's decision record (see app/projects/decision_record.py)."""

    review = fields.Integer(required=True)
    project = fields.Nested(RecordProjectSchema, required=True)
    workflow = fields.Nested(RecordWorkflowSchema, required=True)
    gate = fields.Nested(RecordGateSchema, required=True)
    submitted_by = fields.String(required=True)
    submitted_by_name = fields.String(required=True)
    submitted_at = fields.DateTime(required=True)
    summary = fields.String(required=True)
    score = fields.Float(required=True)
    budget = fields.Nested(RecordBudgetSchema, required=True)
    top_risks = fields.List(fields.String(), required=True)
    deliverables = fields.List(fields.Nested(RecordDeliverableSchema), required=True)
    votes = fields.List(fields.Nested(RecordVoteSchema), required=True)
    scorecard_spread = fields.Dict(
        keys=fields.String(),
        values=fields.Nested(RecordRangeSchema, allow_none=True),
        required=True,
    )
    criterion_labels = fields.Dict(keys=fields.String(), values=fields.String(), required=True)
    status = fields.String(
        required=True,
        metadata={"description": "submitted, no_consensus, decided or withdrawn"},
    )
    status_label = fields.String(required=True)
    decision = fields.String(allow_none=True, metadata={"description": "null until decided"})
    decision_label = fields.String(allow_none=True)
    decided_at = fields.DateTime(allow_none=True)
    final = fields.Boolean(required=True, metadata={"description": "false while undecided"})
    note = fields.String(allow_none=True, metadata={"description": "why the record is provisional"})
    chair_decision = fields.Nested(
        RecordChairDecisionSchema,
        allow_none=True,
        metadata={"description": "the chair's decision and rationale on a no_consensus review"},
    )
    action_items = fields.List(fields.Nested(RecordActionItemSchema), required=True)
    audit = fields.Nested(RecordAuditSchema, required=True)
