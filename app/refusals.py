"""Domain refusals: what a service raises when it will not do what it was asked.

Services and the CLI know nothing of HTTP. They raise one of these with a sentence for a person
(already in the reader's language), a stable machine ``code`` for scripts, and ``details``
(usually a list of ``{"field", "code", "message"}``). `app.errors` alone turns a refusal into an
HTTP status, the JSON error shape, or a flash message on a page.
"""

from __future__ import annotations

from typing import Any


class Refused(Exception):
    """Base of every refusal; ``default_code`` names the kind when no finer code is given."""

    default_code = "refused"

    def __init__(self, message: str, *, code: str | None = None, details: Any = None) -> None:
        super().__init__(message)
        self.message = message
        self.code = code or self.default_code
        self.details = details


class NotFound(Refused):
    """The thing does not exist, or the caller may not know that it does."""

    default_code = "not_found"


class Forbidden(Refused):
    """The caller is known but may not do this."""

    default_code = "forbidden"


class Conflict(Refused):
    """The current state forbids it (a decided review, a second vote, a taken name)."""

    default_code = "conflict"


class Invalid(Refused):
    """The request breaks a rule of its content (a must-meet criterion unmet, a bad score)."""

    default_code = "validation_error"


class Malformed(Refused):
    """The request cannot be read at all (a search query or a month that does not parse)."""

    default_code = "bad_request"


class TooLarge(Refused):
    """The content is over a stated limit."""

    default_code = "payload_too_large"


class Unavailable(Refused):
    """The service cannot answer now but will (the search index is being rebuilt)."""

    default_code = "unavailable"
