"""Two workers type the same new employer at the same moment: one employer, both saves."""

from __future__ import annotations

import threading

from sqlalchemy import func, select

from caseload.extensions import db
from caseload.models import Employer
from caseload.models.employers import find_or_create_employer


def test_the_same_new_employer_created_at_once_is_stored_once(app):
    barrier = threading.Barrier(4)
    errors, ids = [], []

    def create():
        try:
            with app.app_context():
                barrier.wait()
                employer = find_or_create_employer(db.session, "Bakkerij Gelijktijdig")
                db.session.commit()
                ids.append(employer.id)
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)

    threads = [threading.Thread(target=create) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert len(set(ids)) == 1
    assert db.session.scalar(select(func.count(Employer.id))) == 1
