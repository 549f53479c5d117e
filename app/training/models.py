"""Courses, the requirements that make them mandatory, and completions (kept as history)."""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import (
    CheckConstraint,
    Date,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.auth.models import Role, Team, User
from app.extensions import db, str_enum
from app.library.models import Document
from app.timeutil import UTCDateTime, utcnow
from app.training.status import valid_until


class CompletionSource(enum.StrEnum):
    """How a completion reached Jalon."""

    MANUAL = "manual"
    IMPORT = "import"


class Course(db.Model):
    """A training course; ``validity_months`` None means a completion never expires."""

    __tablename__ = "courses"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: Stable slug used by the API, imports and workflow ``requires_training``.
    key: Mapped[str] = mapped_column(String(64), unique=True)
    #: Title shown to people.
    title: Mapped[str] = mapped_column(String(200))
    #: What the course teaches.
    description: Mapped[str] = mapped_column(Text, default="")
    #: Methodology the course belongs to (PRINCE2, agile, house method...), free text.
    methodology: Mapped[str] = mapped_column(String(80), default="")
    #: Months a completion stays valid; None = forever.
    validity_months: Mapped[int | None] = mapped_column(Integer)
    #: When the course was created.
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    documents: Mapped[list[Document]] = relationship(
        secondary="course_documents", order_by="Document.title", lazy="selectin"
    )

    __table_args__ = (
        CheckConstraint("validity_months IS NULL OR validity_months > 0", name="validity_positive"),
    )

    def __repr__(self) -> str:
        return f"<Course {self.key}>"


class CourseDocument(db.Model):
    """A library document linked to a course (its material, its reference standard)."""

    __tablename__ = "course_documents"

    course_id: Mapped[int] = mapped_column(
        ForeignKey("courses.id", ondelete="CASCADE"), primary_key=True
    )
    document_id: Mapped[int] = mapped_column(
        ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True
    )


class Requirement(db.Model):
    """A course required for holders of a role, members of a team, or role holders in a team.

    The deadline is a fixed ``due_date``, or ``due_days`` after the person joined the team or
    was granted the role (the later of the two when both are set), or none at all (the person
    is missing the course until done, never overdue).
    """

    __tablename__ = "training_requirements"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id", ondelete="CASCADE"), index=True)
    #: Role whose holders must take the course; None = any role.
    role: Mapped[Role | None] = mapped_column(str_enum(Role, "requirement_role"))
    #: Team whose members must take the course; None = any team.
    team_id: Mapped[int | None] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"))
    #: Fixed deadline (UTC date).
    due_date: Mapped[date | None] = mapped_column(Date)
    #: Days allowed after joining the team or taking the role.
    due_days: Mapped[int | None] = mapped_column(Integer)
    #: When the requirement was created.
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    course: Mapped[Course] = relationship(lazy="joined")
    team: Mapped[Team | None] = relationship(lazy="joined")

    __table_args__ = (
        CheckConstraint("role IS NOT NULL OR team_id IS NOT NULL", name="role_or_team"),
        CheckConstraint("due_date IS NULL OR due_days IS NULL", name="one_deadline"),
        CheckConstraint("due_days IS NULL OR due_days >= 0", name="due_days_positive"),
    )


class Completion(db.Model):
    """A person completed a course on a date. Renewals add rows; the latest one counts."""

    __tablename__ = "training_completions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id", ondelete="CASCADE"), index=True)
    #: Day the course was completed (UTC date); validity counts from it.
    completed_on: Mapped[date] = mapped_column(Date)
    #: Score in percent, when the course has an assessment.
    score: Mapped[float | None] = mapped_column(Float)
    #: SHA-256 of the evidence file (certificate) in the attachment store.
    evidence_sha256: Mapped[str | None] = mapped_column(String(64))
    #: Sanitised original file name of the evidence.
    evidence_name: Mapped[str | None] = mapped_column(String(255))
    #: Who recorded it; None when that account was deleted.
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    #: When it was recorded.
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    #: Typed in by the PMO or imported from a file.
    source: Mapped[CompletionSource] = mapped_column(
        str_enum(CompletionSource, "completion_source"), default=CompletionSource.MANUAL
    )

    user: Mapped[User] = relationship(foreign_keys=[user_id])
    course: Mapped[Course] = relationship()
    recorded_by: Mapped[User | None] = relationship(foreign_keys=[recorded_by_id])

    __table_args__ = (
        # The same completion imported twice is one row: imports are idempotent.
        UniqueConstraint("user_id", "course_id", "completed_on", name="uq_completion_day"),
        CheckConstraint("score IS NULL OR (score >= 0 AND score <= 100)", name="score_range"),
    )

    @property
    def valid_until(self) -> date | None:
        """Last day this completion is valid; None when the course never expires."""
        return valid_until(self.completed_on, self.course.validity_months)


class LatestCompletion(db.Model):
    """The latest completion of each (person, course), kept in step by every write.

    The matrix and the compliance counts read these rows instead of grouping the whole
    history (100,000 completions and more) on every request. ``app.training.latest`` is
    the only code that writes them; ``rebuild_latest`` recomputes them from the history.
    """

    __tablename__ = "training_latest_completions"

    #: The person.
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    #: The course.
    course_id: Mapped[int] = mapped_column(
        ForeignKey("courses.id", ondelete="CASCADE"), primary_key=True
    )
    #: Day of the person's most recent completion of the course (indexed: finds at once the
    #: rows newer than a past day a matrix is asked for, normally none).
    completed_on: Mapped[date] = mapped_column(Date, index=True)
    #: Last day that completion is valid; None when the course never expires.
    expires_on: Mapped[date | None] = mapped_column(Date)
