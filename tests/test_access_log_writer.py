"""The one writer of access-log rows (audit.write_access_entries)."""

from __future__ import annotations

from sqlalchemy import select

from caseload import audit
from caseload.extensions import db
from caseload.models import AccessLogEntry


def _entries():
    db.session.rollback()
    return list(db.session.scalars(select(AccessLogEntry).order_by(AccessLogEntry.id)))


def test_an_entry_of_its_own_stays_when_the_request_rolls_back():
    audit.write_access_entries([{"user_id": None, "user_email": "wim@example.org",
                                 "record_type": "client", "action": "read"}])
    db.session.rollback()
    [entry] = _entries()
    assert (entry.user_email, entry.user_role, entry.client_id, entry.status, entry.outcome,
            entry.detail, entry.ip) == ("wim@example.org", "", None, 200, "allowed", "", "")
    assert entry.at is not None


def test_an_entry_in_the_session_goes_with_its_transaction():
    row = {"user_id": None, "user_email": "system", "user_role": "system", "client_id": 7,
           "record_type": "privacy_erase", "action": "erase"}
    audit.write_access_entries([row], session=db.session)
    db.session.rollback()
    assert _entries() == []
    audit.write_access_entries([row], session=db.session)
    db.session.commit()
    assert [(e.client_id, e.action) for e in _entries()] == [(7, "erase")]


def test_texts_are_cut_to_their_columns_and_no_rows_write_nothing():
    audit.write_access_entries([])
    audit.write_access_entries([{"user_id": None, "user_email": "x" * 300 + "@example.org",
                                 "record_type": "account", "action": "2fa_key_removed",
                                 "detail": "d" * 300, "ip": None}])
    [entry] = _entries()
    assert (len(entry.user_email), entry.action, len(entry.detail), entry.ip) == (
        254, "2fa_key_re", 200, "")
