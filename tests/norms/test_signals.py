"""Storing breaches as signals: idempotent, safe in parallel, resolving what has cleared and
keeping the history."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

from sqlalchemy import func, select

from caseload import norms, signals
from caseload.extensions import db
from caseload.jobs.norm_jobs import evaluate_norms
from caseload.models import Signal
from tests.concurrency import run_at_once

DAY = timedelta(days=1)
ENTRY = date(2026, 1, 5)
AS_OF = date(2026, 3, 18)


def signal_count() -> int:
    return db.session.scalar(select(func.count(Signal.id)))


def all_signals() -> list[Signal]:
    return list(db.session.scalars(select(Signal).order_by(Signal.id)))


def open_signals() -> list[Signal]:
    return list(db.session.scalars(signals.open_signals_query()))


def busy_team(build):
    """A worker with several kinds of breach: rapid job search, treatment team, follow-along,
    job loss, benefits plan and the weekly employer contacts."""
    team = build.team()
    worker = build.user(team)
    clients = [build.client(worker, entry=ENTRY) for _ in range(4)]
    for client in clients[:3]:
        build.phase(client, "job_finding", on=ENTRY + 7 * DAY)
    build.placement(clients[3], start=date(2026, 2, 2), end=date(2026, 3, 2))
    build.placement(clients[2], start=date(2026, 3, 9))
    build.commit()
    return worker, clients


def test_evaluating_twice_gives_the_same_signals(build):
    busy_team(build)

    first = evaluate_norms(AS_OF)
    before = [(s.id, s.norm, s.subject_key, s.anchor) for s in all_signals()]
    second = evaluate_norms(AS_OF)
    after = [(s.id, s.norm, s.subject_key, s.anchor) for s in all_signals()]

    assert first.opened == len(before) > 5
    assert (second.opened, second.still_open, second.resolved) == (0, len(before), 0)
    assert after == before
    assert len(before) == len(norms.evaluate(AS_OF))


def test_evaluating_on_a_later_day_keeps_the_signal_and_refreshes_its_facts(build):
    team = build.team()
    worker = build.user(team)
    build.client(worker, entry=ENTRY)
    build.commit()

    evaluate_norms(ENTRY + 31 * DAY, ["rapid_job_search"])
    evaluate_norms(ENTRY + 40 * DAY, ["rapid_job_search"])

    [signal] = all_signals()
    assert signal.anchor == ENTRY
    assert signal.first_seen_on == ENTRY + 31 * DAY
    assert signal.last_seen_on == ENTRY + 40 * DAY
    assert signal.facts["day"] == 40
    assert signal.resolved_at is None


def test_parallel_evaluations_create_no_duplicate_signals(app, build):
    busy_team(build)
    expected = len(norms.evaluate(AS_OF))
    assert expected > 5

    for _round in range(3):
        db.session.execute(Signal.__table__.delete())
        db.session.commit()
        results = run_at_once(app, lambda: evaluate_norms(AS_OF))

        # Between them the two runs opened each signal exactly once.
        assert sum(r.opened for r in results) == expected
        db.session.expire_all()
        assert signal_count() == expected
        keys = [(s.norm, s.subject_key, s.anchor) for s in all_signals()]
        assert len(set(keys)) == len(keys)


def test_late_logging_resolves_a_signal_and_keeps_it_as_history(build):
    team = build.team()
    worker = build.user(team)
    client = build.client(worker, entry=ENTRY)
    build.commit()
    evaluate_norms(ENTRY + 35 * DAY, ["rapid_job_search"])
    [signal] = open_signals()

    # The employer visit on day 20 is logged only now.
    build.contact(worker, on=ENTRY + 20 * DAY, kind="employer", client=client,
                  employer=build.employer())
    build.commit()
    result = evaluate_norms(ENTRY + 36 * DAY, ["rapid_job_search"])

    assert (result.opened, result.still_open, result.resolved) == (0, 0, 1)
    assert open_signals() == []
    [stored] = all_signals()
    assert stored.id == signal.id
    assert stored.resolved_at is not None
    assert stored.resolved_on == ENTRY + 36 * DAY
    assert stored.resolved_by == "cleared"


def test_ended_trajectory_resolves_its_signals_as_trajectory_ended(build):
    team = build.team()
    worker = build.user(team)
    client = build.client(worker, entry=ENTRY)
    build.commit()
    evaluate_norms(ENTRY + 35 * DAY, ["rapid_job_search", "treatment_team_contact"])
    assert {s.norm for s in open_signals()} == {"rapid_job_search", "treatment_team_contact"}

    build.end_trajectory(client, on=ENTRY + 36 * DAY, reason="no_longer_wants_work")
    build.commit()
    evaluate_norms(ENTRY + 36 * DAY, ["rapid_job_search", "treatment_team_contact"])
    assert len(open_signals()) == 2  # still open on the end date itself

    result = evaluate_norms(ENTRY + 37 * DAY, ["rapid_job_search", "treatment_team_contact"])

    assert result.resolved == 2
    assert open_signals() == []
    stored = all_signals()
    assert len(stored) == 2
    assert {s.resolved_by for s in stored} == {"trajectory_ended"}
    assert all(s.resolved_on == ENTRY + 37 * DAY for s in stored)


def test_acknowledged_signal_is_not_open_but_stays_in_the_table(build):
    team = build.team()
    coordinator = build.user(team, role="coordinator")
    worker = build.user(team)
    build.client(worker, entry=ENTRY)
    build.commit()
    evaluate_norms(ENTRY + 35 * DAY, ["rapid_job_search"])
    [signal] = open_signals()

    signal.acknowledged_at = datetime(2026, 2, 10, 9, 0, tzinfo=timezone.utc)
    signal.acknowledged_by_id = coordinator.id
    signal.acknowledgement_note = "Client ill for three weeks"
    db.session.commit()

    assert open_signals() == []
    assert [s.id for s in all_signals()] == [signal.id]

    # Re-evaluating neither re-opens it nor adds a new signal for the same breach.
    result = evaluate_norms(ENTRY + 36 * DAY, ["rapid_job_search"])
    assert (result.opened, result.still_open) == (0, 1)
    assert open_signals() == []
    [stored] = all_signals()
    assert stored.id == signal.id
    assert stored.acknowledged_at is not None
    assert stored.acknowledgement_note == "Client ill for three weeks"
    assert stored.resolved_at is None


def test_weekly_signal_is_not_resolved_when_a_later_week_is_evaluated(build):
    worker, _clients = busy_team(build)
    week10 = date(2026, 3, 2)
    evaluate_norms(date(2026, 3, 11), ["employer_contacts_weekly"])  # judges 2026-W10
    [w10] = open_signals()
    assert (w10.subject_key, w10.anchor) == (f"w{worker.id}", week10)

    # Contacts for W10 logged only after that week stopped being judged.
    employer = build.employer()
    for _ in range(6):
        build.contact(worker, on=week10 + DAY, kind="employer", employer=employer)
    build.commit()
    result = evaluate_norms(date(2026, 3, 18), ["employer_contacts_weekly"])  # judges W11

    assert result.resolved == 0
    by_anchor = {s.anchor: s for s in all_signals()}
    assert set(by_anchor) == {week10, date(2026, 3, 9)}
    assert by_anchor[week10].resolved_at is None
    assert by_anchor[date(2026, 3, 9)].resolved_at is None


def test_weekly_signal_is_resolved_by_late_logging_while_its_week_is_judged(build):
    worker, _clients = busy_team(build)
    week10 = date(2026, 3, 2)
    evaluate_norms(date(2026, 3, 10), ["employer_contacts_weekly"])
    employer = build.employer()
    for _ in range(6):
        build.contact(worker, on=week10 + 2 * DAY, kind="employer", employer=employer)
    build.commit()

    result = evaluate_norms(date(2026, 3, 13), ["employer_contacts_weekly"])  # W10 again

    assert result.resolved == 1
    [stored] = all_signals()
    assert (stored.anchor, stored.resolved_by) == (week10, "cleared")


def test_evaluating_one_norm_leaves_the_signals_of_other_norms_alone(build):
    busy_team(build)
    evaluate_norms(AS_OF)
    before = {s.id for s in open_signals()}

    result = evaluate_norms(AS_OF, ["caseload_size"])

    assert result.resolved == 0
    assert {s.id for s in open_signals()} == before


def test_caseload_signal_stays_one_signal_over_days_and_resolves_when_it_shrinks(build):
    team = build.team()
    worker = build.user(team, fte="0.2")  # capacity 5
    clients = [build.client(worker, entry=ENTRY) for _ in range(6)]
    build.commit()

    evaluate_norms(date(2026, 3, 1), ["caseload_size"])
    evaluate_norms(date(2026, 3, 2), ["caseload_size"])
    evaluate_norms(date(2026, 3, 3), ["caseload_size"])
    [signal] = open_signals()
    assert (signal.anchor, signal.last_seen_on) == (date(2026, 3, 1), date(2026, 3, 3))

    build.end_trajectory(clients[0], on=date(2026, 3, 4))
    build.commit()
    evaluate_norms(date(2026, 3, 5), ["caseload_size"])

    [stored] = all_signals()
    assert stored.resolved_by == "cleared"
    assert stored.resolved_on == date(2026, 3, 5)


def test_treatment_team_contact_closes_one_episode_and_a_later_gap_opens_another(build):
    team = build.team()
    worker = build.user(team)
    client = build.client(worker, entry=ENTRY)
    build.commit()
    evaluate_norms(ENTRY + 20 * DAY, ["treatment_team_contact"])

    build.contact(worker, on=ENTRY + 21 * DAY, kind="treatment_team", client=client)
    build.commit()
    evaluate_norms(ENTRY + 22 * DAY, ["treatment_team_contact"])
    evaluate_norms(ENTRY + 40 * DAY, ["treatment_team_contact"])

    stored = all_signals()
    assert [(s.anchor, s.resolved_by) for s in stored] == [
        (ENTRY + 15 * DAY, "cleared"), (ENTRY + 36 * DAY, None)]


def test_record_stores_breaches_given_directly(build):
    busy_team(build)
    breaches = norms.evaluate(AS_OF, norms=["rapid_job_search"])

    result = signals.record(db.session, AS_OF, breaches, ["rapid_job_search"])

    assert result.opened == len(breaches) == 4
    assert {(s.norm, s.subject_key, s.anchor) for s in all_signals()} == {
        b.key for b in breaches}
    assert {s.trajectory_id for s in all_signals()} == {b.trajectory_id for b in breaches}


def test_breach_that_returns_after_its_signal_was_resolved_reopens_the_signal(build):
    """An absence recorded by mistake clears the week's signal; deleting the absence brings
    the breach back under the same key, so the stored signal must be open again."""
    worker, _clients = busy_team(build)
    evaluate_norms(date(2026, 3, 16), ["employer_contacts_weekly"])
    [signal] = open_signals()

    absence = build.absence(worker, start=date(2026, 3, 9), end=date(2026, 3, 15))
    build.commit()
    evaluate_norms(date(2026, 3, 17), ["employer_contacts_weekly"])
    assert open_signals() == []
    assert all_signals()[0].resolved_by == "cleared"

    db.session.delete(absence)
    build.commit()
    result = evaluate_norms(date(2026, 3, 18), ["employer_contacts_weekly"])

    assert result.opened == 1
    [reopened] = open_signals()
    assert reopened.id == signal.id
    assert (reopened.resolved_at, reopened.resolved_on, reopened.resolved_by) == (None, None, None)
    assert reopened.last_seen_on == date(2026, 3, 18)
    assert reopened.facts["norm"] == 6
    assert len(all_signals()) == 1
