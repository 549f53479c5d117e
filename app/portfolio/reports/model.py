"""The monthly status report as plain data, built once and written as a page, XLSX or PDF."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

#: `YYYY-MM`, the month of a report.
MONTH_PATTERN = r"[1-9][0-9]{3}-(0[1-9]|1[0-2])"


@dataclass(frozen=True)
class ProjectStatusRow:
    """One project's line in the report."""

    project_id: int
    name: str
    manager: str
    workflow: str
    stage: str
    status: str
    rag: str
    rag_reasons: tuple[str, ...]
    last_decision: str | None
    last_decision_on: date | None
    planned: Decimal | None
    actual: Decimal | None
    forecast: Decimal | None
    open_action_items: int
    overdue_action_items: int

    @property
    def variance_pct(self) -> float | None:
        """(forecast - planned) / planned, in percent; None without both figures."""
        if not self.planned or self.forecast is None:
            return None
        return float((self.forecast - self.planned) / self.planned * 100)


@dataclass(frozen=True)
class ProgrammeSection:
    name: str
    rows: tuple[ProjectStatusRow, ...]

    def total(self, attribute: str) -> Decimal:
        return sum((getattr(row, attribute) or Decimal(0) for row in self.rows), start=Decimal(0))


@dataclass(frozen=True)
class DecisionLine:
    """A gate decision taken during the report's month."""

    review_id: int
    project: str
    gate: str
    decision: str
    decided_at: datetime


@dataclass(frozen=True)
class StatusReport:
    portfolio: str
    month: date
    generated_at: datetime
    sections: tuple[ProgrammeSection, ...] = field(default_factory=tuple)
    decisions: tuple[DecisionLine, ...] = field(default_factory=tuple)

    @property
    def project_count(self) -> int:
        return sum(len(section.rows) for section in self.sections)
