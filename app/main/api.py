"""API: my inbox, everything that waits for the token's owner."""

from __future__ import annotations

from flask_babel import get_locale

from app.api.auth import api_user, token_required
from app.api.blueprint import ApiBlueprint as Blueprint
from app.main.inbox import inbox_for
from app.main.schemas import InboxSchema
from app.training.services import today

blp = Blueprint("main_api", __name__, description="My inbox")


@blp.route("/me/inbox", methods=["GET"])
@token_required()
@blp.response(200, InboxSchema)
def my_inbox():
    """What waits for me: votes, action items, training, acknowledgements, documents to review.

    Each list holds my own items only, the most urgent first, at most 50 of each.
    """
    return inbox_for(api_user(), today(), str(get_locale() or "en"))
