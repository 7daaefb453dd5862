"""My week: the due list with one-click "log it", the week's employer contacts, previous and
next week, and the same number of queries for 10 and 200 clients."""

from __future__ import annotations

import html
import re
from datetime import timedelta
from urllib.parse import parse_qs, urlparse

import pytest
from sqlalchemy import func, select

from caseload.extensions import db
from caseload.models import Contact
from tests.conftest import TODAY, csrf_token, login
from tests.pages import input_value, selected_value
from tests.test_daily_log import form_data

D = timedelta


def log_links(page: str) -> dict[str, str]:
    """data-kind -> the "log it" href of each due item."""
    links = {}
    for item in re.findall(r'<li class="due-item[^"]*" data-kind="([^"]+)" data-client="(\d+)">'
                           r'(.*?)</li>', page, re.DOTALL):
        kind, _client, body = item
        href = re.search(r'class="button log-it" href="([^"]+)"', body)
        if href:
            links[kind] = html.unescape(href.group(1))
    return links


def due_kinds(page: str) -> set[str]:
    return set(re.findall(r'class="due-item[^"]*" data-kind="([^"]+)"', page))


def test_log_it_opens_the_daily_log_filled_in_and_saving_clears_the_item(client, build):
    worker = build.user(build.team())
    person = build.client(worker, entry=TODAY - D(27))
    build.commit()
    login(client, worker)
    page = client.get("/week").text
    link = log_links(page)["rapid_job_search"]
    args = parse_qs(urlparse(link).query)
    assert args["client"] == [str(person.id)] and args["kind"] == ["employer"]
    assert args["mode"] == ["face_to_face"] and args["next"] == ["/week"]
    form = client.get(link).text
    assert input_value(form, "rows-0-client") == person.client_code
    assert selected_value(form, "rows-0-kind") == "employer"
    assert selected_value(form, "rows-0-mode") == "face_to_face"
    response = client.post(link, data=form_data(csrf_token(client, link), [
        {"client": person.client_code, "kind": "employer", "employer": "Bakker", "minutes": "30"}]))
    assert response.status_code == 302 and response.headers["Location"] == "/week"
    assert "rapid_job_search" not in due_kinds(client.get("/week").text)


def test_prefill_ignores_a_client_of_another_team_and_unknown_values(client, build):
    worker = build.user(build.team())
    stranger = build.client(build.user(build.team()))
    build.commit()
    login(client, worker)
    form = client.get(f"/log?client={stranger.id}&kind=nonsense&mode=phone").text
    assert input_value(form, "rows-0-client") == ""
    assert selected_value(form, "rows-0-mode") == "phone"
    assert selected_value(form, "rows-0-kind") in (None, "client")
    response = client.post("/log?next=//evil.example", data=form_data(
        csrf_token(client, "/log"), [{"kind": "employer", "employer": "Bakker", "minutes": "30"}]))
    assert response.status_code == 302 and "evil" not in response.headers["Location"]


def test_week_page_shows_this_weeks_employer_contacts_against_the_norm(client, build):
    worker = build.user(build.team())
    for n in range(3):  # three job seekers: the norm is 6 × FTE
        person = build.client(worker, entry=TODAY - D(60))
        build.phase(person, "job_finding", on=TODAY - D(50))
    for _ in range(3):
        build.contact(worker, on=TODAY - D(1), kind="employer", client=person,
                      employer=build.employer())
    build.contact(worker, on=TODAY - D(3), kind="employer", client=person,  # last week
                  employer=build.employer())
    build.commit()
    login(client, worker)
    page = client.get("/week").text
    figures = re.search(r'id="employer-figures">([^<]*)', page).group(1)
    assert re.match(r"3\D+6\b", figures)


def test_previous_and_next_week_and_the_navigation_link(client, build):
    worker = build.user(build.team())
    build.client(worker, entry=TODAY - D(27))
    build.commit()
    login(client, worker)
    page = client.get("/week").text
    assert 'id="nav-week"' in page and "2026-W12" in page
    assert 'href="/week?week=2026-W11"' in page and 'href="/week?week=2026-W13"' in page
    other = client.get("/week?week=2026-W13").text
    assert "2026-W13" in other and not due_kinds(other)  # what is due is about today
    for bad in ("nonsense", "2026-W54", "9999-W52", "0001-W01", "2026-W", "-W1"):
        assert client.get(f"/week?week={bad}").status_code == 404


def fill(build, worker, n: int, offset: int = 0) -> None:
    for i in range(offset, offset + n):
        person = build.client(worker, entry=TODAY - D(20 + i % 40), code=f"W-{i:04d}")
        if i % 3 == 0:
            build.placement(person, start=TODAY - D(i % 10))
        if i % 4 == 0:
            build.contact(worker, on=TODAY - D(i % 12), kind="treatment_team", client=person)
        if i % 5 == 0:
            build.contact(worker, on=TODAY - D(1), kind="employer", client=person,
                          employer=build.employer())
    build.commit()


def test_week_page_runs_as_many_queries_for_200_clients_as_for_10(app, client, build,
                                                                   count_queries):
    team = build.team()
    worker = build.user(team)
    coordinator = build.user(team, role="coordinator")
    fill(build, worker, 10)
    login(client, worker)
    with count_queries() as small:
        first = client.get("/week")
    assert first.status_code == 200 and len(due_kinds(first.text)) >= 3
    fill(build, worker, 190, offset=10)
    with count_queries() as large:
        assert client.get("/week").status_code == 200
    assert large.count == small.count
    other = app.test_client()
    login(other, coordinator)
    with count_queries() as coordinating:
        assert other.get("/week").status_code == 200
    assert coordinating.count <= small.count + 2


def test_week_page_lists_a_covered_colleagues_due_items(client, build):
    team = build.team()
    absent, cover = build.user(team), build.user(team)
    person = build.client(absent, entry=TODAY - D(27))
    build.absence(absent, start=TODAY - D(1), end=TODAY + D(3), cover=cover)
    build.commit()
    login(client, cover)
    page = client.get("/week").text
    assert f'data-client="{person.id}"' in page and absent.name in page


@pytest.mark.parametrize("role", ["worker", "coordinator"])
def test_week_page_needs_a_team(client, build, role):
    user = build.user(None, role=role)
    build.commit()
    login(client, user)
    assert client.get("/week").status_code == 403


def test_no_contacts_were_written_by_viewing(client, build):
    worker = build.user(build.team())
    build.client(worker, entry=TODAY - D(27))
    build.commit()
    login(client, worker)
    client.get("/week")
    assert db.session.scalar(select(func.count(Contact.id))) == 0
