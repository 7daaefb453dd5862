"""Reading rendered pages in tests without depending on translated text: field errors by the
markup of macros.field, typed values by input ids, table cells by position."""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser


def field_has_error(page: str, field_id: str) -> bool:
    """The field is wrapped in `div.field.has-error` and carries its `<id>-error` message."""
    wrapper = re.search(
        r'<div class="field[^"]*\bhas-error\b[^"]*">(?:(?!<div class="field).)*?'
        rf'\bid="{re.escape(field_id)}"', page, re.DOTALL)
    return bool(wrapper) and f'id="{field_id}-error"' in page


def error_field_ids(page: str) -> set[str]:
    return set(re.findall(r'<p class="error" id="([^"]+)-error"', page))


def input_value(page: str, field_id: str) -> str | None:
    tag = re.search(rf'<input[^>]*\bid="{re.escape(field_id)}"[^>]*>', page)
    if not tag:
        return None
    value = re.search(r'\bvalue="([^"]*)"', tag.group(0))
    return html.unescape(value.group(1)) if value else ""


def selected_value(page: str, select_id: str) -> str | None:
    select = re.search(rf'<select[^>]*\bid="{re.escape(select_id)}"[^>]*>(.*?)</select>', page, re.DOTALL)
    if not select:
        return None
    chosen = re.search(r'<option selected value="([^"]*)"', select.group(1))
    return html.unescape(chosen.group(1)) if chosen else None


def option_values(page: str, select_id: str) -> list[str]:
    select = re.search(rf'<select[^>]*\bid="{re.escape(select_id)}"[^>]*>(.*?)</select>', page, re.DOTALL)
    assert select, f"no select #{select_id}"
    return [html.unescape(v) for v in re.findall(r'<option[^>]*value="([^"]*)"', select.group(1))]


class _TableParser(HTMLParser):
    def __init__(self, table_class: str):
        super().__init__()
        self.table_class = table_class
        self.in_table = self.in_body = False
        self.rows: list[list[str]] = []
        self.cell: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "table" and self.table_class in (attrs.get("class") or "").split():
            self.in_table = True
        elif self.in_table and tag == "tbody":
            self.in_body = True
        elif self.in_body and tag == "tr":
            self.rows.append([])
        elif self.in_body and tag == "td":
            self.cell = []

    def handle_endtag(self, tag):
        if tag == "td" and self.cell is not None:
            self.rows[-1].append(" ".join("".join(self.cell).split()))
            self.cell = None
        elif tag == "tbody":
            self.in_body = False
        elif tag == "table":
            self.in_table = False

    def handle_data(self, data):
        if self.cell is not None:
            self.cell.append(data)


def table_rows(page: str, table_class: str) -> list[list[str]]:
    """The text of every body cell of the first table with the given class, row by row."""
    parser = _TableParser(table_class)
    parser.feed(page)
    return parser.rows


def label(app, vocabulary: dict, token: str, locale: str = "nl") -> str:
    """The label a page in `locale` shows for a vocabulary token, whatever its translation is."""
    from flask_babel import force_locale
    with app.test_request_context(), force_locale(locale):
        return str(vocabulary[token])


def datalist_values(page: str, list_id: str) -> list[str]:
    """The values of a `<datalist>`'s options, in order."""
    found = re.search(rf'<datalist[^>]*\bid="{re.escape(list_id)}"[^>]*>(.*?)</datalist>', page,
                      re.DOTALL)
    assert found, f"no datalist #{list_id}"
    return [html.unescape(v) for v in re.findall(r'<option[^>]*value="([^"]*)"', found.group(1))]
