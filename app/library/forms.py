"""Forms of the library pages."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    DateField,
    IntegerField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional, Regexp, ValidationError
from wtforms.widgets import HiddenInput

from app.labels import DOCUMENT_KIND_LABELS
from app.library.models import DocumentTag
from app.web import MAX_ID

KEY_PATTERN = r"^[a-z0-9][a-z0-9._-]*$"
KEY_MESSAGE = _l("Lower-case letters, digits, dots and dashes only.")
#: As many tags as the API takes, each as long as its column.
MAX_TAGS = 30
TAG_LENGTH: int = DocumentTag.__table__.c.tag.type.length


class DocumentForm(FlaskForm):
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=300)])
    kind = SelectField(
        _l("Kind"),
        choices=[SelectChoice(kind, label) for kind, label in DOCUMENT_KIND_LABELS.items()],
    )
    #: Empty: detected from the title, summary and body when the document is created.
    language = SelectField(
        _l("Language"),
        choices=[
            SelectChoice("", _l("Detect from the text")),
            SelectChoice("fr", "Français"),
            SelectChoice("en", "English"),
        ],
    )
    summary = TextAreaField(_l("Summary"), validators=[Optional(), Length(max=2000)])
    body = TextAreaField(_l("Body (Markdown)"), validators=[Optional(), Length(max=1_000_000)])
    tags = StringField(_l("Tags, separated by commas"), validators=[Optional(), Length(max=1000)])
    methodology = StringField(_l("Methodology"), validators=[Optional(), Length(max=80)])
    workflow = StringField(
        _l("Workflow"),
        validators=[Optional(), Length(max=64), Regexp(KEY_PATTERN, message=KEY_MESSAGE)],
    )
    stage = StringField(
        _l("Stage"),
        validators=[Optional(), Length(max=64), Regexp(KEY_PATTERN, message=KEY_MESSAGE)],
    )
    template_key = StringField(
        _l("Template key"),
        validators=[Optional(), Length(max=80), Regexp(KEY_PATTERN, message=KEY_MESSAGE)],
    )
    review_date = DateField(_l("Review date"), validators=[Optional()])
    reason = StringField(_l("Reason for the change"), validators=[Optional(), Length(max=500)])
    #: The version the person started from, so that a save over someone else's is refused.
    version = IntegerField(widget=HiddenInput(), validators=[Optional(), NumberRange(1, MAX_ID)])

    def based_on(self, version: int) -> None:
        """Carry ``version`` in the hidden field (after a conflict, the one now current)."""
        self.version.data, self.version.raw_data = version, None

    def validate_tags(self, field: StringField) -> None:
        tags = self._tags()
        if len(tags) > MAX_TAGS:
            raise ValidationError(_l("At most %(n)d tags.", n=MAX_TAGS))
        if any(len(tag) > TAG_LENGTH for tag in tags):
            raise ValidationError(_l("A tag has at most %(n)d characters.", n=TAG_LENGTH))

    def _tags(self) -> list[str]:
        return [tag.strip() for tag in (self.tags.data or "").split(",") if tag.strip()]

    def values(self) -> dict:
        """The fields as the document services take them (empty text means none)."""
        values = {
            name: (getattr(self, name).data or None)
            for name in ("title", "kind", "language", "methodology", "workflow", "stage")
        }
        values["template_key"] = self.template_key.data or None
        values["summary"] = self.summary.data or ""
        values["body"] = self.body.data or ""
        values["review_date"] = self.review_date.data
        values["tags"] = self._tags()
        return values


class AttachmentForm(FlaskForm):
    file = FileField(
        _l("File (PDF, DOCX, XLSX, PPTX, Markdown or text)"), validators=[FileRequired()]
    )


class TransitionForm(FlaskForm):
    """Only the CSRF token: the target state is in the URL."""
