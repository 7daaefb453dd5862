"""Long lists a page at a time: the coordinator's signals review and the employers register.
A page link keeps the filters, a page number past the end shows the last page, a page number
that is no number shows the first, and the page costs the same statements however long the
list is."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from caseload.extensions import db
from caseload.jobs.norm_jobs import daily_evaluation
from caseload.models import AccessLogEntry, Signal
from caseload.paging import PER_PAGE
from tests.conftest import TODAY, login

LATE = TODAY - timedelta(days=40)  # past the rapid job search's window: one signal each


def signal_ids(page) -> list[int]:
    return [int(i) for i in re.findall(r'data-signal="(\d+)"', page.text)]


def employer_names(page) -> list[str]:
    body = page.text.split('id="employers"', 1)[1].split("</table>", 1)[0]
    return re.findall(r'<a href="/employers/\d+">([^<]*)</a>', body)


def team_with_late_clients(build, n: int, start: int = 0):
    team = build.team()
    coordinator = build.user(team, role="coordinator")
    worker = build.user(team)
    for i in range(start, start + n):
        build.client(worker, entry=LATE, code=f"LATE-{i:04d}")
    build.commit()
    daily_evaluation(TODAY)
    return team, coordinator, worker


def open_rapid_search_ids() -> list[int]:
    return list(db.session.scalars(
        select(Signal.id).where(Signal.norm == "rapid_job_search", Signal.resolved_at.is_(None))
        .order_by(Signal.anchor.desc(), Signal.id.desc())))


# --- signals -------------------------------------------------------------------------------

def test_signals_review_shows_50_a_page_and_page_2_the_next_ones_with_the_norm_filter_kept(
        client, build):
    _team, coordinator, _worker = team_with_late_clients(build, 120)
    expected = open_rapid_search_ids()
    assert len(expected) == 120
    login(client, coordinator)

    first = client.get("/review/signals?norm=rapid_job_search")
    second = client.get("/review/signals?norm=rapid_job_search&page=2")
    third = client.get("/review/signals?norm=rapid_job_search&page=3")

    assert signal_ids(first) == expected[:PER_PAGE]
    assert signal_ids(second) == expected[PER_PAGE:2 * PER_PAGE]
    assert signal_ids(third) == expected[2 * PER_PAGE:]
    assert "(120)" in first.text and "51–100 van 120" in second.text
    next_link = re.search(r'<a rel="next" href="([^"]+)"', first.text).group(1)
    assert "norm=rapid_job_search" in next_link and "page=2" in next_link
    assert 'rel="next"' not in third.text and 'rel="prev"' in third.text


@pytest.mark.parametrize("asked, shown", [
    ("99", 3), ("4", 3), ("999999999999999999999999", 3), ("0", 1), ("-2", 1), ("abc", 1),
    ("", 1), ("2.5", 1), ("²", 1), ("%00", 1)])
def test_a_signals_page_number_past_the_end_or_no_number_never_fails(client, build, asked,
                                                                       shown):
    _team, coordinator, _worker = team_with_late_clients(build, 120)
    expected = open_rapid_search_ids()
    login(client, coordinator)

    page = client.get(f"/review/signals?norm=rapid_job_search&page={asked}")

    assert page.status_code == 200
    assert signal_ids(page) == expected[(shown - 1) * PER_PAGE:shown * PER_PAGE]
    assert f"Pagina {shown} van 3" in page.text


def test_the_worker_filter_stays_in_the_page_links(client, build):
    team, coordinator, worker = team_with_late_clients(build, 60)
    login(client, coordinator)
    page = client.get(f"/review/signals?worker={worker.id}&norm=rapid_job_search")
    link = re.search(r'<a rel="next" href="([^"]+)"', page.text).group(1).replace("&amp;", "&")
    assert f"worker={worker.id}" in link and "norm=rapid_job_search" in link
    assert len(signal_ids(client.get(link))) == 10


def test_the_access_log_names_the_clients_on_the_page_shown(client, build):
    _team, coordinator, _worker = team_with_late_clients(build, 60)
    login(client, coordinator)
    page = client.get("/review/signals?norm=rapid_job_search&page=2")
    shown = set(db.session.scalars(select(Signal.trajectory_id).where(
        Signal.id.in_(signal_ids(page)))))
    logged = set(db.session.scalars(select(AccessLogEntry.client_id).where(
        AccessLogEntry.record_type == "signals")))
    assert len(shown) == 10 and len(logged) == 10
    from caseload.models import Trajectory
    assert logged == set(db.session.scalars(select(Trajectory.client_id).where(
        Trajectory.id.in_(shown))))


def test_signals_page_runs_as_many_statements_for_200_signals_as_for_60(
        client, build, count_queries):
    team, coordinator, worker = team_with_late_clients(build, 60)
    login(client, coordinator)
    client.get("/review/signals")
    with count_queries() as few:
        small = client.get("/review/signals?page=2")
    for i in range(60, 200):
        build.client(worker, entry=LATE, code=f"LATE-{i:04d}")
    build.commit()
    daily_evaluation(TODAY)
    client.get("/review/signals")  # the session's last_seen_at is written now, not counted below
    with count_queries() as many:
        large = client.get("/review/signals?page=2")
    assert len(signal_ids(large)) == PER_PAGE and signal_ids(small)
    assert many.count == few.count, "\n".join(many.statements)


# --- employers -----------------------------------------------------------------------------

def test_employers_page_2_shows_the_next_50_by_name_and_a_number_past_the_end_the_last(
        client, build):
    team = build.team()
    worker = build.user(team)
    for i in range(120):
        build.employer(f"Werkgever {i:03d}")
    build.commit()
    login(client, worker)

    first, second = client.get("/employers/"), client.get("/employers/?page=2")
    past, word = client.get("/employers/?page=7"), client.get("/employers/?page=twee")

    names = [f"Werkgever {i:03d}" for i in range(120)]
    assert employer_names(first) == names[:50] and "(120)" in first.text
    assert employer_names(second) == names[50:100]
    assert past.status_code == 200 and employer_names(past) == names[100:]
    assert word.status_code == 200 and employer_names(word) == names[:50]


def test_employer_search_finds_name_or_place_ignoring_case_and_keeps_the_search_in_links(
        client, build):
    team = build.team()
    worker = build.user(team)
    bakery = build.employer("Bakkerij De Korenbloem")
    build.employer("Garage Van Dijk").place = "Utrecht"
    build.employer("100% Schoon").place = "Zeist"
    for i in range(60):
        build.employer(f"Zorggroep {i:02d}").place = "Amersfoort"
    build.commit()
    login(client, worker)

    assert employer_names(client.get("/employers/?q=korenBLOEM")) == [bakery.name]
    assert employer_names(client.get("/employers/?q=utrecht")) == ["Garage Van Dijk"]
    assert employer_names(client.get("/employers/?q=%25")) == ["100% Schoon"]  # % is literal
    none = client.get("/employers/?q=Bloemist")
    assert employer_names(none) == [] and "Bloemist" in none.text
    found = client.get("/employers/?q=amersfoort")
    assert len(employer_names(found)) == 50 and "(60)" in found.text
    link = re.search(r'<a rel="next" href="([^"]+)"', found.text).group(1).replace("&amp;", "&")
    assert "q=amersfoort" in link
    assert len(employer_names(client.get(link))) == 10


def test_employer_counts_are_the_readers_teams_contacts_only(client, build):
    mine, theirs = build.team("Eigen"), build.team("Ander")
    worker, other = build.user(mine), build.user(theirs)
    employer = build.employer("Gedeelde Werkgever")
    own_client = build.client(worker, code="EIGEN-1")
    their_client = build.client(other, code="ANDER-1")
    build.contact(worker, on=TODAY - timedelta(days=9), kind="employer", employer=employer,
                  client=own_client)
    for days in (1, 2, 3):
        build.contact(other, on=TODAY - timedelta(days=days), kind="employer",
                      employer=employer, client=their_client)
    build.commit()
    login(client, worker)

    page = client.get("/employers/?q=gedeelde")

    row = page.text.split('id="employers"', 1)[1].split("</table>", 1)[0]
    assert re.search(r'class="num">1</td>', row)
    assert (TODAY - timedelta(days=9)).strftime("%d-%m-%Y") in row
    assert (TODAY - timedelta(days=1)).strftime("%d-%m-%Y") not in row
    assert "ANDER-1" not in page.text and "EIGEN-1" not in page.text


def test_employers_page_runs_as_many_statements_for_200_employers_as_for_10(
        client, build, count_queries):
    team = build.team()
    worker = build.user(team)
    someone = build.client(worker)
    for i in range(10):
        employer = build.employer(f"A {i:03d}")
        build.contact(worker, on=TODAY, kind="employer", employer=employer, client=someone)
    build.commit()
    login(client, worker)
    client.get("/employers/")
    with count_queries() as few:
        small = client.get("/employers/")
    for i in range(10, 200):
        employer = build.employer(f"A {i:03d}")
        build.contact(worker, on=TODAY, kind="employer", employer=employer, client=someone)
    build.commit()
    client.get("/employers/")  # the session's last_seen_at is written now, not counted below
    with count_queries() as many:
        large = client.get("/employers/")
    assert len(employer_names(small)) == 10 and len(employer_names(large)) == 50
    assert many.count == few.count, "\n".join(many.statements)


@pytest.mark.parametrize("crafted", [
    "_external=1&_scheme=javascript&_anchor=x",
    "endpoint=admin.users",   # url_for's own first argument: was a 500
])
def test_crafted_arguments_do_not_change_the_page_links(client, build, crafted):
    team = build.team()
    worker = build.user(team)
    for i in range(60):
        build.employer(f"Werkgever {i:03d}")
    build.commit()
    login(client, worker)

    page = client.get(f"/employers/?{crafted}&q=werkgever")

    assert page.status_code == 200
    link = re.search(r'<a rel="next" href="([^"]+)"', page.text).group(1).replace("&amp;", "&")
    assert link.startswith("/employers/?") and "javascript" not in link and "#" not in link
    assert "endpoint" not in link
    assert "q=werkgever" in link and "page=2" in link
