"""Building blocks of the generated PDFs that hold whatever people typed, however long.

reportlab cannot split a table row: a cell taller than a page raises `LayoutError`, and the
PDF stays a 500 for as long as the text is stored. So long free text (comments, summaries,
conditions) flows as paragraphs outside tables, one per line of the text; tables split
between rows and, for what is still too tall, inside a row. Paragraphs break a word longer
than their width (reportlab's `splitLongWords`, on by default), so a URL or a string with
no space wraps too. The standard PDF fonts draw a box for a character they lack.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from reportlab.lib import colors
from reportlab.lib.colors import Color
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, Table, TableStyle

from app.downloads import pdf_escape

#: Rows of one table; longer lists come as several tables (see `grid`).
GRID_ROWS = 40
#: The look of every table: a thin grid, a tinted header row, cells aligned at the top.
GRID = (
    ("GRID", (0, 0), (-1, -1), 0.25, colors.grey),
    ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#E8EDF3")),
    ("VALIGN", (0, 0), (-1, -1), "TOP"),
)


def paragraph(
    text: str, style: ParagraphStyle, *, bold: bool = False, bullet: str | None = None
) -> Paragraph:
    """`text` as typed (escaped), bold if asked, after a bullet if given."""
    markup = pdf_escape(text)
    return Paragraph(f"<b>{markup}</b>" if bold else markup, style, bulletText=bullet)


def paragraphs(text: str, style: ParagraphStyle) -> list[Paragraph]:
    """One paragraph per non-blank line of `text`, so its line breaks survive and each piece
    can go to the next page on its own."""
    return [Paragraph(pdf_escape(line), style) for line in text.splitlines() if line.strip()]


def grid(
    header: Sequence[str],
    rows: Sequence[Sequence[str]],
    widths_mm: Sequence[float],
    style: ParagraphStyle,
    fills: Mapping[tuple[int, int], Color] | None = None,
) -> list[Table]:
    """Tables of paragraphs, the header on top of each and of each page they run over.

    A row taller than the space left splits inside the row rather than being refused. The
    rows come in tables of at most `GRID_ROWS`: reportlab measures every remaining row again
    each time a table goes over a page, which for one table of ten thousand rows takes
    minutes. `fills` gives the background of a cell by (row index in `rows`, column).
    """
    head = [paragraph(text, style, bold=True) for text in header]
    tables = []
    for first in range(0, max(len(rows), 1), GRID_ROWS):
        chunk = rows[first : first + GRID_ROWS]
        commands = list(GRID)
        for (row, column), colour in (fills or {}).items():
            if first <= row < first + GRID_ROWS:
                cell = (column, row - first + 1)
                commands.append(("BACKGROUND", cell, cell, colour))
        tables.append(
            Table(
                [head, *([paragraph(text, style) for text in row] for row in chunk)],
                colWidths=[width * mm for width in widths_mm],
                repeatRows=1,
                splitByRow=1,
                splitInRow=1,
                style=TableStyle(commands),
            )
        )
    return tables
