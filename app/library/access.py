"""Who may see and change library documents.

Staff see published documents only, everywhere (pages, API, search, attachments); authors
(managers) also see their own unpublished work; the PMO and admins see everything. A
deliverable handed in for a project (a document with a `project_id` that is not a lesson) is
seen, even as a draft, by whoever sees the project: its manager and its gate committees
(`app.projects.services.can_see`). A document someone may not see answers 404, so its
existence is not revealed. (Search still offers such drafts only to their owner.)
"""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import ColumnElement, and_, or_, true

from app.auth.models import Role, User
from app.library.models import Document, DocumentKind, DocumentStatus
from app.refusals import Forbidden, NotFound
from docs_store.search import Visibility

AUTHOR_ROLES = (Role.MANAGER, Role.PMO, Role.ADMIN)
CURATOR_ROLES = (Role.PMO, Role.ADMIN)


def is_curator(user: User) -> bool:
    """The PMO and admins publish, retire and see every document."""
    return user.has_role(*CURATOR_ROLES)


def is_author(user: User) -> bool:
    """Managers, the PMO and admins write documents."""
    return user.has_role(*AUTHOR_ROLES)


def can_view(user: User, doc: Document) -> bool:
    if doc.status == DocumentStatus.PUBLISHED or is_curator(user):
        return True
    if is_author(user) and doc.owner_id == user.id:
        return True
    if doc.project_id is None or doc.kind == DocumentKind.LESSON:
        return False
    from app.projects.services import get_project  # late: the projects package reads the library

    try:
        get_project(user, doc.project_id)
    except NotFound:
        return False
    return True


def can_edit(user: User, doc: Document) -> bool:
    """The owner and the PMO edit; an obsolete document is frozen (checked by the service)."""
    return is_curator(user) or (is_author(user) and doc.owner_id == user.id)


def visible_clause(user: User) -> ColumnElement[bool]:
    """The SQL condition matching the documents ``user`` may see."""
    if is_curator(user):
        return true()
    published = Document.status == DocumentStatus.PUBLISHED
    deliverable = _project_deliverables(user)
    if is_author(user):
        return or_(published, Document.owner_id == user.id, deliverable)
    return or_(published, deliverable)


def _project_deliverables(user: User) -> ColumnElement[bool]:
    """The deliverables handed in for the projects `user` sees."""
    from app.projects.models import Project  # late, as in `can_view`
    from app.projects.services import visible_projects

    return and_(
        Document.project_id.in_(visible_projects(user).with_only_columns(Project.id)),
        Document.kind != DocumentKind.LESSON,
    )


def search_visibility(user: User) -> Visibility:
    """The same rule, for the search backend."""
    if is_curator(user):
        return Visibility.everything()
    return Visibility.published_only(user.id if is_author(user) else None)


def require_view(user: User, doc: Document | None) -> Document:
    """The document, or a 404 when it does not exist or ``user`` may not see it."""
    if doc is None or not can_view(user, doc):
        raise NotFound(_("No such document."))
    return doc


def require_edit(user: User, doc: Document) -> None:
    if not can_edit(user, doc):
        raise Forbidden(_("Only the owner or the PMO may change this document."))
