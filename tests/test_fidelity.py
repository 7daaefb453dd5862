"""Fidelity: each computable item from a small known data set, scored by the anchors of
Appendix 5 (with the band edges), the self-assessment with notes, totals and bands, history, and
access. TODAY is Wednesday 2026-03-18 (tests/conftest.py)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select

from caseload.extensions import db
from caseload.fidelity.items import compute_items
from caseload.fidelity.scale import COMPUTABLE, ITEMS, band
from caseload.models import FidelityAssessment, Placement, VocationalProfile, WeekReview
from tests.conftest import TODAY, csrf_token, login

Q1 = (date(2026, 1, 1), TODAY)                     # 2026-Q1 up to today
TWO_WEEKS = (date(2026, 3, 2), date(2026, 3, 15))  # ISO weeks 10 and 11


def team_of(build, fte="1.0"):
    team = build.team()
    coordinator = build.user(team, role="coordinator")
    worker = build.user(team, fte=fte)
    return team, coordinator, worker


def item(team, number, period=Q1):
    db.session.flush()
    return compute_items(db.session, team.id, *period)[number]


def job(build, client, *, start, job_type="", employer=None, wage="16.00", kind="paid_job",
        competitive=True, end=None):
    placement = Placement.start(
        trajectory=client.open_trajectory, employer=employer or build.employer(),
        job_title="Medewerker", start_date=start, hours_per_week=Decimal(20),
        today=TODAY, placement_type=kind, hourly_wage=Decimal(wage) if wage else None,
        competitive=competitive, job_type=job_type)
    placement.end_date, placement.end_reason = end, "contract_ended" if end else None
    db.session.add(placement)
    db.session.flush()
    return placement


@pytest.mark.parametrize("clients, fte, score", [
    (25, "1.0", 5), (26, "1.0", 4), (20, "0.5", 4), (21, "0.5", 3), (60, "1.0", 3),
    (61, "1.0", 2), (81, "1.0", 1)])
def test_item_1_scores_clients_per_fte_by_the_anchors(build, clients, fte, score):
    team, _c, worker = team_of(build, fte)
    for _ in range(clients):
        build.client(worker, entry=date(2025, 12, 1))
    result = item(team, 1)
    assert result.fact("clients_per_fte") == clients / float(fte)
    assert result.score == score


def test_item_1_counts_the_mean_caseload_per_day(build):
    team, _c, worker = team_of(build)
    for _ in range(25):
        build.client(worker, entry=date(2026, 2, 1))
    build.client(worker, entry=date(2026, 3, 6))    # 5 of the 10 days
    result = item(team, 1, (date(2026, 3, 1), date(2026, 3, 10)))
    assert result.fact("mean_caseload") == 25.5       # (25 × 10 + 5) / 10
    assert result.fact("highest_caseload") == 26 and result.fact("end_caseload") == 26
    assert result.score == 4                           # more than 25 per FTE


def test_item_1_scores_the_busiest_day_not_the_mean(build):
    """20 clients all period, 10 more on the last day only: the mean day has 21 clients per
    FTE (a 5 by the mean), the busiest day 30 (a 4): the scale's maximum of 25 is exceeded."""
    team, _c, worker = team_of(build)
    for _ in range(20):
        build.client(worker, entry=date(2026, 2, 1))
    for _ in range(10):
        build.client(worker, entry=date(2026, 3, 10))
    result = item(team, 1, (date(2026, 3, 1), date(2026, 3, 10)))
    assert result.fact("mean_clients_per_fte") == 21.0
    assert result.fact("clients_per_fte") == 30.0
    assert result.score == 4


def test_item_3_counts_the_phases_each_worker_carries_out(build):
    team, _c, worker = team_of(build)
    other = build.user(team)
    client = build.client(worker, entry=date(2026, 1, 5))
    for day, phase in zip((10, 15, 20, 25, 30), ("engagement", "assessment", "job_finding",
                                                 "coaching", "follow_along"), strict=True):
        build.phase(client, phase, on=date(2026, 1, day))
    second = build.client(other, entry=date(2025, 11, 1))
    build.phase(second, "job_finding", on=date(2026, 2, 1))
    result = item(team, 3)
    assert [row[1] for row in result.table] == [6, 2]   # worker scores 5, other 3
    # "Iedere IPS-trajectbegeleider": the team scores what every worker reaches.
    assert result.fact("lowest_worker_score") == 3 and result.score == 3


def test_item_3_scores_5_only_when_every_worker_carries_out_all_phases(build):
    team, _c, worker = team_of(build)
    other = build.user(team)
    for person in (worker, other):
        client = build.client(person, entry=date(2026, 1, 5))
        for day, phase in zip((10, 15, 20, 25, 30), ("engagement", "assessment", "job_finding",
                                                     "coaching", "follow_along"), strict=True):
            build.phase(client, phase, on=date(2026, 1, day))
    assert item(team, 3).score == 5


@pytest.mark.parametrize("specialist, with_plans, score", [(True, 2, 5), (False, 2, 4),
                                                            (True, 1, 2), (True, 0, 2)])
def test_item_12_benefits_plans_before_job_starts(build, specialist, with_plans, score):
    """Two clients, two job starts; the first client also gets a plan after the start. Both
    before the start by a specialist: 5; any plan before both: 4; some clients only: 2."""
    team, _c, worker = team_of(build)
    for n in range(2):
        client = build.client(worker, entry=date(2026, 1, 5))
        if n < with_plans:
            plan = build.benefits_plan(client, on=date(2026, 2, 1))
            plan.by_benefits_specialist = specialist
        if n == 0:
            build.benefits_plan(client, on=date(2026, 3, 1))   # after the start: too late
        job(build, client, start=date(2026, 2, 10))
    result = item(team, 12)
    assert result.fact("plan_share") == 50.0 * with_plans
    assert result.score == score


def test_item_12_every_client_discussed_scores_3_whatever_the_timing(build):
    team, _c, worker = team_of(build)
    for _ in range(2):
        client = build.client(worker, entry=date(2026, 1, 5))
        job(build, client, start=date(2026, 2, 10))
        build.benefits_plan(client, on=date(2026, 3, 1))   # after the start
    result = item(team, 12)
    assert (result.fact("clients_share"), result.fact("plan_share")) == (100.0, 0.0)
    assert result.score == 3


def test_item_12_no_plan_at_all_scores_1(build):
    team, _c, worker = team_of(build)
    job(build, build.client(worker, entry=date(2026, 1, 5)), start=date(2026, 2, 10))
    assert item(team, 12).score == 1


def test_item_13_disclosure_elements(build):
    team, _c, worker = team_of(build)
    early = build.client(worker, entry=date(2026, 2, 1))
    build.disclosure(early, on=date(2026, 2, 5))
    build.contact(worker, on=date(2026, 2, 10), kind="employer", client=early, mode="phone",
                  employer=build.employer())
    assert item(team, 13).score == 5        # logged (elements 1, 3), before (2), no one jobless
    late = build.client(worker, entry=date(2025, 12, 1))
    build.contact(worker, on=date(2026, 1, 10), kind="employer", client=late,
                  employer=build.employer())
    build.disclosure(late, on=date(2026, 1, 12))
    result = item(team, 13)
    # 'late' discussed after its first employer contact (50% before) and once only after two
    # months without a job: elements 1 and 3 (100% logged) only.
    assert (result.fact("before_share"), result.fact("repeated_share")) == (50.0, 0.0)
    assert result.score == 3
    build.disclosure(late, on=date(2026, 1, 5))
    result = item(team, 13)
    assert result.fact("repeated_share") == 100.0 and result.score == 5


def profile(client, *, updated, complete=True):
    db.session.add(VocationalProfile(
        client=client, preferences="zorg", experience="winkel", skills="plannen",
        strengths="geduld" if complete else "",
        updated_at=datetime.combine(updated, datetime.min.time(), UTC)
        + timedelta(hours=12)))


@pytest.mark.parametrize("updated, complete, score", [
    (date(2026, 2, 10), True, 5), (date(2026, 1, 15), True, 4), (date(2026, 2, 10), False, 3)])
def test_item_14_vocational_profile_complete_and_updated_after_work(build, updated, complete,
                                                                     score):
    team, _c, worker = team_of(build)
    client = build.client(worker, entry=date(2025, 12, 1))
    build.phase(client, "job_finding", on=date(2026, 1, 5))
    job(build, client, start=date(2026, 2, 1))
    profile(client, updated=updated, complete=complete)
    assert item(team, 14).score == score


@pytest.mark.parametrize("days, score", [(30, 5), (31, 4), (60, 4), (61, 3), (150, 3),
                                         (151, 2), (270, 2), (271, 1)])
def test_item_15_mean_days_to_first_face_to_face_employer_contact(build, days, score):
    team, _c, worker = team_of(build)
    client = build.client(worker, entry=TODAY - timedelta(days=days + 5))
    build.contact(worker, on=TODAY - timedelta(days=5), kind="employer", client=client,
                  employer=build.employer())
    result = item(team, 15, (TODAY - timedelta(days=10), TODAY))
    assert result.fact("mean_days") == days and result.score == score


def test_item_15_counts_clients_still_waiting_past_day_30(build):
    team, _c, worker = team_of(build)
    quick = build.client(worker, entry=date(2026, 1, 1))
    build.contact(worker, on=date(2026, 1, 31), kind="employer", client=quick,
                  employer=build.employer())
    build.contact(worker, on=date(2026, 1, 20), kind="employer", client=quick, mode="phone",
                  employer=build.employer())
    build.client(worker, entry=date(2026, 1, 1))     # nothing yet: 76 days so far
    build.client(worker, entry=date(2026, 3, 1))     # 17 days: not late yet, left out
    result = item(team, 15)
    assert result.fact("mean_days") == 53.0 and result.score == 4     # (30 + 76) / 2


def seekers(build, worker, n):
    for _ in range(n):
        client = build.client(worker, entry=date(2026, 1, 5))
        build.phase(client, "job_finding", on=date(2026, 2, 1))


def employer_visits(build, worker, per_week, weeks=(date(2026, 3, 2), date(2026, 3, 9))):
    for monday in weeks:
        for n in range(per_week):
            build.contact(worker, on=monday + timedelta(days=n % 5), kind="employer",
                          employer=build.employer())


def review(team, coordinator, *mondays, days_after_monday=8):
    """Reviews made on the Tuesday after their week, unless told otherwise."""
    for monday in mondays:
        made = datetime.combine(monday + timedelta(days=days_after_monday), datetime.min.time(),
                                tzinfo=UTC).replace(hour=10)
        db.session.add(WeekReview(team_id=team.id, week_start=monday, reviewed_by=coordinator,
                                  reviewed_at=made))


@pytest.mark.parametrize("fte, per_week, reviewed, score", [
    ("1.0", 6, 2, 5), ("1.0", 5, 2, 4), ("1.0", 4, 2, 3), ("1.0", 2, 2, 2), ("1.0", 1, 2, 1),
    ("0.5", 3, 2, 5), ("1.0", 6, 1, 3), ("1.0", 6, 0, 2)])
def test_item_17_employer_contacts_per_week_per_fte_and_checklist(build, fte, per_week,
                                                                   reviewed, score):
    team, coordinator, worker = team_of(build, fte)
    seekers(build, worker, 3)
    employer_visits(build, worker, per_week)
    build.contact(worker, on=date(2026, 3, 3), kind="employer", mode="phone",
                  employer=build.employer())
    review(team, coordinator, *[date(2026, 3, 2), date(2026, 3, 9)][:reviewed])
    result = item(team, 17, TWO_WEEKS)
    assert result.fact("contacts_per_week_per_fte") == per_week / float(fte)
    assert result.score == score


def test_item_17_few_job_seekers_and_absence(build):
    team, coordinator, worker = team_of(build)
    seekers(build, worker, 1)                  # norm 2 × 1 instead of 6
    employer_visits(build, worker, 2, weeks=(date(2026, 3, 9),))
    build.absence(worker, start=date(2026, 3, 2), end=date(2026, 3, 6))   # week 10 not counted
    review(team, coordinator, date(2026, 3, 2), date(2026, 3, 9))
    result = item(team, 17, TWO_WEEKS)
    assert result.table[0][2:] == [1, 2, 2.0, 6.0]     # weeks, contacts, norm, per week per FTE
    assert result.score == 5


@pytest.mark.parametrize("community, score", [(65, 5), (64, 4), (50, 4), (49, 3), (40, 3),
                                              (39, 2), (31, 2), (30, 1)])
def test_item_24_share_of_minutes_in_the_community(build, community, score):
    team, _c, worker = team_of(build)
    client = build.client(worker, entry=date(2026, 1, 5))
    build.contact(worker, on=date(2026, 3, 3), client=client, minutes=community)
    build.contact(worker, on=date(2026, 3, 4), client=client, minutes=100 - community,
                  place="office")
    result = item(team, 24, TWO_WEEKS)
    assert result.fact("community_share") == community and result.score == score


def test_item_24_is_the_mean_over_workers(build):
    team, _c, worker = team_of(build)
    other = build.user(team)
    client = build.client(worker, entry=date(2026, 1, 5))
    build.contact(worker, on=date(2026, 3, 3), client=client, minutes=90)           # 100%
    build.contact(other, on=date(2026, 3, 3), client=client, minutes=30)            # 30%
    build.contact(other, on=date(2026, 3, 4), client=client, minutes=70, place="office")
    assert item(team, 24, TWO_WEEKS).fact("community_share") == 65.0


def ten_jobs(build, worker, *, types, employers, low_wage=0):
    places = [build.employer() for _ in range(employers)]
    for n in range(10):
        client = build.client(worker, entry=date(2025, 11, 1))
        job(build, client, start=date(2026, 1, 5), job_type=f"Type {min(n, types - 1)}",
            employer=places[n % employers], wage="14.00" if n < low_wage else "16.00")


@pytest.mark.parametrize("types, score", [(9, 5), (8, 4), (7, 4), (6, 3), (5, 2), (4, 1)])
def test_item_19_diversity_of_job_types(build, types, score):
    team, _c, worker = team_of(build)
    ten_jobs(build, worker, types=types, employers=10)
    assert item(team, 19).score == score


@pytest.mark.parametrize("employers, score", [(10, 5), (7, 4), (6, 3), (5, 2), (4, 1)])
def test_item_20_diversity_of_employers(build, employers, score):
    team, _c, worker = team_of(build)
    ten_jobs(build, worker, types=10, employers=employers)
    assert item(team, 20).score == score


@pytest.mark.parametrize("low_wage, score", [(0, 5), (1, 4), (2, 3), (3, 2), (4, 1)])
def test_item_21_competitive_jobs(build, low_wage, score):
    team, _c, worker = team_of(build)
    ten_jobs(build, worker, types=10, employers=10, low_wage=low_wage)
    assert item(team, 21).fact("share") == 100 - 10 * low_wage
    assert item(team, 21).score == score


@pytest.mark.parametrize("jobs, low_wage, share, score", [
    (31, 11, 64.5, 2),   # "minder dan 64%" is 1: 64.5% is not below 64
    (25, 9, 64.0, 2),
    (30, 11, 63.3, 1)])
def test_item_21_the_edge_between_1_and_2(build, jobs, low_wage, share, score):
    team, _c, worker = team_of(build)
    for n in range(jobs):
        job(build, build.client(worker, entry=date(2025, 11, 1)), start=date(2026, 1, 5),
            wage="14.00" if n < low_wage else "16.00")
    result = item(team, 21)
    assert result.fact("share") == share and result.score == score


def test_item_21_needs_a_job_base_of_ten(build):
    team, _c, worker = team_of(build)
    for _ in range(9):
        job(build, build.client(worker, entry=date(2025, 11, 1)), start=date(2026, 1, 5))
    result = item(team, 21)
    assert result.fact("share") == 100.0 and result.score == 1


def follow_along(build, worker, start, visits):
    client = build.client(worker, entry=date(2025, 10, 1))
    job(build, client, start=start)
    for day in visits:
        build.contact(worker, on=day, client=client)


@pytest.mark.parametrize("visits, score", [
    # before, within 3 days, then weekly in the first month (start Monday 2 February)
    ((date(2026, 1, 28), date(2026, 2, 3), date(2026, 2, 10), date(2026, 2, 17),
      date(2026, 2, 24)), 5),
    ((date(2026, 2, 3), date(2026, 2, 10), date(2026, 2, 17), date(2026, 2, 24)), 4),
    ((date(2026, 1, 28), date(2026, 2, 3), date(2026, 2, 10), date(2026, 2, 24)), 3),
    ((), 1)])
def test_item_23_follow_along_after_a_job_start(build, visits, score):
    team, _c, worker = team_of(build)
    follow_along(build, worker, date(2026, 2, 2), visits)
    assert item(team, 23).score == score


def test_item_23_contact_in_the_first_month_only_scores_2(build):
    team, _c, worker = team_of(build)
    # Started 5 January: two 30-day windows passed; contact in the first only.
    follow_along(build, worker, date(2026, 1, 5), (date(2026, 1, 6),))
    result = item(team, 23)
    assert (result.fact("four_months"), result.fact("first_month_any")) == (0.0, 100.0)
    assert result.score == 2


def test_item_scores_are_none_without_data(build):
    team, _c, _worker = team_of(build)
    results = compute_items(db.session, team.id, *Q1)
    assert set(results) == COMPUTABLE
    assert all(results[n].score is None for n in COMPUTABLE - {1})


@pytest.mark.parametrize("total, key", [(125, "exemplary"), (115, "exemplary"), (114, "good"),
                                        (100, "good"), (99, "fair"), (74, "fair"),
                                        (73, "not_ips"), (25, "not_ips")])
def test_bands_of_the_total(total, key):
    assert band(total) == key


def test_scale_holds_25_items_with_five_anchors_each():
    assert sorted(ITEMS) == list(range(1, 26))
    assert all(len(i.anchors) == 5 and i.title_nl and i.title_en for i in ITEMS.values())
    assert ITEMS[1].anchors[4].startswith("25 cliënten of minder")
    assert "binnen 30 dagen" in ITEMS[15].anchors[4]


def assessment_form(client, team, scores: dict[int, int], notes: dict[int, str]):
    data = {"csrf_token": csrf_token(client, f"/fidelity/?team={team.id}"), "team": team.id,
            "quarter": "2026-Q1"}
    for number in ITEMS:
        data[f"score_{number}"] = str(scores.get(number, 4))
        data[f"note_{number}"] = notes.get(number, "")
    return data


def test_page_shows_computed_items_with_their_numbers(client, build):
    _team, coordinator, worker = team_of(build)
    for _ in range(26):
        build.client(worker, entry=date(2025, 12, 1))
    build.commit()
    login(client, coordinator)
    page = client.get("/fidelity/?quarter=2026-Q1")
    assert page.status_code == 200
    assert 'data-computed="1" data-score="4"' in page.text
    assert 'data-fact="clients_per_fte" data-value="26.0"' in page.text
    for number in set(ITEMS) - COMPUTABLE:
        assert f'data-by-hand="{number}"' in page.text
    assert 'name="score_1"' in page.text and 'name="note_25"' in page.text


def test_saving_a_self_assessment_needs_notes_for_hand_scores_and_overrides(client, build):
    team, coordinator, worker = team_of(build)
    for _ in range(26):
        build.client(worker, entry=date(2025, 12, 1))   # item 1 computes 4
    build.commit()
    login(client, coordinator)
    hand = {n: "besproken in het team" for n in set(ITEMS) - {1}}
    override = client.post("/fidelity/assessments", data=assessment_form(
        client, team, {1: 5}, hand))
    assert override.status_code == 422 and 'id="note_1-error"' in override.text
    missing = client.post("/fidelity/assessments", data=assessment_form(
        client, team, {1: 4}, {}))
    assert missing.status_code == 422 and 'id="note_2-error"' in missing.text
    assert 'id="note_1-error"' not in missing.text          # the computed score needs none
    assert db.session.scalar(select(FidelityAssessment.id)) is None

    scores = {n: 5 for n in ITEMS} | {1: 4, 2: 4, 3: 1, 4: 1, 5: 1, 6: 1}   # 115 - 1 = 114
    saved = client.post("/fidelity/assessments", data=assessment_form(client, team, scores, hand))
    assert saved.status_code == 302
    assessment = db.session.scalars(select(FidelityAssessment)).one()
    assert (assessment.total, assessment.period_start, assessment.period_end) == (
        sum(scores.values()), date(2026, 1, 1), date(2026, 3, 31))
    by_item = {s.item_number: s for s in assessment.items}
    assert by_item[1].computed and not by_item[2].computed and by_item[2].note
    page = client.get(saved.headers["Location"])
    assert f'data-total="{assessment.total}"' in page.text
    assert f'data-band="{band(assessment.total)}"' in page.text

    scores[3] = 2                                              # one more point: 115
    client.post("/fidelity/assessments", data=assessment_form(client, team, scores, hand))
    index = client.get(f"/fidelity/?team={team.id}")
    assert 'data-band="exemplary"' in index.text and 'data-band="good"' in index.text
    assert index.text.count("data-assessment=") == 2


@pytest.mark.parametrize("url", ["/fidelity/", "/fidelity/?quarter=2026-Q1"])
def test_workers_and_administrators_get_403(client, app, build, url):
    _team, _coordinator, worker = team_of(build)
    admin = build.user(role="admin")
    build.commit()
    login(client, worker)
    assert client.get(url).status_code == 403
    other = app.test_client()
    login(other, admin)
    assert other.get(url).status_code == 403


def test_coordinator_of_another_team_cannot_see_or_save(client, build):
    team, coordinator, _worker = team_of(build)
    db.session.add(FidelityAssessment(team=team, period_start=date(2026, 1, 1),
                                      period_end=date(2026, 3, 31), created_by=coordinator))
    stranger = build.user(build.team(), role="coordinator")
    build.commit()
    assessment_id = db.session.scalar(select(FidelityAssessment.id))
    login(client, stranger)
    assert client.get(f"/fidelity/?team={team.id}").status_code == 404
    assert client.get(f"/fidelity/assessments/{assessment_id}").status_code == 404
    data = assessment_form(client, team, {}, {n: "x" for n in ITEMS})
    data["csrf_token"] = csrf_token(client, "/fidelity/")
    assert client.post("/fidelity/assessments", data=data).status_code == 404
    assert client.get("/fidelity/").status_code == 200        # their own team
