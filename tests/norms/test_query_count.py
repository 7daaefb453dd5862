"""The norm engine is set-based: the number of SQL statements does not grow with the data."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from caseload import norms
from caseload.extensions import db
from caseload.jobs.norm_jobs import evaluate_norms
from caseload.models import Client, Contact, Signal
from caseload.norms.sql import written

DAY = timedelta(days=1)
AS_OF = date(2026, 3, 18)


def add_caseload(build, team, n_clients: int, *, clients_per_worker: int = 10):
    """Clients spread over workers, with contacts of every kind, placements (running and
    ended), disclosure discussions, benefits plans, phase changes and absences."""
    employer = build.employer()
    worker = None
    for i in range(n_clients):
        if i % clients_per_worker == 0:
            worker = build.user(team, fte="0.8" if i % 20 else "1.0")
            build.absence(worker, start=date(2026, 3, 9), end=date(2026, 3, 10))
            build.contact(worker, on=date(2026, 3, 11), kind="employer", employer=employer)
        entry = date(2025, 9, 1) + (i % 90) * DAY
        client = build.client(worker, entry=entry)
        build.phase(client, "job_finding", on=entry + 10 * DAY)
        build.contact(worker, on=entry + (i % 45) * DAY, kind="employer", client=client,
                      employer=employer, mode="face_to_face" if i % 3 else "phone")
        build.contact(worker, on=entry + 5 * DAY, kind="treatment_team", client=client)
        build.contact(worker, on=AS_OF - (i % 20) * DAY, kind="client", client=client)
        if i % 2:
            build.disclosure(client, on=entry + 3 * DAY)
        if i % 3 == 0:
            build.benefits_plan(client, on=entry + 20 * DAY)
        if i % 4 == 0:
            build.placement(client, start=entry + 60 * DAY, employer=employer)
        elif i % 4 == 1:
            build.placement(client, start=entry + 50 * DAY, end=entry + 100 * DAY,
                            employer=employer)
    build.commit()


def statements(count_queries, fn) -> int:
    with count_queries() as counter:
        fn()
    return counter.count


def test_evaluate_sends_as_many_statements_for_60_clients_as_for_5(build, count_queries):
    team = build.team()
    add_caseload(build, team, 5, clients_per_worker=5)
    small_breaches = norms.evaluate(AS_OF)
    small = statements(count_queries, lambda: norms.evaluate(AS_OF))

    add_caseload(build, team, 55)
    large_breaches = norms.evaluate(AS_OF)
    large = statements(count_queries, lambda: norms.evaluate(AS_OF))

    assert len(large_breaches) > 5 * len(small_breaches) > 0
    assert {b.norm for b in large_breaches} >= {
        "rapid_job_search", "employer_contacts_weekly", "follow_along_first_month",
        "follow_along_monthly", "job_loss_contact", "disclosure_before_employer_contact",
        "benefits_plan_before_start"}
    assert large == small
    assert small <= 20


def test_each_norm_sends_a_fixed_number_of_statements(build, count_queries):
    team = build.team()
    add_caseload(build, team, 5, clients_per_worker=5)
    small = {name: statements(count_queries, lambda: norms.evaluate(AS_OF, norms=[name]))
             for name in norms.NORMS}

    add_caseload(build, team, 55)
    large = {name: statements(count_queries, lambda: norms.evaluate(AS_OF, norms=[name]))
             for name in norms.NORMS}

    assert large == small


def test_recording_signals_sends_as_many_statements_for_60_clients_as_for_5(
        build, count_queries):
    """A first evaluation inserts every signal at once; a re-evaluation touches them at once."""
    def first_and_again():
        db.session.execute(Signal.__table__.delete())
        db.session.commit()
        first = statements(count_queries, lambda: evaluate_norms(AS_OF))
        again = statements(count_queries, lambda: evaluate_norms(AS_OF))
        return first, again

    team = build.team()
    add_caseload(build, team, 5, clients_per_worker=5)
    small = first_and_again()
    small_signals = db.session.scalar(select(func.count(Signal.id)))

    add_caseload(build, team, 55)
    large = first_and_again()
    large_signals = db.session.scalar(select(func.count(Signal.id)))

    assert large_signals > 5 * small_signals > 0
    assert large == small


def test_the_day_after_refreshes_and_resolves_signals_in_as_many_statements_for_60_as_for_5(
        build, count_queries):
    """The normal case of the daily job: yesterday's signals are open, their facts change
    (days count on), some clear. That costs a fixed number of statements, not one per signal."""
    def day_after():
        db.session.execute(Signal.__table__.delete())
        db.session.commit()
        evaluate_norms(AS_OF)
        before = {s.id: s.facts for s in db.session.scalars(select(Signal))}
        for client in db.session.scalars(select(Client)):  # clears treatment-team signals
            build.contact(client.open_trajectory.worker, on=AS_OF - DAY,
                          kind="treatment_team", client=client)
        build.commit()
        count = statements(count_queries, lambda: evaluate_norms(AS_OF + 8 * DAY))
        db.session.expire_all()
        after = {s.id: (s.facts, s.last_seen_on, s.resolved_on)
                 for s in db.session.scalars(select(Signal))}
        refreshed = sum(1 for i, facts in before.items() if after[i][0] != facts)
        return count, refreshed, after

    team = build.team()
    add_caseload(build, team, 5, clients_per_worker=5)
    small, small_refreshed, _ = day_after()

    add_caseload(build, team, 55)
    large, large_refreshed, after = day_after()

    assert large_refreshed > 5 * small_refreshed > 0
    assert any(resolved_on == AS_OF + 8 * DAY for _f, _s, resolved_on in after.values())
    assert any(last_seen == AS_OF + 8 * DAY for _f, last_seen, _r in after.values())
    assert large == small


def test_contact_lookups_name_the_constants_of_the_partial_indexes(build, count_queries):
    """A planner can use ix_contact_employer_f2f_client and ix_contact_client_f2f only when
    the query writes kind and mode as constants, not as bound parameters."""
    team = build.team()
    add_caseload(build, team, 5, clients_per_worker=5)
    for name, kind in (("rapid_job_search", "employer"), ("follow_along_first_month", "client"),
                       ("follow_along_monthly", "client"), ("follow_along_after_start", "client")):
        with count_queries() as counter:
            norms.evaluate(AS_OF, norms=[name])
        [statement] = [s for s in counter.statements if "FROM contact" in s]
        assert f"contact.kind = '{kind}'" in statement
        assert "contact.mode = 'face_to_face'" in statement


@pytest.mark.parametrize("word", ["employer'; --", "Face_to_face", "", "client "])
def test_only_vocabulary_words_are_written_into_the_sql(word):
    with pytest.raises(ValueError):
        written(word)


def test_a_written_word_is_in_the_compiled_sql_not_added_at_each_execution():
    compiled = str((Contact.kind == written("employer")).compile(db.engine))
    assert compiled == "contact.kind = 'employer'"
