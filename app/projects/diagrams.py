"""A workflow as an accessible SVG drawn by the app (no Graphviz, no JavaScript).

Stages are boxes left to right, each gate a labelled arrow to the next box, the last one to
"completed"; the current stage is highlighted and announced in the description.
"""

from __future__ import annotations

from xml.sax.saxutils import escape

from flask_babel import gettext as _

from workflows import COMPLETED, WorkflowDefinition

BOX_W, BOX_H, GAP, MARGIN = 150, 56, 70, 20


def _box(x: int, label: str, css: str) -> str:
    y = MARGIN + 24
    return (
        f'<g class="{css}"><rect x="{x}" y="{y}" width="{BOX_W}" height="{BOX_H}" rx="8" '
        f'fill="{"#fde68a" if "current" in css else "#ffffff"}" stroke="#1f2937" '
        f'stroke-width="{3 if "current" in css else 1}"/>'
        f'<text x="{x + BOX_W // 2}" y="{y + BOX_H // 2 + 5}" text-anchor="middle" '
        f'font-family="sans-serif" font-size="13">{escape(label[:22])}</text></g>'
    )


def _arrow(x: int, label: str) -> str:
    y = MARGIN + 24 + BOX_H // 2
    return (
        f'<g class="gate"><line x1="{x}" y1="{y}" x2="{x + GAP - 4}" y2="{y}" stroke="#1f2937" '
        f'marker-end="url(#arrow)"/><text x="{x + GAP // 2}" y="{y - 10}" text-anchor="middle" '
        f'font-family="sans-serif" font-size="11">{escape(label)}</text></g>'
    )


def workflow_svg(
    definition: WorkflowDefinition, current: str | None = None, lang: str = "en"
) -> str:
    """The SVG text; `current` is the stage key to highlight."""
    names = [(s.key, s.name.text(lang)) for s in definition.stages] + [(COMPLETED, _("Completed"))]
    width = MARGIN * 2 + len(names) * BOX_W + (len(names) - 1) * GAP
    height = MARGIN * 2 + 24 + BOX_H
    parts = []
    for index, (key, name) in enumerate(names):
        x = MARGIN + index * (BOX_W + GAP)
        parts.append(_box(x, name, "stage current" if key == current else "stage"))
        if index < len(definition.gates):
            parts.append(_arrow(x + BOX_W + 2, f"G{index + 1}"))
    title = escape(definition.name.text(lang))
    stage_names = dict(names)
    gates = "; ".join(
        _(
            "%(gate)s: from %(from)s to %(to)s",
            gate=g.name.text(lang),
            **{"from": stage_names[g.from_stage], "to": stage_names[g.to_stage]},
        )
        for g in definition.gates
    )
    where = (
        " " + _("Current stage: %(stage)s.", stage=stage_names.get(current, current))
        if current
        else ""
    )
    desc = escape(_("Stages left to right, gates as arrows.") + f" {gates}.{where}")
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-labelledby="t d">'
        f'<title id="t">{title} v{definition.version}</title><desc id="d">{desc}</desc>'
        '<defs><marker id="arrow" markerWidth="10" markerHeight="10" refX="8" refY="3" '
        'orient="auto"><path d="M0,0 L8,3 L0,6 z" fill="#1f2937"/></marker></defs>'
        + "".join(parts)
        + "</svg>"
    )
