"""API: library documents, their versions, lifecycle, attachments, and search."""

from __future__ import annotations

from flask import Response, request, send_file
from flask_babel import gettext as _
from sqlalchemy import select
from werkzeug.http import parse_etags

from app.api.auth import api_user, token_required
from app.api.blueprint import ApiBlueprint as Blueprint
from app.api.pagination import paginate
from app.api.schemas import UploadSchema, page_schema
from app.errors import ApiError
from app.extensions import db
from app.library import queries
from app.library.access import AUTHOR_ROLES, is_curator, require_view
from app.library.attachments import add_attachment, attachment_store, get_attachment
from app.library.documents import create_document, update_document
from app.library.lessons import record_lesson
from app.library.lifecycle import transition
from app.library.models import Document, DocumentVersion
from app.library.schemas import (
    AttachmentSchema,
    DocumentCreateSchema,
    DocumentListArgsSchema,
    DocumentSchema,
    DocumentSummarySchema,
    DocumentUpdateSchema,
    LessonCreateSchema,
    SearchArgsSchema,
    SearchResultsSchema,
    TransitionSchema,
    VersionListSchema,
)
from app.library.search import search_documents
from app.projects.models import Project
from app.refusals import Conflict, Forbidden, Malformed, NotFound
from docs_store.storage import sanitize_filename

blp = Blueprint("library_api", __name__, description="Methodology library")


def _visible(document_id: int) -> Document:
    return require_view(api_user(), db.session.get(Document, document_id))


#: The `ETag` header of a document: its current version, e.g. `W/"3"`. Weak, because a status
#: change alters the representation without making a new version; `If-Match` compares weakly.
ETAG_HEADER = {
    "ETag": {
        "description": 'The document\'s current version, e.g. `W/"3"`: send it back in '
        "`If-Match` (or as `version` in the body) so that an edit made meanwhile is refused.",
        "schema": {"type": "string"},
    }
}
IF_MATCH = {
    "in": "header",
    "name": "If-Match",
    "required": False,
    "description": 'The `ETag` the edit is based on (`W/"3"` or `"3"`). Optional: without it '
    "(and without `version` in the body) the edit applies to the current version.",
    "schema": {"type": "string", "pattern": r'^(\*|(W/)?"[0-9]{1,9}")$'},
}


def _etag(doc: Document) -> dict[str, str]:
    return {"ETag": f'W/"{doc.current_version}"'}


def _if_match_version() -> int | None:
    """The version named by `If-Match` (None when absent or `*`); else 400."""
    header = request.headers.get("If-Match")
    if header is None:
        return None
    etags = parse_etags(header)
    if etags.star_tag:
        return None
    values = etags.as_set(include_weak=True)
    if len(values) != 1 or not next(iter(values)).isdecimal():
        raise Malformed(
            _('If-Match must be one ETag of this document, such as W/"3".'),
            details={"If-Match": header},
        )
    return int(next(iter(values)))


@blp.route("/documents", methods=["POST"])
@token_required(*AUTHOR_ROLES)
@blp.arguments(DocumentCreateSchema)
@blp.response(201, DocumentSchema)
def create_document_endpoint(data: dict):
    """Create a draft document (managers and the PMO); its version 1 is recorded."""
    return create_document(api_user(), **data)


@blp.route("/documents", methods=["GET"])
@token_required()
@blp.arguments(DocumentListArgsSchema, location="query")
@blp.response(200, page_schema(DocumentSummarySchema))
def list_documents(args: dict):
    """Documents the caller may see, filtered by metadata, most recently changed first."""
    statement = queries.document_list(api_user(), **args)
    return paginate(statement, args["page"], args["per_page"])


@blp.route("/documents/<id:document_id>", methods=["GET"])
@token_required()
@blp.response(200, DocumentSchema, headers=ETAG_HEADER)
def get_document(document_id: int):
    """One document with its Markdown ``body`` and sanitised ``html``; its version in ``ETag``."""
    doc = _visible(document_id)
    return doc, _etag(doc)


@blp.route("/documents/<id:document_id>", methods=["PATCH"])
@token_required()
@blp.arguments(DocumentUpdateSchema)
@blp.doc(parameters=[IF_MATCH])
@blp.response(200, DocumentSchema, headers=ETAG_HEADER)
@blp.alt_response(409, description="`edit_conflict`: another version was saved meanwhile")
def patch_document(changes: dict, document_id: int):
    """Edit a document; any change is recorded as a new version with its ``reason``.

    Edits are applied one at a time. An edit based on a version (``version`` in the body or
    ``If-Match``) that is no longer the current one is refused with ``edit_conflict``, whose
    ``details.current_version`` says which is.
    """
    doc = _visible(document_id)
    based_on, header_version = changes.pop("version", None), _if_match_version()
    if None not in (based_on, header_version) and based_on != header_version:
        raise Conflict(  # at least one of the two is not the current version
            _("The body's version and If-Match name different versions."),
            code="edit_conflict",
            details={
                "version": based_on,
                "If-Match": header_version,
                "current_version": doc.current_version,
            },
        )
    based_on = header_version if based_on is None else based_on
    reason = changes.pop("reason", "")
    doc = update_document(doc, api_user(), changes, reason, based_on=based_on)
    return doc, _etag(doc)


@blp.route("/documents/<id:document_id>/versions", methods=["GET"])
@token_required()
@blp.response(200, VersionListSchema)
def list_versions(document_id: int):
    """Every version, oldest first: who changed what, when and why."""
    doc = _visible(document_id)
    statement = (
        select(DocumentVersion)
        .where(DocumentVersion.document_id == doc.id)
        .order_by(DocumentVersion.number)
    )
    return {"items": db.session.scalars(statement).all()}


@blp.route("/documents/<id:document_id>/transition", methods=["POST"])
@token_required()
@blp.arguments(TransitionSchema)
@blp.response(200, DocumentSchema)
def transition_document(data: dict, document_id: int):
    """Move through the lifecycle: authors submit for review, the PMO publishes and retires."""
    return transition(_visible(document_id), api_user(), data["to"])


@blp.route("/documents/<id:document_id>/attachments", methods=["POST"])
@token_required()
@blp.arguments(UploadSchema, location="files")
@blp.response(201, AttachmentSchema)
@blp.alt_response(413, description="The file is over the size limit")
@blp.alt_response(
    422, description="Not the type its name claims, or over a parse limit the code names"
)
def upload_attachment(files: dict, document_id: int):
    """Attach a file (multipart field ``file``): PDF, DOCX, XLSX, PPTX, Markdown or text."""
    doc = _visible(document_id)
    upload = files["file"]
    if not upload.filename:
        raise ApiError(400, _("Send the file in a multipart field named file."))
    return add_attachment(doc, api_user(), upload.stream, upload.filename)


@blp.route("/documents/<id:document_id>/attachments/<id:attachment_id>", methods=["GET"])
@token_required()
@blp.response(200, description="The file, as an attachment")
def download_attachment(document_id: int, attachment_id: int) -> Response:
    """Download an attachment of a document the caller may see."""
    return send_attachment(_visible(document_id), attachment_id)


def send_attachment(doc: Document, attachment_id: int) -> Response:
    """The file as a download; the name is only ever a header value, never a path.

    The name is cleaned again (names are cleaned when stored), for rows stored before a
    rule was added, such as removing bidi controls.
    """
    attachment = get_attachment(doc, attachment_id)
    return send_file(
        attachment_store().path_for(attachment.sha256),
        mimetype=attachment.content_type,
        as_attachment=True,
        download_name=sanitize_filename(attachment.filename),
        max_age=0,
    )


@blp.route("/projects/<id:project_id>/lessons", methods=["POST"])
@token_required(*AUTHOR_ROLES)
@blp.arguments(LessonCreateSchema)
@blp.response(201, DocumentSchema)
def record_project_lesson(data: dict, project_id: int):
    """Record a lesson learned on a project (its manager or the PMO), at its current stage."""
    project = db.session.get(Project, project_id)
    if project is None:
        raise NotFound(_("No such project."))
    user = api_user()
    if project.manager_id != user.id and not is_curator(user):
        raise Forbidden(_("Only the project's manager or the PMO record its lessons."))
    return record_lesson(
        project,
        data.get("stage") or project.stage,
        user,
        data["title"],
        data["body"],
        data.get("language"),
        tags=data["tags"],
    )


@blp.route("/search", methods=["GET"])
@token_required()
@blp.arguments(SearchArgsSchema, location="query")
@blp.response(200, SearchResultsSchema)
@blp.alt_response(400, description="The query cannot be read")
def search(args: dict):
    """Full-text search over the documents the caller may see, with facets and highlights."""
    text = args.pop("q")
    return search_documents(api_user(), text, **args)
