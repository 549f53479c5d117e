"""Read-side helpers shared by the API and the pages: filtered lists and the contract shapes."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import Select, select

from app.auth.models import User
from app.extensions import db
from app.projects.committee_models import Recusal
from app.projects.definitions import all_current, gate_dict
from app.projects.models import GateReview, Project, ReviewStatus, Vote
from app.projects.programmes import Portfolio, Programme
from app.projects.services import visible_projects
from workflows import Gate, Status, WorkflowDefinition


def workflow_dict(definition: WorkflowDefinition) -> dict[str, Any]:
    """A definition in the API's shape (gates with `min_votes` and `rule` flat)."""
    data = definition.to_dict()
    data["gates"] = [gate_dict(gate) for gate in definition.gates]
    return data


#: The filters every project list, the dashboard and the reports understand.
PROJECT_FILTERS = ("portfolio", "programme", "workflow", "stage", "status", "manager")


def filter_args(query: Mapping[str, str]) -> dict[str, str]:
    """The project filters of a query string, stripped; a status that is not one is dropped
    (the other filters name things: an unknown one matches no project)."""
    args = {name: (query.get(name) or "").strip() for name in PROJECT_FILTERS}
    if args["status"] not in {status.value for status in Status}:
        args["status"] = ""
    return args


def filter_projects(statement: Select[Any], args: dict[str, Any]) -> Select[Any]:
    """`statement` (over projects) narrowed by the filters present in `args`.

    Programme and portfolio are given by name and the manager by username, like everywhere
    else in the API; an unknown name simply matches nothing.
    """
    for name in ("workflow", "stage", "status"):
        if args.get(name):
            statement = statement.where(getattr(Project, name) == args[name])
    if args.get("manager"):
        statement = statement.where(
            Project.manager_id.in_(select(User.id).where(User.username == args["manager"]))
        )
    if args.get("programme"):
        statement = statement.where(
            Project.programme_id.in_(
                select(Programme.id).where(Programme.name == args["programme"])
            )
        )
    if args.get("portfolio"):
        statement = statement.where(
            Project.programme_id.in_(
                select(Programme.id)
                .join(Portfolio, Programme.portfolio_id == Portfolio.id)
                .where(Portfolio.name == args["portfolio"])
            )
        )
    return statement


def filter_options(user: User) -> dict[str, Any]:
    """The values the project filter forms offer `user`, from what exists (three small
    queries): names of portfolios and programmes, the current workflows (their stages, grouped
    by workflow, are offered by label), the statuses, and the managers of the projects `user`
    sees as (username, display name)."""
    managed = visible_projects(user).with_only_columns(Project.manager_id)
    managers = db.session.execute(
        select(User.username, User.display_name)
        .where(User.id.in_(managed))
        .order_by(User.display_name, User.username)
    ).all()
    return {
        "portfolios": list(db.session.scalars(select(Portfolio.name).order_by(Portfolio.name))),
        "programmes": list(db.session.scalars(select(Programme.name).order_by(Programme.name))),
        "workflows": all_current(),
        "statuses": [status.value for status in Status],
        "managers": managers,
    }


def filtered_projects(user: User, args: dict[str, Any]) -> Select[tuple[Project]]:
    """Visible projects narrowed by `PROJECT_FILTERS`, oldest first."""
    return filter_projects(visible_projects(user), args).order_by(Project.id)


def awaiting_vote(user: User) -> Select[tuple[GateReview]]:
    """Open reviews `user` did not submit, has not voted on, nor recused themselves from."""
    voted = select(Vote.review_id).where(Vote.voter_id == user.id)
    recused = select(Recusal.review_id).where(Recusal.user_id == user.id)
    return (
        select(GateReview)
        .where(
            GateReview.status == ReviewStatus.SUBMITTED,
            GateReview.submitted_by_id != user.id,
            GateReview.id.not_in(voted),
            GateReview.id.not_in(recused),
        )
        .order_by(GateReview.submitted_at)
    )


def scorecards(review: GateReview, gate: Gate) -> dict[str, Any]:
    """Each voter's should-meet scores side by side, with the spread (min-max) per criterion."""
    keys = [c.key for c in gate.should_meet_criteria]
    rows = [(vote, {s.criterion: s.score for s in vote.scores}) for vote in review.votes]
    spread = {}
    for key in keys:
        values = [scores[key] for _vote, scores in rows if key in scores]
        spread[key] = (min(values), max(values)) if values else None
    return {"rows": rows, "spread": spread}
