"""The contacts a worker logged on the day the daily log shows, listed under the form.

A worker logs tens of contacts a day and the page is shown after every save, so the list is
one statement of columns (no Contact, Client and Employer objects), built once per process;
each label is translated and escaped once per page, each link built once, and each line's
markup written here in one string (through Jinja, its dozen values per line cost more than the
statement)."""

from __future__ import annotations

import functools
from datetime import date
from typing import NamedTuple

from flask import url_for
from markupsafe import Markup, escape
from sqlalchemy import Date, bindparam, exists, select

from caseload.models import Client, Contact, Employer, vocab
from caseload.models.corrections import RecordVersion
from caseload.scope import contacts_of
from caseload.translating import gettext as _

# An id no record has, put into a URL to find where the id goes.
_ID_MARK = 987654321987


class LoggedContact(NamedTuple):
    id: int
    client_id: int | None  # the client whose code the line shows (None: a general contact)
    corrected: bool      # has kept versions (corrections.records.history_of_records)
    html: Markup         # the line as the page shows it, without its history: the labels
    # translated, the client's code linked (none for a general contact),
    # the employer's name, and the link to correct it


def _url_parts(endpoint: str, **values) -> tuple[str, str]:
    """url_for(endpoint, <id>, **values) built once, as the escaped text before and after the
    id: an id's digits need no escaping, so a line's link is the three put together."""
    before, _mark, after = url_for(endpoint, **values).partition(str(_ID_MARK))
    return str(escape(before)), str(escape(after))


@functools.cache
def _day_statement():
    """Built once per process (its building and cache key cost about as much as running it)."""
    # The employer's name and the client's code as subqueries: joined, PostgreSQL hashes the
    # whole employer register and client table.
    employer_name = (select(Employer.name).where(Employer.id == Contact.employer_id)
                     .scalar_subquery())
    shown_code = (select(Client.client_code).where(Client.id == Contact.client_id)
                  .scalar_subquery())
    # Whether a contact has kept versions: the page reads the history of those only (a day's
    # contacts are seldom corrected, so mostly no statement for it).
    corrected = exists().where(RecordVersion.record_type == "contact",
                               RecordVersion.record_id == Contact.id)
    # Of the worker's own contacts only those the caller's teams may see (scope.contacts_of):
    # access follows the client's team, so a contact about a client of a team the worker has
    # left, or who has moved to another team, is no longer listed (nor its kept versions).
    return (select(Contact.id, Contact.kind, Contact.mode, Contact.place, Contact.minutes,
                   Contact.client_id, shown_code, employer_name, corrected)
            .where(Contact.worker_id == bindparam("worker_id"),
                   Contact.contact_date == bindparam("day", type_=Date),
                   contacts_of(bindparam("team_ids", expanding=True)))
            .order_by(Contact.id))


def logged_on(session, worker_id: int, day: date, team_ids) -> list[LoggedContact]:
    """The worker's own contacts of `day` that the teams may see, in the order they were
    saved."""
    rows = session.connection().execute(
        _day_statement(), {"worker_id": worker_id, "day": day,
                           "team_ids": list(team_ids)}).all()
    if not rows:
        return []
    client_before, client_after = _url_parts("clients.show", client_id=_ID_MARK)
    correct_before, correct_after = _url_parts("corrections.edit", record_type="contact",
                                               record_id=_ID_MARK)
    # The translated labels, escaped, each made once per page.
    kinds, modes, places = {}, {}, {}
    min_html, correct_html = escape(_("min")), escape(_("Correct"))
    logged = []
    for contact_id, kind, mode, place, minutes, client_id, code, employer, has_versions in rows:
        kind_html = kinds.get(kind) or kinds.setdefault(
            kind, str(escape(vocab.CONTACT_KINDS[kind])))
        mode_html = modes.get(mode) or modes.setdefault(
            mode, str(escape(vocab.CONTACT_MODES[mode])))
        place_html = places.get(place) or places.setdefault(
            place, str(escape(vocab.PLACES[place])))
        client = (f': <a href="{client_before}{client_id}{client_after}">{escape(code)}</a>'
                  if code is not None else "")
        at = f" · {escape(employer)}" if employer is not None else ""
        logged.append(LoggedContact(contact_id, client_id, bool(has_versions), Markup(
            f'<span class="what">{kind_html}{client}{at}</span>\n'
            f"      · {mode_html} · {place_html} · {minutes} {min_html}\n"
            f'      · <a href="{correct_before}{contact_id}{correct_after}">{correct_html}</a>')))
    return logged
