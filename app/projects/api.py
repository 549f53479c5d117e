"""API: workflows, projects, gate reviews, votes, hold/resume, action items and the audit trail."""

from __future__ import annotations

from flask import Response
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import lazyload

from app.api.auth import api_principal, api_user, token_required
from app.api.blueprint import ApiBlueprint as Blueprint
from app.api.pagination import paginate
from app.api.schemas import PageArgsSchema, UploadSchema, page_schema
from app.auth.models import Role, User
from app.auth.services import get_user_by_username
from app.errors import ApiError
from app.extensions import db
from app.library.schemas import DocumentSchema
from app.projects import audit
from app.projects.actions import close_action_item, get_action_item, verify_action_item
from app.projects.definitions import all_current, get_definition, sync
from app.projects.deliverables import upload_deliverable
from app.projects.diagrams import workflow_svg
from app.projects.managers import change_manager
from app.projects.models import ActionItem, AuditEvent, GateReview
from app.projects.programmes import programme_named
from app.projects.queries import filtered_projects, workflow_dict
from app.projects.schemas import (
    ActionCloseSchema,
    ActionItemSchema,
    AuditEventSchema,
    ChainReportSchema,
    DiagramQuerySchema,
    PauseSchema,
    ProjectCreateSchema,
    ProjectQuerySchema,
    ProjectSchema,
    ProjectUpdateSchema,
    ReviewCreatedSchema,
    ReviewCreateSchema,
    ReviewSchema,
    VoteCreateSchema,
    VoteSchema,
    WorkflowListSchema,
    WorkflowQuerySchema,
    WorkflowSchema,
)
from app.projects.services import (
    can_see,
    create_project,
    get_project,
    hold_project,
    resume_project,
)
from app.projects.submission import submit_review
from app.projects.voting import cast_vote
from app.refusals import NotFound

blp = Blueprint("projects_api", __name__, description="Stage-gate governance")


@blp.route("/workflows", methods=["GET"])
@token_required()
@blp.response(200, WorkflowListSchema)
def list_workflows():
    """The current version of every workflow definition."""
    return {"items": [workflow_dict(d) for d in all_current()]}


@blp.route("/workflows/<key>", methods=["GET"])
@token_required()
@blp.arguments(WorkflowQuerySchema, location="query")
@blp.response(200, WorkflowSchema)
def get_workflow(args: dict, key: str):
    """One definition: the current version, or `?version=` an older one still in use."""
    data = workflow_dict(get_definition(key, args.get("version")))
    data["versions"] = sorted(v for k, v in sync() if k == key)
    return data


@blp.route("/workflows/<key>/diagram.svg", methods=["GET"])
@token_required()
@blp.arguments(DiagramQuerySchema, location="query")
@blp.response(200, content_type="image/svg+xml")
def workflow_diagram(args: dict, key: str):
    """The workflow as an SVG diagram; `?project=` highlights that project's stage."""
    current = None
    version = None
    if args.get("project"):
        project = get_project(api_user(), args["project"])
        if project.workflow != key:
            raise NotFound(_("No such project."))
        current, version = project.stage, project.workflow_version
    svg = workflow_svg(get_definition(key, version), current)
    return Response(svg, mimetype="image/svg+xml")


@blp.route("/projects", methods=["POST"])
@token_required(Role.MANAGER, Role.PMO)
@blp.arguments(ProjectCreateSchema)
@blp.response(201, ProjectSchema)
def create_project_endpoint(data: dict):
    """Create a project at the first stage of a workflow's current version."""
    return create_project(
        api_user(),
        data["name"],
        data["workflow"],
        manager=_user_named(data["manager"]) if data.get("manager") else None,
        programme=programme_named(data.get("programme")),
        budget=data.get("budget"),
    )


def _user_named(username: str) -> User:
    user = get_user_by_username(username)
    if user is None:
        raise NotFound(_("No such user."), details=[{"field": "manager"}])
    return user


@blp.route("/projects", methods=["GET"])
@token_required()
@blp.arguments(ProjectQuerySchema, location="query")
@blp.response(200, page_schema(ProjectSchema))
def list_projects(args: dict):
    """The projects you may see (all for the PMO and gatekeepers, yours for a manager)."""
    return paginate(filtered_projects(api_user(), args), args["page"], args["per_page"])


@blp.route("/projects/<id:project_id>", methods=["GET"])
@token_required()
@blp.response(200, ProjectSchema)
def get_project_endpoint(project_id: int):
    """One project."""
    return get_project(api_user(), project_id)


@blp.route("/projects/<id:project_id>", methods=["PATCH"])
@token_required(Role.PMO)
@blp.arguments(ProjectUpdateSchema)
@blp.response(200, ProjectSchema)
@blp.alt_response(409, description="The new manager is not an active manager")
def update_project_endpoint(data: dict, project_id: int):
    """The PMO hands the project to another manager (`manager_changed` in the audit trail)."""
    project = get_project(api_user(), project_id)
    return change_manager(api_user(), project, _user_named(data["manager"]))


@blp.route("/projects/<id:project_id>/gate-reviews", methods=["POST"])
@token_required()
@blp.arguments(ReviewCreateSchema)
@blp.response(201, ReviewCreatedSchema)
def submit_review_endpoint(data: dict, project_id: int):
    """Submit the current gate's review (the project's manager); 422 lists every reason."""
    project = get_project(api_user(), project_id)
    return submit_review(
        api_user(),
        project,
        data["criteria"],
        data["deliverables"] or [],
        summary=data["summary"],
        budget=data["budget"],
        top_risks=data["top_risks"],
        lessons=data["lessons"],
    )


def _get_review(review_id: int) -> GateReview:
    # Lazy relationships: the visibility check needs the project's manager id, nothing more.
    lazy = [lazyload("*"), lazyload(GateReview.project).lazyload("*")]
    review = db.session.get(GateReview, review_id, options=lazy)
    if review is None or not can_see(api_user(), review.project):
        raise NotFound(_("No such gate review."))
    return review


@blp.route("/projects/<id:project_id>/gate-reviews", methods=["GET"])
@token_required()
@blp.arguments(PageArgsSchema, location="query")
@blp.response(200, page_schema(ReviewSchema))
def list_reviews(args: dict, project_id: int):
    """The project's gate reviews, oldest first."""
    project = get_project(api_user(), project_id)
    statement = select(GateReview).where(GateReview.project_id == project.id)
    return paginate(statement.order_by(GateReview.id), args["page"], args["per_page"])


@blp.route("/gate-reviews/<id:review_id>", methods=["GET"])
@token_required()
@blp.response(200, ReviewSchema)
def get_review(review_id: int):
    """A review: status, decision, votes with scorecards, deliverables with their versions."""
    return _get_review(review_id)


@blp.route("/gate-reviews/<id:review_id>/votes", methods=["POST"])
@token_required()
@blp.arguments(VoteCreateSchema)
@blp.response(201, VoteSchema)
def vote_endpoint(data: dict, review_id: int):
    """Vote on a review; the vote that makes the quorum decides and moves the project, the one
    that leaves the rule unreachable makes it `no_consensus`. `on_behalf_of` votes for a
    gatekeeper who delegated their vote to you for today (403 without such a delegation)."""
    return cast_vote(
        api_principal(),
        review_id,
        data["decision"],
        comment=data["comment"],
        conditions=data["conditions"],
        scores=data["scores"],
        on_behalf_of=data["on_behalf_of"],
    )


@blp.route("/projects/<id:project_id>/hold", methods=["POST"])
@token_required(Role.PMO)
@blp.arguments(PauseSchema)
@blp.response(200, ProjectSchema)
def hold_endpoint(data: dict, project_id: int):
    """The PMO puts a project on hold, giving the `reason` (kept in the audit trail)."""
    return hold_project(api_user(), get_project(api_user(), project_id), data["reason"])


@blp.route("/projects/<id:project_id>/resume", methods=["POST"])
@token_required(Role.PMO)
@blp.arguments(PauseSchema)
@blp.response(200, ProjectSchema)
def resume_endpoint(data: dict, project_id: int):
    """The PMO resumes a project on hold, giving the `reason` (kept in the audit trail)."""
    return resume_project(api_user(), get_project(api_user(), project_id), data["reason"])


@blp.route("/projects/<id:project_id>/deliverables/<key>/file", methods=["POST"])
@token_required(Role.MANAGER)
@blp.arguments(UploadSchema, location="files")
@blp.response(201, DocumentSchema)
@blp.alt_response(404, description="No such project, or no such deliverable at its next gate")
@blp.alt_response(409, description="The project is not in a state to submit its gate review")
@blp.alt_response(413, description="The file is over the size limit")
@blp.alt_response(
    422, description="Not the type its name claims, or over a parse limit the code names"
)
def upload_deliverable_endpoint(files: dict, project_id: int, key: str):
    """The project's manager hands in the completed file of deliverable `key` of the next gate
    (multipart field `file`): a new draft library document of the project, of the
    deliverable's kind, tagged with its key, that the project's committee may read. Submit it
    with the review by its `id` in `deliverables`."""
    upload = files["file"]
    if not getattr(upload, "filename", None):
        raise ApiError(400, _("Send the file in a multipart field named file."))
    project = get_project(api_user(), project_id)
    return upload_deliverable(api_user(), project, key, upload.stream, upload.filename)


@blp.route("/projects/<id:project_id>/action-items", methods=["GET"])
@token_required()
@blp.arguments(PageArgsSchema, location="query")
@blp.response(200, page_schema(ActionItemSchema))
def list_action_items(args: dict, project_id: int):
    """The project's action items from conditional go decisions."""
    project = get_project(api_user(), project_id)
    statement = select(ActionItem).where(ActionItem.project_id == project.id)
    return paginate(statement.order_by(ActionItem.id), args["page"], args["per_page"])


@blp.route("/action-items/<id:item_id>/close", methods=["POST"])
@token_required()
@blp.arguments(ActionCloseSchema)
@blp.response(200, ActionItemSchema)
def close_action_endpoint(data: dict, item_id: int):
    """The manager closes an action item with its evidence."""
    return close_action_item(api_user(), get_action_item(api_user(), item_id), data["evidence"])


@blp.route("/action-items/<id:item_id>/verify", methods=["POST"])
@token_required(Role.PMO)
@blp.response(200, ActionItemSchema)
def verify_action_endpoint(item_id: int):
    """The PMO verifies a closed action item."""
    return verify_action_item(api_user(), get_action_item(api_user(), item_id))


@blp.route("/projects/<id:project_id>/audit", methods=["GET"])
@token_required()
@blp.arguments(PageArgsSchema, location="query")
@blp.response(200, page_schema(AuditEventSchema))
def project_audit(args: dict, project_id: int):
    """The project's audit events, oldest first."""
    project = get_project(api_user(), project_id)
    statement = select(AuditEvent).where(AuditEvent.project_id == project.id)
    return paginate(statement.order_by(AuditEvent.id), args["page"], args["per_page"])


@blp.route("/audit/verify", methods=["GET"])
@token_required(Role.PMO)
@blp.response(200, ChainReportSchema)
def verify_audit():
    """Check the whole hash chain; `first_broken` names the first tampered event."""
    return audit.report_dict(audit.verify())
