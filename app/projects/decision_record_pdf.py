"""The gate decision record as a PDF (reportlab), from the same data as its JSON form."""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import date as Day
from typing import Any

from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import SimpleDocTemplate, Spacer

from app.downloads import pdf_plain
from app.formats import date, datetime, money, number, percent, signed_percent
from app.labels import answer_label
from app.pdf import grid, paragraph, paragraphs


def _text(value: Any) -> str:
    """A cell in the reader's formats: moments and days as dates, numbers grouped."""
    if value is None:
        return "—"
    if hasattr(value, "hour"):
        return datetime(value)
    if hasattr(value, "isoformat"):
        return date(value)
    if isinstance(value, int | float) and not isinstance(value, bool):
        return number(value)
    return str(value)


class _Story:
    """Paragraphs and tables in the record's order, every text escaped; free text flows as
    paragraphs so no cell ever has to hold a page of it."""

    def __init__(self) -> None:
        styles = getSampleStyleSheet()
        self.styles = styles
        self.small = styles["BodyText"].clone("record-small", fontSize=8, leading=10)
        self.subheadings = styles["Heading4"].clone("record-subheading", keepWithNext=1)
        self.items: list[Any] = []

    def title(self, text: str) -> None:
        self.items.append(paragraph(text, self.styles["Title"]))

    def heading(self, text: str) -> None:
        self.items += [Spacer(1, 4 * mm), paragraph(text, self.styles["Heading2"])]

    def line(self, text: str) -> None:
        self.items.append(paragraph(text, self.styles["Normal"]))

    def text(self, text: str) -> None:
        """Free text, one paragraph per line, that may run over as many pages as it needs."""
        self.items += paragraphs(text, self.styles["Normal"])

    def item(self, text: str) -> None:
        """One item of a list, as one paragraph however long."""
        self.items.append(paragraph(text, self.styles["Normal"], bullet="•"))

    def subheading(self, text: str) -> None:
        """A heading kept on the page of the paragraph that follows it."""
        self.items += [Spacer(1, 2 * mm), paragraph(text, self.subheadings)]

    def table(self, header: list[str], rows: list[list[Any]], widths: tuple[int, ...]) -> None:
        texts = [[_text(cell) for cell in row] for row in rows]
        self.items += grid(header, texts, widths, self.small)


def decision_record_pdf(record: dict[str, Any], gettext: Callable[..., str]) -> bytes:
    """Criteria and answers, deliverables at their versions, votes, scorecards, decision."""
    _ = gettext
    story = _Story()
    _submission(story, record, _)
    gate = record["gate"]
    story.heading(_("Criteria and answers"))
    story.table(
        [_("Criterion"), _("Must meet"), _("Weight"), _("Answer")],
        [
            [c["label"], answer_label(c["must_meet"]), c["weight"], answer_label(c["answer"])]
            for c in gate["criteria"]
        ],
        (95, 25, 20, 30),
    )
    score = f"{_('Score')}: {percent(record['score'], 0)}"
    if gate["pass_score"] is not None:
        score += " · " + _("Pass score: %(score)s", score=percent(gate["pass_score"], 0))
    story.line(score)

    story.heading(_("Deliverables"))
    story.table(
        [_("Deliverable"), _("What was seen")],
        [[d["name"], _deliverable_text(d, _)] for d in record["deliverables"]],
        (50, 120),
    )
    _votes(story, record, _)
    story.heading(_("Action items"))
    for item in record["action_items"]:
        story.item(
            f"{item['description']} — {item['owner_name']}, {_text(item['due_date'])}, "
            f"{item['status_label']}"
        )
    _audit_trail(story, record["audit"], _)

    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=15 * mm,
        rightMargin=15 * mm,
        topMargin=15 * mm,
        bottomMargin=15 * mm,
        title=pdf_plain(f"{_('Gate decision record')} — {record['project']['name']}"),
    )
    document.build(story.items)
    return buffer.getvalue()


def _submission(story: _Story, record: dict[str, Any], _: Callable[..., str]) -> None:
    """Which project and gate, who submitted, the decision, and what the manager wrote."""
    project, gate, workflow = record["project"], record["gate"], record["workflow"]
    story.title(_("Gate decision record"))
    story.line(f"{_('Project')}: {project['name']} (#{project['id']})")
    if project["programme"]:
        story.line(f"{_('Programme')}: {project['programme']}")
    story.line(
        f"{_('Workflow')}: "
        + _("%(name)s, version %(version)s", name=workflow["name"], version=workflow["version"])
    )
    story.line(
        _(
            "Gate: %(gate)s, from %(from)s to %(to)s",
            gate=gate["name"],
            **{"from": gate["from_name"], "to": gate["to_name"]},
        )
    )
    story.line(f"{_('Manager')}: {project['manager_name']}")
    story.line(
        f"{_('Submitted by %(who)s', who=record['submitted_by_name'])}, "
        f"{_text(record['submitted_at'])}"
    )
    if record["decision"]:
        story.line(f"{_('Decision')}: {record['decision_label']}, {_text(record['decided_at'])}")
    else:
        story.line(f"{_('Decision')}: — {record['note']}")
    if record["summary"]:
        story.heading(_("Summary"))
        story.text(record["summary"])
    _budget(story, record["budget"], _)
    story.heading(_("Top risks"))
    for risk in record["top_risks"]:
        story.item(risk)
    if not record["top_risks"]:
        story.line(_("None given."))


def _budget(story: _Story, budget: dict[str, Any], _: Callable[..., str]) -> None:
    """Planned, actual and forecast as submitted, and the variance of the forecast."""
    story.heading(_("Budget"))
    if all(budget[name] is None for name in ("planned", "actual", "forecast")):
        story.line(_("No budget given."))
        return
    variance = money(budget["variance"])
    if budget["variance_pct"] is not None:
        variance += f" ({signed_percent(budget['variance_pct'])})"
    story.table(
        [_("Planned"), _("Actual"), _("Forecast"), _("Variance (forecast - planned)")],
        [[money(budget["planned"]), money(budget["actual"]), money(budget["forecast"]), variance]],
        (40, 40, 40, 60),
    )


def _votes(story: _Story, record: dict[str, Any], _: Callable[..., str]) -> None:
    """A table of who voted what, then each voter's comment and conditions as running text:
    a 5,000-character comment or fifty conditions would not fit a table cell on one page."""
    story.heading(_("Votes"))
    votes, labels = record["votes"], record["criterion_labels"]
    story.table(
        [_("Voter"), _("Decision"), _("Scores")],
        [
            [
                vote["voter_name"],
                vote["decision_label"],
                ", ".join(
                    f"{labels.get(key, key)}: {score}" for key, score in vote["scores"].items()
                ),
            ]
            for vote in votes
        ],
        (60, 35, 85),
    )
    for vote in votes:
        if not (vote["comment"].strip() or vote["conditions"]):
            continue
        story.subheading(
            _(
                "Vote of %(voter)s: %(decision)s",
                voter=vote["voter_name"],
                decision=vote["decision_label"],
            )
        )
        story.text(vote["comment"])
        if vote["conditions"]:
            story.line(_("Conditions"))
            for condition in vote["conditions"]:
                story.item(_condition_text(condition))
    chair = record.get("chair_decision")
    if chair:
        story.heading(_("Chair's decision"))
        story.line(
            _(
                "%(name)s decided: %(decision)s.",
                name=chair["by_name"],
                decision=record["decision_label"],
            )
        )
        story.text(chair["rationale"])
    spread = record["scorecard_spread"]
    if spread:
        story.heading(_("Scorecard spread"))
        story.table(
            [_("Criterion"), _("Lowest"), _("Highest")],
            [
                [
                    labels.get(key, key),
                    values["min"] if values else None,
                    values["max"] if values else None,
                ]
                for key, values in spread.items()
            ],
            (90, 40, 40),
        )


def _audit_trail(story: _Story, audit: dict[str, Any], _: Callable[..., str]) -> None:
    story.heading(_("Audit trail"))
    links = [(_("Submission"), audit["submission"])]
    links += [(_("Vote"), link) for link in audit["votes"]]
    links.append((_("Decision"), audit["decision"]))
    story.table(
        [_("Event"), _("Who"), _("Hash")],
        [
            [f"{label} #{link['event']}", link["actor_name"], link["hash"]]
            for label, link in links
            if link is not None
        ],
        (35, 30, 105),
    )


def _deliverable_text(item: dict[str, Any], _: Callable[..., str]) -> str:
    """The version judged, its title, where to read it and its files; or the URL given."""
    document = item["document"]
    if document is None:
        return item["url"] or ""
    parts = [
        _(
            "%(title)s, version %(version)s",
            title=document["title"] or _("document %(id)s", id=document["id"]),
            version=document["version"],
        )
    ]
    if document["link"]:
        parts.append(document["link"])
    parts += [f"{file['name']}: {file['link'] or ''}" for file in document["files"]]
    return " · ".join(parts)


def _condition_text(condition: dict[str, Any]) -> str:
    due = condition.get("due_date")
    description = condition.get("description", "")
    return f"{description} ({date(_day(due))})" if due else description


def _day(value: Any) -> Any:
    """A condition's due date, stored as ISO text in the vote's JSON."""
    return Day.fromisoformat(value) if isinstance(value, str) else value
