"""The outcomes page's repeated markup, written in Python: the tables' rows and the charts'
marks (~460 cells and ~300 SVG elements). As Jinja loops they cost a call, an attribute look-up
and an escape per value, about a third of the page's CPU (bench/README.md, "Page cost:
outcomes (helper L)"). The markup is the same character for character as the loops wrote
(templates/outcomes/_macros.html keeps the rest of each table and chart): every value is
escaped as Jinja's autoescape does (markupsafe.escape, which takes a lazy label's __html__)
and numbers are written with str(), as Jinja writes them."""

from __future__ import annotations

from functools import lru_cache, partial

from markupsafe import Markup, escape

from caseload.lazy_text import html
from caseload.outcomes.tables import raw
from caseload.outcomes.texts import NumberTexts

# A label as Jinja writes it: a lazy label (tables.py) translated through the request's
# catalogue and written as it is, anything else escaped (~150 labels a page).
label_markup = html


@lru_cache(maxsize=8192, typed=True)
def _cell_markup(locale: str, value) -> str:
    """A cell's markup, written once per process, locale and distinct value (and type: 1, 1.0
    and True), as NumberTexts (a pure function of them, bounded like texts._formatted)."""
    return (f'<td class="num" data-value="{escape(raw(value))}">'
            f"{escape(NumberTexts(locale).cell(value))}</td>")


class OutcomeMarkup:
    """For one rendering (one request, one locale): numbers through the page's NumberTexts."""

    def __init__(self, texts: NumberTexts):
        self.texts = texts
        self._cell = partial(_cell_markup, texts.locale)

    @staticmethod
    def label(value) -> Markup:
        return label_markup(value)

    @staticmethod
    def column_headers(table) -> Markup:
        return Markup("".join(f'<th scope="col" class="num">{label_markup(column)}</th>'
                              for column in table.columns))

    def rows(self, table) -> Markup:
        """A table's body rows, each followed by the template's line break and indent."""
        cell = self._cell
        parts = []
        for row in table.rows:
            parts.append(f'<tr data-key="{escape(row.key)}"><th scope="row">'
                         f"{label_markup(row.label)}</th>")
            parts.extend(map(cell, row.values))
            parts.append("</tr>\n    ")
        return Markup("".join(parts))

    @staticmethod
    def ticks(chart) -> Markup:
        left, right, text_x = chart.left, chart.right_edge, chart.left - 6
        return Markup("".join(
            f'<line x1="{left}" x2="{right}" y1="{y}" y2="{y}" stroke="#d9dee4" '
            f'stroke-width="1"/><text x="{text_x}" y="{y + 4}" text-anchor="end" font-size="11" '
            f'fill="#5b6775">{escape(label)}</text>\n    ' for y, label in chart.y_ticks))

    def bars(self, chart) -> Markup:
        decimal = self.texts.decimal
        parts = []
        for bar in chart.bars:
            label = escape(bar.label)
            parts.append(
                f'<rect x="{bar.x}" y="{bar.y}" width="{bar.width}" height="{bar.height}" '
                f'fill="#0b6e4f" opacity="0.85" data-label="{label}" '
                f'data-value="{escape(raw(bar.value))}"><title>{label}: '
                f"{escape(decimal(bar.value))}</title></rect>\n    ")
        return Markup("".join(parts))

    def points(self, chart) -> Markup:
        one_decimal = self.texts.one_decimal
        parts = []
        for point in chart.points:
            label = escape(point.label)
            parts.append(
                f'<circle cx="{point.x}" cy="{point.y}" r="3.5" fill="#0b6e4f" '
                f'data-label="{label}" data-value="{escape(raw(point.value))}"><title>{label}: '
                f"{escape(one_decimal(point.value))}</title></circle>\n    ")
        return Markup("".join(parts))

    @staticmethod
    def norm_marks(chart, norm_word) -> Markup:
        word = escape(norm_word)
        parts = []
        for mark in chart.norm_marks:
            label = escape(mark.label)
            parts.append(
                f'<circle cx="{mark.x}" cy="{mark.y}" r="6" fill="transparent" '
                f'data-norm="{escape(raw(mark.value))}" data-label="{label}"><title>{label}: '
                f"{word} {escape(mark.value)}</title></circle>")
        return Markup("".join(parts))

    @staticmethod
    def x_labels(chart, short_labels) -> Markup:
        y = chart.height - 12
        return Markup("".join(
            f'<text x="{x}" y="{y}" text-anchor="middle" font-size="11" fill="#5b6775">'
            f"{escape(label[5:] if short_labels else label)}</text>\n    "
            for x, label in chart.x_labels))
