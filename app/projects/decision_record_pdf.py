"""The gate decision record as a PDF (reportlab), from the same data as its JSON form."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from app.downloads import pdf_escape

GRID = TableStyle(
    [
        ("GRID", (0, 0), (-1, -1), 0.25, colors.grey),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#E8EDF3")),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ]
)


def _text(value: Any) -> str:
    if value is None:
        return "—"
    if hasattr(value, "strftime") and hasattr(value, "hour"):
        return f"{value:%Y-%m-%d %H:%M} UTC"
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


class _Story:
    """Paragraphs and tables in the record's order, every text escaped."""

    def __init__(self) -> None:
        styles = getSampleStyleSheet()
        self.styles = styles
        self.small = styles["BodyText"].clone("record-small", fontSize=8, leading=10)
        self.items: list[Any] = []

    def title(self, text: str) -> None:
        self.items.append(Paragraph(pdf_escape(text), self.styles["Title"]))

    def heading(self, text: str) -> None:
        self.items += [Spacer(1, 4 * mm), Paragraph(pdf_escape(text), self.styles["Heading2"])]

    def line(self, text: str) -> None:
        self.items.append(Paragraph(pdf_escape(text), self.styles["Normal"]))

    def table(self, header: list[str], rows: list[list[Any]], widths: tuple[int, ...]) -> None:
        data = [[Paragraph(f"<b>{pdf_escape(h)}</b>", self.small) for h in header]]
        data += [[Paragraph(pdf_escape(_text(cell)), self.small) for cell in row] for row in rows]
        table = Table(data, repeatRows=1, colWidths=[w * mm for w in widths])
        table.setStyle(GRID)
        self.items.append(table)


def decision_record_pdf(record: dict[str, Any], gettext: Callable[..., str]) -> bytes:
    """Criteria and answers, deliverables at their versions, votes, scorecards, decision."""
    _ = gettext
    story = _Story()
    project, gate, workflow = record["project"], record["gate"], record["workflow"]
    story.title(_("Gate decision record"))
    story.line(f"{_('Project')}: {project['name']} (#{project['id']})")
    if project["programme"]:
        story.line(f"{_('Programme')}: {project['programme']}")
    story.line(f"{_('Workflow')}: {workflow['name']} ({workflow['key']} v{workflow['version']})")
    story.line(f"{_('Gate')}: {gate['name']} ({gate['from']} -> {gate['to']})")
    story.line(
        f"{_('Submitted by %(who)s', who=record['submitted_by'])}, {_text(record['submitted_at'])}"
    )
    if record["decision"]:
        story.line(f"{_('Decision')}: {record['decision']}, {_text(record['decided_at'])}")
    else:
        story.line(f"{_('Decision')}: — {record['note']}")
    if record["summary"]:
        story.line(record["summary"])

    story.heading(_("Criteria and answers"))
    story.table(
        [_("Criterion"), _("Must meet"), _("Weight"), _("Answer")],
        [
            [c["label"], _yes_no(c["must_meet"], _), c["weight"], _yes_no(c["answer"], _)]
            for c in gate["criteria"]
        ],
        (95, 25, 20, 30),
    )
    score = f"{_('Score')}: {record['score']:.0f} %"
    if gate["pass_score"] is not None:
        score += " · " + _("Pass score: %(score)s %%", score=gate["pass_score"])
    story.line(score)

    story.heading(_("Deliverables"))
    story.table(
        [_("Deliverable"), _("What was seen")],
        [[d["name"], _deliverable_text(d, _)] for d in record["deliverables"]],
        (50, 120),
    )

    story.heading(_("Votes"))
    story.table(
        [_("Voter"), _("Decision"), _("Comment"), _("Conditions"), _("Scores")],
        [
            [
                vote["voter_name"],
                vote["decision"],
                vote["comment"],
                "; ".join(_condition_text(c) for c in vote["conditions"]),
                ", ".join(f"{key} {score}" for key, score in vote["scores"].items()),
            ]
            for vote in record["votes"]
        ],
        (30, 25, 50, 40, 25),
    )
    spread = record["scorecard_spread"]
    if spread:
        story.heading(_("Scorecard spread"))
        story.table(
            [_("Criterion"), _("Lowest"), _("Highest")],
            [
                [key, values["min"] if values else None, values["max"] if values else None]
                for key, values in spread.items()
            ],
            (90, 40, 40),
        )

    story.heading(_("Action items"))
    story.table(
        [_("Action item"), _("Owner"), _("Due"), _("Status")],
        [
            [i["description"], i["owner"], i["due_date"], i["status"]]
            for i in record["action_items"]
        ],
        (85, 30, 25, 30),
    )

    story.heading(_("Audit trail"))
    audit = record["audit"]
    links = [(_("Submission"), audit["submission"])]
    links += [(_("Vote"), link) for link in audit["votes"]]
    links.append((_("Decision"), audit["decision"]))
    story.table(
        [_("Event"), _("Who"), _("Hash")],
        [
            [f"{label} #{link['event']}", link["actor"], link["hash"]]
            for label, link in links
            if link is not None
        ],
        (35, 30, 105),
    )

    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=15 * mm,
        rightMargin=15 * mm,
        topMargin=15 * mm,
        bottomMargin=15 * mm,
        title=f"{_('Gate decision record')} — {project['name']}",
    )
    document.build(story.items)
    return buffer.getvalue()


def _yes_no(value: Any, _: Callable[..., str]) -> Any:
    """Booleans in words, in the reader's language; other answers (scores) as they are."""
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    return value


def _deliverable_text(item: dict[str, Any], _: Callable[..., str]) -> str:
    document = item["document"]
    if document is None:
        return item["url"] or ""
    return _(
        "document %(id)s version %(version)s: %(title)s",
        id=document["id"],
        version=document["version"],
        title=document["title"] or "?",
    )


def _condition_text(condition: dict[str, Any]) -> str:
    due = condition.get("due_date")
    return (
        f"{condition.get('description', '')} ({due})" if due else condition.get("description", "")
    )
