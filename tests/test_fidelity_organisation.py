"""Fidelity items as Appendix 5 reads them: item 17's review timing and contacts with schools,
and items 4, 6 and 18 computed from the data (caseload/fidelity/items_organisation.py)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from caseload.extensions import db
from tests.test_fidelity import TWO_WEEKS, employer_visits, item, review, seekers, team_of


@pytest.mark.parametrize("days_after_monday, counts", [(0, True), (13, True), (14, False),
                                                       (200, False)])
def test_item_17_a_week_counts_as_reviewed_only_in_that_week_or_the_next(
        build, days_after_monday, counts):
    """Reviewed on the Sunday of the next week still counts; 8 days after the week, not."""
    team, coordinator, worker = team_of(build)
    seekers(build, worker, 3)
    employer_visits(build, worker, 6)
    review(team, coordinator, date(2026, 3, 2), days_after_monday=days_after_monday)
    review(team, coordinator, date(2026, 3, 9))
    result = item(team, 17, TWO_WEEKS)
    assert result.fact("reviewed_weeks") == (2 if counts else 1)
    assert result.score == (5 if counts else 3)


def test_item_17_and_the_weekly_norm_count_contacts_with_schools(build):
    """5 face-to-face employer contacts and 1 with an education institution make 6."""
    from caseload.norms.settings import NormSettings
    from caseload.norms.worker_norms import weekly_employer_contact_figures
    team, coordinator, worker = team_of(build)
    seekers(build, worker, 3)
    employer_visits(build, worker, 5)
    for monday in (date(2026, 3, 2), date(2026, 3, 9)):
        build.contact(worker, on=monday + timedelta(days=1), kind="education")
        build.contact(worker, on=monday + timedelta(days=2), kind="education", mode="phone")
    review(team, coordinator, date(2026, 3, 2), date(2026, 3, 9))
    result = item(team, 17, TWO_WEEKS)
    assert result.fact("contacts_per_week_per_fte") == 6.0 and result.score == 5
    week = weekly_employer_contact_figures(db.session, date(2026, 3, 9), date(2026, 3, 15),
                                           NormSettings())[worker.id]
    assert (week.contacts, week.norm) == (6, 6)

@pytest.mark.parametrize("from_two, others, score", [(9, 1, 5), (8, 2, 4), (3, 1, 4), (5, 5, 3),
                                                     (4, 6, 2)])
def test_item_4_share_of_the_caseload_from_the_two_largest_referrers(build, from_two, others,
                                                                     score):
    team, _c, worker = team_of(build)
    referrers = ["FACT Noord", "FACT Zuid"]
    for n in range(from_two + others):
        client = build.client(worker, entry=date(2026, 1, 5))
        client.referral_source = referrers[n % 2] if n < from_two else f"Huisarts {n}"
    result = item(team, 4)
    assert result.fact("share_top_two") == round(100 * from_two / (from_two + others), 1)
    assert result.score == score


def test_item_4_a_client_without_a_referrer_does_not_count_as_from_the_teams(build):
    team, _c, worker = team_of(build)
    for n in range(10):
        client = build.client(worker, entry=date(2026, 1, 5))
        client.referral_source = "FACT Noord" if n < 9 else ""
    assert item(team, 4).fact("share_top_two") == 90.0
    assert item(team, 4).table[0][4] == 1


@pytest.mark.parametrize("pattern, score", [
    ("weekly+f2f-monthly", 5), ("weekly", 4), ("monthly", 3), ("quarterly", 2), ("none", 1)])
def test_item_6_client_related_contacts_with_the_benefits_agency(build, pattern, score):
    team, _c, worker = team_of(build)
    client = build.client(worker, entry=date(2025, 12, 1))
    period = (date(2026, 1, 5), date(2026, 3, 1))       # ISO weeks 2..9, Jan–Mar, one quarter
    days = []
    if pattern.startswith("weekly"):
        days = [(period[0] + timedelta(weeks=k), "phone") for k in range(8)]
    elif pattern == "monthly":
        days = [(date(2026, m, 10), "phone") for m in (1, 2, 3)][:2] + [(date(2026, 3, 1), "phone")]
    elif pattern == "quarterly":
        days = [(date(2026, 2, 10), "phone")]
    if pattern == "weekly+f2f-monthly":
        days += [(date(2026, 1, 20), "face_to_face"), (date(2026, 2, 20), "face_to_face"),
                 (date(2026, 3, 1), "face_to_face")]
    for day, mode in days:
        build.contact(worker, on=day, kind="benefits_agency", mode=mode, client=client)
    build.contact(worker, on=date(2026, 1, 6), kind="benefits_agency")   # no client: not counted
    assert item(team, 6, period).score == score


@pytest.mark.parametrize("visits, score", [
    ([("A", "face_to_face"), ("A", "face_to_face"), ("B", "face_to_face")], 5),
    ([("A", "face_to_face"), ("B", "face_to_face")], 4),
    ([("A", "phone"), ("B", "phone"), ("A", "face_to_face")], 2),
    ([], 1)])
def test_item_18_repeated_face_to_face_visits_per_employer(build, visits, score):
    team, _c, worker = team_of(build)
    build.client(worker, entry=date(2026, 1, 5))
    employers = {"A": build.employer(), "B": build.employer()}
    for n, (name, mode) in enumerate(visits):
        build.contact(worker, on=date(2026, 2, 2) + timedelta(days=n), kind="employer",
                      mode=mode, employer=employers[name])
    assert item(team, 18).score == score
