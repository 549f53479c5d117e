"""Forms of the training pages: record one completion, import a file."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import DateField, FloatField, SelectField, StringField
from wtforms.validators import DataRequired, Length, Optional

from app.form_validators import FiniteNumberRange


class CompletionForm(FlaskForm):
    username = StringField(_l("Person (username)"), validators=[DataRequired(), Length(max=64)])
    course = SelectField(_l("Course"), validators=[DataRequired()])
    completed_on = DateField(_l("Completed on"), validators=[DataRequired()])
    score = FloatField(_l("Score (%)"), validators=[Optional(), FiniteNumberRange(min=0, max=100)])
    evidence = FileField(_l("Evidence (certificate: PDF, DOCX, XLSX, PPTX, text)"))


class ImportForm(FlaskForm):
    file = FileField(_l("CSV or XLSX file"), validators=[FileRequired()])
