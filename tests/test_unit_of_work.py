"""The one unit of work (caseload/unit_of_work.py) and the one upsert (caseload/upsert.py),
on whichever database the suite runs on."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from caseload.extensions import db
from caseload.models import DomainError, Employer, JobRun
from caseload.unit_of_work import unit_of_work
from caseload.upsert import insert_or_ignore, insert_or_update


def _names() -> list[str]:
    db.session.rollback()  # read what is committed, not what the session still holds
    return list(db.session.scalars(select(Employer.name).order_by(Employer.name)))


def test_a_unit_that_ends_is_committed():
    with unit_of_work() as work:
        db.session.add(Employer(name="Bakkerij Kees"))
    assert not work.failed and work.error is None
    assert _names() == ["Bakkerij Kees"]


def test_an_error_rolls_back_everything_the_unit_wrote_and_is_raised():
    with pytest.raises(RuntimeError, match="half-way"):
        with unit_of_work():
            db.session.add(Employer(name="Eerste"))
            db.session.flush()  # written to the database, not yet committed
            db.session.add(Employer(name="Tweede"))
            raise RuntimeError("half-way")
    assert _names() == []


def test_an_expected_error_rolls_back_and_is_kept_for_the_page():
    with unit_of_work(expected=DomainError) as work:
        db.session.add(Employer(name="Eerste"))
        db.session.flush()
        raise DomainError("refused", "name")
    assert work.failed and work.error.field == "name"
    assert _names() == []


def test_an_error_of_another_kind_than_expected_is_still_raised():
    with pytest.raises(ValueError):
        with unit_of_work(expected=DomainError):
            db.session.add(Employer(name="Eerste"))
            raise ValueError("not a domain error")
    assert _names() == []


def test_an_error_raised_by_the_commit_itself_rolls_back():
    with unit_of_work():
        db.session.add(Employer(name="Dubbel"))
    # A unique key another request won shows only at the commit on some paths: here it is
    # the flush inside the commit, with the session ready for the next unit afterwards.
    with unit_of_work(expected=IntegrityError) as work:
        db.session.add(Employer(name="Anders"))
        db.session.add(Employer(name="Dubbel"))
    assert isinstance(work.error, IntegrityError)
    assert _names() == ["Dubbel"]
    with unit_of_work():
        db.session.add(Employer(name="Daarna"))
    assert _names() == ["Daarna", "Dubbel"]


def test_one_failing_unit_leaves_the_units_before_and_after_it():
    for name in ("Een", "Kapot", "Drie"):
        with unit_of_work(expected=DomainError):
            db.session.add(Employer(name=name))
            if name == "Kapot":
                raise DomainError("this one only")
    assert _names() == ["Drie", "Een"]


def test_insert_or_ignore_inserts_a_new_row_and_leaves_an_existing_one():
    with unit_of_work():
        db.session.add(Employer(name="Bestaand", sector="bouw"))
    with unit_of_work():
        result = db.session.execute(
            insert_or_ignore(db.session, Employer, on=["name"]).returning(Employer.id),
            [{"name": "Bestaand", "sector": "zorg", "place": "", "contact_person": ""},
             {"name": "Nieuw", "sector": "zorg", "place": "", "contact_person": ""}]).all()
    assert len(result) == 1  # RETURNING yields only the row really inserted
    db.session.rollback()
    assert dict(db.session.execute(select(Employer.name, Employer.sector)).all()) == {
        "Bestaand": "bouw", "Nieuw": "zorg"}


def test_insert_or_update_inserts_then_updates_only_the_named_columns():
    first = datetime(2026, 3, 16, 6, 0, tzinfo=UTC)
    second = datetime(2026, 3, 17, 6, 0, tzinfo=UTC)

    def upsert(at, as_of):
        with unit_of_work():
            db.session.execute(insert_or_update(
                db.session, JobRun, {"job": "daily", "last_run_at": at, "last_as_of": as_of},
                on=["job"], update=["last_run_at"]))

    upsert(first, date(2026, 3, 16))
    upsert(second, date(2026, 3, 17))
    db.session.rollback()
    rows = db.session.execute(select(JobRun.job, JobRun.last_run_at, JobRun.last_as_of)).all()
    assert [tuple(r) for r in rows] == [("daily", second, date(2026, 3, 16))]
    assert db.session.scalar(select(func.count()).select_from(JobRun)) == 1
