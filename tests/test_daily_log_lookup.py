"""The daily log lists the clients a worker usually logs for (their own, those of colleagues
they cover today, those its lines or link name) and finds the teams' other clients as the
worker types (/log/clients): a few at a time, within the caller's teams, each one shown
access-logged. Any client code of the teams is still accepted on saving, typed without
JavaScript."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from caseload.dailylog.choices import LOOKUP_LIMIT, LOOKUP_MAX
from caseload.extensions import db
from caseload.models import AccessLogEntry, Contact, FormDraft
from tests.conftest import TODAY, csrf_token, login
from tests.pages import datalist_values, field_has_error, input_value
from tests.test_daily_log import form_data

DAY = TODAY - timedelta(days=1)


@pytest.fixture
def teams(build):
    team = build.team()
    worker = build.user(team)
    colleague = build.user(team)
    absent = build.user(team)
    mine = build.client(worker, code="MINE-1")
    theirs = build.client(colleague, code="COLL-1")
    covered = build.client(absent, code="AWAY-1")
    named = build.client(colleague, code="JAN-7")
    named.name = "Jansen 100%_x"
    stranger = build.client(build.user(build.team()), code="COLL-9")
    ended = build.client(colleague, code="COLL-2")
    build.end_trajectory(ended, on=TODAY)
    erased = build.client(colleague, code="COLL-3")
    erased.erased_at = erased.created_at
    build.commit()
    return {"team": team, "worker": worker, "colleague": colleague, "absent": absent,
            "mine": mine, "theirs": theirs, "covered": covered, "named": named,
            "stranger": stranger}


def listed(client, url="/log") -> list[str]:
    return datalist_values(client.get(url).text, "client-choices")


def found(client, text) -> list[str]:
    response = client.get("/log/clients", query_string={"q": text},
                          headers={"Accept": "application/json"})
    assert response.status_code == 200 and response.is_json, response.text
    return [c["code"] for c in response.get_json()["clients"]]


def entries(**filters) -> list[AccessLogEntry]:
    db.session.expire_all()
    return list(db.session.scalars(select(AccessLogEntry).filter_by(**filters)
                                   .order_by(AccessLogEntry.id)))


def stored() -> list[Contact]:
    db.session.expire_all()
    return list(db.session.scalars(select(Contact).order_by(Contact.id)))


# -- what the page lists ---------------------------------------------------------------------

def test_the_page_lists_the_workers_own_clients_not_the_whole_team(client, teams):
    login(client, teams["worker"])

    assert listed(client) == ["MINE-1"]


@pytest.mark.parametrize("start, end, shown", [
    (TODAY, TODAY, True),                                   # one day: today
    (TODAY - timedelta(days=3), TODAY, True),               # today is the last day
    (TODAY, TODAY + timedelta(days=3), True),               # today is the first day
    (TODAY - timedelta(days=5), TODAY - timedelta(days=1), False),  # ended yesterday
    (TODAY + timedelta(days=1), TODAY + timedelta(days=5), False),  # starts tomorrow
])
def test_a_colleague_covered_today_has_their_clients_listed_in_the_team_group(
        client, teams, build, start, end, shown):
    build.absence(teams["absent"], start=start, end=end, cover=teams["worker"])
    build.commit()
    login(client, teams["worker"])

    page = client.get("/log").text

    assert datalist_values(page, "client-choices") == (["MINE-1", "AWAY-1"] if shown
                                                       else ["MINE-1"])
    if shown:  # not marked as the worker's own
        assert '<option value="AWAY-1">' in page


def test_an_absence_covered_by_someone_else_lists_nothing_more(client, teams, build):
    build.absence(teams["absent"], start=TODAY, end=TODAY, cover=teams["colleague"])
    build.commit()
    login(client, teams["worker"])

    assert listed(client) == ["MINE-1"]


def test_a_link_to_a_teams_client_lists_and_fills_in_that_client(client, teams):
    login(client, teams["worker"])

    page = client.get(f"/log?client={teams['theirs'].id}&kind=client").text

    assert datalist_values(page, "client-choices") == ["MINE-1", "COLL-1"]
    assert input_value(page, "rows-0-client") == "COLL-1"


@pytest.mark.parametrize("which", ["stranger", "nobody", "huge", "text"])
def test_a_link_to_a_client_outside_the_teams_lists_and_fills_in_nothing(
        client, teams, which):
    login(client, teams["worker"])
    value = {"stranger": str(teams["stranger"].id), "nobody": "999999",
             "huge": "9" * 30, "text": "COLL-9"}[which]

    response = client.get("/log", query_string={"client": value})

    assert response.status_code == 200
    assert datalist_values(response.text, "client-choices") == ["MINE-1"]
    assert input_value(response.text, "rows-0-client") == ""
    assert 'value="COLL-9"' not in response.text  # (the language switch keeps the address)


def test_a_typed_colleagues_client_is_saved_and_a_refused_save_keeps_it_listed(
        client, teams):
    login(client, teams["worker"])
    token = csrf_token(client, "/log")
    rows = [{"client": "COLL-1", "kind": "client", "minutes": "20"},
            {"client": "COLL-9", "kind": "client", "minutes": "10"}]

    refused = client.post("/log", data=form_data(token, rows, day=DAY))

    assert refused.status_code == 422 and stored() == []
    assert field_has_error(refused.text, "rows-1-client")
    assert not field_has_error(refused.text, "rows-0-client")
    # The line's colleague's client is a choice again (the script makes it the line's select).
    assert datalist_values(refused.text, "client-choices") == ["MINE-1", "COLL-1"]
    assert input_value(refused.text, "rows-1-client") == "COLL-9"

    saved = client.post("/log", data=form_data(token, rows[:1], day=DAY))
    assert saved.status_code == 302
    assert [(c.client_id, c.minutes) for c in stored()] == [(teams["theirs"].id, 20)]


def test_more_lines_keep_the_lines_clients_listed(client, teams):
    login(client, teams["worker"])
    token = csrf_token(client, "/log")

    page = client.post("/log", data=form_data(token, [{"client": "JAN-7", "kind": "client"}],
                                              button="more_rows")).text

    assert datalist_values(page, "client-choices") == ["MINE-1", "JAN-7"]
    assert input_value(page, "rows-0-client") == "JAN-7"


def test_the_page_access_logs_only_the_clients_it_lists(client, teams):
    login(client, teams["worker"])

    client.get("/log")

    assert [e.client_id for e in entries(record_type="daily_log", action="list")] == [
        teams["mine"].id]


# -- the lookup ------------------------------------------------------------------------------

def test_a_code_is_found_by_its_start_and_a_name_by_any_part(client, teams):
    login(client, teams["worker"])

    assert found(client, "coll") == ["COLL-1"]        # case ignored; not another team's COLL-9
    assert found(client, "COLL-1") == ["COLL-1"]
    assert found(client, "OLL") == []                 # a code's middle is no start
    assert found(client, "jansen") == ["JAN-7"]       # a name's start
    assert found(client, "SEN") == ["JAN-7"]          # and its middle
    assert found(client, "  co ") == ["COLL-1"]       # spaces around it dropped
    assert found(client, "MINE") == ["MINE-1"]        # the worker's own are found too


def test_codes_starting_with_the_text_come_before_names_containing_it(client, teams, build):
    other = build.client(teams["colleague"], code="ZZ-1")
    other.name = "Jacobs"
    first = build.client(teams["colleague"], code="JA-2")
    first.name = "Zwart"
    build.commit()
    login(client, teams["worker"])

    assert found(client, "ja") == ["JA-2", "JAN-7", "ZZ-1"]


def test_percent_and_underscore_are_letters_not_wildcards(client, teams):
    login(client, teams["worker"])

    assert found(client, "0%") == ["JAN-7"]
    assert found(client, "%_") == ["JAN-7"]
    assert found(client, "n_1") == []  # no name has "n", any letter, "1"
    assert found(client, "C%") == []   # no code starts with "C%"


def test_an_ended_erased_or_other_teams_client_is_never_found(client, teams):
    login(client, teams["worker"])

    assert found(client, "COLL-") == ["COLL-1"]
    assert found(client, "COLL-2") == [] and found(client, "COLL-3") == []
    assert found(client, "COLL-9") == []


def test_a_worker_in_two_teams_finds_both_teams_clients_and_once_moved_the_new_teams_only(
        client, teams, build):
    second = build.team()
    both = build.user(teams["team"])
    both.teams.append(second)
    build.client(build.user(second), code="COLL-5")
    build.commit()
    login(client, both)
    assert found(client, "COLL") == ["COLL-1", "COLL-5"]

    both.teams.remove(teams["team"])  # moved to the second team only
    db.session.commit()
    assert found(client, "COLL") == ["COLL-5"]
    assert found(client, "MINE") == []


def test_a_coordinator_finds_the_teams_clients(client, teams, build):
    coordinator = build.user(teams["team"], role="coordinator")
    build.commit()
    login(client, coordinator)

    assert found(client, "coll") == ["COLL-1"]


def test_at_most_the_limit_is_sent_by_code(client, teams, build):
    for n in range(LOOKUP_LIMIT + 5):
        build.client(teams["colleague"], code=f"BULK-{n:02d}")
    build.commit()
    login(client, teams["worker"])

    assert found(client, "bulk") == [f"BULK-{n:02d}" for n in range(LOOKUP_LIMIT)]


@pytest.mark.parametrize("text", ["", "c", " c ", "\t", "%", "C\x00"])
def test_fewer_than_two_characters_find_nothing(client, teams, text):
    login(client, teams["worker"])

    assert found(client, text) == []


def test_control_characters_are_dropped_from_the_text(client, teams):
    login(client, teams["worker"])

    assert found(client, "CO\x00L\x1bL") == ["COLL-1"]
    assert found(client, "jan\u200bsen") == ["JAN-7"]  # an invisible one too


def test_an_overlong_text_is_refused_and_the_longest_allowed_answered(client, teams):
    login(client, teams["worker"])

    refused = client.get("/log/clients", query_string={"q": "x" * (LOOKUP_MAX + 1)},
                         headers={"Accept": "application/json"})

    assert refused.status_code == 400 and refused.is_json
    assert str(LOOKUP_MAX) in refused.get_json()["error"]
    assert found(client, "x" * LOOKUP_MAX) == []


def test_each_client_found_is_access_logged_and_nothing_when_none(client, teams, build):
    login(client, teams["worker"])

    found(client, "coll")
    found(client, "nothing here")
    found(client, "c")

    logged = entries(record_type="daily_log", action="search")
    assert [(e.client_id, e.user_email, e.outcome) for e in logged] == [
        (teams["theirs"].id, teams["worker"].email, "allowed")]


def test_the_lookup_needs_a_login_and_says_nothing_without_one(client, teams):
    response = client.get("/log/clients", query_string={"q": "coll"},
                          headers={"Accept": "application/json"})

    assert response.status_code == 401 and response.is_json
    assert "COLL-1" not in response.text


def test_a_lookup_after_the_idle_timeout_is_refused_and_the_form_after_it_kept(
        app, client, teams):
    """The lookup may be the first request after the timeout (the worker types in a line's
    client field): refused without ending the session, so the daily log sent after it is kept
    as a draft for after the login instead of lost to a CSRF error."""
    login(client, teams["worker"])
    token = csrf_token(client, "/log")
    app.config["SESSION_IDLE_MINUTES"] = 0
    try:
        late = client.get("/log/clients", query_string={"q": "coll"},
                          headers={"Accept": "application/json"})
        assert late.status_code == 401 and "COLL-1" not in late.text

        sent = client.post("/log", data=form_data(
            token, [{"client": "COLL-1", "kind": "client", "minutes": "20",
                     "note": "Na de pauze"}], day=DAY))
        assert sent.status_code == 302 and "/login" in sent.headers["Location"]
    finally:
        app.config["SESSION_IDLE_MINUTES"] = 30
    assert stored() == []
    db.session.expire_all()
    kept = db.session.scalars(select(FormDraft)).all()
    assert [d.endpoint for d in kept] == ["dailylog.daily_log"]

    login(client, teams["worker"])
    page = client.get("/log").text
    assert input_value(page, "rows-0-client") == "COLL-1"
    assert "COLL-1" in datalist_values(page, "client-choices")
    assert input_value(page, "rows-0-note") == "Na de pauze"
