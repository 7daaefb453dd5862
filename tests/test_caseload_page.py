"""The caseload page: a fixed number of queries whatever the caseload size, the right value in
every column for a known data set, and sorting."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from caseload.extensions import db
from caseload.jobs.norm_jobs import daily_evaluation
from caseload.models import Signal
from caseload.models.vocab import PHASES
from tests.conftest import TODAY, login
from tests.pages import label, table_rows

PHASE_ORDER = ["engagement", "assessment", "job_finding", "coaching", "follow_along"]


def fill_caseload(build, worker, numbers: range) -> None:
    """Clients with a bit of everything the page shows: phases, client contacts in both modes,
    employer contacts, current and ended placements; some with an earlier trajectory."""
    for n in numbers:
        entry = TODAY - timedelta(days=5 + n % 120)
        person = build.client(worker, entry=entry, code=f"Q-{n:04d}")
        for step, phase in enumerate(PHASE_ORDER[:n % 5]):
            build.phase(person, phase, on=entry + timedelta(days=step))
        build.contact(worker, on=entry + timedelta(days=1), client=person)
        build.contact(worker, on=TODAY - timedelta(days=n % 4), client=person, mode="phone")
        if n % 2:
            build.contact(worker, on=entry + timedelta(days=2), kind="employer", client=person,
                          employer=build.employer())
        if n % 5 == 0:
            build.placement(person, start=entry + timedelta(days=3))
        if n % 7 == 0:
            build.placement(person, start=entry + timedelta(days=1),
                            end=entry + timedelta(days=2))
    build.commit()


def page_queries(client, count_queries, url: str) -> tuple[int, str]:
    with count_queries() as counter:
        page = client.get(url)
    assert page.status_code == 200
    return counter.count, page.text


@pytest.mark.parametrize("viewer", ["worker", "coordinator"])
def test_caseload_page_runs_as_many_queries_for_200_clients_as_for_10(
        client, build, count_queries, viewer):
    team = build.team()
    worker = build.user(team)
    colleague = build.user(team)
    coordinator = build.user(team, role="coordinator")
    fill_caseload(build, worker, range(8))
    fill_caseload(build, colleague, range(8, 10))
    daily_evaluation(TODAY)
    login(client, coordinator if viewer == "coordinator" else worker)
    url = "/caseload?scope=team" if viewer == "coordinator" else "/caseload"
    client.get(url)  # anything loaded once per process is loaded now

    small, small_page = page_queries(client, count_queries, url)
    fill_caseload(build, worker, range(10, 150))
    fill_caseload(build, colleague, range(150, 200))
    daily_evaluation(TODAY)
    large, large_page = page_queries(client, count_queries, url)

    listed = 200 if viewer == "coordinator" else 148
    assert len(table_rows(large_page, "caseload")) == listed
    assert len(table_rows(small_page, "caseload")) == (10 if viewer == "coordinator" else 8)
    assert db.session.scalar(select(func.count(Signal.id))) > 0  # signals shown in both
    assert large == small


@pytest.fixture
def known_caseload(build):
    """Three clients of a 0.8 FTE worker, and one of a colleague."""
    team = build.team()
    worker = build.user(team, fte="0.8")
    colleague = build.user(team)
    bakery, garage, shop = (build.employer(name) for name in
                            ("Bakkerij Bol", "Garage De Vries", "Winkel Oud"))

    seeker = build.client(worker, entry=TODAY - timedelta(days=40), code="K-1")
    build.phase(seeker, "engagement", on=TODAY - timedelta(days=35))
    build.phase(seeker, "job_finding", on=TODAY - timedelta(days=20))
    build.contact(worker, on=TODAY - timedelta(days=10), client=seeker)
    build.contact(worker, on=TODAY - timedelta(days=2), client=seeker, mode="phone")
    build.contact(worker, on=TODAY - timedelta(days=1), client=seeker, mode="video")
    build.contact(worker, on=TODAY - timedelta(days=30), kind="employer", client=seeker,
                  employer=garage)
    build.contact(worker, on=TODAY - timedelta(days=6), kind="employer", client=seeker,
                  employer=bakery)
    build.contact(worker, on=TODAY - timedelta(days=8), kind="treatment_team", client=seeker)
    build.placement(seeker, start=TODAY + timedelta(days=7), employer=bakery)  # not started

    working = build.client(worker, entry=TODAY - timedelta(days=100), code="K-2")
    build.phase(working, "job_finding", on=TODAY - timedelta(days=90))
    build.phase(working, "coaching", on=TODAY - timedelta(days=50))
    build.phase(working, "job_finding", on=TODAY - timedelta(days=30))
    build.phase(working, "coaching", on=TODAY - timedelta(days=14))
    build.placement(working, start=TODAY - timedelta(days=50), end=TODAY - timedelta(days=30),
                    employer=shop)
    current = build.placement(working, start=TODAY - timedelta(days=14), employer=bakery)
    current.job_title = "Baliemedewerker"
    build.contact(worker, on=TODAY - timedelta(days=95), kind="employer", client=working,
                  employer=shop)
    build.contact(worker, on=TODAY - timedelta(days=16), kind="employer", client=working,
                  employer=bakery)
    build.contact(worker, on=TODAY - timedelta(days=3), client=working)
    # A general employer contact (no client) belongs to no client's row.
    build.contact(worker, on=TODAY - timedelta(days=99), kind="employer", employer=garage)

    returning = build.client(worker, entry=TODAY - timedelta(days=200), code="K-3")
    build.contact(worker, on=TODAY - timedelta(days=60), client=returning)
    build.contact(worker, on=TODAY - timedelta(days=70), kind="employer", client=returning,
                  employer=garage)
    build.end_trajectory(returning, on=TODAY - timedelta(days=50), reason="moved")
    returning.start_trajectory(worker=worker, program_entry_date=TODAY - timedelta(days=10),
                               today=TODAY)

    build.client(colleague, entry=TODAY - timedelta(days=5), code="K-9")
    build.commit()
    return worker, colleague


def cells(page: str) -> dict[str, list[str]]:
    return {row[0].split()[0]: row[1:] for row in table_rows(page, "caseload")}


def shown(day) -> str:
    return day.strftime("%d-%m-%Y")


def test_caseload_columns_show_phase_days_contacts_and_current_placement(
        app, client, known_caseload):
    worker, _colleague = known_caseload
    login(client, worker)

    page = client.get("/caseload")

    assert page.status_code == 200
    assert cells(page.text) == {
        # phase, days since entry, last face-to-face client contact (phone and video ignored),
        # first and last employer contact, current placement (one starting next week is not)
        "K-1": [label(app, PHASES, "job_finding"), "40", shown(TODAY - timedelta(days=10)),
                shown(TODAY - timedelta(days=30)), shown(TODAY - timedelta(days=6)), "—"],
        "K-2": [label(app, PHASES, "coaching"), "100", shown(TODAY - timedelta(days=3)),
                shown(TODAY - timedelta(days=95)), shown(TODAY - timedelta(days=16)),
                "Baliemedewerker, Bakkerij Bol"],
        # A new trajectory: contacts of the earlier one do not count.
        "K-3": [label(app, PHASES, "intake"), "10", "—", "—", "—", "—"],
    }


def test_capacity_shows_the_count_of_open_trajectories_against_25_per_fte(client, known_caseload):
    worker, colleague = known_caseload
    login(client, worker)

    own = client.get("/caseload")
    other = client.get(f"/caseload?worker={colleague.id}")

    def numbers(page: str) -> list[str]:
        paragraph = re.search(r'<p class="capacity[^"]*" id="capacity">(.*?)</p>', page, re.DOTALL)
        assert paragraph, "no capacity line"
        return re.findall(r"\d+(?:[.,]\d+)?", paragraph.group(1))

    assert numbers(own.text)[:2] == ["3", "20"]      # 3 of 25 x 0.8
    assert numbers(other.text)[:2] == ["1", "25"]    # 1 of 25 x 1.0
    assert 'id="capacity"' in own.text and 'class="capacity over"' not in own.text


def test_capacity_line_is_marked_when_the_caseload_exceeds_it(client, build):
    team = build.team()
    worker = build.user(team, fte="0.1")  # capacity 2
    for n in range(3):
        build.client(worker, code=f"O-{n}")
    build.commit()
    login(client, worker)
    assert 'class="capacity over" id="capacity"' in client.get("/caseload").text


@pytest.mark.parametrize("descending, expected", [
    ("1", ["K-2", "K-1", "K-3"]),
    ("0", ["K-3", "K-1", "K-2"]),
])
def test_sorting_by_days_since_entry_orders_the_rows(client, known_caseload, descending,
                                                     expected):
    worker, _colleague = known_caseload
    login(client, worker)

    page = client.get(f"/caseload?sort=days&desc={descending}")

    assert list(cells(page.text)) == expected


def test_sorting_by_last_face_to_face_contact_puts_clients_without_one_first(
        client, known_caseload):
    worker, _colleague = known_caseload
    login(client, worker)
    page = client.get("/caseload?sort=last_client_contact&desc=0")
    assert list(cells(page.text)) == ["K-3", "K-1", "K-2"]


def test_unknown_sort_key_falls_back_to_client_code(client, known_caseload):
    worker, _colleague = known_caseload
    login(client, worker)
    page = client.get("/caseload?sort=nonsense&desc=1")
    assert page.status_code == 200
    assert list(cells(page.text)) == ["K-3", "K-2", "K-1"]


def test_team_view_shows_every_open_trajectory_of_the_team_with_its_worker(
        client, build, known_caseload):
    worker, colleague = known_caseload
    coordinator = build.user(worker.teams[0], role="coordinator")
    build.commit()
    login(client, coordinator)

    page = client.get("/caseload")

    rows = cells(page.text)
    assert sorted(rows) == ["K-1", "K-2", "K-3", "K-9"]
    assert rows["K-9"][0] == colleague.name and rows["K-1"][0] == worker.name


def test_current_placement_is_the_latest_started_one_running_today_ties_by_the_later_record(
        client, build):
    team = build.team()
    worker = build.user(team)
    shop, bakery = build.employer("Winkel Oud"), build.employer("Bakkerij Bol")
    ends_today = build.client(worker, entry=TODAY - timedelta(days=60), code="P-1")
    build.placement(ends_today, start=TODAY - timedelta(days=20), end=TODAY, employer=shop)
    ended = build.client(worker, entry=TODAY - timedelta(days=60), code="P-2")
    build.placement(ended, start=TODAY - timedelta(days=20), end=TODAY - timedelta(days=1),
                    employer=shop)
    two = build.client(worker, entry=TODAY - timedelta(days=60), code="P-3")
    build.placement(two, start=TODAY, employer=bakery)                      # starts today
    build.placement(two, start=TODAY - timedelta(days=9), employer=shop)    # started earlier
    same_day = build.client(worker, entry=TODAY - timedelta(days=60), code="P-4")
    build.placement(same_day, start=TODAY - timedelta(days=5), employer=shop)
    build.placement(same_day, start=TODAY - timedelta(days=5), employer=bakery)  # recorded later
    build.commit()
    login(client, worker)

    page = client.get("/caseload")

    placement = {code: row[-1] for code, row in cells(page.text).items()}
    assert {code: text.split(", ")[-1] for code, text in placement.items()} == {
        "P-1": "Winkel Oud", "P-2": "—", "P-3": "Bakkerij Bol", "P-4": "Bakkerij Bol"}


@pytest.mark.parametrize("offset, covering", [(-1, False), (0, True), (3, True), (4, False)])
def test_the_covered_colleagues_clients_show_from_the_first_to_the_last_day_of_the_absence(
        client, build, offset, covering):
    team = build.team()
    cover, absent = build.user(team), build.user(team)
    person = build.client(absent, code="COVERED-1")
    start = TODAY - timedelta(days=offset)  # TODAY is the absence's day `offset`
    build.absence(absent, start=start, end=start + timedelta(days=3), cover=cover)
    build.commit()
    login(client, cover)

    page = client.get("/caseload").text

    assert ('id="covering"' in page) == covering
    assert (f'<a href="/clients/{person.id}">COVERED-1</a>' in page) == covering


def test_the_my_caseload_choice_shows_for_a_reader_who_is_not_among_the_teams_workers(
        app, client, build):
    team = build.team()
    worker = build.user(team)
    admin = build.user(team, role="admin")
    build.commit()

    login(client, worker)
    assert 'value="me"' not in client.get("/caseload").text
    other = app.test_client()
    login(other, admin)
    assert 'value="me"' in other.get("/caseload").text
