"""Notes posted from list pages (a signal's acknowledgement, the weekly checklist's reviews, the
caseload's bulk handover) that are refused: the list again (422) with the message at the note
that caused it, what was typed in it, and nothing written."""

from __future__ import annotations

import html
import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from caseload.extensions import db
from caseload.jobs.norm_jobs import daily_evaluation
from caseload.models import Signal
from caseload.models.base import NOTE_LENGTH
from tests.conftest import TODAY, csrf_token, login

TOO_LONG_MESSAGE = f"De notitie is te lang (maximaal {NOTE_LENGTH} tekens)."


def error_at(page: str, field_id: str) -> str | None:
    """The message written for the field with this id (its `<id>-error` paragraph)."""
    found = re.search(rf'<p class="error" id="{re.escape(field_id)}-error">(.*?)</p>', page,
                      re.DOTALL)
    return html.unescape(found.group(1)) if found else None


def value_of(page: str, field_id: str) -> str | None:
    tag = re.search(rf'<(input|textarea)[^>]*\bid="{re.escape(field_id)}"[^>]*>', page)
    if not tag:
        return None
    if tag.group(1) == "textarea":
        body = re.search(rf'\bid="{re.escape(field_id)}"[^>]*>\r?\n?(.*?)</textarea>', page,
                         re.DOTALL)
        return html.unescape(body.group(1))
    value = re.search(r'\bvalue="([^"]*)"', tag.group(0))
    return html.unescape(value.group(1)) if value else ""


# --- a signal's acknowledgement (review/signals) ---

@pytest.fixture
def signals(app, build):
    """A coordinator and three open signals of the team (three clients without contact)."""
    team = build.team()
    worker = build.user(team)
    coordinator = build.user(team, role="coordinator")
    for _ in range(3):
        build.client(worker, entry=TODAY - timedelta(days=45))
    build.commit()
    daily_evaluation(TODAY)
    browser = app.test_client()
    login(browser, coordinator)
    ids = list(db.session.scalars(select(Signal.id).where(Signal.acknowledged_at.is_(None))
                                  .order_by(Signal.id)))
    assert len(ids) >= 2
    return browser, ids


def acknowledged() -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count(Signal.id)).where(
        Signal.acknowledged_at.is_not(None))) or 0


@pytest.mark.parametrize("note, message", [
    ("x" * (NOTE_LENGTH + 1), TOO_LONG_MESSAGE),
    ("   ", "Schrijf een notitie om een signaal af te handelen."),
])
def test_a_refused_acknowledgement_shows_the_list_with_the_message_and_the_note_at_its_row(
        signals, note, message):
    browser, ids = signals
    here = "/review/signals?norm=&worker="
    response = browser.post(f"/review/signals/{ids[1]}/acknowledge", data={
        "csrf_token": csrf_token(browser, here), "note": note, "next": here})
    page = response.text
    assert response.status_code == 422
    assert error_at(page, f"note-{ids[1]}") == message
    assert value_of(page, f"note-{ids[1]}") == note  # what was typed, at its own row
    assert re.search(r'<div class="field has-error"><input name="note" id="note-'
                     rf'{ids[1]}"[^>]*aria-invalid="true"', page)
    # the other rows as always: empty, unmarked; the message is said once, at the note
    assert f'id="note-{ids[0]}"' not in page
    assert page.count(message if "&" not in message else html.escape(message)) == 1
    assert page.count('aria-invalid="true"') == 1
    # the forms still return to the list they came from
    assert f'name="next" value="{html.escape(here)}"' in page
    assert acknowledged() == 0


def test_the_refused_acknowledgements_list_keeps_its_filters_and_links_to_the_list(
        app, build):
    from caseload.paging import PER_PAGE
    team = build.team()
    worker = build.user(team)
    coordinator = build.user(team, role="coordinator")
    for _ in range(PER_PAGE + 1):  # two pages of signals of one norm
        build.client(worker, entry=TODAY - timedelta(days=45))
    build.commit()
    daily_evaluation(TODAY)
    browser = app.test_client()
    login(browser, coordinator)
    norm, count = db.session.execute(
        select(Signal.norm, func.count()).group_by(Signal.norm)
        .order_by(func.count().desc())).first()
    assert count > PER_PAGE
    here = f"/review/signals?norm={norm}&page=2"
    page_two = browser.get(here).text
    signal_id = int(re.search(r'<tr data-signal="(\d+)"', page_two).group(1))
    response = browser.post(f"/review/signals/{signal_id}/acknowledge", data={
        "csrf_token": csrf_token(browser, here), "note": "x" * (NOTE_LENGTH + 1), "next": here})
    page = response.text
    assert response.status_code == 422
    assert value_of(page, f"note-{signal_id}") == "x" * (NOTE_LENGTH + 1)
    assert f'<option value="{norm}" selected>' in page  # the list's filter and its page
    assert re.search(r'rel="prev" href="/review/signals\?norm=[^"]*page=1"', page)
    # the filters and the language switch go to the list, not to the form's (POST) address
    assert 'action="/review/signals" class="filters"' in page
    assert "/acknowledge?" not in page
    assert acknowledged() == 0


def test_an_acknowledgement_at_the_limit_is_saved(signals):
    browser, ids = signals
    response = browser.post(f"/review/signals/{ids[0]}/acknowledge", data={
        "csrf_token": csrf_token(browser, "/review/signals"), "note": "x" * NOTE_LENGTH})
    assert response.status_code == 302
    assert acknowledged() == 1


# --- the weekly checklist's reviews of a worker's line and of the week ---

def reviews() -> tuple[int, int]:
    from caseload.models import WeekReview, WorkerWeekReview
    db.session.expire_all()
    return (db.session.scalar(select(func.count(WorkerWeekReview.id))),
            db.session.scalar(select(func.count(WeekReview.id))))


@pytest.fixture
def checklist(app, build):
    from tests.test_checklist import known_team
    team, coordinator, anna, bert, _late = known_team(build)
    browser = app.test_client()
    login(browser, coordinator)
    return browser, team, anna, bert


def test_a_refused_line_review_shows_the_checklist_with_the_note_and_message_at_that_line(
        checklist):
    from tests.test_checklist import WEEK
    browser, team, anna, bert = checklist
    url = f"/checklist/?team={team.id}&week={WEEK}"
    typed = "Vier bezoeken <besproken> " + "x" * NOTE_LENGTH
    response = browser.post(f"/checklist/review-line?team={team.id}&week={WEEK}", data={
        "csrf_token": csrf_token(browser, url), "worker_id": anna.id, "note": typed})
    page = response.text
    assert response.status_code == 422
    assert error_at(page, f"note-{anna.id}") == TOO_LONG_MESSAGE
    assert value_of(page, f"note-{anna.id}") == typed
    assert f'id="note-{bert.id}"' not in page and error_at(page, "week-note") is None
    assert page.count("De notitie is te lang") == 1  # at the note, not also in a flash
    assert f'<tr data-worker="{anna.id}"' in page and f'<tr data-worker="{bert.id}"' in page
    assert f'name="next" value="/checklist/?team={team.id}&amp;week={WEEK}"' in page
    assert reviews() == (0, 0)


def test_a_refused_week_review_shows_the_checklist_with_the_note_and_message_at_the_week(
        checklist):
    from tests.test_checklist import WEEK
    browser, team, anna, _bert = checklist
    url = f"/checklist/?team={team.id}&week={WEEK}"
    typed = "Week doorgenomen; " + "x" * NOTE_LENGTH
    response = browser.post(f"/checklist/review-week?team={team.id}&week={WEEK}", data={
        "csrf_token": csrf_token(browser, url), "note": typed})
    page = response.text
    assert response.status_code == 422
    assert error_at(page, "week-note") == TOO_LONG_MESSAGE
    assert value_of(page, "week-note") == typed
    assert f'id="note-{anna.id}"' not in page
    assert page.count("De notitie is te lang") == 1
    assert f'maxlength="{NOTE_LENGTH}" placeholder' in page
    assert reviews() == (0, 0)


# --- the caseload's bulk handover (a selection, or a worker's whole caseload) ---

@pytest.fixture
def caseload(app, build):
    from datetime import date
    team = build.team("Team A")
    coordinator = build.user(team, role="coordinator")
    wim = build.user(team, name="Wim")
    sara = build.user(team, name="Sara")
    youssef = build.user(team, name="Youssef")
    clients = [build.client(wim, entry=date(2026, 1, 5), code=f"WIM-{n}") for n in range(3)]
    build.transfer(clients[1], sara, on=date(2026, 3, 10))  # Sara's since 10 March
    build.commit()
    browser = app.test_client()
    login(browser, coordinator)
    trajectories = [c.open_trajectory.id for c in clients]
    return browser, {"wim": wim.id, "sara": sara.id, "youssef": youssef.id}, trajectories


def holders(trajectory_ids) -> tuple[list, int]:
    """Who holds each trajectory, and how many assignments there are in all."""
    from caseload.models import Trajectory, TrajectoryAssignment
    db.session.expire_all()
    return ([db.session.get(Trajectory, t).worker_id for t in trajectory_ids],
            db.session.scalar(select(func.count(TrajectoryAssignment.id))))


def bulk_handover(browser, back: str, **fields):
    data = {"csrf_token": csrf_token(browser, f"/caseload?worker={back}"),
            "back_worker": back, "handover-on": TODAY.isoformat(), **fields}
    return browser.post("/caseload/handover", data=data)


def ticked(page: str) -> set[int]:
    return {int(n) for n in re.findall(
        r'<input type="checkbox" name="trajectory_id" value="(\d+)"[^>]*\bchecked\b', page)}


@pytest.mark.parametrize("fields, field_id, message", [
    ({"handover-note": "Wim gaat met verlof. " + "x" * 1000}, "handover-note",
     "De notitie is te lang (maximaal 1000 tekens)."),
    ({"handover-on": (TODAY + timedelta(days=1)).isoformat()}, "handover-on",
     "Deze datum kan niet in de toekomst liggen."),
    ({"handover-on": "18-03-2026"}, "handover-on", None),  # not a date: WTForms' message
])
def test_a_refused_bulk_handover_keeps_the_note_and_the_ticks_with_the_error_at_its_field(
        caseload, fields, field_id, message):
    browser, people, trajectories = caseload
    before = holders(trajectories)
    note = fields.get("handover-note", "Wim gaat met verlof")
    response = bulk_handover(browser, "team", **{
        "handover-worker_id": str(people["youssef"]), "handover-note": note,
        "trajectory_id": [str(trajectories[0]), str(trajectories[2])], **fields})
    page = response.text
    assert response.status_code == 422
    said = error_at(page, field_id)
    assert said if message is None else said == message
    assert {i for i in re.findall(r'<p class="error" id="([^"]+)-error"', page)} == {field_id}
    assert value_of(page, "handover-note") == note  # what was typed is kept
    assert value_of(page, "handover-on") == fields.get("handover-on", TODAY.isoformat())
    assert re.search(rf'<option selected value="{people["youssef"]}"', page)
    assert ticked(page) == {trajectories[0], trajectories[2]}
    assert 'id="error-summary"' in page and f'href="#{field_id}"' in page
    assert holders(trajectories) == before  # nothing handed over


def test_a_bulk_handover_without_ticks_says_so_at_the_form_and_keeps_the_note(caseload):
    browser, people, trajectories = caseload
    before = holders(trajectories)
    response = bulk_handover(browser, str(people["wim"]), **{
        "handover-worker_id": str(people["youssef"]), "handover-note": "Wim gaat met verlof"})
    page = response.text
    assert response.status_code == 422
    assert page.count("Vink de cliënten aan die u wilt overdragen.") == 2  # summary, form
    assert value_of(page, "handover-note") == "Wim gaat met verlof"
    assert "Caseload van Wim" in page  # the caseload it came from
    assert holders(trajectories) == before


def test_a_bulk_handover_one_client_refuses_hands_over_none_and_names_that_client(caseload):
    browser, people, trajectories = caseload
    before = holders(trajectories)
    # 1 March: fine for WIM-0 (Wim's since January), not for WIM-1 (Sara's since 10 March)
    response = bulk_handover(browser, "team", **{
        "handover-worker_id": str(people["youssef"]), "handover-on": "2026-03-01",
        "handover-note": "Nieuwe verdeling", "trajectory_id": [str(t) for t in trajectories[:2]]})
    page = response.text
    assert response.status_code == 422
    assert error_at(page, "handover-on").startswith("WIM-1: Een overdracht kan niet vóór")
    assert value_of(page, "handover-note") == "Nieuwe verdeling"
    assert ticked(page) == set(trajectories[:2])
    assert holders(trajectories) == before  # WIM-0 was not handed over either


def test_a_bulk_handover_that_is_fine_still_hands_over(caseload):
    browser, people, trajectories = caseload
    response = bulk_handover(browser, "team", **{
        "handover-worker_id": str(people["youssef"]), "handover-note": "x" * 1000,
        "trajectory_id": [str(trajectories[0])]})
    assert response.status_code == 302
    assert holders(trajectories)[0][0] == people["youssef"]


def test_a_refused_whole_caseload_handover_shows_that_workers_caseload_again(caseload):
    browser, people, trajectories = caseload
    before = holders(trajectories)
    response = bulk_handover(browser, str(people["wim"]), **{
        "handover-worker_id": "0", "handover-note": "Wim vertrekt", "all": "1",
        "from_worker": str(people["wim"]), "handover-on": (TODAY + timedelta(days=3)).isoformat()})
    page = response.text
    assert response.status_code == 422
    assert error_at(page, "handover-on") == "Deze datum kan niet in de toekomst liggen."
    assert value_of(page, "handover-note") == "Wim vertrekt"
    assert "Caseload van Wim" in page and ticked(page) == set()
    assert holders(trajectories) == before


def test_a_refused_leaver_handover_says_it_at_the_date_naming_the_client_and_keeps_the_note(
        caseload):
    browser, people, trajectories = caseload
    before = holders(trajectories)
    url = f"/team/workers/{people['sara']}/handover"
    response = browser.post(url, data={
        "csrf_token": csrf_token(browser, url), "on": "2026-03-01", "then": "stay",
        "note": "Sara stopt", f"to_{trajectories[1]}": str(people["youssef"])})
    page = response.text
    assert response.status_code == 422
    assert error_at(page, "on").startswith("WIM-1: Een overdracht kan niet vóór")
    assert value_of(page, "note") == "Sara stopt"
    assert holders(trajectories) == before
