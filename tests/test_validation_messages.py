"""marshmallow's English messages, matched and translated where `app.errors` builds `details`."""

from __future__ import annotations

import inspect
import itertools

import pytest
from marshmallow import Schema, fields, validate

from app.validation_messages import TEMPLATES, translate_message, translate_messages

#: Range's operators, as marshmallow writes them into its messages.
RANGE_OPERATORS = {
    "min_op": ("greater than or equal to", "greater than"),
    "max_op": ("less than or equal to", "less than"),
}


def _installed_templates() -> set[str]:
    """Every message template of the installed marshmallow: fields, schemas and validators."""
    found: set[str] = set(Schema._default_error_messages.values())
    for _name, field in inspect.getmembers(fields, inspect.isclass):
        if issubclass(field, fields.Field):
            for cls in field.__mro__:
                found.update(getattr(cls, "default_error_messages", {}).values())
    for _name, validator in inspect.getmembers(validate, inspect.isclass):
        for attribute in ("default_message", "message_min", "message_max", "message_all"):
            value = validator.__dict__.get(attribute)
            if isinstance(value, str):
                found.add(value)
    found.add(validate.Length.message_equal)
    expanded = set()
    for template in found:
        if "{min_op}" in template or "{max_op}" in template:
            for low, high in itertools.product(*RANGE_OPERATORS.values()):
                expanded.add(template.format(min_op=low, max_op=high))
        else:
            expanded.add(template)
    return expanded


def _obj_types(template: str) -> list[str]:
    if "{obj_type}" not in template:
        return [template]
    if "{awareness}" in template:
        return [template.format(awareness=a, obj_type="datetime") for a in ("naive", "aware")]
    return [template.replace("{obj_type}", kind) for kind in ("datetime", "time")]


def test_every_message_of_the_installed_marshmallow_has_a_template():
    """A marshmallow upgrade that rewords a message fails here, not silently in English."""
    known = {english for english, _translated in TEMPLATES}
    installed = {text for t in _installed_templates() for text in _obj_types(t)}
    assert installed - known == set()


@pytest.mark.parametrize(
    ("english", "french"),
    [
        ("Unknown field.", "Champ inconnu."),
        ("Missing data for required field.", "Ce champ est obligatoire."),
        ("Field may not be null.", "Ce champ ne peut pas être nul."),
        ("Not a valid integer.", "Nombre entier non valide."),
        ("Not a valid boolean.", "Booléen non valide : true ou false."),
        ("Length must be between 1 and 200.", "La longueur doit être comprise entre 1 et 200."),
        ("Longer than maximum length 80.", "Dépasse la longueur maximale de 80."),
        ("Must be greater than or equal to 1.", "Doit être supérieur ou égal à 1."),
        ("Must be greater than 1.", "Doit être strictement supérieur à 1."),
        (
            "Must be greater than or equal to 0 and less than or equal to 5.",
            "Doit être compris entre 0 et 5.",
        ),
        ("Must be one of: go, kill.", "Doit être l'une des valeurs suivantes : go, kill."),
        ('"31/02" cannot be formatted as a date.', "« 31/02 » n'est pas une date."),
        ("Not a valid email address.", "Adresse e-mail non valide."),
        ("Not a valid list.", "Liste non valide."),
        ("Invalid type.", "Type non valide."),
    ],
)
def test_known_messages_are_said_in_french(app, english, french):
    with app.test_request_context(headers={"Accept-Language": "fr"}):
        assert translate_message(english) == french
    with app.test_request_context(headers={"Accept-Language": "en"}):
        assert "%(" not in translate_message(english)


def test_nesting_and_field_names_are_kept_and_unknown_texts_left_alone(app):
    messages = {"json": {"items": {0: {"title": ["Unknown field."]}}, "x": ["Déjà traduit."]}}
    with app.test_request_context(headers={"Accept-Language": "fr"}):
        assert translate_messages(messages) == {
            "json": {"items": {0: {"title": ["Champ inconnu."]}}, "x": ["Déjà traduit."]}
        }
