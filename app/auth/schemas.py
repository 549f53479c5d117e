"""API schemas for accounts, teams and tokens."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from app.api.schemas import QueryArgsSchema, Text
from app.auth.models import Role
from app.auth.services import MIN_PASSWORD_LENGTH

ROLE_VALUES = [role.value for role in Role]
#: Teams a person may belong to, at most.
MAX_TEAMS = 50
USERNAME = validate.Regexp(r"^[a-zA-Z0-9._-]{1,64}$")


class TokenRequestSchema(Schema):
    username = Text(required=True, validate=validate.Length(min=1, max=64))
    password = Text(required=True, validate=validate.Length(min=1, max=256))
    name = Text(
        load_default="api", validate=validate.Length(max=120), metadata={"description": "label"}
    )


class TokenSchema(Schema):
    token = fields.String(required=True, metadata={"description": "shown once, keep it safe"})
    expires_at = fields.DateTime(required=True)


class TokenInfoSchema(Schema):
    id = fields.Integer(required=True)
    name = fields.String(required=True)
    created_at = fields.DateTime(required=True)
    expires_at = fields.DateTime(required=True)
    revoked_at = fields.DateTime(allow_none=True)


class TeamRefSchema(Schema):
    id = fields.Integer(required=True)
    name = fields.String(required=True)


class UserSchema(Schema):
    id = fields.Integer(required=True)
    username = fields.String(required=True)
    display_name = fields.String(required=True)
    email = fields.String(allow_none=True)
    active = fields.Boolean(required=True)
    locale = fields.String(allow_none=True)
    roles = fields.Method(
        "_roles", required=True, metadata={"type": "array", "items": {"type": "string"}}
    )
    teams = fields.List(fields.Nested(TeamRefSchema), required=True)
    created_at = fields.DateTime(required=True)

    def _roles(self, user) -> list[str]:
        return sorted(role.value for role in user.roles)


class UserCreateSchema(Schema):
    username = fields.String(required=True, validate=USERNAME)
    password = Text(
        required=True, load_only=True, validate=validate.Length(min=MIN_PASSWORD_LENGTH, max=256)
    )
    display_name = Text(validate=validate.Length(min=1, max=120))
    email = fields.Email(allow_none=True, validate=validate.Length(max=254))
    roles = fields.List(
        fields.String(validate=validate.OneOf(ROLE_VALUES)),
        load_default=list,
        validate=validate.Length(max=len(ROLE_VALUES)),
    )
    teams = fields.List(
        Text(validate=validate.Length(min=1, max=80)),
        load_default=list,
        validate=validate.Length(max=MAX_TEAMS),
    )


class UserUpdateSchema(Schema):
    display_name = Text(validate=validate.Length(min=1, max=120))
    email = fields.Email(allow_none=True, validate=validate.Length(max=254))
    password = Text(load_only=True, validate=validate.Length(min=MIN_PASSWORD_LENGTH, max=256))
    roles = fields.List(
        fields.String(validate=validate.OneOf(ROLE_VALUES)),
        validate=validate.Length(max=len(ROLE_VALUES)),
    )
    teams = fields.List(
        Text(validate=validate.Length(min=1, max=80)), validate=validate.Length(max=MAX_TEAMS)
    )
    active = fields.Boolean()


class MeUpdateSchema(Schema):
    display_name = Text(validate=validate.Length(min=1, max=120))
    locale = fields.String(allow_none=True, validate=validate.OneOf(["en", "fr"]))


class UserListArgsSchema(QueryArgsSchema):
    q = Text(validate=validate.Length(max=64), metadata={"description": "name contains"})
    role = fields.String(validate=validate.OneOf(ROLE_VALUES))
    team = Text(validate=validate.Length(max=80))


class TeamSchema(Schema):
    id = fields.Integer(required=True)
    name = fields.String(required=True)
    description = fields.String(required=True)
    members = fields.Method(
        "_members", metadata={"type": "array", "items": {"type": "string"}}, required=True
    )

    def _members(self, team) -> list[str]:
        return sorted(membership.user.username for membership in team.memberships)


class TeamCreateSchema(Schema):
    name = Text(required=True, validate=validate.Length(min=1, max=80))
    description = Text(load_default="", validate=validate.Length(max=500))
