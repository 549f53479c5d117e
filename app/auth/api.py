"""API: tokens and the signed-in person."""

from __future__ import annotations

from flask import request
from flask_babel import gettext as _
from sqlalchemy import select

from app.api.auth import api_token, api_user, token_required
from app.api.blueprint import ApiBlueprint as Blueprint
from app.api.pagination import paginate
from app.api.schemas import PageArgsSchema, page_schema
from app.auth.models import ApiToken, Role
from app.auth.schemas import (
    MeUpdateSchema,
    TokenInfoSchema,
    TokenRequestSchema,
    TokenSchema,
    UserSchema,
)
from app.auth.services import LoginThrottled, authenticate, issue_token, revoke_token
from app.errors import ApiError
from app.extensions import db
from app.refusals import NotFound

blp = Blueprint("auth_api", __name__, description="Authentication and the current user")


@blp.route("/auth/token", methods=["POST"])
@blp.doc(security=[])
@blp.arguments(TokenRequestSchema)
@blp.response(201, TokenSchema)
def create_token(credentials: dict):
    """Exchange a username and password for a bearer token."""
    try:
        user = authenticate(
            credentials["username"], credentials["password"], request.remote_addr or ""
        )
    except LoginThrottled as throttled:
        raise ApiError(
            429, throttled.message(), details={"retry_after": throttled.retry_after}
        ) from throttled
    if user is None:
        raise ApiError(401, _("Unknown username or wrong password."), code="bad_credentials")
    clear, token = issue_token(user, name=credentials["name"])
    return {"token": clear, "expires_at": token.expires_at}


@blp.route("/auth/token", methods=["DELETE"])
@token_required()
@blp.response(204)
def revoke_current_token():
    """Revoke the token this request is made with (sign out a script)."""
    revoke_token(api_token())


@blp.route("/auth/tokens", methods=["GET"])
@token_required()
@blp.arguments(PageArgsSchema, location="query")
@blp.response(200, page_schema(TokenInfoSchema))
def list_tokens(args: dict):
    """My tokens, newest first (the tokens themselves are never shown again)."""
    statement = (
        select(ApiToken).where(ApiToken.user_id == api_user().id).order_by(ApiToken.id.desc())
    )
    return paginate(statement, args["page"], args["per_page"])


@blp.route("/auth/tokens/<id:token_id>", methods=["DELETE"])
@token_required()
@blp.response(204)
def revoke_one_token(token_id: int):
    """Revoke one of my tokens; an admin may revoke anyone's."""
    token = db.session.get(ApiToken, token_id)
    user = api_user()
    if token is None or (token.user_id != user.id and Role.ADMIN not in user.roles):
        raise NotFound(_("No such token."))
    revoke_token(token)


@blp.route("/me", methods=["GET"])
@token_required()
@blp.response(200, UserSchema)
def me():
    """Who the token belongs to, with roles and teams."""
    return api_user()


@blp.route("/me", methods=["PATCH"])
@token_required()
@blp.arguments(MeUpdateSchema)
@blp.response(200, UserSchema)
def update_me(changes: dict):
    """Change my display name or preferred language."""
    user = api_user()
    if "display_name" in changes:
        user.display_name = changes["display_name"]
    if "locale" in changes:
        user.locale = changes["locale"]
    db.session.flush()
    return user
