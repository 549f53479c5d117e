"""Hot statements: Core statements run on the DBAPI cursor, past SQLAlchemy's engine.

The API's busiest paths (the bearer token's lookup on every request, the vote, the audit
append) run a handful of short statements each. Through `Connection.execute` every statement
pays 10-40 µs of Python (the statement's cache key, an execution context, result metadata)
where SQLite itself needs a few; with the session's lookups around them, the statements were
a third of a vote's time (bench/votes). A `HotStatement` pays that once per process instead:

- the statement is still written with SQLAlchemy Core, one source for SQLite and PostgreSQL,
  and compiled by SQLAlchemy, once per dialect;
- values go through the columns' types exactly as SQLAlchemy sends and reads them (enums,
  UTC datetimes, JSON), with the types' own bind and result processors;
- it runs in the session's transaction, so the request still commits once
  (`app.web.commit_or_rollback`) and a failed request still rolls everything back, or in an
  `own_transaction()` (`app.transactions`) for work that needs no ORM object at all;
- the engine's `before_cursor_execute` listeners see each statement (the tests count them);
- a driver error is raised as SQLAlchemy's (`IntegrityError`, `OperationalError`, ...).

What it does not do, by design: Python-side column defaults (an insert names every value, and
compiling one that would need a default fails at once), IN-list expansion, ORM objects.
"""

from __future__ import annotations

from collections import namedtuple
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Executable, Insert, exc
from sqlalchemy.engine import Dialect

from app.transactions import Target, current_target

Processor = Callable[[Any], Any] | None
#: Marks a bind whose value the caller gives.
_GIVEN = object()


@dataclass(frozen=True, slots=True)
class _Compiled:
    """A statement as one dialect's driver takes it."""

    sql: str
    #: True: the driver takes a tuple of values (qmark, format), else a dict (pyformat).
    positional: bool
    #: Each value the driver takes, in its order: the bind's name, its type's processor, and
    #: the value fixed in the statement itself (a literal, a LIMIT) or `_GIVEN`.
    binds: tuple[tuple[str, Processor, Any], ...]
    #: The result's row type and each column's result processor; None: no rows.
    row: type | None
    readers: tuple[Processor, ...]


class HotStatement:
    """A Core statement compiled once per dialect and run on the DBAPI cursor (see above).

    ``column_keys``: for an `insert(table)` without `.values()`, the columns it writes.
    ``returns_id``: the insert gives back the new row's id (`inserted_id`).
    """

    __slots__ = ("_column_keys", "_compiled", "_returns_id", "statement")

    def __init__(
        self,
        statement: Executable,
        column_keys: Sequence[str] | None = None,
        returns_id: bool = False,
    ) -> None:
        if returns_id and not isinstance(statement, Insert):
            raise TypeError("only an insert returns the id of its row")
        self.statement = statement
        self._column_keys = list(column_keys) if column_keys is not None else None
        self._returns_id = returns_id
        self._compiled: dict[type[Dialect], _Compiled] = {}

    def inserted_id(self, parameters: Mapping[str, Any]) -> int:
        """Run an `insert(table)`; the new row's id, as SQLAlchemy gets it on each database:
        the cursor's `lastrowid` where the driver gives it (SQLite), else `RETURNING`."""
        if not self._returns_id:
            raise TypeError("build the HotStatement with returns_id=True")
        rows, lastrowid = self._execute(parameters)
        return rows[0][0] if rows else lastrowid

    def rows(self, parameters: Mapping[str, Any] | None = None) -> list[Any]:
        """Run the statement; its rows as named tuples (an empty list for a plain write)."""
        return self._execute(parameters)[0]

    def first(self, parameters: Mapping[str, Any] | None = None) -> Any | None:
        rows = self.rows(parameters)
        return rows[0] if rows else None

    def scalar(self, parameters: Mapping[str, Any] | None = None) -> Any:
        row = self.first(parameters)
        return row[0] if row is not None else None

    def _execute(self, parameters: Mapping[str, Any] | None) -> tuple[list[Any], int | None]:
        """The rows, and the cursor's `lastrowid` (None where the driver has none)."""
        target = current_target()
        compiled = self._for(target.dialect)
        cursor = target.driver_connection.cursor()
        try:
            rows = self._run(target, cursor, compiled, self._bind(compiled, parameters))
            return rows, getattr(cursor, "lastrowid", None)
        finally:
            cursor.close()

    def _for(self, dialect: Dialect) -> _Compiled:
        compiled = self._compiled.get(type(dialect))
        if compiled is None:
            compiled = self._compiled[type(dialect)] = self._compile(dialect)
        return compiled

    def _compile(self, dialect: Dialect) -> _Compiled:
        statement = self.statement
        columns = list(getattr(statement, "exported_columns", ()))
        if self._returns_id and not dialect.postfetch_lastrowid:
            columns = list(statement.table.primary_key.columns)  # type: ignore[attr-defined]
            statement = statement.returning(*columns)  # type: ignore[attr-defined]
        compiled = statement.compile(dialect=dialect, column_keys=self._column_keys)
        defaulted = getattr(compiled, "insert_prefetch", None)
        if defaulted:
            keys = ", ".join(column.key for column in defaulted)
            raise TypeError(f"give every value: {keys} would need a Python-side default")
        binds = compiled.binds
        plan = {}
        for name, bind in binds.items():
            if bind.expanding or bind.callable is not None:
                raise TypeError(f"{name}: HotStatement runs no IN list and no callable value")
            given = bind.required or (self._column_keys and name in self._column_keys)
            processor = bind.type.dialect_impl(dialect).bind_processor(dialect)
            plan[name] = (name, processor, _GIVEN if given else bind.value)
        positional = dialect.positional
        order = compiled.positiontup if positional else list(binds)
        row = None
        if columns:
            row = namedtuple("Row", [column.key for column in columns], rename=True)  # type: ignore[misc]
        readers = tuple(
            column.type.dialect_impl(dialect).result_processor(dialect, None) for column in columns
        )
        plan_in_order = tuple(plan[name] for name in order or ())
        return _Compiled(compiled.string, positional, plan_in_order, row, readers)

    @staticmethod
    def _bind(compiled: _Compiled, parameters: Mapping[str, Any] | None) -> Any:
        given = parameters or {}
        values = []
        for name, process, fixed in compiled.binds:
            value = given[name] if fixed is _GIVEN else given.get(name, fixed)
            values.append(value if process is None else process(value))
        if compiled.positional:
            return tuple(values)
        return {name: value for (name, _p, _f), value in zip(compiled.binds, values, strict=True)}

    @staticmethod
    def _run(target: Target, cursor: Any, compiled: _Compiled, values: Any) -> list[Any]:
        sql = compiled.sql
        for listener in target.dispatch.before_cursor_execute:
            sql, values = listener(target.listener_connection, cursor, sql, values, None, False)
        try:
            cursor.execute(sql, values)
            fetched = cursor.fetchall() if compiled.row is not None else []
        except target.dialect.loaded_dbapi.Error as error:
            raise exc.DBAPIError.instance(
                sql, values, error, target.dialect.loaded_dbapi.Error
            ) from error
        if not fetched:
            return []
        readers, make = compiled.readers, compiled.row._make  # type: ignore[union-attr]
        if not any(readers):
            return [make(row) for row in fetched]
        return [
            make([v if read is None else read(v) for read, v in zip(readers, row, strict=True)])
            for row in fetched
        ]
