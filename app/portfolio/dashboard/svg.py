"""Accessible bar charts rendered on the server as SVG.

No JavaScript and nothing from a CDN: the dashboard embeds these SVG fragments. Each
chart has a ``<title>`` and ``<desc>`` (read by screen readers), writes every value as
text beside its bar, and fills each series with a pattern as well as a colour so the
chart still reads in black and white or for colour-blind people. Only SVG presentation
attributes are used, never ``style``, so the pages' Content-Security-Policy holds.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import count

from markupsafe import Markup, escape

from app.formats import number

# (colour, pattern) pairs; patterns are drawn over the colour in white.
PALETTE: tuple[tuple[str, str], ...] = (
    ("#1e7a3d", "solid"),
    ("#0b5cad", "diagonal"),
    ("#8a5a00", "dots"),
    ("#6b3fa0", "cross"),
    ("#b3261e", "horizontal"),
    ("#4a5568", "vertical"),
)

ROW_HEIGHT = 28
LABEL_WIDTH = 170
VALUE_WIDTH = 70
PLOT_WIDTH = 420
LEGEND_ROW = 22

_chart_ids = count(1)


@dataclass(frozen=True)
class Series:
    """One named set of values, one per category."""

    name: str
    values: Sequence[float]


def _pattern(pattern_id: str, colour: str, kind: str) -> str:
    marks = {
        "solid": "",
        "diagonal": '<path d="M0,8 L8,0" stroke="#fff" stroke-width="2"/>',
        "dots": '<circle cx="4" cy="4" r="1.6" fill="#fff"/>',
        "cross": '<path d="M0,4 H8 M4,0 V8" stroke="#fff" stroke-width="1.5"/>',
        "horizontal": '<path d="M0,4 H8" stroke="#fff" stroke-width="2"/>',
        "vertical": '<path d="M4,0 V8" stroke="#fff" stroke-width="2"/>',
    }[kind]
    return (
        f'<pattern id="{pattern_id}" width="8" height="8" patternUnits="userSpaceOnUse">'
        f'<rect width="8" height="8" fill="{colour}"/>{marks}</pattern>'
    )


def _format(value: float, unit: str) -> str:
    return f"{number(value, 0 if float(value).is_integer() else 1)}{unit}"


def bar_chart(
    title: str,
    categories: Sequence[str],
    series: Sequence[Series],
    *,
    stacked: bool = False,
    unit: str = "",
    description: str = "",
) -> Markup:
    """Horizontal bars, one row per category; several series side by side or stacked."""
    chart_id = f"chart{next(_chart_ids)}"
    if stacked:
        totals = [sum(s.values[i] for s in series) for i in range(len(categories))]
        scale_max = max(totals, default=0)
        rows_per_category = 1
    else:
        scale_max = max((v for s in series for v in s.values), default=0)
        rows_per_category = len(series)
    scale = PLOT_WIDTH / scale_max if scale_max > 0 else 0
    band = ROW_HEIGHT * rows_per_category + 8
    legend_height = LEGEND_ROW * len(series) if len(series) > 1 else 0
    height = 10 + band * len(categories) + legend_height + 10
    width = LABEL_WIDTH + PLOT_WIDTH + VALUE_WIDTH
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" class="chart" '
        'font-family="system-ui, sans-serif" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(description or _describe(categories, series, unit))}'
        "</desc><defs>",
    ]
    fills = []
    for index in range(len(series)):
        colour, kind = PALETTE[index % len(PALETTE)]
        pattern_id = f"{chart_id}-p{index}"
        parts.append(_pattern(pattern_id, colour, kind))
        fills.append(f"url(#{pattern_id})")
    parts.append("</defs>")
    y = 10
    for category_index, category in enumerate(categories):
        parts.append(
            f'<text x="{LABEL_WIDTH - 8}" y="{y + ROW_HEIGHT / 2 + 4}" text-anchor="end" '
            f'font-size="13" fill="#1d2433">{escape(category)}</text>'
        )
        x = LABEL_WIDTH
        for series_index, one in enumerate(series):
            value = one.values[category_index]
            bar_y = y if stacked else y + series_index * ROW_HEIGHT
            bar_width = max(value * scale, 0)
            label = f"{category}, {one.name}: {_format(value, unit)}"
            parts.append(
                f'<rect x="{x:.1f}" y="{bar_y + 3}" width="{bar_width:.1f}" '
                f'height="{ROW_HEIGHT - 6}" fill="{fills[series_index]}" stroke="#1d2433" '
                f'stroke-width="0.5"><title>{escape(label)}</title></rect>'
            )
            if not stacked:
                parts.append(_value_text(LABEL_WIDTH + bar_width + 6, bar_y, value, unit))
            else:
                x += bar_width
        if stacked:
            parts.append(_value_text(x + 6, y, sum(s.values[category_index] for s in series), unit))
        y += band
    if len(series) > 1:
        for index, one in enumerate(series):
            legend_y = y + index * LEGEND_ROW
            parts.append(
                f'<rect x="{LABEL_WIDTH}" y="{legend_y + 4}" width="16" height="14" '
                f'fill="{fills[index]}" stroke="#1d2433" stroke-width="0.5"/>'
                f'<text x="{LABEL_WIDTH + 22}" y="{legend_y + 16}" font-size="13" '
                f'fill="#1d2433">{escape(one.name)}</text>'
            )
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 - every text above is escaped


def _value_text(x: float, y: float, value: float, unit: str) -> str:
    return (
        f'<text x="{x:.1f}" y="{y + ROW_HEIGHT / 2 + 4}" font-size="12" '
        f'fill="#1d2433">{escape(_format(value, unit))}</text>'
    )


def _describe(categories: Sequence[str], series: Sequence[Series], unit: str) -> str:
    """The chart's data as one sentence, for screen readers."""
    rows = []
    for index, category in enumerate(categories):
        values = ", ".join(f"{s.name} {_format(s.values[index], unit)}" for s in series)
        rows.append(f"{category}: {values}")
    return "; ".join(rows)
