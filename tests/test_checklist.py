"""The weekly checklist: numbers worked out by hand, reviews stored, access, query count."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from caseload import clock
from caseload.checklist.queries import team_week_checklist
from caseload.extensions import db
from caseload.models import Absence, Client, Signal, WeekReview, WorkerWeekReview
from caseload.norms.settings import NormSettings
from caseload.norms.worker_norms import weekly_employer_contact_figures
from tests.conftest import TODAY, csrf_token, login

MONDAY = TODAY - timedelta(days=TODAY.weekday() + 7)  # last complete week: 9-15 March 2026
WEEK = "2026-W11"


def seeker(build, worker, *, entry, code=None):
    client = build.client(worker, entry=entry, code=code)
    client.open_trajectory.change_phase("job_finding", on=entry, by=worker, today=TODAY)
    return client


def known_team(build):
    """Anna (FTE 0.8, 4 job seekers): 4 of ceil(4.8)=5 employer contacts, one by phone not
    counted; a client past day 30; a job start on Tuesday met by a visit, one on Thursday
    missed; a referral on Wednesday. Bert (FTE 1.0, 1 job seeker, absent 2 days)."""
    team = build.team()
    coordinator = build.user(team, role="coordinator")
    anna = build.user(team, name="Anna", fte="0.8")
    bert = build.user(team, name="Bert", fte="1.0")
    employer = build.employer()
    old = [seeker(build, anna, entry=MONDAY - timedelta(days=60)) for _ in range(3)]
    late = seeker(build, anna, entry=MONDAY - timedelta(days=40), code="LATE")
    for client in old:
        build.contact(anna, on=MONDAY - timedelta(days=45), kind="employer", employer=employer,
                      client=client)
    for day in range(4):
        build.contact(anna, on=MONDAY + timedelta(days=day), kind="employer", employer=employer)
    build.contact(anna, on=MONDAY + timedelta(days=4), kind="employer", employer=employer,
                  mode="phone")
    met, missed = old[0], old[1]
    build.placement(met, start=MONDAY - timedelta(days=2))       # deadline Thursday: met
    build.contact(anna, on=MONDAY, kind="client", client=met)
    build.placement(missed, start=MONDAY + timedelta(days=1))    # deadline Friday: missed
    build.client(anna, entry=MONDAY + timedelta(days=2))         # new referral (intake)
    seeker(build, bert, entry=MONDAY - timedelta(days=10))
    db.session.add(Absence(user=bert, from_date=MONDAY, to_date=MONDAY + timedelta(days=1)))
    build.commit()
    return team, coordinator, anna, bert, late


def test_checklist_numbers_match_the_hand_worked_week(build):
    team, _coordinator, anna, bert, _late = known_team(build)

    lines = {line.worker.name: line for line in
             team_week_checklist(db.session, [team.id], MONDAY, NormSettings())}

    a = lines["Anna"]
    assert (a.week.contacts, a.week.norm) == (4, 5)
    assert a.below_norm
    assert a.job_seekers == 4
    assert a.past_day_30 == 1            # LATE: day 46 on Sunday, no employer contact
    assert (a.follow_along_due, a.follow_along_missed) == (2, 1)
    assert (a.caseload, a.capacity) == (5, 20)
    assert a.new_referrals == 1
    assert (a.job_starts, a.job_endings) == (1, 0)  # the Saturday-before start is last week's
    b = lines["Bert"]
    # 1 job seeker: 2 x 1 = 2, pro rata 3 of 5 days present: ceil(1.2) = 2
    assert (b.week.contacts, b.week.norm) == (0, 2)
    assert (b.caseload, b.capacity) == (1, 25)


def test_job_seekers_take_the_last_of_several_phase_changes_on_one_day_in_every_team(build):
    """The checklist seeks the phases of its own workers only (bench/README.md, helper d): the
    last change of the week's Sunday wins by its order of entry, whatever the phases' names,
    a change after the Sunday does not count, and a worker in two teams has the same job
    seekers (their own, the norm's) on both teams' checklists."""
    team_a, team_b = build.team(), build.team()
    anna = build.user(team_a, name="Anna")
    anna.teams.append(team_b)
    colleague = build.user(team_a, name="Colleague")
    sunday = MONDAY + timedelta(days=6)
    entry = MONDAY - timedelta(days=40)
    left = build.client(anna, entry=entry)                  # job finding, then coaching: not
    build.phase(left, "job_finding", on=sunday)
    build.phase(left, "coaching", on=sunday)
    back = build.client(anna, entry=entry, team=team_b)     # coaching, then job finding: seeks
    build.phase(back, "coaching", on=sunday)
    build.phase(back, "job_finding", on=sunday)
    started = build.client(anna, entry=entry)               # engagement, then job finding: seeks
    build.phase(started, "engagement", on=sunday)
    build.phase(started, "job_finding", on=sunday)
    later = build.client(anna, entry=entry)                 # seeking on Sunday, placed on Monday
    build.phase(later, "job_finding", on=sunday - timedelta(days=1))
    build.phase(later, "coaching", on=sunday + timedelta(days=1))
    seeker(build, colleague, entry=entry)
    build.commit()

    organisation = weekly_employer_contact_figures(db.session, MONDAY, sunday, NormSettings())
    assert organisation[anna.id].job_seekers == 3
    for team in (team_a, team_b):
        line = lines_of(team)[anna.id]
        assert (line.job_seekers, line.week.norm) == (3, 6)
    assert lines_of(team_a)[colleague.id].job_seekers == 1


@pytest.mark.parametrize("days", [3, 5])
def test_follow_along_due_in_the_week_counts_deadlines_from_monday_to_sunday(build, days):
    """A placement's first follow-along contact is due N days after its start (the setting):
    the week's line counts the deadlines from its Monday to its Sunday, both included, and
    misses those without a face-to-face client contact from the start to the deadline."""
    team = build.team()
    anna = build.user(team, name="Anna")
    sunday = MONDAY + timedelta(days=6)
    clients = {}
    for start in (MONDAY - timedelta(days=days + 1), MONDAY - timedelta(days=days),
                  sunday - timedelta(days=days), sunday - timedelta(days=days - 1)):
        clients[start] = build.client(anna, entry=MONDAY - timedelta(days=60))
        build.placement(clients[start], start=start)
    # the Monday deadline met on the day itself; the Sunday one missed
    build.contact(anna, on=MONDAY, kind="client", client=clients[MONDAY - timedelta(days=days)])
    build.commit()

    line, = team_week_checklist(db.session, [team.id], MONDAY,
                                NormSettings(follow_along_start_days=days))
    assert (line.follow_along_due, line.follow_along_missed) == (2, 1)


def test_open_signals_per_norm_are_the_teams_own_for_a_worker_in_two_teams(build):
    """A line's open signals per norm: about the team's clients (whoever holds them now) and
    the worker's own (no trajectory), open and not acknowledged; a worker in two teams has
    their own signals on both lines and each team's client signals on that team's only."""
    team_a, team_b = build.team(), build.team()
    anna = build.user(team_a, name="Anna")
    anna.teams.append(team_b)
    colleague = build.user(team_a, name="Colleague")
    in_a = build.client(anna, entry=MONDAY - timedelta(days=40)).open_trajectory
    in_b = build.client(anna, entry=MONDAY - timedelta(days=40), team=team_b).open_trajectory
    theirs = build.client(colleague, entry=MONDAY - timedelta(days=40)).open_trajectory
    now = clock.utcnow()

    def signal(norm, key, worker, trajectory=None, **state):
        db.session.add(Signal(norm=norm, subject_key=key, worker_id=worker.id,
                              trajectory_id=trajectory and trajectory.id, anchor=MONDAY,
                              facts={}, first_seen_on=MONDAY, last_seen_on=MONDAY, **state))
    signal("rapid_job_search", "a1", anna, in_a)
    signal("treatment_team_contact", "a2", anna, in_a)
    signal("treatment_team_contact", "a3", anna, in_a, acknowledged_at=now)
    signal("treatment_team_contact", "a4", anna, in_a, resolved_at=now)
    signal("rapid_job_search", "b1", anna, in_b)
    signal("rapid_job_search", "c1", colleague, theirs)
    signal("caseload_size", "w", anna)            # the worker's own
    build.commit()

    a, b = lines_of(team_a), lines_of(team_b)
    assert a[anna.id].signals_by_norm == {"rapid_job_search": 1, "treatment_team_contact": 1,
                                          "caseload_size": 1}
    assert b[anna.id].signals_by_norm == {"rapid_job_search": 1, "caseload_size": 1}
    assert a[colleague.id].signals_by_norm == {"rapid_job_search": 1}



def test_checklist_week_figures_are_the_norms_for_its_workers_absences_and_contacts(build):
    """Each line's week (contacts, job seekers, absent days, norm) is the weekly norm's for that
    worker, read in the checklist's own statement: overlapping absences count a day once, a
    weekend absence none, one from the week before only its days in the week; the worker's
    contacts in any team count, another worker's and a phoned one do not; a worker without FTE
    has no week (no norm)."""
    team, other = build.team(), build.team()
    anna = build.user(team, name="Anna", fte="0.8")
    anna.teams.append(other)
    bert = build.user(team, name="Bert")
    carl = build.user(team, name="Carl", fte="0.0")
    dora = build.user(other, name="Dora")
    employer = build.employer()
    for worker in (anna, bert, carl, dora):
        seeker(build, worker, entry=MONDAY - timedelta(days=20))
    seeker(build, anna, entry=MONDAY - timedelta(days=20))
    build.client(anna, entry=MONDAY - timedelta(days=20), team=other)   # not seeking: intake
    build.absence(anna, start=MONDAY, end=MONDAY + timedelta(days=2))
    build.absence(anna, start=MONDAY + timedelta(days=1), end=MONDAY + timedelta(days=3))
    build.absence(bert, start=MONDAY - timedelta(days=9), end=MONDAY)
    build.absence(bert, start=MONDAY + timedelta(days=5), end=MONDAY + timedelta(days=6))
    build.absence(dora, start=MONDAY, end=MONDAY + timedelta(days=4))
    for day in range(3):
        build.contact(anna, on=MONDAY + timedelta(days=day), kind="employer", employer=employer)
    build.contact(anna, on=MONDAY + timedelta(days=6), kind="employer", employer=employer)
    build.contact(anna, on=MONDAY + timedelta(days=7), kind="employer", employer=employer)
    build.contact(bert, on=MONDAY, kind="employer", employer=employer, mode="phone")
    build.contact(dora, on=MONDAY, kind="employer", employer=employer)
    build.commit()
    sunday = MONDAY + timedelta(days=6)

    lines = lines_of(team)
    organisation = weekly_employer_contact_figures(db.session, MONDAY, sunday, NormSettings())
    named = weekly_employer_contact_figures(db.session, MONDAY, sunday, NormSettings(),
                                            worker_ids=[anna.id, bert.id, carl.id])
    a, b = lines[anna.id].week, lines[bert.id].week
    # Anna: Monday to Thursday absent (4 days), 4 contacts (Sunday's too), 2 seekers:
    # ceil(2 x 2 x 1/5) = 1
    assert (a.contacts, a.job_seekers, a.absent_days, a.norm) == (4, 2, 4, 1)
    assert (b.contacts, b.job_seekers, b.absent_days, b.norm) == (0, 1, 1, 2)
    assert lines[carl.id].week is None and carl.id not in organisation
    for worker in (anna, bert):
        assert lines[worker.id].week == organisation[worker.id] == named[worker.id]
    assert dora.id not in lines
    assert organisation[dora.id].absent_days == 5 and organisation[dora.id].norm is None


def lines_of(team):
    return {line.worker.id: line for line in
            team_week_checklist(db.session, [team.id], MONDAY, NormSettings())}


def test_coordinator_reviews_a_worker_line_and_the_week_and_sees_them_again(client, build):
    team, coordinator, anna, _bert, _late = known_team(build)
    login(client, coordinator)
    url = f"/checklist/?team={team.id}&week={WEEK}"
    page = client.get(url)
    assert f'data-week="{WEEK}" data-reviewed="no"' in page.text
    token = csrf_token(client, url)

    client.post(f"/checklist/review-line?team={team.id}&week={WEEK}",
                data={"csrf_token": token, "worker_id": anna.id, "note": "Vier bezoeken, besproken"})
    client.post(f"/checklist/review-week?team={team.id}&week={WEEK}",
                data={"csrf_token": token, "note": "Week doorgenomen"})

    review = db.session.query(WorkerWeekReview).one()
    assert (review.worker_id, review.week_start, review.reviewed_by_id) == (
        anna.id, MONDAY, coordinator.id)
    assert db.session.query(WeekReview).one().note == "Week doorgenomen"
    page = client.get(url)
    assert "Vier bezoeken, besproken" in page.text and "Week doorgenomen" in page.text
    assert f'data-week="{WEEK}" data-reviewed="yes"' in page.text
    # who reviewed, on Anna's line only and on the week
    assert page.text.count(f'<span class="reviewed-mark">✓ {coordinator.name}, ') == 1
    assert re.search(r'<p class="reviewed-mark">[^<]*' + re.escape(coordinator.name), page.text)


def test_a_worker_can_read_the_own_team_checklist_but_not_review_it(client, build):
    team, _coordinator, anna, _bert, _late = known_team(build)
    login(client, anna)
    assert client.get(f"/checklist/?team={team.id}&week={WEEK}").status_code == 200
    token = csrf_token(client, f"/checklist/?team={team.id}&week={WEEK}")
    response = client.post(f"/checklist/review-week?team={team.id}&week={WEEK}",
                           data={"csrf_token": token, "note": "x"})
    assert response.status_code == 403
    assert db.session.query(WeekReview).count() == 0


def test_a_worker_cannot_open_another_teams_checklist(client, build):
    team, _coordinator, _anna, _bert, _late = known_team(build)
    outsider = build.user(build.team())
    build.commit()
    login(client, outsider)
    assert client.get(f"/checklist/?team={team.id}&week={WEEK}").status_code == 404


def test_a_worker_who_moved_to_another_team_since_keeps_a_line_that_can_be_reviewed(
        client, build):
    """Anna held team A's clients last week and moved to team B this week: last week's
    checklist of team A lists her line with its review form, and the review is taken; a worker
    of team B without a line in team A's week is still refused."""
    team, coordinator, anna, bert, _late = known_team(build)
    other = build.team()
    stranger = build.user(other)
    build.commit()
    for person in list(db.session.scalars(select(Client).where(Client.team_id == team.id))):
        if person.open_trajectory is not None and person.open_trajectory.worker is anna:
            build.transfer(person, bert, on=TODAY, by=coordinator)
    anna.teams = [other]
    build.commit()
    login(client, coordinator)
    url = f"/checklist/?team={team.id}&week={WEEK}"
    page = client.get(url).text
    assert f'data-worker="{anna.id}"' in page
    token = csrf_token(client, url)

    for worker, status in ((stranger, 404), (anna, 302)):
        response = client.post(f"/checklist/review-line?team={team.id}&week={WEEK}",
                               data={"csrf_token": token, "worker_id": worker.id, "note": "ok"})
        assert response.status_code == status, worker.name

    review = db.session.query(WorkerWeekReview).one()
    assert (review.worker_id, review.team_id, review.week_start) == (anna.id, team.id, MONDAY)


def test_checklist_page_runs_the_same_number_of_queries_for_small_and_large_teams(
        client, build, count_queries):
    team = build.team()
    team_id = team.id
    coordinator = build.user(team, role="coordinator")
    build.commit()

    def add_workers(n):
        from caseload.models import Team
        team = db.session.get(Team, team_id)
        employer = build.employer()
        for _ in range(n):
            worker = build.user(team)
            for _c in range(3):
                c = seeker(build, worker, entry=MONDAY - timedelta(days=40))
                build.contact(worker, on=MONDAY, kind="employer", employer=employer, client=c)
                build.placement(c, start=MONDAY)
        build.commit()

    add_workers(2)
    login(client, coordinator)
    url = f"/checklist/?team={team_id}&week={WEEK}"
    with count_queries() as small:
        assert client.get(url).status_code == 200
    add_workers(12)
    with count_queries() as large:
        assert client.get(url).status_code == 200
    assert small.count == large.count


def test_a_review_note_one_character_over_the_column_is_refused_with_the_columns_limit(client, build):
    from caseload.models.base import NOTE_LENGTH
    team, coordinator, _anna, _bert, _late = known_team(build)
    login(client, coordinator)
    url = f"/checklist/?team={team.id}&week={WEEK}"
    page = client.get(url)
    assert f'name="note" maxlength="{NOTE_LENGTH}"' in page.text
    token = csrf_token(client, url)
    page = client.post(f"/checklist/review-week?team={team.id}&week={WEEK}",
                       data={"csrf_token": token, "note": "x" * (NOTE_LENGTH + 1)},
                       follow_redirects=True)
    assert f"maximaal {NOTE_LENGTH} tekens" in page.text
    assert db.session.query(WeekReview).count() == 0
    client.post(f"/checklist/review-week?team={team.id}&week={WEEK}",
                data={"csrf_token": token, "note": "x" * NOTE_LENGTH})
    assert db.session.query(WeekReview).one().note == "x" * NOTE_LENGTH
