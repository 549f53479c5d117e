"""The matrix and the overdue list as CSV and XLSX.

XLSX: one sheet per team, bold header row, frozen panes, dates as real Excel dates.
CSV: UTF-8 with a BOM so that Excel opens accents correctly, comma separated. Every cell goes
through ``app.spreadsheets``, which keeps names people typed from running as formulas.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable

from flask import Response
from flask_babel import gettext as _

from app.downloads import download
from app.spreadsheets import csv_bytes, excel_row, sheet_title
from app.training.matrix import OVERDUE_LIST_STATUSES, Matrix, Person, action_list

Line = list[object]


def matrix_header(matrix: Matrix) -> Line:
    header: Line = [_("Username"), _("Name"), _("Teams")]
    for course in matrix.courses:
        header += [course.key, _("%(course)s valid until", course=course.key)]
    return header


def _matrix_line(matrix: Matrix, person: Person) -> Line:
    line: Line = [person.username, person.display_name, ", ".join(person.teams)]
    for course in matrix.courses:
        cell = person.cells[course.key]
        line += [cell.status.value if cell.status else None, cell.valid_until]
    return line


def overdue_header() -> Line:
    return [
        _("Username"),
        _("Name"),
        _("Teams"),
        _("Course"),
        _("Title"),
        _("Status"),
        _("Due date"),
        _("Valid until"),
        _("Managers"),
    ]


def overdue_lines(matrix: Matrix, people: Iterable[Person] | None = None) -> list[Line]:
    """Required courses past due (never done or lapsed), with each person's managers."""
    wanted = None if people is None else {person.id for person in people}
    return [
        [
            entry.person.username,
            entry.person.display_name,
            ", ".join(entry.person.teams),
            entry.course.key,
            entry.course.title,
            entry.cell.status.value if entry.cell.status else "",
            entry.cell.due_date,
            entry.cell.valid_until,
            ", ".join(entry.person.managers),
        ]
        for entry in action_list(matrix, OVERDUE_LIST_STATUSES)
        if wanted is None or entry.person.id in wanted
    ]


def to_xlsx(matrix: Matrix, header: Line, lines_for: Callable[[list[Person]], list[Line]]) -> bytes:
    """One sheet per team of the matrix (and "No team" for people in none).

    Written in openpyxl's write-only mode, row after row: no cell objects are kept, so
    2,000 people x 40 courses take seconds, not tens of seconds. Dates get the
    ``yyyy-mm-dd`` format from openpyxl itself.
    """
    from openpyxl import Workbook  # when a file is asked for: see app.spreadsheets
    from openpyxl.styles import Font

    workbook = Workbook(write_only=True)
    groups = [
        (team.name, [p for p in matrix.people if team.name in p.teams]) for team in matrix.teams
    ]
    loners = [person for person in matrix.people if not person.teams]
    if loners or not groups:
        groups.append((_("No team"), loners))
    used: set[str] = set()
    bold = Font(bold=True)
    for name, people in groups:
        sheet = workbook.create_sheet(sheet_title(name, used))
        sheet.freeze_panes = "D2"
        sheet.append(excel_row(sheet, header, font=bold))
        for line in lines_for(people):
            sheet.append(excel_row(sheet, line))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def matrix_csv(matrix: Matrix) -> bytes:
    return csv_bytes(matrix_header(matrix), (_matrix_line(matrix, p) for p in matrix.people))


def matrix_xlsx(matrix: Matrix) -> bytes:
    return to_xlsx(
        matrix,
        matrix_header(matrix),
        lambda people: [_matrix_line(matrix, person) for person in people],
    )


def overdue_csv(matrix: Matrix) -> bytes:
    return csv_bytes(overdue_header(), overdue_lines(matrix))


def overdue_xlsx(matrix: Matrix) -> bytes:
    return to_xlsx(matrix, overdue_header(), lambda people: overdue_lines(matrix, people))


EXPORTS: dict[tuple[str, str], Callable[[Matrix], bytes]] = {
    ("matrix", "csv"): matrix_csv,
    ("matrix", "xlsx"): matrix_xlsx,
    ("overdue", "csv"): overdue_csv,
    ("overdue", "xlsx"): overdue_xlsx,
}


def export_response(matrix: Matrix, name: str, fmt: str) -> Response:
    """A download of export ``name`` (matrix, overdue) in ``fmt`` (csv, xlsx)."""
    return download(EXPORTS[name, fmt](matrix), f"training-{name}-{matrix.on.isoformat()}.{fmt}")
