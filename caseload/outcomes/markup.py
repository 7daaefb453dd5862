"""The outcomes page's tables and charts, written in Python: each table (caption, header, rows)
and each chart (frame and marks), ~460 cells and ~300 SVG elements. As Jinja loops they cost
a call, an attribute look-up and an escape per value, about a third of the page's CPU
(bench/README.md, "Page cost: outcomes (helper L)"), and the tables' and charts' macros
around them ~140 `Context.call`s more (bench/README.md, "Page cost: the outcomes page, sixth
pass (helper o)"). The markup is the same character for character as the Jinja macros wrote
(tests/test_outcome_markup.py renders both): every value is escaped as Jinja's autoescape
does (markupsafe.escape, which takes a lazy label's __html__), numbers are written with
str(), as Jinja writes them, and the template texts are written unescaped, as the template's
`_()` marks them safe."""

from __future__ import annotations

from functools import lru_cache, partial

from markupsafe import Markup, escape

from caseload.lazy_text import _plain_lazy, html
from caseload.outcomes.tables import raw
from caseload.outcomes.texts import NumberTexts
from caseload.translating import catalogue

# A label as Jinja writes it: a lazy label (tables.py) translated through the request's
# catalogue and written as it is, anything else escaped (~150 labels a page).
label_markup = html


@lru_cache(maxsize=8192, typed=True)
def _cell_markup(locale: str, value) -> str:
    """A cell's markup, written once per process, locale and distinct value (and type: 1, 1.0
    and True), as NumberTexts (a pure function of them, bounded like texts._formatted)."""
    return (f'<td class="num" data-value="{escape(raw(value))}">'
            f"{escape(NumberTexts(locale).cell(value))}</td>")


@lru_cache(maxsize=8192, typed=True)
def _bar_markup(locale: str, x, y, width, height, label, value) -> str:
    """A bar's markup, written once per process, locale and distinct bar (as _cell_markup)."""
    label = escape(label)
    return (f'<rect x="{x}" y="{y}" width="{width}" height="{height}" '
            f'fill="#0b6e4f" opacity="0.85" data-label="{label}" '
            f'data-value="{escape(raw(value))}"><title>{label}: '
            f"{escape(NumberTexts(locale).decimal(value))}</title></rect>\n    ")


@lru_cache(maxsize=8192, typed=True)
def _point_markup(locale: str, x, y, label, value) -> str:
    """A point's markup, written once per process, locale and distinct point."""
    label = escape(label)
    return (f'<circle cx="{x}" cy="{y}" r="3.5" fill="#0b6e4f" '
            f'data-label="{label}" data-value="{escape(raw(value))}"><title>{label}: '
            f"{escape(NumberTexts(locale).one_decimal(value))}</title></circle>\n    ")


@lru_cache(maxsize=8192, typed=True)
def _norm_mark_markup(word: str, x, y, label, value) -> str:
    """A norm mark's markup, written once per process, norm word and distinct mark."""
    label = escape(label)
    return (f'<circle cx="{x}" cy="{y}" r="6" fill="transparent" '
            f'data-norm="{escape(raw(value))}" data-label="{label}"><title>{label}: '
            f"{word} {escape(value)}</title></circle>")


def template_text(string: str) -> Markup:
    """`_(string)` as the template writes it (translating._template_gettext without variables:
    the translation marked safe, %-formatted where it holds a "%")."""
    text = Markup(catalogue().ugettext(string))
    return text % {} if "%" in text else text


def _item(thing, name):
    """`thing.name` as Jinja looks it up: the attribute, else the item (a dict)."""
    return thing[name] if isinstance(thing, dict) else getattr(thing, name)


@lru_cache(maxsize=8192)
def _row_head(key: str, label: str) -> str:
    """A body row's opening and header cell, label already markup (as _cell_markup, a pure
    function of its arguments)."""
    return f'<tr data-key="{escape(key)}"><th scope="row">{label}</th>'


class OutcomeMarkup:
    """For one rendering (one request, one locale): numbers through the page's NumberTexts,
    lazy labels through the request's catalogue, found once."""

    def __init__(self, texts: NumberTexts):
        self.texts = texts
        self._cell = partial(_cell_markup, texts.locale)
        self._catalogue = None

    def _label_text(self, value) -> str:
        """label_markup(value) as a str: a plain lazy label's translation as it is, anything
        else escaped (one catalogue look-up a rendering, not one a label)."""
        if _plain_lazy(value):
            if self._catalogue is None:
                self._catalogue = catalogue()
            return self._catalogue.ugettext(value._args[0])
        return str(escape(value))

    @staticmethod
    def label(value) -> Markup:
        return label_markup(value)

    def column_headers(self, table) -> Markup:
        label = self._label_text
        return Markup("".join([f'<th scope="col" class="num">{label(column)}</th>'
                               for column in table.columns]))

    def rows(self, table) -> Markup:
        """A table's body rows, each followed by the template's line break and indent."""
        cell, label = self._cell, self._label_text
        parts = []
        for row in table.rows:
            parts.append(_row_head(row.key, label(row.label)))
            parts.extend(map(cell, row.values))
            parts.append("</tr>\n    ")
        return Markup("".join(parts))

    def table(self, table, csv_url) -> Markup:
        """A table's card: title, CSV link, header and rows (the former outcome_table macro)."""
        key = escape(table.key)
        if table.rows:
            body = self.rows(table)
        else:
            body = (f'<tr><td colspan="{len(table.columns) + 1}">'
                    f"{template_text('No data in this period.')}</td></tr>")
        return Markup(
            f'<section class="card" id="table-{key}">\n'
            f'  <div class="heading"><h2>{self._label_text(table.title)}</h2>\n'
            f'    <a class="button secondary" href="{escape(csv_url)}" data-download="csv" '
            f'data-table="{key}">{template_text("CSV")}</a></div>\n'
            f'  <div class="table-wrap" tabindex="0"><table data-table="{key}">\n'
            f'    <thead><tr><th scope="col">{self._label_text(table.row_header)}</th>'
            f"{self.column_headers(table)}</tr></thead>\n"
            f"    <tbody>\n"
            f"    {body}\n"
            f"    </tbody>\n"
            f"  </table></div>\n"
            f"</section>")

    def chart(self, chart, team, short_labels=False) -> Markup:
        """A chart's figure: caption, axis, marks and legend (the former chart_svg macro);
        team a Team or a dict of id and name."""
        title, team_name = escape(chart.title), escape(_item(team, "name"))
        parts = [
            f'<figure class="card chart" data-chart="{escape(chart.key)}" '
            f'data-team="{escape(_item(team, "id"))}">\n'
            f"  <figcaption><strong>{title}</strong> · {team_name}</figcaption>\n"
            f'  <svg viewBox="0 0 {escape(chart.width)} {escape(chart.height)}" width="100%" '
            f'role="img" aria-label="{title}, {team_name}" xmlns="http://www.w3.org/2000/svg" '
            f'font-family="system-ui, sans-serif">\n'
            f"    {self.ticks(chart)}\n"
            f"    {self.bars(chart)}\n    "]
        if chart.line:
            parts.append(f'<path d="{escape(chart.line)}" fill="none" stroke="#0b6e4f" '
                         f'stroke-width="2" data-series="value"/>')
        parts.append(f"\n    {self.points(chart)}\n    ")
        if chart.norm:
            parts.append(f'<path d="{escape(chart.norm)}" fill="none" stroke="#b3261e" '
                         f'stroke-width="2" stroke-dasharray="6 4" data-series="norm"/>\n'
                         f"    {self.norm_marks(chart, template_text('norm'))}")
        parts.append(f"\n    {self.x_labels(chart, short_labels)}\n    ")
        if not chart.bars and not chart.points:
            parts.append(f'<text x="{escape(chart.width / 2)}" y="{escape(chart.height / 2)}" '
                         f'text-anchor="middle" font-size="13" fill="#5b6775">'
                         f"{template_text('No data in this period.')}</text>")
        parts.append("\n  </svg>\n  ")
        if chart.norm:
            parts.append(f'<p class="meta"><span class="legend-value">■</span> '
                         f"{template_text('contacts')} · "
                         f'<span class="legend-norm">- -</span> '
                         f"""{template_text("norm (sum of the workers' weekly norms)")}</p>""")
        parts.append("\n</figure>")
        return Markup("".join(parts))

    @staticmethod
    def ticks(chart) -> Markup:
        left, right, text_x = chart.left, chart.right_edge, chart.left - 6
        return Markup("".join(
            f'<line x1="{left}" x2="{right}" y1="{y}" y2="{y}" stroke="#d9dee4" '
            f'stroke-width="1"/><text x="{text_x}" y="{y + 4}" text-anchor="end" font-size="11" '
            f'fill="#5b6775">{escape(label)}</text>\n    ' for y, label in chart.y_ticks))

    def bars(self, chart) -> Markup:
        locale = self.texts.locale
        return Markup("".join([_bar_markup(locale, bar.x, bar.y, bar.width, bar.height,
                                           bar.label, bar.value) for bar in chart.bars]))

    def points(self, chart) -> Markup:
        locale = self.texts.locale
        return Markup("".join([_point_markup(locale, point.x, point.y, point.label, point.value)
                               for point in chart.points]))

    @staticmethod
    def norm_marks(chart, norm_word) -> Markup:
        word = str(escape(norm_word))
        return Markup("".join([_norm_mark_markup(word, mark.x, mark.y, mark.label, mark.value)
                               for mark in chart.norm_marks]))

    @staticmethod
    def x_labels(chart, short_labels) -> Markup:
        y = chart.height - 12
        return Markup("".join(
            f'<text x="{x}" y="{y}" text-anchor="middle" font-size="11" fill="#5b6775">'
            f"{escape(label[5:] if short_labels else label)}</text>\n    "
            for x, label in chart.x_labels))
