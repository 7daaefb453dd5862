"""Rapid job search (fidelity item 15): a face-to-face employer contact within 30 days of entry."""

from __future__ import annotations

from datetime import date, timedelta

from caseload.norms import evaluate

ENTRY = date(2026, 1, 1)
DAY = timedelta(days=1)


def day(n: int) -> date:
    """Program entry + n days (entry itself is day 0)."""
    return ENTRY + n * DAY


def rapid(as_of: date):
    return evaluate(as_of, norms=["rapid_job_search"])


def setup(build):
    team = build.team()
    worker = build.user(team)
    client = build.client(worker, entry=ENTRY)
    return worker, client


def test_no_breach_on_day_30_without_employer_contact(build):
    setup(build)

    assert rapid(day(30)) == []


def test_breach_from_day_31_without_employer_contact(build):
    _worker, client = setup(build)
    trajectory = client.open_trajectory

    breaches = rapid(day(31))

    assert len(breaches) == 1
    breach = breaches[0]
    assert breach.norm == "rapid_job_search"
    assert breach.subject_key == f"t{trajectory.id}"
    assert breach.anchor == ENTRY
    assert breach.trajectory_id == trajectory.id
    assert breach.worker_id == trajectory.worker_id
    assert breach.facts == {"day": 31, "limit": 30, "late_contact_on": None}


def test_breach_persists_after_day_31(build):
    setup(build)

    breaches = rapid(day(45))

    assert [(b.norm, b.anchor, b.facts["day"]) for b in breaches] == [
        ("rapid_job_search", ENTRY, 45)]


def test_employer_contact_on_day_30_satisfies_rapid_job_search(build):
    worker, client = setup(build)
    build.contact(worker, on=day(30), kind="employer", client=client, employer=build.employer())

    assert rapid(day(31)) == []
    assert rapid(day(60)) == []


def test_employer_contact_on_entry_day_satisfies_rapid_job_search(build):
    worker, client = setup(build)
    build.contact(worker, on=ENTRY, kind="employer", client=client, employer=build.employer())

    assert rapid(day(31)) == []


def test_employer_contact_on_day_31_does_not_satisfy_rapid_job_search(build):
    worker, client = setup(build)
    build.contact(worker, on=day(31), kind="employer", client=client, employer=build.employer())

    breaches = rapid(day(32))

    assert len(breaches) == 1
    assert breaches[0].anchor == ENTRY
    assert breaches[0].facts["late_contact_on"] == day(31).isoformat()


def test_phone_employer_contact_does_not_satisfy_rapid_job_search(build):
    worker, client = setup(build)
    employer = build.employer()
    build.contact(worker, on=day(5), kind="employer", mode="phone", client=client,
                  employer=employer)
    build.contact(worker, on=day(6), kind="employer", mode="video", client=client,
                  employer=employer)
    build.contact(worker, on=day(7), kind="employer", mode="email", client=client,
                  employer=employer)

    breaches = rapid(day(31))

    assert len(breaches) == 1
    assert breaches[0].facts["late_contact_on"] is None


def test_general_employer_contact_does_not_satisfy_rapid_job_search_for_a_client(build):
    worker, _client = setup(build)
    build.contact(worker, on=day(3), kind="employer", client=None, employer=build.employer())

    assert len(rapid(day(31))) == 1


def test_employer_contact_for_another_client_does_not_satisfy_rapid_job_search(build):
    worker, client = setup(build)
    other = build.client(worker, entry=ENTRY)
    build.contact(worker, on=day(3), kind="employer", client=other, employer=build.employer())

    breaches = rapid(day(31))

    assert [b.trajectory_id for b in breaches] == [client.open_trajectory.id]


def test_face_to_face_client_contact_does_not_satisfy_rapid_job_search(build):
    worker, client = setup(build)
    build.contact(worker, on=day(3), kind="client", client=client)

    assert len(rapid(day(31))) == 1


def test_employer_contact_logged_after_as_of_is_not_seen(build):
    """Judging a past date ignores contacts dated after it (history is re-judgeable)."""
    worker, client = setup(build)
    build.contact(worker, on=day(40), kind="employer", client=client, employer=build.employer())

    breaches = rapid(day(35))

    assert len(breaches) == 1
    assert breaches[0].facts == {"day": 35, "limit": 30, "late_contact_on": None}


def test_contact_before_program_entry_does_not_satisfy_rapid_job_search(build):
    team = build.team()
    worker = build.user(team)
    client = build.client(worker, entry=date(2025, 10, 1))
    build.contact(worker, on=date(2025, 10, 10), kind="employer", client=client,
                  employer=build.employer())
    build.end_trajectory(client, on=date(2025, 12, 1))
    client.start_trajectory(worker=worker, program_entry_date=ENTRY, today=build.today)
    build.session.flush()

    breaches = rapid(day(31))

    assert [b.trajectory_id for b in breaches] == [client.open_trajectory.id]


def test_ended_trajectory_raises_no_rapid_job_search_breach_after_its_end_date(build):
    _worker, client = setup(build)
    build.end_trajectory(client, on=day(40))

    assert len(rapid(day(40))) == 1  # still open on its end date
    assert rapid(day(41)) == []
    assert rapid(day(90)) == []


def test_trajectory_not_yet_started_raises_nothing(build):
    setup(build)

    assert rapid(ENTRY - DAY) == []


def test_rapid_job_search_days_setting_moves_the_boundary(build):
    setup(build)
    build.setting("rapid_job_search_days", 45)

    assert rapid(day(31)) == []
    assert rapid(day(45)) == []
    breaches = rapid(day(46))
    assert len(breaches) == 1
    assert breaches[0].facts["limit"] == 45


def test_setting_with_a_shorter_limit_raises_earlier(build):
    worker, client = setup(build)
    build.contact(worker, on=day(12), kind="employer", client=client, employer=build.employer())
    build.setting("rapid_job_search_days", 10)

    breaches = rapid(day(11))

    assert len(breaches) == 1
    assert breaches[0].facts == {"day": 11, "limit": 10, "late_contact_on": None}


def test_the_earliest_late_contact_is_the_one_shown(build):
    worker, client = setup(build)
    employer = build.employer()
    build.contact(worker, on=day(40), kind="employer", client=client, employer=employer)
    build.contact(worker, on=day(33), kind="employer", client=client, employer=employer)
    build.contact(worker, on=day(36), kind="employer", client=client, employer=employer)

    breaches = rapid(day(45))

    assert [b.facts["late_contact_on"] for b in breaches] == [day(33).isoformat()]


def test_statements_kept_between_evaluations_follow_the_setting_and_the_date(build):
    # Each norm's statement is built once per process and setting value (norms.sql.built_once):
    # going back and forth between values and dates must give each one's own answer.
    setup(build)
    setting = build.setting("rapid_job_search_days", 45)
    assert rapid(day(40)) == []
    setting.value = 30
    build.session.flush()
    assert [b.facts["limit"] for b in rapid(day(40))] == [30]
    assert rapid(day(30)) == []
    setting.value = 45
    build.session.flush()
    assert rapid(day(40)) == []
    assert [b.facts["day"] for b in rapid(day(46))] == [46]
