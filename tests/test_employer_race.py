"""Two workers type the same new employer at the same moment: one employer, both saves."""

from __future__ import annotations

from sqlalchemy import func, select

from caseload.extensions import db
from caseload.models import Employer
from caseload.models.employers import find_or_create_employer
from tests.concurrency import run_at_once


def test_the_same_new_employer_created_at_once_is_stored_once(app):
    def create():
        employer = find_or_create_employer(db.session, "Bakkerij Gelijktijdig")
        db.session.commit()
        return employer.id

    ids = run_at_once(app, create, times=4)

    assert len(ids) == 4 and len(set(ids)) == 1
    assert db.session.scalar(select(func.count(Employer.id))) == 1
