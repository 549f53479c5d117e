"""What every XLSX export needs: sheet titles and cell text Excel (and openpyxl) accept.

Names typed by people (teams, programmes, projects) may hold characters a sheet title or a
cell cannot: they are cleaned here, in one place, rather than failing the export.
"""

from __future__ import annotations

import re
from typing import Any

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

SHEET_TITLE_FORBIDDEN = re.compile(r"[\[\]\*\?/\\:]")
SHEET_TITLE_LENGTH = 31


def excel_value(value: Any) -> Any:
    """``value`` with the control characters removed when it is text."""
    if isinstance(value, str):
        return ILLEGAL_CHARACTERS_RE.sub("", value)
    return value


def sheet_title(name: str, used: set[str]) -> str:
    """A valid sheet title for ``name``, unique among ``used`` (updated), case-insensitively."""
    cleaned = SHEET_TITLE_FORBIDDEN.sub(" ", excel_value(name)).strip().strip("'").strip()
    base = cleaned[:SHEET_TITLE_LENGTH] or "Sheet"
    title, number = base, 2
    while title.lower() in used:
        suffix = f" ({number})"
        title, number = base[: SHEET_TITLE_LENGTH - len(suffix)] + suffix, number + 1
    used.add(title.lower())
    return title
