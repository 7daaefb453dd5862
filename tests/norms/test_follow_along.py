"""Follow-along (fidelity item 23): face-to-face contact within 3 days after a job start, weekly
in the first month, at least monthly afterwards; any contact within 3 days after a job ends."""

from __future__ import annotations

from datetime import date, timedelta

from caseload.norms import evaluate

DAY = timedelta(days=1)
ENTRY = date(2025, 6, 2)


def judge(norm: str, as_of: date):
    return evaluate(as_of, norms=[norm])


def placed_client(build, *, start: date, end: date | None = None):
    team = build.team()
    worker = build.user(team)
    client = build.client(worker, entry=ENTRY)
    placement = build.placement(client, start=start, end=end)
    return worker, client, placement


# --- within 3 days after a start --------------------------------------------------------------

S = date(2026, 3, 1)


def test_no_after_start_breach_on_start_plus_3(build):
    placed_client(build, start=S)

    assert judge("follow_along_after_start", S + 3 * DAY) == []


def test_after_start_breach_from_start_plus_4_without_contact(build):
    _worker, client, placement = placed_client(build, start=S)
    trajectory = client.open_trajectory

    breaches = judge("follow_along_after_start", S + 4 * DAY)

    assert len(breaches) == 1
    breach = breaches[0]
    assert breach.norm == "follow_along_after_start"
    assert breach.subject_key == f"t{trajectory.id}p{placement.id}"
    assert breach.anchor == S
    assert (breach.trajectory_id, breach.placement_id, breach.worker_id) == (
        trajectory.id, placement.id, trajectory.worker_id)
    assert breach.facts == {"started_on": S.isoformat(), "limit": 3}


def test_face_to_face_contact_on_start_plus_3_satisfies_follow_along(build):
    worker, client, _ = placed_client(build, start=S)
    build.contact(worker, on=S + 3 * DAY, kind="client", client=client)

    assert judge("follow_along_after_start", S + 4 * DAY) == []


def test_face_to_face_contact_on_start_day_satisfies_follow_along(build):
    worker, client, _ = placed_client(build, start=S)
    build.contact(worker, on=S, kind="client", client=client)

    assert judge("follow_along_after_start", S + 10 * DAY) == []


def test_contact_on_start_plus_4_does_not_satisfy_follow_along_after_start(build):
    worker, client, _ = placed_client(build, start=S)
    build.contact(worker, on=S + 4 * DAY, kind="client", client=client)

    assert [b.anchor for b in judge("follow_along_after_start", S + 5 * DAY)] == [S]


def test_contact_the_day_before_the_start_does_not_satisfy_follow_along_after_start(build):
    worker, client, _ = placed_client(build, start=S)
    build.contact(worker, on=S - DAY, kind="client", client=client)

    assert len(judge("follow_along_after_start", S + 4 * DAY)) == 1


def test_phone_contact_does_not_satisfy_follow_along_after_start(build):
    worker, client, _ = placed_client(build, start=S)
    build.contact(worker, on=S + DAY, kind="client", mode="phone", client=client)
    build.contact(worker, on=S + 2 * DAY, kind="client", mode="video", client=client)

    assert len(judge("follow_along_after_start", S + 4 * DAY)) == 1


def test_employer_contact_does_not_satisfy_follow_along_after_start(build):
    worker, client, placement = placed_client(build, start=S)
    build.contact(worker, on=S + DAY, kind="employer", client=client, employer=placement.employer)

    assert len(judge("follow_along_after_start", S + 4 * DAY)) == 1


def test_future_start_raises_nothing(build):
    placed_client(build, start=date(2026, 3, 25))  # recorded ahead of the start

    assert judge("follow_along_after_start", date(2026, 3, 18)) == []


def test_ended_trajectory_raises_no_follow_along_breach_after_its_end_date(build):
    _worker, client, _ = placed_client(build, start=S, end=S + DAY)
    build.end_trajectory(client, on=S + 5 * DAY)

    assert len(judge("follow_along_after_start", S + 5 * DAY)) == 1
    assert judge("follow_along_after_start", S + 6 * DAY) == []


def test_follow_along_start_days_setting_changes_the_window(build):
    worker, client, _ = placed_client(build, start=S)
    build.contact(worker, on=S + 4 * DAY, kind="client", client=client)
    build.setting("follow_along_start_days", 5)

    assert judge("follow_along_after_start", S + 6 * DAY) == []


def test_follow_along_start_days_zero_asks_for_contact_on_the_start_day(build):
    worker, client, _ = placed_client(build, start=S)
    build.setting("follow_along_start_days", 0)

    assert judge("follow_along_after_start", S) == []
    assert [b.anchor for b in judge("follow_along_after_start", S + DAY)] == [S]
    build.contact(worker, on=S, kind="client", client=client)
    assert judge("follow_along_after_start", S + DAY) == []


# --- weekly in the first month ----------------------------------------------------------------

M = date(2026, 1, 5)  # a start; the first-month windows are M..M+6, M+7..M+13, ..., M+21..M+27


def test_weekly_contacts_in_the_first_month_raise_nothing(build):
    worker, client, _ = placed_client(build, start=M)
    for week in range(4):
        build.contact(worker, on=M + (7 * week + 6) * DAY, kind="client", client=client)

    assert judge("follow_along_first_month", M + 40 * DAY) == []


def test_first_month_window_is_judged_only_after_it_has_passed(build):
    placed_client(build, start=M)

    assert judge("follow_along_first_month", M + 6 * DAY) == []
    breaches = judge("follow_along_first_month", M + 7 * DAY)
    assert [(b.anchor, b.facts) for b in breaches] == [
        (M, {"window_start": M.isoformat(), "window_end": (M + 6 * DAY).isoformat()})]


def test_a_week_without_face_to_face_contact_in_the_first_month_is_a_breach(build):
    worker, client, placement = placed_client(build, start=M)
    for week in (0, 2, 3):
        build.contact(worker, on=M + 7 * week * DAY, kind="client", client=client)
    build.contact(worker, on=M + 8 * DAY, kind="client", mode="phone", client=client)

    breaches = judge("follow_along_first_month", M + 40 * DAY)

    assert len(breaches) == 1
    breach = breaches[0]
    assert breach.subject_key == f"t{client.open_trajectory.id}p{placement.id}"
    assert breach.anchor == M + 7 * DAY
    assert breach.facts == {"window_start": (M + 7 * DAY).isoformat(),
                            "window_end": (M + 13 * DAY).isoformat()}


def test_no_contact_at_all_gives_four_first_month_breaches(build):
    placed_client(build, start=M)

    breaches = judge("follow_along_first_month", M + 28 * DAY)

    assert sorted(b.anchor for b in breaches) == [M + 7 * k * DAY for k in range(4)]


def test_first_month_windows_after_the_job_ended_are_not_judged(build):
    worker, client, _ = placed_client(build, start=M, end=M + 9 * DAY)
    build.contact(worker, on=M, kind="client", client=client)

    breaches = judge("follow_along_first_month", M + 40 * DAY)

    # The second window began before the end (M+7 <= M+9) and is judged; later ones are not.
    assert [b.anchor for b in breaches] == [M + 7 * DAY]


# --- monthly afterwards -----------------------------------------------------------------------

L = date(2025, 10, 6)  # a long-running placement; monthly windows are L+28+30k .. L+57+30k


def weekly_first_month(build, worker, client, start):
    for week in range(4):
        build.contact(worker, on=start + 7 * week * DAY, kind="client", client=client)


def test_monthly_window_is_judged_only_after_it_has_passed(build):
    worker, client, _ = placed_client(build, start=L)
    weekly_first_month(build, worker, client, L)

    assert judge("follow_along_monthly", L + 57 * DAY) == []
    breaches = judge("follow_along_monthly", L + 58 * DAY)
    assert [(b.norm, b.anchor, b.facts) for b in breaches] == [
        ("follow_along_monthly", L + 28 * DAY,
         {"window_start": (L + 28 * DAY).isoformat(), "window_end": (L + 57 * DAY).isoformat()})]


def test_face_to_face_contact_on_the_last_day_of_the_month_satisfies_monthly_follow_along(build):
    worker, client, _ = placed_client(build, start=L)
    weekly_first_month(build, worker, client, L)
    build.contact(worker, on=L + 57 * DAY, kind="client", client=client)

    assert judge("follow_along_monthly", L + 58 * DAY) == []


def test_phone_contact_does_not_satisfy_monthly_follow_along(build):
    worker, client, _ = placed_client(build, start=L)
    weekly_first_month(build, worker, client, L)
    build.contact(worker, on=L + 40 * DAY, kind="client", mode="phone", client=client)

    assert len(judge("follow_along_monthly", L + 58 * DAY)) == 1


def test_monthly_contacts_keep_a_long_placement_clear(build):
    worker, client, _ = placed_client(build, start=L)
    weekly_first_month(build, worker, client, L)
    for month in range(5):
        build.contact(worker, on=L + (28 + 30 * month + 15) * DAY, kind="client", client=client)

    assert judge("follow_along_monthly", date(2026, 3, 18)) == []


def test_each_month_without_contact_is_its_own_breach(build):
    worker, client, _ = placed_client(build, start=L)
    weekly_first_month(build, worker, client, L)
    build.contact(worker, on=L + 30 * DAY, kind="client", client=client)  # month 0 is fine

    breaches = judge("follow_along_monthly", L + 118 * DAY)

    assert sorted(b.anchor for b in breaches) == [L + 58 * DAY, L + 88 * DAY]


def test_no_monthly_windows_after_the_placement_ended(build):
    worker, client, _ = placed_client(build, start=L, end=L + 20 * DAY)
    weekly_first_month(build, worker, client, L)

    assert judge("follow_along_monthly", date(2026, 3, 18)) == []


def test_follow_along_month_days_setting_changes_the_monthly_window(build):
    worker, client, _ = placed_client(build, start=L)
    weekly_first_month(build, worker, client, L)
    build.contact(worker, on=L + 40 * DAY, kind="client", client=client)
    build.setting("follow_along_month_days", 10)

    breaches = judge("follow_along_monthly", L + 58 * DAY)

    # windows L+28..37 (no contact), L+38..47 (contact), L+48..57 (no contact)
    assert sorted(b.anchor for b in breaches) == [L + 28 * DAY, L + 48 * DAY]


# --- job loss ---------------------------------------------------------------------------------

E = date(2026, 3, 10)  # the last day of a job


def test_no_job_loss_breach_on_end_plus_3(build):
    placed_client(build, start=date(2026, 1, 5), end=E)

    assert judge("job_loss_contact", E + 3 * DAY) == []


def test_job_loss_breach_from_end_plus_4_without_contact(build):
    _worker, client, placement = placed_client(build, start=date(2026, 1, 5), end=E)

    breaches = judge("job_loss_contact", E + 4 * DAY)

    assert len(breaches) == 1
    breach = breaches[0]
    assert breach.norm == "job_loss_contact"
    assert breach.subject_key == f"t{client.open_trajectory.id}p{placement.id}"
    assert breach.anchor == E
    assert breach.facts == {"ended_on": E.isoformat(), "limit": 3}


def test_job_loss_with_a_phone_contact_satisfies(build):
    worker, client, _ = placed_client(build, start=date(2026, 1, 5), end=E)
    build.contact(worker, on=E + 3 * DAY, kind="client", mode="phone", client=client)

    assert judge("job_loss_contact", E + 4 * DAY) == []


def test_job_loss_contact_on_end_plus_4_is_too_late(build):
    worker, client, _ = placed_client(build, start=date(2026, 1, 5), end=E)
    build.contact(worker, on=E + 4 * DAY, kind="client", client=client)

    assert [b.anchor for b in judge("job_loss_contact", E + 5 * DAY)] == [E]


def test_job_loss_contact_on_the_end_day_satisfies(build):
    worker, client, _ = placed_client(build, start=date(2026, 1, 5), end=E)
    build.contact(worker, on=E, kind="client", mode="email", client=client)

    assert judge("job_loss_contact", E + 4 * DAY) == []


def test_ongoing_placement_has_no_job_loss_breach(build):
    placed_client(build, start=date(2026, 1, 5))

    assert judge("job_loss_contact", date(2026, 3, 18)) == []


def test_ended_trajectory_raises_no_job_loss_breach_after_its_end_date(build):
    _worker, client, _ = placed_client(build, start=date(2026, 1, 5), end=E)
    build.end_trajectory(client, on=E + 5 * DAY)

    assert len(judge("job_loss_contact", E + 5 * DAY)) == 1
    assert judge("job_loss_contact", E + 6 * DAY) == []


def test_job_loss_days_setting_changes_the_window(build):
    placed_client(build, start=date(2026, 1, 5), end=E)
    build.setting("job_loss_days", 7)

    assert judge("job_loss_contact", E + 7 * DAY) == []
    assert len(judge("job_loss_contact", E + 8 * DAY)) == 1


def test_job_loss_days_zero_asks_for_contact_on_the_end_day(build):
    worker, client, _ = placed_client(build, start=date(2026, 1, 5), end=E)
    build.setting("job_loss_days", 0)

    assert judge("job_loss_contact", E) == []
    assert [b.anchor for b in judge("job_loss_contact", E + DAY)] == [E]
    build.contact(worker, on=E, kind="client", mode="phone", client=client)
    assert judge("job_loss_contact", E + DAY) == []


def test_no_first_month_breaches_when_its_weeks_are_set_to_zero(build):
    placed_client(build, start=M)
    build.setting("follow_along_first_month_weeks", 0)

    assert judge("follow_along_first_month", M + 60 * DAY) == []
    # the monthly windows then begin on the start itself
    assert [b.anchor for b in judge("follow_along_monthly", M + 60 * DAY)] == [M, M + 30 * DAY]
