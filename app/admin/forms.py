"""Forms of the user and team administration pages."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    EmailField,
    PasswordField,
    SelectChoice,
    SelectMultipleField,
    StringField,
)
from wtforms.validators import DataRequired, Length, Optional, Regexp
from wtforms.widgets import CheckboxInput, ListWidget

from app.auth.services import MIN_PASSWORD_LENGTH
from app.labels import ROLE_LABELS

EMAIL_PATTERN = r"^[^@\s]+@[^@\s]+\.[^@\s]+$"


class CheckboxListField(SelectMultipleField):
    """Multiple choices as checkboxes, usable without JavaScript."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class UserForm(FlaskForm):
    username = StringField(
        _l("Username"),
        validators=[
            DataRequired(),
            Length(max=64),
            Regexp(r"^[a-zA-Z0-9._-]+$", message=_l("Letters, digits, dots, dashes only.")),
        ],
    )
    display_name = StringField(_l("Display name"), validators=[DataRequired(), Length(max=120)])
    email = EmailField(
        _l("Email"),
        validators=[
            Optional(),
            Length(max=254),
            Regexp(EMAIL_PATTERN, message=_l("This is not an email address.")),
        ],
    )
    password = PasswordField(
        _l("Password"), validators=[Optional(), Length(min=MIN_PASSWORD_LENGTH, max=256)]
    )
    roles = CheckboxListField(
        _l("Roles"),
        choices=[SelectChoice(role, label) for role, label in ROLE_LABELS.items()],
    )
    teams = CheckboxListField(_l("Teams"), choices=[])
    active = BooleanField(_l("Active"), default=True)


class TeamForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=80)])
    description = StringField(_l("Description"), validators=[Optional(), Length(max=500)])
