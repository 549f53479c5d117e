"""marshmallow's and webargs' validation messages, in the reader's language.

marshmallow formats its English messages before Jalon sees them ("Length must be between 1 and
200."), and keeps them in class attributes that it formats with `str.format`, so lazy strings
cannot stand in for them. Instead, `app.errors` passes an API error's `details` through
`translate_messages`: every message is matched against the English templates below — the very
texts of marshmallow's fields, schemas and validators, checked by a test against the installed
version — and replaced by its `_()` translation with the same parameters. This covers every
schema, present and future, without touching any; a message no template matches (already
translated, or Jalon's own) is kept as it is.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import cache
from typing import Any

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l

#: marshmallow's (and webargs') English templates, with the message each becomes.
TEMPLATES: tuple[tuple[str, LazyString], ...] = (
    # Schemas and every field
    ("Unknown field.", _l("Unknown field.")),
    ("Invalid input type.", _l("Invalid input type.")),
    ("Missing data for required field.", _l("Missing data for required field.")),
    ("Field may not be null.", _l("Field may not be null.")),
    ("Invalid value.", _l("Invalid value.")),
    ("Invalid type.", _l("Invalid type.")),
    ("Invalid JSON body.", _l("Invalid JSON body.")),
    # Fields
    ("Not a valid string.", _l("Not a valid string.")),
    ("Not a valid utf-8 string.", _l("Not a valid UTF-8 string.")),
    ("Not a valid integer.", _l("Not a valid integer.")),
    ("Not a valid number.", _l("Not a valid number.")),
    ("Number too large.", _l("Number too large.")),
    (
        "Special numeric values (nan or infinity) are not permitted.",
        _l("Special numeric values (nan or infinity) are not permitted."),
    ),
    ("Not a valid boolean.", _l("Not a valid boolean.")),
    ("Not a valid date.", _l("Not a valid date.")),
    ("Not a valid datetime.", _l("Not a valid date and time.")),
    ("Not a valid time.", _l("Not a valid time.")),
    ("Not a valid naive datetime.", _l("Not a valid date and time without a time zone.")),
    ("Not a valid aware datetime.", _l("Not a valid date and time with a time zone.")),
    ('"{input}" cannot be formatted as a date.', _l("“%(input)s” is not a date.")),
    ('"{input}" cannot be formatted as a datetime.', _l("“%(input)s” is not a date and time.")),
    ('"{input}" cannot be formatted as a time.', _l("“%(input)s” is not a time.")),
    ("Not a valid period of time.", _l("Not a valid period of time.")),
    ("{input!r} cannot be formatted as a timedelta.", _l("%(input)s is not a period of time.")),
    ("Not a valid list.", _l("Not a valid list.")),
    ("Not a valid tuple.", _l("Not a valid tuple.")),
    ("Not a valid mapping type.", _l("Not a valid object.")),
    ("Not a valid UUID.", _l("Not a valid UUID.")),
    ("Not a valid URL.", _l("Not a valid URL.")),
    ("Not a valid email address.", _l("Not a valid email address.")),
    ("Not a valid IP address.", _l("Not a valid IP address.")),
    ("Not a valid IPv4 address.", _l("Not a valid IPv4 address.")),
    ("Not a valid IPv6 address.", _l("Not a valid IPv6 address.")),
    ("Not a valid IP interface.", _l("Not a valid IP interface.")),
    ("Not a valid IPv4 interface.", _l("Not a valid IPv4 interface.")),
    ("Not a valid IPv6 interface.", _l("Not a valid IPv6 interface.")),
    # Validators
    ("Length must be between {min} and {max}.", _l("Length must be between %(min)s and %(max)s.")),
    ("Length must be {equal}.", _l("Length must be %(equal)s.")),
    ("Shorter than minimum length {min}.", _l("Shorter than the minimum length %(min)s.")),
    ("Longer than maximum length {max}.", _l("Longer than the maximum length %(max)s.")),
    (
        "Must be greater than or equal to {min} and less than or equal to {max}.",
        _l("Must be between %(min)s and %(max)s."),
    ),
    (
        "Must be greater than {min} and less than {max}.",
        _l("Must be greater than %(min)s and less than %(max)s."),
    ),
    (
        "Must be greater than or equal to {min} and less than {max}.",
        _l("Must be greater than or equal to %(min)s and less than %(max)s."),
    ),
    (
        "Must be greater than {min} and less than or equal to {max}.",
        _l("Must be greater than %(min)s and less than or equal to %(max)s."),
    ),
    ("Must be greater than or equal to {min}.", _l("Must be greater than or equal to %(min)s.")),
    ("Must be greater than {min}.", _l("Must be greater than %(min)s.")),
    ("Must be less than or equal to {max}.", _l("Must be less than or equal to %(max)s.")),
    ("Must be less than {max}.", _l("Must be less than %(max)s.")),
    ("Must be one of: {choices}.", _l("Must be one of: %(choices)s.")),
    ("Must be equal to {other}.", _l("Must be equal to %(other)s.")),
    ("String does not match expected pattern.", _l("Does not match the expected pattern.")),
    ("Invalid input.", _l("Invalid input.")),
    (
        "One or more of the choices you made was in: {values}.",
        _l("One or more of the choices is among: %(values)s."),
    ),
    (
        "One or more of the choices you made was not in: {choices}.",
        _l("One or more of the choices is not among: %(choices)s."),
    ),
)

_PLACEHOLDER = re.compile(r"\{(\w+)(?:![rs])?\}")
#: Bounds are single words (numbers, dates), so "greater than {min}" cannot swallow "or equal to".
_WORD_PLACEHOLDERS = {"min", "max", "equal"}


def _pattern(template: str) -> re.Pattern[str]:
    """The regular expression matching what `template.format(...)` produces."""
    parts, end = [], 0
    for match in _PLACEHOLDER.finditer(template):
        value = r"\S+" if match[1] in _WORD_PLACEHOLDERS else ".+?"
        parts += [re.escape(template[end : match.start()]), f"(?P<{match[1]}>{value})"]
        end = match.end()
    return re.compile("".join([*parts, re.escape(template[end:])]), re.DOTALL)


@cache
def _patterns() -> tuple[tuple[re.Pattern[str], LazyString], ...]:
    return tuple((_pattern(english), translated) for english, translated in TEMPLATES)


def translate_message(message: Any) -> Any:
    """One message in the reader's language; anything not a known English message is kept."""
    if isinstance(message, LazyString):
        return str(message)
    if not isinstance(message, str):
        return message
    for pattern, translated in _patterns():
        found = pattern.fullmatch(message)
        if found is not None:
            return str(translated) % found.groupdict()
    return message


def translate_messages(messages: Any) -> Any:
    """`messages` (webargs' nesting: location, field, list index...) with every text translated.

    Keys are field names and stay as they are.
    """
    if isinstance(messages, Mapping):
        return {key: translate_messages(value) for key, value in messages.items()}
    if isinstance(messages, list | tuple):
        return [translate_messages(item) for item in messages]
    return translate_message(messages)
