"""Flask extensions, created unbound here and initialised once in the app factory."""

import enum

from flask_babel import Babel
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from sqlalchemy import Enum, MetaData
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
