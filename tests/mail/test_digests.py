"""Digests and reminders, delivered to a real SMTP server on loopback."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from caseload.extensions import db
from caseload.jobs.mail_jobs import queue_coordinator_digests, queue_worker_digests, send_outbox
from caseload.jobs.norm_jobs import daily_evaluation
from caseload.models import OutboxMessage
from tests.conftest import TODAY, csrf_token, login
from tests.mail.conftest import html_part, text_part


def outbox_count() -> int:
    return db.session.scalar(select(func.count(OutboxMessage.id)))


def late_client(build, worker, code="LATE-1"):
    """A client on day 40 without an employer contact: a rapid-job-search signal."""
    return build.client(worker, entry=TODAY - timedelta(days=40), code=code)


def test_worker_digest_arrives_with_client_code_and_link(build, smtp):
    team = build.team()
    worker = build.user(team, email="wim@example.org")
    worker.language = "en"
    client = late_client(build, worker)
    build.commit()

    daily_evaluation(TODAY)
    assert queue_worker_digests(TODAY) == 1
    result = send_outbox()

    assert result.sent == 1
    [mail] = smtp.inbox.to("wim@example.org")
    assert mail["Subject"].startswith("Caseload: 2 signals")  # rapid job search, treatment team
    assert mail["Content-Language"] == "en"
    assert "LATE-1" in text_part(mail)
    assert f"https://caseload.example.org/clients/{client.id}" in text_part(mail)
    assert f'href="https://caseload.example.org/clients/{client.id}"' in html_part(mail)
    assert "https://caseload.example.org/settings" in text_part(mail)  # unsubscribe link


def test_worker_digest_is_in_the_workers_language(build, smtp):
    team = build.team()
    dutch = build.user(team, email="nl@example.org")
    english = build.user(team, email="en@example.org")
    dutch.language, english.language = "nl", "en"
    late_client(build, dutch, "NL-1")
    late_client(build, english, "EN-1")
    build.commit()

    daily_evaluation(TODAY)
    queue_worker_digests(TODAY)
    send_outbox()

    [nl_mail] = smtp.inbox.to("nl@example.org")
    [en_mail] = smtp.inbox.to("en@example.org")
    assert nl_mail["Content-Language"] == "nl"
    assert "signalen" in nl_mail["Subject"]
    assert "Goedemorgen" in text_part(nl_mail)
    assert "signals" in en_mail["Subject"] and "Good morning" in text_part(en_mail)


def test_running_the_digest_job_twice_queues_nothing_new(build, smtp):
    worker = build.user(build.team())
    late_client(build, worker)
    build.commit()
    daily_evaluation(TODAY)

    assert queue_worker_digests(TODAY) == 1
    assert queue_worker_digests(TODAY) == 0
    send_outbox()
    send_outbox()

    assert outbox_count() == 1
    assert len(smtp.inbox.messages) == 1


def test_worker_who_opted_out_gets_no_digest(build, smtp):
    worker = build.user(build.team())
    worker.wants_worker_digest = False
    late_client(build, worker)
    build.commit()
    daily_evaluation(TODAY)

    assert queue_worker_digests(TODAY) == 0
    send_outbox()
    assert smtp.inbox.messages == []


def test_a_day_with_nothing_to_report_sends_nothing(build, smtp):
    worker = build.user(build.team())
    build.client(worker, entry=TODAY - timedelta(days=3))  # day 3: nothing due, no signal
    build.commit()
    daily_evaluation(TODAY)

    assert queue_worker_digests(TODAY) == 0
    send_outbox()
    assert smtp.inbox.messages == []


def test_no_worker_digest_at_the_weekend(build, smtp):
    worker = build.user(build.team())
    late_client(build, worker)
    build.commit()
    saturday = TODAY + timedelta(days=(5 - TODAY.weekday()))
    assert queue_worker_digests(saturday) == 0


def test_digest_lists_contact_due_after_a_job_start(build, smtp):
    worker = build.user(build.team(), email="w@example.org")
    client = build.client(worker, entry=TODAY - timedelta(days=20), code="JOB-1")
    build.contact(worker, on=TODAY - timedelta(days=15), kind="employer",
                  employer=build.employer(), client=client)
    build.placement(client, start=TODAY - timedelta(days=1))
    build.commit()
    daily_evaluation(TODAY)

    queue_worker_digests(TODAY)
    send_outbox()

    [mail] = smtp.inbox.to("w@example.org")
    body = text_part(mail)
    assert "JOB-1" in body
    assert (TODAY + timedelta(days=2)).strftime("%d-%m-%Y") in body  # due by start + 3


def test_reminder_is_queued_the_day_before_the_three_day_contact_is_due(build, smtp):
    worker = build.user(build.team(), email="w@example.org")
    client = build.client(worker, entry=TODAY - timedelta(days=20), code="JOB-2")
    build.placement(client, start=TODAY - timedelta(days=2))  # due by TODAY + 1
    other = build.client(worker, entry=TODAY - timedelta(days=20), code="JOB-3")
    build.placement(other, start=TODAY - timedelta(days=1))   # due by TODAY + 2: not yet
    build.commit()

    daily_evaluation(TODAY)
    daily_evaluation(TODAY)  # a second run queues no second reminder
    send_outbox()

    reminders = [m for m in smtp.inbox.to("w@example.org")]
    assert len(reminders) == 1
    assert "JOB-2" in reminders[0]["Subject"]


def test_a_coordinator_who_holds_clients_gets_their_reminder_and_digest(build, smtp):
    """A coordinator may carry a caseload of their own (access.team_workers offers them):
    the reminder and the digest about their clients go to them, as to a worker; a
    coordinator without clients gets no digest."""
    team = build.team()
    holder = build.user(team, role="coordinator", email="holder@example.org")
    build.user(team, role="coordinator", email="other-coordinator@example.org")
    client = build.client(holder, entry=TODAY - timedelta(days=20), code="COORD-1")
    build.placement(client, start=TODAY - timedelta(days=2))  # the 3-day contact due by TODAY + 1
    build.commit()

    daily_evaluation(TODAY)  # queues the reminder
    assert queue_worker_digests(TODAY) == 1
    send_outbox()

    mails = smtp.inbox.to("holder@example.org")
    assert len(mails) == 2 and all("COORD-1" in text_part(mail) for mail in mails)
    assert any("COORD-1" in mail["Subject"] for mail in mails)  # the reminder
    assert smtp.inbox.to("other-coordinator@example.org") == []


def test_a_coordinator_turns_their_own_digest_off_in_the_settings(client, build):
    team = build.team()
    holder = build.user(team, role="coordinator", email="holder@example.org")
    late_client(build, holder, "COORD-2")
    build.commit()
    login(client, holder)
    page = client.get("/settings").text
    assert 'name="wants_worker_digest"' in page and 'name="wants_coordinator_digest"' in page
    saved = client.post("/settings", data={"csrf_token": csrf_token(client, "/settings"),
                                           "language": "nl", "wants_coordinator_digest": "y",
                                           "wants_reminders": "y"})
    assert saved.status_code == 302
    db.session.expire_all()
    assert (holder.wants_worker_digest, holder.wants_reminders,
            holder.wants_coordinator_digest) == (False, True, True)
    daily_evaluation(TODAY)
    assert queue_worker_digests(TODAY) == 0
    holder.wants_worker_digest = True  # the same day with the box ticked: one digest
    db.session.commit()
    assert queue_worker_digests(TODAY) == 1


def test_coordinator_gets_the_weekly_checklist(build, smtp):
    team = build.team()
    coordinator = build.user(team, role="coordinator", email="coord@example.org")
    coordinator.language = "en"
    worker = build.user(team, name="Wim Werkmaat", fte="0.8")
    employer = build.employer()
    monday = TODAY - timedelta(days=TODAY.weekday() + 7)
    clients = [build.client(worker, entry=monday - timedelta(days=60)) for _ in range(3)]
    for client in clients:
        client.open_trajectory.change_phase("job_finding", on=monday - timedelta(days=50),
                                            by=worker, today=TODAY)
    for day in range(4):
        build.contact(worker, on=monday + timedelta(days=day), kind="employer", employer=employer)
    build.commit()

    assert queue_coordinator_digests(TODAY) == 1
    assert queue_coordinator_digests(TODAY) == 0
    send_outbox()

    [mail] = smtp.inbox.to("coord@example.org")
    iso = monday.isocalendar()
    assert f"{iso[0]}-W{iso[1]:02d}" in mail["Subject"]
    body = text_part(mail)
    assert "Wim Werkmaat" in body
    assert "4 / 5" in body        # 4 contacts against ceil(6 x 0.8) = 5
    assert "3 / 20" in body       # caseload against 25 x 0.8
    assert "https://caseload.example.org/review/signals" in body


def test_a_choice_not_on_the_settings_page_is_not_written_by_saving_it(client, build):
    """A worker's settings do not show the coordinator's weekly checklist; saving them leaves
    it as it was, so the worker who becomes coordinator gets it."""
    team = build.team()
    worker = build.user(team, email="soon-coordinator@example.org")
    build.user(team, name="Wim Werkmaat")  # the checklist is about the team's workers
    build.commit()
    login(client, worker)
    page = client.get("/settings").text
    assert 'name="wants_coordinator_digest"' not in page
    saved = client.post("/settings", data={"csrf_token": csrf_token(client, "/settings"),
                                           "language": "nl", "wants_reminders": "y"})
    assert saved.status_code == 302
    db.session.expire_all()
    assert (worker.wants_worker_digest, worker.wants_reminders,
            worker.wants_coordinator_digest) == (False, True, True)

    worker.role = "coordinator"
    db.session.commit()
    assert queue_coordinator_digests(TODAY) == 1


def test_coordinators_holding_clients_in_two_teams_each_hear_of_their_own_team_only(build, smtp):
    """Two teams, each with a coordinator who holds a client of their own team: each digest
    names its own team's client, never the other team's."""
    north, south = build.team("Noord"), build.team("Zuid")
    ann = build.user(north, role="coordinator", email="ann@example.org")
    bob = build.user(south, role="coordinator", email="bob@example.org")
    late_client(build, ann, "NOORD-1")
    late_client(build, bob, "ZUID-1")
    build.commit()

    daily_evaluation(TODAY)
    assert queue_worker_digests(TODAY) == 2
    send_outbox()

    [to_ann] = smtp.inbox.to("ann@example.org")
    [to_bob] = smtp.inbox.to("bob@example.org")
    assert "NOORD-1" in text_part(to_ann) and "ZUID-1" not in text_part(to_ann) + html_part(to_ann)
    assert "ZUID-1" in text_part(to_bob) and "NOORD-1" not in text_part(to_bob) + html_part(to_bob)
