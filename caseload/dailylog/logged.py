"""The contacts a worker logged on the day the daily log shows, listed under the form.

A worker logs tens of contacts a day and the page is shown after every save, so the list is
one statement of columns (no Contact, Client and Employer objects), each label is translated
once per page and each link built once (url_for costs more than the rest of a line)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask import url_for
from sqlalchemy import exists, select

from caseload.models import Client, Contact, Employer, vocab
from caseload.models.corrections import RecordVersion

# An id no record has, put into a URL to find where the id goes.
_ID_MARK = 987654321987


@dataclass(frozen=True)
class LoggedContact:
    id: int
    kind: str            # the labels, translated
    mode: str
    place: str
    minutes: int
    client_code: str | None  # None: a general contact, or the client was erased
    client_url: str | None
    employer: str | None
    correct_url: str
    corrected: bool      # has kept versions (corrections.records.history_of_records)


def _url_for_id(endpoint: str, **values):
    """A function id -> url_for(endpoint, <id>, **values), building the URL once."""
    before, _mark, after = url_for(endpoint, **values).partition(str(_ID_MARK))
    return lambda record_id: f"{before}{record_id}{after}"


def logged_on(session, worker_id: int, day: date) -> list[LoggedContact]:
    """The worker's own contacts of `day`, in the order they were saved."""
    # The employer's name as a subquery: joined, PostgreSQL hashes the whole employer register.
    employer_name = (select(Employer.name).where(Employer.id == Contact.employer_id)
                     .scalar_subquery())
    # Whether a contact has kept versions: the page reads the history of those only (a day's
    # contacts are seldom corrected, so mostly no statement for it).
    corrected = exists().where(RecordVersion.record_type == "contact",
                               RecordVersion.record_id == Contact.id)
    rows = session.execute(
        select(Contact.id, Contact.kind, Contact.mode, Contact.place, Contact.minutes,
               Client.id, Client.client_code, Client.erased_at, employer_name, corrected)
        .outerjoin(Client, Client.id == Contact.client_id)
        .where(Contact.worker_id == worker_id, Contact.contact_date == day)
        .order_by(Contact.id)).all()
    if not rows:
        return []
    client_url = _url_for_id("clients.show", client_id=_ID_MARK)
    correct_url = _url_for_id("corrections.edit", record_type="contact", record_id=_ID_MARK)
    labels: dict[tuple[str, str], str] = {}

    def label(vocabulary: str, token: str) -> str:
        key = (vocabulary, token)
        if key not in labels:
            labels[key] = str(getattr(vocab, vocabulary)[token])
        return labels[key]

    logged = []
    for (contact_id, kind, mode, place, minutes, client_id, code, erased_at,
         employer, has_versions) in rows:
        shown = client_id is not None and erased_at is None
        logged.append(LoggedContact(
            id=contact_id, kind=label("CONTACT_KINDS", kind), mode=label("CONTACT_MODES", mode),
            place=label("PLACES", place), minutes=minutes,
            client_code=code if shown else None,
            client_url=client_url(client_id) if shown else None,
            employer=employer, correct_url=correct_url(contact_id),
            corrected=bool(has_versions)))
    return logged
