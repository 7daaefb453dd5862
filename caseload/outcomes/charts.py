"""Chart geometry for inline SVG drawn on the server (the network is closed: no JavaScript chart
libraries). Python computes coordinates; templates/outcomes/_charts.html draws them."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

WIDTH, HEIGHT = 720, 240
LEFT, RIGHT, TOP, BOTTOM = 44, 12, 12, 34
MAX_X_LABELS = 13


@dataclass(slots=True)
class Mark:
    x: float
    y: float
    value: float | int | None
    label: str
    width: float = 0
    height: float = 0


@dataclass
class Chart:
    key: str
    title: str
    width: int = WIDTH
    height: int = HEIGHT
    bars: list[Mark] = field(default_factory=list)
    points: list[Mark] = field(default_factory=list)
    line: str = ""          # polyline points of the measure (gaps where there is no value)
    norm: str = ""          # polyline points of the norm
    norm_marks: list[Mark] = field(default_factory=list)
    y_ticks: list[tuple[float, str]] = field(default_factory=list)
    x_labels: list[tuple[float, str]] = field(default_factory=list)
    baseline: float = 0
    left: int = LEFT
    right_edge: int = WIDTH - RIGHT


def nice_ceiling(value: float) -> float:
    """A round upper bound for the y axis (1, 2, 2.5, 5 or 10 times a power of ten)."""
    if value <= 0:
        return 1
    power = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * power:
            return step * power
    return 10 * power


def build_chart(key: str, title: str, labels: list[str], *, bars=None, line=None, norm=None,
                y_max: float | None = None, texts=None) -> Chart:
    """Bars and/or a line over evenly spaced categories, with an optional norm drawn as a step
    line (the norm holds for the whole week). Without y_max the axis fits whole-number ticks."""
    chart = Chart(key=key, title=title)
    n = max(len(labels), 1)
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    values = [v for series in (bars, line, norm) if series for v in series if v is not None]
    top = y_max if y_max is not None else 4 * max(1, math.ceil(
        nice_ceiling(max(values, default=0) * 1.1 / 4)))
    slot = plot_w / n
    chart.baseline = TOP + plot_h

    def y_of(value):
        return round(TOP + plot_h - plot_h * min(value, top) / top, 1)

    def x_of(i):
        return round(LEFT + slot * i + slot / 2, 1)

    for i, value in enumerate(bars or []):
        if value is not None:
            y = y_of(value)
            chart.bars.append(Mark(round(LEFT + slot * i + slot * 0.15, 1), y, value, labels[i],
                                   width=round(slot * 0.7, 1), height=round(chart.baseline - y, 1)))
    segments, current = [], []
    for i, value in enumerate(line or []):
        if value is None:
            if current:
                segments.append(current)
            current = []
            continue
        mark = Mark(x_of(i), y_of(value), value, labels[i])
        chart.points.append(mark)
        current.append(f"{mark.x},{mark.y}")
    if current:
        segments.append(current)
    # Several polylines would be needed for gaps; an "M" path keeps it to one element.
    chart.line = " ".join("M" + " L".join(segment) for segment in segments)
    if norm:
        chart.norm_marks = [Mark(x_of(i), y_of(v), v, labels[i]) for i, v in enumerate(norm)]
        steps = [f"M{LEFT},{chart.norm_marks[0].y}"]
        for i, mark in enumerate(chart.norm_marks):
            steps.append(f"V{mark.y} H{round(LEFT + slot * (i + 1), 1)}")
        chart.norm = " ".join(steps)
    if texts is None:
        from caseload.outcomes.texts import NumberTexts
        texts = NumberTexts()
    # An axis label in the reader's locale (2,5 in Dutch), as caseload.numbers.decimal writes it.
    chart.y_ticks = [(y_of(top * f), texts.decimal(top * f)) for f in (0, 0.25, 0.5, 0.75, 1)]
    every = max(1, math.ceil(n / MAX_X_LABELS))
    chart.x_labels = [(x_of(i), label) for i, label in enumerate(labels) if i % every == 0]
    return chart

