"""The daily log sends its client choices once, whatever its number of lines; a line names its
client by code, typed (without JavaScript) or chosen, and the server accepts only the caller's
teams' clients (caseload/scope.py)."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from caseload.extensions import db
from caseload.models import Contact
from tests.conftest import TODAY, csrf_token, login
from tests.pages import datalist_values, field_has_error, input_value, option_values, selected_value
from tests.test_daily_log import form_data, row_has_error

DAY = TODAY - timedelta(days=1)


@pytest.fixture
def teams(build):
    team = build.team()
    worker = build.user(team)
    colleague = build.user(team)
    mine = [build.client(worker, code=f"MINE-{n}") for n in (3, 1, 2)]
    theirs = build.client(colleague, code="COLL-1")
    stranger = build.client(build.user(build.team()), code="ELSE-1")
    build.commit()
    return {"worker": worker, "mine": mine, "theirs": theirs, "stranger": stranger}


def stored() -> list[Contact]:
    db.session.expire_all()
    return list(db.session.scalars(select(Contact).order_by(Contact.id)))


def line_count(page: str) -> int:
    return len(re.findall(r'<fieldset class="log-row[^"]*" data-row="\d+"', page))


def test_the_client_choices_are_sent_once_whatever_the_number_of_lines(client, teams):
    login(client, teams["worker"])
    five = client.get("/log").text
    token = csrf_token(client, "/log")
    eight = client.post("/log", data=form_data(token, [{}] * 5, button="more_rows")).text
    eleven = client.post("/log", data=form_data(token, [{}] * 8, button="more_rows")).text

    for page, lines in ((five, 5), (eight, 8), (eleven, 11)):
        assert line_count(page) == lines
        for code in ("MINE-1", "MINE-2", "MINE-3"):
            assert page.count(code) == 1, (code, lines)
        # A colleague's client is found by typing (tests/test_daily_log_lookup.py).
        assert "COLL-1" not in page and "ELSE-1" not in page
    # The worker's own clients by code; marked for the script's groups.
    assert datalist_values(five, "client-choices") == ["MINE-1", "MINE-2", "MINE-3"]
    assert five.count("data-mine") == 1 + 3  # the datalist's label of the group, and three


def test_every_line_has_its_own_fields_when_lines_are_copied(client, teams):
    """Untouched lines are rendered once and copied with their number changed: each still has
    its own ids, names and labels."""
    login(client, teams["worker"])
    page = client.get("/log").text

    for n in range(5):
        for name in ("client", "kind", "employer", "mode", "place", "minutes", "note"):
            assert page.count(f'id="rows-{n}-{name}"') == 1, (n, name)
            assert page.count(f'name="rows-{n}-{name}"') == 1, (n, name)
            assert page.count(f'for="rows-{n}-{name}"') == 1, (n, name)
        assert option_values(page, f"rows-{n}-kind")[:2] == ["client", "employer"]
    # Two lines typed the same keep what was typed, each under its own number.
    same = {"client": "MINE-1", "kind": "other", "minutes": "7", "note": "Zelfde"}
    again = client.post("/log", data=form_data(csrf_token(client, "/log"), [{}, same, same],
                                                button="more_rows")).text
    for n in (1, 2):
        assert input_value(again, f"rows-{n}-client") == "MINE-1"
        assert input_value(again, f"rows-{n}-note") == "Zelfde"
        assert selected_value(again, f"rows-{n}-kind") == "other"
    assert input_value(again, "rows-0-note") == "" and input_value(again, "rows-3-note") == ""
    # Text that looks like a line's number is not renumbered with the copy.
    odd = {"kind": "other", "note": "rows-1-x"}
    kept = client.post("/log", data=form_data(csrf_token(client, "/log"), [{}, odd, odd],
                                               button="more_rows")).text
    assert [input_value(kept, f"rows-{n}-note") for n in (1, 2)] == ["rows-1-x", "rows-1-x"]


def test_a_typed_code_logs_a_contact_for_any_client_of_the_team(client, teams):
    """Without JavaScript the client is typed: a colleague's client, in another case, with
    spaces around it, is found."""
    login(client, teams["worker"])
    rows = [{"client": " coll-1 ", "kind": "client", "minutes": "20"},
            {"client": "MINE-2", "kind": "family", "mode": "phone", "place": "office"}]

    response = client.post("/log", data=form_data(csrf_token(client, "/log"), rows, day=DAY))

    assert response.status_code == 302
    assert [(c.client_id, c.kind) for c in stored()] == [
        (teams["theirs"].id, "client"), (teams["mine"][2].id, "family")]


@pytest.mark.parametrize("code", ["ELSE-1", "NOBODY", "MINE-", "x" * 200])
def test_a_code_outside_the_teams_is_refused_at_its_line_and_kept(client, teams, code):
    login(client, teams["worker"])
    rows = [{"client": "MINE-1", "kind": "client", "minutes": "30", "note": "Goed gesprek"},
            {"client": code, "kind": "client", "minutes": "15", "note": "Andere cliënt"}]

    response = client.post("/log", data=form_data(csrf_token(client, "/log"), rows, day=DAY))

    assert response.status_code == 422
    assert field_has_error(response.text, "rows-1-client")
    assert row_has_error(response.text, 1) and not row_has_error(response.text, 0)
    assert input_value(response.text, "rows-1-client") == code
    assert input_value(response.text, "rows-1-note") == "Andere cliënt"
    assert input_value(response.text, "rows-0-client") == "MINE-1"
    assert stored() == []


def test_an_ended_trajectorys_client_is_not_a_choice(client, teams, build):
    build.end_trajectory(teams["mine"][0], on=TODAY)
    build.commit()
    login(client, teams["worker"])

    page = client.get("/log").text
    refused = client.post("/log", data=form_data(csrf_token(client, "/log"), [
        {"client": "MINE-3", "kind": "client", "minutes": "10"}], day=DAY))

    assert "MINE-3" not in datalist_values(page, "client-choices")
    assert refused.status_code == 422 and field_has_error(refused.text, "rows-0-client")
