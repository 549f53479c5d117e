"""Library pages: browse, search, read, write, history and lifecycle."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from app.auth.access import roles_required
from app.errors import refusal_messages, status_of
from app.extensions import db
from app.labels import doc_kind_label, doc_status_label, language_label
from app.library import bp, queries
from app.library.access import AUTHOR_ROLES, can_edit, is_author, require_view
from app.library.api import send_attachment
from app.library.attachments import add_attachment
from app.library.documents import create_document, get_version, update_document
from app.library.forms import (
    AttachmentForm,
    DocumentForm,
    TransitionForm,
)
from app.library.lifecycle import allowed_transitions, due_for_review, transition
from app.library.models import Document, DocumentVersion
from app.library.rendering import diff_lines, render_markdown, snippet
from app.library.search import FILTERS, MAX_SEARCH_PAGE, search_documents
from app.projects.naming import any_stage_name, workflow_label
from app.refusals import Refused
from app.web import number_arg, page_arg

PER_PAGE = 25


def facet_label(facet: str, value: str) -> str:
    """A facet's value in words: kinds, statuses, languages and stages have names; tags
    and methodologies are people's own words."""
    labels = {
        "kind": doc_kind_label,
        "status": doc_status_label,
        "language": language_label,
        "stage": any_stage_name,
        "workflow": workflow_label,
        "methodology": workflow_label,  # often a workflow's key
    }
    return labels[facet](value) if facet in labels else value


# A global, not a context variable: the facets macro is imported without the context.
bp.add_app_template_global(facet_label)


@bp.app_context_processor
def _library_helpers() -> dict:
    return {
        "documents_due_for_review": lambda: (
            due_for_review(current_user, limit=10)
            if current_user.is_authenticated and is_author(current_user)
            else []
        ),
    }


def _document(document_id: int) -> Document:
    try:
        return require_view(current_user, db.session.get(Document, document_id))
    except Refused:
        abort(404)


@bp.route("/")
@login_required
def browse():
    """Documents by facet: kind, status, language, methodology and tag."""
    filters = {name: request.args.get(name) or None for name in queries.FILTERS}
    tag = request.args.get("tag") or None
    try:
        statement = queries.document_list(current_user, tag=tag, **filters)
    except ValueError:
        abort(400)
    pagination = db.paginate(statement, page=page_arg(), per_page=PER_PAGE, error_out=False)
    return render_template(
        "library/browse.html",
        pagination=pagination,
        facets=queries.facet_counts(current_user),
        active={**filters, "tag": tag},
        can_write=is_author(current_user),
    )


@bp.route("/search")
@login_required
def search():
    """Full-text search with highlights and facets; the same engine as the API."""
    text = request.args.get("q", "")
    filters = {name: request.args.get(name) or None for name in FILTERS}
    results, error = None, None
    try:
        results = search_documents(
            current_user,
            text,
            page=page_arg(MAX_SEARCH_PAGE),
            include_obsolete=bool(request.args.get("include_obsolete")),
            **filters,
        )
    except Refused as refusal:
        error = refusal.message
    return render_template(
        "library/search.html",
        q=text,
        filters=filters,
        results=results,
        error=error,
        snippet=snippet,
    ), (400 if error else 200)


@bp.route("/<id:document_id>")
@login_required
def document(document_id: int):
    doc = _document(document_id)
    return render_template(
        "library/document.html",
        doc=doc,
        html=render_markdown(doc.body),
        can_edit=can_edit(current_user, doc),
        transitions=allowed_transitions(current_user, doc),
        transition_form=TransitionForm(),
        attachment_form=AttachmentForm(),
    )


@bp.route("/new", methods=["GET", "POST"])
@roles_required(*AUTHOR_ROLES)
def new():
    form = DocumentForm()
    if form.validate_on_submit():
        try:
            doc = create_document(current_user, reason=form.reason.data or "", **form.values())
        except Refused as refusal:
            form.form_errors.extend(refusal_messages(refusal))
        else:
            flash(_("Draft saved."), "success")
            return redirect(url_for("library.document", document_id=doc.id))
    status = 400 if form.is_submitted() else 200
    return render_template("library/form.html", form=form, doc=None), status


@bp.route("/<id:document_id>/edit", methods=["GET", "POST"])
@login_required
def edit(document_id: int):
    doc = _document(document_id)
    if not can_edit(current_user, doc):
        abort(403)
    form = DocumentForm(obj=doc if request.method == "GET" else None)
    if request.method == "GET":
        form.kind.data = doc.kind.value
        form.tags.data = ", ".join(doc.tags)
        form.based_on(doc.current_version)
    status, conflict = 200, False
    if form.validate_on_submit():
        try:
            update_document(
                doc, current_user, form.values(), form.reason.data or "", based_on=form.version.data
            )
        except Refused as refusal:
            form.form_errors.extend(refusal_messages(refusal))
            status = status_of(refusal)
            conflict = refusal.code == "edit_conflict"
            if conflict:
                form.based_on(refusal.details["current_version"])
        else:
            flash(_("Changes saved as version %(n)d.", n=doc.current_version), "success")
            return redirect(url_for("library.document", document_id=doc.id))
    elif form.is_submitted():
        status = 400
    return render_template("library/form.html", form=form, doc=doc, conflict=conflict), status


@bp.route("/<id:document_id>/transition/<status>", methods=["POST"])
@login_required
def change_status(document_id: int, status: str):
    doc = _document(document_id)
    if not TransitionForm().validate_on_submit():
        abort(400)
    try:
        transition(doc, current_user, status)
    except Refused as refusal:
        abort(status_of(refusal))
    flash(_("Status changed."), "success")
    return redirect(url_for("library.document", document_id=doc.id))


@bp.route("/<id:document_id>/attachments", methods=["POST"])
@login_required
def upload(document_id: int):
    doc = _document(document_id)
    form = AttachmentForm()
    if not form.validate_on_submit():
        flash(_("Choose a file to attach."), "error")
        return redirect(url_for("library.document", document_id=doc.id))
    try:
        add_attachment(doc, current_user, form.file.data.stream, form.file.data.filename)
    except Refused as refusal:
        abort(status_of(refusal), refusal.message)
    flash(_("File attached."), "success")
    return redirect(url_for("library.document", document_id=doc.id))


@bp.route("/<id:document_id>/attachments/<id:attachment_id>")
@login_required
def download(document_id: int, attachment_id: int):
    try:
        return send_attachment(_document(document_id), attachment_id)
    except Refused:
        abort(404)


@bp.route("/<id:document_id>/versions/<id:number>")
@login_required
def version(document_id: int, number: int):
    """One version as it was: what a gate review judged, with the files it had then."""
    doc = _document(document_id)
    try:
        seen = get_version(doc, number)
    except Refused:
        abort(404)
    files = [a for a in doc.attachments if a.version <= number]
    return render_template(
        "library/version.html",
        doc=doc,
        version=seen,
        html=render_markdown(seen.body),
        files=files,
    )


@bp.route("/<id:document_id>/history")
@login_required
def history(document_id: int):
    """Every version, and a line diff between any two (default: the last two)."""
    doc = _document(document_id)
    versions = db.session.scalars(
        select(DocumentVersion)
        .where(DocumentVersion.document_id == doc.id)
        .order_by(DocumentVersion.number.desc())
    ).all()
    newest = doc.current_version
    old_number = number_arg("from", max(1, newest - 1))
    new_number = number_arg("to", newest)
    try:
        old, new_ = get_version(doc, old_number), get_version(doc, new_number)
    except Refused:
        abort(404)
    return render_template(
        "library/history.html",
        doc=doc,
        versions=versions,
        old=old,
        new=new_,
        title_diff=diff_lines(old.title, new_.title),
        body_diff=diff_lines(old.body, new_.body),
        meta_changes=_meta_changes(old, new_),
    )


def _meta_changes(old: DocumentVersion, new: DocumentVersion) -> list[tuple[str, object, object]]:
    keys = sorted(set(old.meta) | set(new.meta))
    return [
        (key, old.meta.get(key), new.meta.get(key))
        for key in keys
        if old.meta.get(key) != new.meta.get(key)
    ]
