"""Bulk import of completions from CSV or XLSX, row by row, reporting each bad row.

Line numbers are the file's: the header is line 1. Good rows are imported, bad rows are
reported with the reason, and rows already recorded are counted as duplicates, so the
same file imported twice adds nothing (the UNIQUE(user, course, completed_on) constraint
is the safety net). Imports take one lock, so two of the same file cannot both find a row new.
An XLSX file is read in a limited child process (`docs_store.extract.read_sheet`), and a file
over `MAX_IMPORT_ROWS` rows is refused whole. Nothing here commits.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from flask_babel import gettext as _
from sqlalchemy import func, select

from app.auth.models import User
from app.extensions import db
from app.refusals import Invalid
from app.timeutil import utcnow
from app.training.latest import advance_latest
from app.training.models import Completion, CompletionSource, Course
from app.training.services import today
from app.uploads import parse_limits, refusal
from app.writelock import lock_for_writing
from docs_store.errors import ExtractionAborted, FileRefused
from docs_store.extract import read_sheet

PERSON_COLUMNS = ("username", "email")
REQUIRED_COLUMNS = ("course", "completed_on")
DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y")
#: Data rows (the header apart) a file may have; a bigger one is refused, not cut.
MAX_IMPORT_ROWS = 10_000
#: Characters of cell text an XLSX file may hold.
MAX_IMPORT_CHARS = 2_000_000
#: Key of the PostgreSQL advisory lock that serialises imports ("JTRN").
_IMPORT_LOCK_KEY = 0x4A54_524E


@dataclass(frozen=True, slots=True)
class Row:
    """A data row: its line in the file and its cells by lower-case column name."""

    line: int
    values: dict[str, object]


@dataclass(slots=True)
class ImportResult:
    """What an import did; ``rejected`` holds ``{"line", "error"}`` in file order."""

    imported: int = 0
    duplicates: int = 0
    rejected: list[dict[str, object]] = field(default_factory=list)


def read_rows(data: bytes, filename: str) -> list[Row]:
    """Rows of a CSV (UTF-8, optional BOM, ``;`` or ``,``) or XLSX file; 422 when unreadable."""
    if data.startswith(b"PK") or filename.lower().endswith(".xlsx"):
        rows = _xlsx_rows(data)
    else:
        rows = _csv_rows(data)
    header = next(rows, None)
    if header is None:
        raise Invalid(_("The file is empty."))
    names = [str(cell or "").strip().lower() for cell in header[1]]
    missing = [name for name in REQUIRED_COLUMNS if name not in names]
    if not any(name in names for name in PERSON_COLUMNS):
        missing.insert(0, "username / email")
    if missing:
        raise Invalid(
            _("Missing columns: %(columns)s.", columns=", ".join(missing)),
            details={"columns": names},
        )
    result = []
    for line, cells in rows:
        if all(cell is None or str(cell).strip() == "" for cell in cells):
            continue
        result.append(Row(line, dict(zip(names, cells, strict=False))))
    return result


def _csv_rows(data: bytes) -> Iterator[tuple[int, list[object]]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise Invalid(_("The CSV file is not UTF-8 text.")) from None
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    line = 1
    try:
        for count, cells in enumerate(reader):
            if count > MAX_IMPORT_ROWS:
                raise refusal(FileRefused("sheet_rows", MAX_IMPORT_ROWS))
            yield line, list(cells)
            line = reader.line_num + 1
    except csv.Error as exc:
        raise Invalid(_("The CSV file is malformed: %(error)s", error=str(exc))) from None


def _xlsx_rows(data: bytes) -> Iterator[tuple[int, list[object]]]:
    try:
        rows = read_sheet(data, MAX_IMPORT_ROWS, MAX_IMPORT_CHARS, parse_limits())
    except (FileRefused, ExtractionAborted) as exc:
        if exc.code != "malformed_file":
            raise refusal(exc) from None
        raise Invalid(
            _("The file is neither a CSV file nor a readable XLSX workbook."), code=exc.code
        ) from None
    return enumerate(rows, start=1)


def parse_date(value: object) -> date | None:
    """A date from ``YYYY-MM-DD``, ``DD/MM/YYYY`` (French Excel) or an Excel date cell."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value or "").strip()
    for pattern in DATE_FORMATS:
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    return None


def parse_score(value: object) -> float | None:
    """A score in 0..100 (``85,5`` accepted as written in France); raises ValueError if bad."""
    if value is None or str(value).strip() == "":
        return None
    score = float(value) if isinstance(value, int | float) else float(str(value).replace(",", "."))
    if not 0 <= score <= 100:
        raise ValueError(score)
    return score


def _text(value: object) -> str:
    return str(value).strip() if value is not None else ""


def import_completions(
    rows: Sequence[Row],
    recorded_by: User | None,
    on_row: Callable[[], None] | None = None,
) -> ImportResult:
    """Validate every row, then add the good ones; a fixed number of queries per file."""
    lock_for_writing(select(func.pg_advisory_xact_lock(_IMPORT_LOCK_KEY)))
    users_by_name, users_by_email = _people(rows)
    courses = {course.key: course for course in db.session.scalars(select(Course))}
    existing = _existing({user.id for user in [*users_by_name.values(), *users_by_email.values()]})
    result = ImportResult()
    added: list[Completion] = []
    seen: dict[tuple[int, int, date], int] = {}
    limit = today()
    for row in rows:
        errors: list[str] = []
        username = _text(row.values.get("username")).lower()
        email = _text(row.values.get("email")).lower()
        user = users_by_name.get(username) if username else users_by_email.get(email)
        if user is None:
            errors.append(_("unknown person: %(name)s", name=username or email or "-"))
        course_key = _text(row.values.get("course"))
        course = courses.get(course_key)
        if course is None:
            errors.append(_("unknown course: %(key)s", key=course_key or "-"))
        completed_on = parse_date(row.values.get("completed_on"))
        if completed_on is None:
            errors.append(
                _(
                    "bad date: %(value)s (expected YYYY-MM-DD or DD/MM/YYYY)",
                    value=_text(row.values.get("completed_on")) or "-",
                )
            )
        elif completed_on > limit:
            errors.append(_("future date: %(value)s", value=completed_on.isoformat()))
        try:
            score = parse_score(row.values.get("score"))
        except ValueError:
            errors.append(
                _("bad score: %(value)s (expected 0 to 100)", value=_text(row.values["score"]))
            )
        if not errors:
            key = (user.id, course.id, completed_on)
            if key in seen:
                errors.append(_("duplicate of line %(line)s", line=seen[key]))
            else:
                seen[key] = row.line
        if errors:
            result.rejected.append({"line": row.line, "error": "; ".join(errors)})
        elif key in existing:
            result.duplicates += 1
        else:
            added.append(
                Completion(
                    user_id=user.id,
                    course_id=course.id,
                    completed_on=completed_on,
                    score=score,
                    recorded_by_id=recorded_by.id if recorded_by else None,
                    recorded_at=utcnow(),
                    source=CompletionSource.IMPORT,
                )
            )
        if on_row is not None:
            on_row()
    db.session.add_all(added)
    db.session.flush()
    validity = {course.id: course.validity_months for course in courses.values()}
    advance_latest(
        (item.user_id, item.course_id, item.completed_on, validity[item.course_id])
        for item in added
    )
    result.imported = len(added)
    return result


def _people(rows: Sequence[Row]) -> tuple[dict[str, User], dict[str, User]]:
    names = {_text(row.values.get("username")).lower() for row in rows} - {""}
    emails = {_text(row.values.get("email")).lower() for row in rows} - {""}
    users = db.session.scalars(
        select(User).where(User.username.in_(names) | func.lower(User.email).in_(emails))
    ).all()
    return (
        {user.username: user for user in users},
        {user.email.lower(): user for user in users if user.email},
    )


def _existing(user_ids: set[int]) -> set[tuple[int, int, date]]:
    """Completions already recorded for the people of the file."""
    if not user_ids:
        return set()
    rows = db.session.execute(
        select(Completion.user_id, Completion.course_id, Completion.completed_on).where(
            Completion.user_id.in_(user_ids)
        )
    )
    return {(user_id, course_id, day) for user_id, course_id, day in rows}
