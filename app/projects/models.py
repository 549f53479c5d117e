"""Projects moving through pinned workflow versions, their gate reviews, votes and action items.

The `workflows` engine decides; these tables remember. A project's `stage` and `status` are the
persisted state of the engine's machine and only `app.projects.voting`/`holds` write them.
"""

from __future__ import annotations

import enum
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Date,
    Enum,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.auth.models import User
from app.extensions import db
from app.projects.programmes import Programme
from app.timeutil import UTCDateTime, utcnow
from workflows import Decision, Status


class ReviewStatus(enum.StrEnum):
    """A review is open for votes until the quorum (or the chair) decides it.

    `no_consensus`: the votes to come can no longer meet the gate's rule; the chair decides.
    `withdrawn`: the submitter took it back before any vote.
    """

    SUBMITTED = "submitted"
    NO_CONSENSUS = "no_consensus"
    DECIDED = "decided"
    WITHDRAWN = "withdrawn"


#: Statuses of a review still awaiting its decision.
OPEN_STATUSES = (ReviewStatus.SUBMITTED, ReviewStatus.NO_CONSENSUS)


class ActionStatus(enum.StrEnum):
    """An action item from a conditional go: closed by the manager, verified by the PMO."""

    OPEN = "open"
    CLOSED = "closed"
    VERIFIED = "verified"


def str_enum(enum_class: type[enum.StrEnum], name: str) -> Enum:
    """A string column restricted to the enum's values by a CHECK constraint."""
    return Enum(
        enum_class,
        name=name,
        native_enum=False,
        create_constraint=True,
        length=20,
        values_callable=lambda members: [member.value for member in members],
        validate_strings=True,
    )


class WorkflowVersion(db.Model):
    """One loaded version of a workflow definition, kept so pinned projects outlive YAML edits."""

    __tablename__ = "workflow_versions"
    __table_args__ = (UniqueConstraint("key", "version"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: Definition key (`stage-gate`).
    key: Mapped[str] = mapped_column(String(64), index=True)
    #: Version number declared in the YAML.
    version: Mapped[int] = mapped_column(Integer)
    #: English name, for lists.
    name: Mapped[str] = mapped_column(String(200))
    #: The definition in schema form (`WorkflowDefinition.to_dict()`).
    definition: Mapped[dict[str, Any]] = mapped_column(JSON)
    #: SHA-256 of the canonical definition, to catch a file edited without a version bump.
    content_hash: Mapped[str] = mapped_column(String(64))
    #: When this version was first stored.
    loaded_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class Project(db.Model):
    """A project pinned to one workflow version; `stage`/`status` are its machine state."""

    __tablename__ = "projects"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: Name shown everywhere.
    name: Mapped[str] = mapped_column(String(200))
    #: Workflow definition key.
    workflow: Mapped[str] = mapped_column(String(64), index=True)
    #: Definition version the project started with, and keeps.
    workflow_version: Mapped[int] = mapped_column(Integer)
    #: Current stage key (kept where it ended when killed or completed).
    stage: Mapped[str] = mapped_column(String(64), index=True)
    #: Lifecycle status.
    status: Mapped[Status] = mapped_column(
        str_enum(Status, "project_status"), default=Status.ACTIVE, index=True
    )
    #: The project manager, who submits the gate reviews.
    manager_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    #: Programme the project belongs to, if any (the programme gives the portfolio).
    programme_id: Mapped[int | None] = mapped_column(
        ForeignKey("programmes.id", ondelete="SET NULL"), index=True
    )
    #: Approved budget.
    budget: Mapped[Decimal | None] = mapped_column(Numeric(14, 2))
    #: When the project was created.
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    #: Optimistic lock: bumped on every write, so two deciders cannot both win.
    version_id: Mapped[int] = mapped_column(Integer, default=1)

    manager: Mapped[User] = relationship(lazy="joined")
    programme: Mapped[Programme | None] = relationship(lazy="joined")
    reviews: Mapped[list[GateReview]] = relationship(
        back_populates="project", order_by="GateReview.id"
    )

    @property
    def programme_name(self) -> str | None:
        return self.programme.name if self.programme else None

    @property
    def portfolio_name(self) -> str | None:
        portfolio = self.programme.portfolio if self.programme else None
        return portfolio.name if portfolio else None

    __mapper_args__ = {"version_id_col": version_id}


class StagePeriod(db.Model):
    """A stretch of time a project spent in one stage: what "days per stage" is measured on.

    Opened when the project enters a stage, closed when it leaves it or ends (killed,
    completed). Holds and recycles stay inside the period: the stage's clock keeps running.
    """

    __tablename__ = "stage_periods"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    project_id: Mapped[int] = mapped_column(
        ForeignKey("projects.id", ondelete="CASCADE"), index=True
    )
    #: Stage key.
    stage: Mapped[str] = mapped_column(String(64), index=True)
    #: When the project entered the stage.
    entered_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    #: When it left (NULL while it is still there).
    left_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class GateReview(db.Model):
    """A submission at a gate and, once the quorum speaks, its decision."""

    __tablename__ = "gate_reviews"
    __table_args__ = (
        CheckConstraint(
            "(status = 'decided') = (decision IS NOT NULL)", name="decided_has_decision"
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id"), index=True)
    #: Key of the gate under review.
    gate: Mapped[str] = mapped_column(String(64))
    #: Stage the project was in when submitting.
    from_stage: Mapped[str] = mapped_column(String(64))
    #: Stage a go leads to (`completed` at the last gate).
    to_stage: Mapped[str] = mapped_column(String(64))
    #: Who submitted (the manager).
    submitted_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    #: When it was submitted.
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    #: Open for votes or decided.
    status: Mapped[ReviewStatus] = mapped_column(
        str_enum(ReviewStatus, "review_status"), default=ReviewStatus.SUBMITTED, index=True
    )
    #: The committee's decision, once taken.
    decision: Mapped[Decision | None] = mapped_column(str_enum(Decision, "review_decision"))
    #: When the decision was taken.
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    #: The manager's summary.
    summary: Mapped[str] = mapped_column(Text, default="")
    #: Criterion key -> true/false (must-meet) or 0-5 (should-meet).
    criteria: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    #: Weighted should-meet score, percent.
    score: Mapped[float] = mapped_column(default=100.0)
    #: Budget planned at this gate.
    budget_planned: Mapped[Decimal | None] = mapped_column(Numeric(14, 2))
    #: Budget spent so far.
    budget_actual: Mapped[Decimal | None] = mapped_column(Numeric(14, 2))
    #: Budget forecast at completion.
    budget_forecast: Mapped[Decimal | None] = mapped_column(Numeric(14, 2))
    #: Top risks, one string each.
    top_risks: Mapped[list[str]] = mapped_column(JSON, default=list)
    #: Only one open review per project: set to project_id while open, NULL once decided or
    #: withdrawn.
    open_project_id: Mapped[int | None] = mapped_column(Integer, unique=True)
    #: The day by which the committee should have voted (reminders follow it).
    vote_by: Mapped[date | None] = mapped_column(Date)
    #: The chair who decided a `no_consensus` review.
    chair_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    #: Why the chair decided as they did (required of the chair).
    chair_rationale: Mapped[str | None] = mapped_column(Text)

    project: Mapped[Project] = relationship(back_populates="reviews")
    submitted_by: Mapped[User] = relationship(lazy="joined", foreign_keys=[submitted_by_id])
    chair: Mapped[User | None] = relationship(foreign_keys=[chair_id])
    deliverables: Mapped[list[GateReviewDeliverable]] = relationship(
        cascade="all, delete-orphan", order_by="GateReviewDeliverable.id"
    )
    #: Loaded on demand: voting counts votes with a query, so a large committee costs nothing.
    votes: Mapped[list[Vote]] = relationship(back_populates="review", order_by="Vote.id")


class GateReviewDeliverable(db.Model):
    """A deliverable handed in: a library document at an exact version, or a URL."""

    __tablename__ = "gate_review_deliverables"
    __table_args__ = (
        UniqueConstraint("review_id", "deliverable"),
        CheckConstraint(
            "(document_id IS NOT NULL AND document_version IS NOT NULL) OR url IS NOT NULL",
            name="document_or_url",
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("gate_reviews.id", ondelete="CASCADE"))
    #: Key of the gate deliverable it satisfies.
    deliverable: Mapped[str] = mapped_column(String(64))
    #: Library document submitted.
    document_id: Mapped[int | None] = mapped_column(ForeignKey("documents.id"))
    #: The document's version number at submission: later edits do not change what was judged.
    document_version: Mapped[int | None] = mapped_column(Integer)
    #: Or a link to the deliverable elsewhere.
    url: Mapped[str | None] = mapped_column(String(1000))


class Vote(db.Model):
    """One gatekeeper's vote on a review; one per voter per review."""

    __tablename__ = "votes"
    __table_args__ = (
        UniqueConstraint("review_id", "voter_id"),
        # The tally of a review (votes per decision, and whether someone voted) is read from
        # this index alone, on every vote: no visit of the vote rows, already grouped.
        Index("ix_votes_tally", "review_id", "decision", "voter_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("gate_reviews.id"))
    #: Whose vote it is: the gatekeeper it counts for (the delegator when a delegate cast it).
    voter_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    #: The delegate who cast it on the voter's behalf, if not the voter.
    cast_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    #: The decision voted for.
    decision: Mapped[Decision] = mapped_column(str_enum(Decision, "vote_decision"))
    #: Why (required for kill, hold, recycle and for going against the scorecard).
    comment: Mapped[str] = mapped_column(Text, default="")
    #: Conditions of a conditional go: [{"description", "due_date"}].
    conditions: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    #: When it was cast.
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    review: Mapped[GateReview] = relationship(back_populates="votes")
    voter: Mapped[User] = relationship(lazy="joined", foreign_keys=[voter_id])
    cast_by: Mapped[User | None] = relationship(foreign_keys=[cast_by_id])
    scores: Mapped[list[ScorecardEntry]] = relationship(
        cascade="all, delete-orphan", lazy="selectin", order_by="ScorecardEntry.criterion"
    )


class ScorecardEntry(db.Model):
    """A voter's 0-5 score of one should-meet criterion."""

    __tablename__ = "scorecard_entries"
    __table_args__ = (
        UniqueConstraint("vote_id", "criterion"),
        CheckConstraint("score BETWEEN 0 AND 5", name="score_range"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    vote_id: Mapped[int] = mapped_column(ForeignKey("votes.id", ondelete="CASCADE"))
    #: Should-meet criterion key.
    criterion: Mapped[str] = mapped_column(String(64))
    #: 0-5.
    score: Mapped[int] = mapped_column(Integer)


class ActionItem(db.Model):
    """A condition of a conditional go, blocking the next submission until closed."""

    __tablename__ = "action_items"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("gate_reviews.id"), index=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id"), index=True)
    #: What must be done.
    description: Mapped[str] = mapped_column(Text)
    #: Who must do it (the manager by default).
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    #: When it is due.
    due_date: Mapped[date | None] = mapped_column(Date)
    #: open → closed (manager) → verified (PMO).
    status: Mapped[ActionStatus] = mapped_column(
        str_enum(ActionStatus, "action_status"), default=ActionStatus.OPEN, index=True
    )
    #: What shows it was done.
    evidence: Mapped[str] = mapped_column(Text, default="")
    closed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    #: When the manager closed it.
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    verified_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    #: When the PMO verified it.
    verified_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    owner: Mapped[User] = relationship(foreign_keys=[owner_id], lazy="joined")


class AuditEvent(db.Model):
    """An append-only, hash-chained record of something that happened (no update path)."""

    __tablename__ = "audit_events"

    #: The event's position in the chain: the one before it plus one, given by the appender
    #: (no sequence). Two appenders that read the same last event both take its position + 1,
    #: so the primary key itself refuses a fork of the chain.
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    #: Project concerned, if any.
    project_id: Mapped[int | None] = mapped_column(Integer, index=True)
    #: What happened (`submission`, `vote`, `decision`...).
    kind: Mapped[str] = mapped_column(String(40))
    #: Username of who did it (`system` at start-up).
    actor: Mapped[str] = mapped_column(String(64))
    #: Event details.
    data: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    #: When it happened.
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    #: Hash of the previous event.
    prev_hash: Mapped[str] = mapped_column(String(64))
    #: SHA-256 of prev_hash and this event's payload.
    hash: Mapped[str] = mapped_column(String(64))

    @property
    def payload(self) -> dict[str, Any]:
        """The hashed fields: all but the id (the order is in `prev_hash`) and the hashes."""
        return {
            "project_id": self.project_id,
            "kind": self.kind,
            "actor": self.actor,
            "data": self.data,
            "created_at": self.created_at,
        }
