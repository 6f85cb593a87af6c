"""The targets drawn as inline SVG, on the server: a bar for each figure against its goal (a period's cap, or a
share's floor), the pace's projection where there is one. Plain markup; no script, no style attribute (the
pages' CSP forbids inline styles), colours by class from the stylesheet."""

from __future__ import annotations

from markupsafe import Markup, escape

from bot.core.targets import CapLine, Line

WIDTH, HEIGHT, BAR = 300, 30, 14
TOP = (HEIGHT - BAR) / 2


def _x(value: float, scale: float) -> float:
    return round(min(max(value / scale, 0.0), 1.0) * WIDTH, 1)


def _mark_at(kind: str, x: float, inset: int) -> str:
    """A vertical line across the bar: the goal (solid) or the projection (dashed, by class)."""
    ends = f'x1="{x}" x2="{x}" y1="{inset}" y2="{HEIGHT - inset}"'
    return f'<line class="{kind}" {ends} vector-effect="non-scaling-stroke"/>'


def figure_bar(line: Line, title: str) -> Markup:
    """One target: the figure's bar coloured by its mark, a line at the goal, a dashed one at the projection."""
    if isinstance(line, CapLine):
        goal = float(line.period_cap) if line.period_cap is not None else None
        pace = float(line.projected) if line.projected is not None else None
        scale = max(line.count, goal or 0, pace or 0) * 1.15 or 1.0
        value = float(line.count)
    else:
        goal, pace, scale = line.floor, None, 1.0
        value = float(line.share) if line.share is not None else 0.0
    label = escape(title)
    parts = [
        f'<svg class="bar" viewBox="0 0 {WIDTH} {HEIGHT}" preserveAspectRatio="none" role="img" aria-label="{label}">',
        f"<title>{label}</title>",
        f'<rect class="track" x="0" y="{TOP}" width="{WIDTH}" height="{BAR}" rx="3"/>',
        f'<rect class="fill {line.mark}" x="0" y="{TOP}" width="{_x(value, scale)}" height="{BAR}" rx="3"/>',
    ]
    if pace is not None:
        parts.append(_mark_at("pace", _x(pace, scale), 2))
    if goal is not None:
        parts.append(_mark_at("goal", _x(goal, scale), 0))
    parts.append("</svg>")
    return Markup("".join(parts))
