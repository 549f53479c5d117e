"""API: people and teams, administered by admins and the PMO."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import or_, select
from sqlalchemy.orm import selectinload

from app.admin.roles import record_role_change
from app.api.auth import api_user, token_required
from app.api.blueprint import ApiBlueprint as Blueprint
from app.api.pagination import paginate
from app.api.schemas import PageArgsSchema, page_schema
from app.auth.models import ROLES_AND_TEAMS, Role, Team, TeamMembership, User, UserRole
from app.auth.schemas import (
    TeamCreateSchema,
    TeamSchema,
    UserCreateSchema,
    UserListArgsSchema,
    UserSchema,
    UserUpdateSchema,
)
from app.auth.services import create_team, create_user, ensure_can_grant, update_user
from app.extensions import db
from app.refusals import NotFound

blp = Blueprint("accounts_api", __name__, description="People and teams")

ADMIN_ROLES = (Role.ADMIN, Role.PMO)


class UserListQuerySchema(PageArgsSchema, UserListArgsSchema):
    """Filters and page of the user list."""


def _get_user(user_id: int) -> User:
    user = db.session.get(User, user_id)
    if user is None:
        raise NotFound(_("No such user."))
    return user


@blp.route("/users", methods=["GET"])
@token_required(*ADMIN_ROLES)
@blp.arguments(UserListQuerySchema, location="query")
@blp.response(200, page_schema(UserSchema))
def list_users(args: dict):
    """Accounts, filtered by name, role or team."""
    statement = select(User).options(*ROLES_AND_TEAMS).order_by(User.username)
    if args.get("q"):
        pattern = f"%{args['q'].lower()}%"
        statement = statement.where(
            or_(User.username.ilike(pattern), User.display_name.ilike(pattern))
        )
    if args.get("role"):
        statement = statement.where(
            User.id.in_(select(UserRole.user_id).where(UserRole.role == Role(args["role"])))
        )
    if args.get("team"):
        statement = statement.where(
            User.id.in_(select(TeamMembership.user_id).join(Team).where(Team.name == args["team"]))
        )
    return paginate(statement, args["page"], args["per_page"])


@blp.route("/users", methods=["POST"])
@token_required(*ADMIN_ROLES)
@blp.arguments(UserCreateSchema)
@blp.response(201, UserSchema)
def create_user_endpoint(data: dict):
    """Create an account with roles and teams (unknown teams are created)."""
    actor = api_user()
    ensure_can_grant(actor, data["roles"])
    user = create_user(
        data["username"],
        data["password"],
        roles=data["roles"],
        teams=data["teams"],
        display_name=data.get("display_name"),
        email=data.get("email"),
    )
    record_role_change(actor.username, user, set())
    return user


@blp.route("/users/<id:user_id>", methods=["GET"])
@token_required(*ADMIN_ROLES)
@blp.response(200, UserSchema)
def get_user(user_id: int):
    """One account."""
    return _get_user(user_id)


@blp.route("/users/<id:user_id>", methods=["PATCH"])
@token_required(*ADMIN_ROLES)
@blp.arguments(UserUpdateSchema)
@blp.response(200, UserSchema)
def patch_user(changes: dict, user_id: int):
    """Change an account: name, email, roles, teams, active flag or password."""
    user = _get_user(user_id)
    roles = changes.get("roles", [role.value for role in user.roles])
    ensure_can_grant(api_user(), roles, target=user)
    roles_before = set(user.roles)
    update_user(
        user,
        display_name=changes.get("display_name", user.display_name),
        email=changes.get("email", user.email),
        roles=roles,
        teams=changes.get("teams", [team.name for team in user.teams]),
        active=changes.get("active", user.active),
        password=changes.get("password"),
    )
    record_role_change(api_user().username, user, roles_before)
    return user


@blp.route("/teams", methods=["GET"])
@token_required()
@blp.arguments(PageArgsSchema, location="query")
@blp.response(200, page_schema(TeamSchema))
def list_teams(args: dict):
    """Teams with their members' usernames."""
    statement = (
        select(Team)
        .options(selectinload(Team.memberships).joinedload(TeamMembership.user))
        .order_by(Team.name)
    )
    return paginate(statement, args["page"], args["per_page"])


@blp.route("/teams", methods=["POST"])
@token_required(*ADMIN_ROLES)
@blp.arguments(TeamCreateSchema)
@blp.response(201, TeamSchema)
def create_team_endpoint(data: dict):
    """Create a team."""
    return create_team(data["name"], data["description"])


@blp.route("/teams/<id:team_id>", methods=["GET"])
@token_required()
@blp.response(200, TeamSchema)
def get_team(team_id: int):
    """One team and its members."""
    team = db.session.get(Team, team_id)
    if team is None:
        raise NotFound(_("No such team."))
    return team
