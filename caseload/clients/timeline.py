"""The client page's timeline: a page of contacts as the template's row loop wrote them (a
dozen Jinja expressions, a `may_correct` call and a history test per row), in Python."""

from __future__ import annotations

from flask import current_app, url_for
from flask_login import current_user
from markupsafe import Markup, escape

from caseload.dates import day
from caseload.translating import gettext as _


def history_html(history: dict, record_type: str, record_id: int, describe) -> str:
    """The history_of macro of clients/show.html: the record's kept versions."""
    return current_app.jinja_env.get_template("corrections/_history.html").render(
        versions=history[(record_type, record_id)], record_type=record_type,
        record_id=record_id, describe=describe)


def contact_rows(contacts, vocab, history: dict, describe) -> Markup:
    """The rows of contacts.ContactPage.contacts (or the line saying there are none)."""
    if not contacts:
        return Markup(f"<li>{_('No contacts logged yet.')}</li>")
    # Who may correct a contact: records.may_correct (its recorder, or a coordinator).
    coordinator, user_id = current_user.is_coordinator, current_user.id
    edit = url_for("corrections.edit", record_type="contact", record_id=0).rsplit("/0/", 1)
    minutes, correct = _("min"), _("Correct")
    kinds, modes, places = vocab.CONTACT_KINDS, vocab.CONTACT_MODES, vocab.PLACES
    rows = []
    for c in contacts:
        employer = f": {escape(c.employer_name)}" if c.employer_id is not None else ""
        note = f'<span class="note">{escape(c.note)}</span>' if c.note else ""
        link = (f'<a href="{escape(edit[0])}/{c.id}/{escape(edit[1])}">{correct}</a>'
                if coordinator or user_id == c.worker_id else "")
        kept = (history_html(history, "contact", c.id, describe)
                if ("contact", c.id) in history else "")
        what = (f"{kinds.get(c.kind, '')}{employer} · {modes.get(c.mode, '')} · "
                f"{places.get(c.place, '')} · {escape(c.minutes)} {minutes}")
        rows.append(
            f'\n    <li class="contact kind-{escape(c.kind)}" id="contact-{c.id}">\n'
            f'      <span class="when">{escape(day(c.contact_date))}</span>\n'
            f'      <span class="what">{what}</span>\n'
            f'      <span class="who">{escape(c.worker_name)}</span>\n'
            f"      {note}\n      {link}\n      {kept}\n    </li>\n  ")
    return Markup("".join(rows))
