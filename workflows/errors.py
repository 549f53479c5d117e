"""Exceptions of the workflow engine, kept free of any web concern so the app maps them itself."""

from __future__ import annotations

from typing import Any


class DefinitionError(ValueError):
    """A workflow definition is invalid.

    Carries where (`source` file or database row, 1-based `line` when known, `field` path such
    as `gates[2].approvers.min_votes`) and why, so a PMO can fix the YAML without reading code.
    """

    def __init__(self, source: str, line: int | None, field: str, reason: str) -> None:
        self.source = source
        self.line = line
        self.field = field
        self.reason = reason
        where = source if line is None else f"{source}, line {line}"
        what = f"{field}: {reason}" if field else reason
        super().__init__(f"{where}: {what}")


class TransitionRefused(Exception):
    """The state machine does not allow this move from the project's current state.

    `code` is stable for the app to translate (`project_killed`, `project_completed`,
    `project_on_hold`, `not_on_hold`, `not_allowed`); `params` carry what the sentence needs
    (`trigger` and `stage` for `not_allowed`). No sentence here: the app says it in the reader's
    language.
    """

    def __init__(self, code: str, **params: Any) -> None:
        self.code = code
        self.params = params
        super().__init__(code)
