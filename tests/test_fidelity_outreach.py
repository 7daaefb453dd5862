"""Item 25 (assertive engagement and outreach), the part the data allow: four of the six
strategies, the other two counted as absent until the coordinator scores them by hand."""

from __future__ import annotations

from datetime import date, timedelta

from caseload.extensions import db
from caseload.models import OutreachAttempt
from tests.conftest import TODAY, login
from tests.test_fidelity import Q1, item, team_of

D = timedelta


def attempt(client, worker, on: date, method: str = "phone_unanswered") -> None:
    db.session.add(OutreachAttempt.log(client=client, worker=worker, attempted_on=on,
                                       method=method, today=TODAY))


def test_no_attempts_logged_scores_1(build):
    team, _c, worker = team_of(build)
    build.client(worker, entry=date(2025, 12, 1))
    result = item(team, 25)
    assert result.fact("attempts") == 0 and result.fact("elements") == 1  # nothing ended
    assert result.score == 1


def test_attempts_coordinated_with_treatment_team_and_family_score_3(build):
    team, _c, worker = team_of(build)
    person = build.client(worker, entry=date(2025, 12, 1))
    attempt(person, worker, date(2026, 2, 2))
    build.contact(worker, on=date(2026, 2, 10), kind="treatment_team", client=person,
                  mode="phone")
    build.contact(worker, on=date(2026, 2, 11), kind="family", client=person, mode="phone")
    result = item(team, 25)
    assert result.fact("coordinated_share") == 100.0
    assert result.fact("not_reached") == 1 and result.fact("family_share") == 100.0
    assert result.fact("elements") == 4
    assert result.score == 3  # integrated team and home visits are not in the data


def test_treatment_team_contact_15_days_from_the_attempt_does_not_coordinate(build):
    team, _c, worker = team_of(build)
    person = build.client(worker, entry=date(2025, 12, 1))
    attempt(person, worker, date(2026, 2, 2))
    build.contact(worker, on=date(2026, 2, 17), kind="treatment_team", client=person)
    assert item(team, 25).fact("coordinated_share") == 0.0
    build.contact(worker, on=date(2026, 2, 16), kind="treatment_team", client=person)
    assert item(team, 25).fact("coordinated_share") == 100.0


def test_ending_after_an_unanswered_attempt_counts_against(build):
    team, _c, worker = team_of(build)
    person = build.client(worker, entry=date(2025, 12, 1))
    attempt(person, worker, date(2026, 2, 2))
    build.end_trajectory(person, on=date(2026, 2, 10), reason="no_longer_wants_work")
    result = item(team, 25)
    assert result.fact("ended_after_attempt") == 1
    reached = build.client(worker, entry=date(2025, 12, 1))
    attempt(reached, worker, date(2026, 2, 2))
    build.contact(worker, on=date(2026, 2, 5), client=reached)
    build.end_trajectory(reached, on=date(2026, 2, 10), reason="moved")
    assert item(team, 25).fact("ended_after_attempt") == 1  # the reached client does not


def test_fidelity_page_explains_item_25_as_a_computed_item(client, build):
    team, coordinator, worker = team_of(build)
    person = build.client(worker, entry=date(2025, 12, 1))
    attempt(person, worker, TODAY - D(3))
    build.commit()
    login(client, coordinator)
    page = client.get("/fidelity/").text
    assert 'data-computed="25"' in page and 'data-fact="attempts" data-value="1"' in page
    assert 'data-by-hand="25"' not in page
    assert Q1[0] <= TODAY
