"""Flask extensions, created unbound here and initialised once in the app factory."""

import enum
from collections.abc import Mapping, Sequence
from typing import Any

from flask_babel import Babel
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from sqlalchemy import CursorResult, Enum, Executable, MetaData
from sqlalchemy.orm import DeclarativeBase

# A naming convention gives every constraint a stable name, so Alembic migrations can
# drop and alter them the same way on SQLite and PostgreSQL.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


db = SQLAlchemy(model_class=Base)


def execute(
    statement: Executable,
    parameters: Mapping[str, Any] | Sequence[Mapping[str, Any]] | None = None,
) -> CursorResult[Any]:
    """Run a plain (Core) statement in the session's transaction, past the ORM's layer.

    For the hot paths (token lookup, vote, audit append), with statements built once at
    import: `db.session.execute` prepares ORM loading even for a select of columns, which
    made the token's select two to three times slower. It does not autoflush.
    """
    return db.session.connection().execute(statement, parameters)


def str_enum(enum_class: type[enum.StrEnum], name: str, length: int = 20) -> Enum:
    """A state column: the enum's values stored as strings, checked by a named CHECK constraint.

    Not a native (PostgreSQL) enum type, so adding a value later is a constraint change in a
    migration rather than an ALTER TYPE, and SQLite enforces the same rule.
    """
    return Enum(
        enum_class,
        name=name,
        native_enum=False,
        create_constraint=True,
        length=length,
        values_callable=lambda members: [member.value for member in members],
        validate_strings=True,
    )


migrate = Migrate()
login_manager = LoginManager()
csrf = CSRFProtect()
babel = Babel()
