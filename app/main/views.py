"""Home page (my inbox) and liveness probe."""

from typing import Any

from flask import render_template
from flask_babel import format_date, format_datetime, get_locale
from flask_login import current_user, login_required

from app.main import bp
from app.main.inbox import inbox_for
from app.main.wording import action_items_sentence, votes_sentence
from app.training.services import today


@bp.app_context_processor
def _inbox_helpers() -> dict[str, Any]:
    return {
        "format_date": format_date,
        "format_datetime": format_datetime,
        "votes_sentence": votes_sentence,
        "action_items_sentence": action_items_sentence,
    }


@bp.route("/")
@login_required
def home():
    """What waits for me, in sentences and lists, above the map of every page."""
    return render_template(
        "main/home.html",
        user=current_user,
        inbox=inbox_for(current_user, today(), str(get_locale() or "en")),
    )


@bp.route("/healthz")
def healthz():
    """Liveness probe for load balancers; also the hello-world baseline of the benchmarks."""
    return {"status": "ok"}
