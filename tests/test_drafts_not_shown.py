"""Client-page forms sent after the idle timeout, and kept ones the page can no longer show (the trajectory or the job has ended
since, the user coordinates no more): they stay kept, and the page does not say it filled them
in; a kept job ending is matched by its job."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import delete, func, select

from caseload.extensions import db
from caseload.models import AccessLogEntry, FormDraft, Trajectory
from tests.conftest import TODAY, csrf_token, login
from tests.pages import input_value, selected_value
from tests.test_drafts import worker_and_client  # noqa: F401  (fixture)


def _sent_late(app, client, user, person, action: str, fields: dict):
    """`user` sends a client-page form (to the page's address + `action`) just after the idle
    timeout: kept on the server, one draft."""
    login(client, user)
    url = f"/clients/{person.id}"
    token = csrf_token(client, url)
    app.config["SESSION_IDLE_MINUTES"] = 0
    response = client.post(url + action, data={"csrf_token": token, **fields})
    app.config["SESSION_IDLE_MINUTES"] = 30
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    assert db.session.scalar(select(func.count(FormDraft.id))) == 1


def _ending_sent_late(app, client, worker, person, job, reason: str = "dismissed"):
    """`worker` sends the end form of `job` (ended today for `reason`) just after the idle
    timeout."""
    prefix = f"end-placement-{job.id}"
    _sent_late(app, client, worker, person, f"/placements/{job.id}/end", {
        f"{prefix}-placement_id": str(job.id), f"{prefix}-end_date": TODAY.isoformat(),
        f"{prefix}-end_reason": reason})


ATTEMPT = {"attempt-attempted_on": TODAY.isoformat(), "attempt-method": "phone",
           "attempt-note": "Voicemail ingesproken"}


def test_an_outreach_attempt_sent_after_the_timeout_is_filled_in_again(
        app, client, worker_and_client):  # noqa: F811
    worker, person = worker_and_client
    _sent_late(app, client, worker, person, "/attempts", ATTEMPT)
    login(client, worker)
    page = client.get(f"/clients/{person.id}").text
    assert input_value(page, "attempt-note") == "Voicemail ingesproken"


def test_a_kept_form_the_page_no_longer_shows_stays_kept_and_is_not_said_to_be_filled_in(
        app, client, worker_and_client):  # noqa: F811
    """The trajectory ended between the late attempt and the next login: the page has no
    attempt form, so it neither takes the kept one (and loses it) nor says it filled it in."""
    worker, person = worker_and_client
    _sent_late(app, client, worker, person, "/attempts", ATTEMPT)
    trajectory = db.session.scalars(select(Trajectory).where(
        Trajectory.client_id == person.id)).one()
    trajectory.ended_on, trajectory.end_reason = TODAY, "other"
    db.session.commit()

    login(client, worker)
    page = client.get(f"/clients/{person.id}").text

    assert "staat hieronder weer ingevuld" not in page and "Voicemail ingesproken" not in page
    assert db.session.scalar(select(func.count(FormDraft.id))) == 1


def test_a_kept_handover_is_not_shown_to_someone_who_coordinates_no_more(app, client, build):
    team = build.team()
    coordinator = build.user(team, role="coordinator")
    worker = build.user(team)
    person = build.client(worker, entry=TODAY - timedelta(days=40), code="HO-1")
    build.commit()
    _sent_late(app, client, coordinator, person, "/handover", {
        "handover-worker_id": str(worker.id), "handover-on": TODAY.isoformat(),
        "handover-note": "Overdrachtnotitie"})
    coordinator.role = "worker"
    db.session.commit()

    login(client, coordinator)
    page = client.get(f"/clients/{person.id}")

    assert page.status_code == 200 and "Overdrachtnotitie" not in page.text
    assert "staat hieronder weer ingevuld" not in page.text


def test_a_kept_job_ending_stays_kept_when_the_job_has_ended_since(app, client, build):
    team = build.team()
    worker = build.user(team)
    person = build.client(worker, entry=TODAY - timedelta(days=60), code="JE-1")
    job = build.placement(person, start=TODAY - timedelta(days=20))
    build.commit()
    _ending_sent_late(app, client, worker, person, job)
    job.end_date, job.end_reason = TODAY - timedelta(days=1), "other"   # ended meanwhile
    db.session.commit()

    login(client, worker)
    page = client.get(f"/clients/{person.id}").text

    assert "staat hieronder weer ingevuld" not in page
    assert db.session.scalar(select(func.count(FormDraft.id))) == 1


def test_a_kept_ending_of_one_of_two_jobs_is_matched_by_its_job(app, client, build):
    """Two jobs: the ending kept for the one that has ended since stays kept (the page shows
    an end form for the other job only); the ending kept for the open job fills in that job's
    form."""
    team = build.team()
    worker = build.user(team)
    person = build.client(worker, entry=TODAY - timedelta(days=60), code="JE-2")
    first = build.placement(person, start=TODAY - timedelta(days=20))
    second = build.placement(person, start=TODAY - timedelta(days=10))
    build.commit()
    _ending_sent_late(app, client, worker, person, first)
    first.end_date, first.end_reason = TODAY - timedelta(days=1), "other"   # ended meanwhile
    db.session.commit()

    login(client, worker)
    page = client.get(f"/clients/{person.id}").text

    assert "staat hieronder weer ingevuld" not in page
    assert selected_value(page, f"end-placement-{second.id}-end_reason") in (None, "")
    assert db.session.scalar(select(func.count(FormDraft.id))) == 1

    db.session.execute(delete(FormDraft))
    db.session.commit()
    client.post("/logout", data={"csrf_token": csrf_token(client, f"/clients/{person.id}")})
    _ending_sent_late(app, client, worker, person, second, reason="resigned")

    login(client, worker)
    page = client.get(f"/clients/{person.id}").text

    assert "staat hieronder weer ingevuld" in page
    assert db.session.scalar(select(func.count(FormDraft.id))) == 0
    assert selected_value(page, f"end-placement-{second.id}-end_reason") == "resigned"


def test_a_kept_form_of_a_client_moved_to_another_team_is_deleted_at_login(
        app, client, build, worker_and_client):  # noqa: F811
    """The client moved to a team the worker is not in between the late form and the login:
    the login does not lead to a page that refuses them (and logs a denied access at every
    login), and the typed health data of a client they no longer see are not kept for them."""
    worker, person = worker_and_client
    _sent_late(app, client, worker, person, "/attempts", ATTEMPT)
    other = build.team("Elders")
    build.commit()
    person.team_id = other.id
    db.session.commit()

    back = login(client, worker)

    assert back.headers["Location"] != f"/clients/{person.id}"
    assert db.session.scalar(select(func.count(FormDraft.id))) == 0
    denied = db.session.scalar(select(func.count(AccessLogEntry.id)).where(
        AccessLogEntry.outcome == "denied"))
    client.get(back.headers["Location"])
    assert db.session.scalar(select(func.count(AccessLogEntry.id)).where(
        AccessLogEntry.outcome == "denied")) == denied == 0


def test_a_kept_form_of_a_client_still_seen_leads_there_at_login_and_stays_until_shown(
        app, client, build, worker_and_client):  # noqa: F811
    """The same, with the client still in the worker's team (a second team of the worker's
    added meanwhile changes nothing): the login goes to the client page, which fills it in."""
    worker, person = worker_and_client
    _sent_late(app, client, worker, person, "/attempts", ATTEMPT)
    worker.teams.append(build.team("Tweede"))
    build.commit()

    back = login(client, worker)

    assert back.headers["Location"] == f"/clients/{person.id}"
    assert db.session.scalar(select(func.count(FormDraft.id))) == 1
    page = client.get(back.headers["Location"]).text
    assert input_value(page, "attempt-note") == "Voicemail ingesproken"
