"""Methodology library: versioned standards, guidelines, templates and lessons learned."""

from flask import Blueprint

bp = Blueprint("library", __name__, url_prefix="/library")


@bp.record_once
def _open_search_index(state) -> None:  # type: ignore[no-untyped-def]
    """Open (or rebuild) the search index once the app knows its data directory."""
    from app.library.indexing import init_search

    init_search(state.app)


from app.library import views  # noqa: E402,F401
