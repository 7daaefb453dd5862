"""The signals review's open rows, as templates/review/signals.html's row loop wrote them,
built as plain strings.

A row is five cells and an acknowledge form, the same labels and form tail on every row.
Through Jinja each row cost some twenty outputs (each escaped and joined); a page has 50.
Here the labels, the form's fixed parts and each norm's title and remedy are made once per
page and each row is one string; every value from the database (codes, names, the details
with their facts) is escaped as Jinja's autoescape did, and the translated labels are written
as they are, as the template's gettext (newstyle) wrote them. tests/test_review_rows.py checks
the markup against the template's loop."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from flask import url_for
from markupsafe import Markup, escape

from caseload.signal_texts import facts_key
from caseload.translating import catalogue

_MARK = 987654321  # an id no row has: where link() puts each row's id


def link(endpoint: str, id_name: str) -> tuple[str, str]:
    """A row's address from one url_for, as the markup around the row's id (its head and
    tail, escaped once; with the id between them, the address url_for gives)."""
    head, tail = url_for(endpoint, **{id_name: _MARK}).split(str(_MARK))
    return str(escape(head)), str(escape(tail))


@dataclass(frozen=True)
class Refused:
    """A row whose acknowledgement was refused: what was typed and why, shown at its note."""

    signal_id: int
    note: str
    message: str


@dataclass(frozen=True)
class RowParts:
    """What every row of one page shares."""

    day: Callable            # a date's text (dates.day, kept per date)
    texts: dict              # norm -> (title, remedy)
    details: Callable        # (norm, facts) -> the details' text
    client_link: tuple       # link("clients.show", "client_id")
    ack_link: tuple          # link("review.acknowledge", "signal_id")
    csrf_field: str          # the forms' CSRF field (markup)
    here: str                # the address the forms return to (request.full_path)
    note_length: int
    refused: Refused | None = None  # the row shown again with its note and message


def open_rows(signals, parts: RowParts) -> Markup:
    """The rows of the open signals (rows of review/queries.open_signals_page), in order."""
    translations = catalogue()
    label = translations.ugettext
    l_ack, l_note = label("Acknowledge"), label("Note")
    ack_tail = (f'{parts.csrf_field}<input type="hidden" name="next" value="{escape(parts.here)}">\n'
                f'      <input name="note" maxlength="{parts.note_length}" required '
                f'placeholder="{l_note}" aria-label="{l_note}">\n'
                f'      <button type="submit" class="secondary">{l_ack}</button>\n'
                '    </form>\n  </td>\n</tr>')
    refused = parts.refused
    refused_tail = ""
    if refused is not None:
        # as macros.field writes a field with an error: marked, described by its message
        note_id = f"note-{int(refused.signal_id)}"
        refused_tail = (
            f'{parts.csrf_field}<input type="hidden" name="next" value="{escape(parts.here)}">\n'
            f'      <div class="field has-error"><input name="note" id="{note_id}" '
            f'maxlength="{parts.note_length}" required placeholder="{l_note}" '
            f'aria-label="{l_note}" aria-invalid="true" aria-describedby="{note_id}-error" '
            f'value="{escape(refused.note)}">\n'
            f'      <p class="error" id="{note_id}-error">{escape(refused.message)}</p></div>\n'
            f'      <button type="submit" class="secondary">{l_ack}</button>\n'
            '    </form>\n  </td>\n</tr>')
    td_since = f'">\n  <td data-label="{label("Since")}">'
    td_norm = f'</td>\n  \n  <td data-label="{label("Norm")}">'
    td_concerns = f'</td>\n  <td data-label="{label("Concerns")}">'
    td_details = f'</td>\n  <td data-label="{label("Details")}">'
    td_ack = (f'</small></td>\n  <td data-label="{l_ack}">\n'
              '    <form method="post" action="')
    texts = {norm: (escape(title), escape(remedy)) for norm, (title, remedy) in parts.texts.items()}
    client_head, client_tail = parts.client_link
    ack_head, ack_tail_ = parts.ack_link
    days: dict = {}
    details: dict = {}  # the escaped details per norm and facts' JSON, made once
    out = []
    for s in signals:
        title, remedy = texts[s.norm]
        since = days.get(s.anchor)
        if since is None:
            since = days[s.anchor] = escape(parts.day(s.anchor))
        said = _details(details, parts.details, s.norm, s.facts)
        concerns = ""
        if s.client_id is not None:
            concerns = (f'<a href="{client_head}{int(s.client_id)}{client_tail}">'
                        f'{escape(s.client_code)}</a>')
        if s.worker_name is not None:
            concerns += f" {escape(s.worker_name)}"
        if s.norm == "employer_contacts_weekly":
            week = _week(s.facts)
            if week:
                address = url_for("dailylog.week", worker_id=s.worker_id, week=week)
                concerns += f' · <a href="{escape(address)}">{escape(week)}</a>'
        signal_id = int(s.id)
        tail = refused_tail if refused is not None and signal_id == refused.signal_id else ack_tail
        out.append(f'\n<tr data-signal="{signal_id}{td_since}{since}{td_norm}{title}'
                   f'{td_concerns}{concerns}{td_details}{said}<br><small class="meta">{remedy}'
                   f'{td_ack}{ack_head}{signal_id}{ack_tail_}" class="ack">\n      {tail}\n')
    return Markup("".join(out))


def _details(made: dict, details: Callable, norm: str, facts):
    """The escaped details of a norm's facts, made once per page for the same facts."""
    key = facts_key(norm, facts)
    said = made.get(key)
    if said is None:
        said = made[key] = escape(details(norm, facts))
    return said


def _week(facts):
    """`s.facts.week` as the template read it: the facts' week, if any."""
    return facts.get("week") if isinstance(facts, dict) else getattr(facts, "week", None)
