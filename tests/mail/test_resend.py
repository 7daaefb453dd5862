"""An administrator sends a failed message again from the outbox: it is queued once, however many
clicks or servers, sent once by the normal sender with its own Message-ID, to the recipient's
current address, and the action is in the administration log."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from caseload.extensions import db
from caseload.jobs.mail_jobs import send_outbox
from caseload.models import AdminLogEntry, OutboxMessage
from tests.conftest import csrf_token, login
from tests.mail.test_sender_failures import queued, reload


def _failed_by_550(build, smtp, address="gone@example.org") -> OutboxMessage:
    smtp.inbox.rcpt_replies[address] = "550 5.1.1 No such user"
    message = queued(build, address)
    assert send_outbox().failed == 1
    message = reload(message)
    assert message.status == "failed" and "550" in message.last_error
    return message


def _resend(client, message_id: int, **extra):
    token = csrf_token(client, f"/admin/outbox/{message_id}")
    return client.post(f"/admin/outbox/{message_id}/resend",
                       data={"csrf_token": token, **extra})


def test_a_message_failed_by_a_5xx_is_sent_again_after_the_fix_and_received_once(
        client, build, smtp):
    message = _failed_by_550(build, smtp)
    original_id = message.message_id
    admin = build.user(role="admin", email="admin@example.org")
    build.commit()
    login(client, admin)
    page = client.get("/admin/outbox/%d" % message.id)
    assert 'id="resend"' in page.text

    del smtp.inbox.rcpt_replies["gone@example.org"]       # the fix: the mailbox exists again
    first = _resend(client, message.id)
    second = _resend(client, message.id)                 # a second click
    assert first.status_code == second.status_code == 302
    assert reload(message).status == "queued"

    assert send_outbox().sent == 1
    assert send_outbox().sent == 0                       # a second run sends nothing more
    received = smtp.inbox.to("gone@example.org")
    assert len(received) == 1
    assert received[0]["Message-ID"] == original_id
    message = reload(message)
    assert (message.status, message.attempts, message.last_error) == ("sent", 1, "")

    log = db.session.execute(
        select(AdminLogEntry.object_type, AdminLogEntry.object_id, AdminLogEntry.action,
               AdminLogEntry.field, AdminLogEntry.old_value, AdminLogEntry.new_value,
               AdminLogEntry.actor_email)
        .where(AdminLogEntry.object_type == "outbox_message")
        .order_by(AdminLogEntry.field)).all()
    assert [(row.field, row.new_value) for row in log] == [
        ("attempts", "0"), ("last_error", ""), ("status", "queued")]
    assert {(row.object_id, row.action, row.actor_email) for row in log} == {
        (message.id, "resend", "admin@example.org")}
    assert "550 5.1.1 No such user" in next(row.old_value for row in log
                                             if row.field == "last_error")
    # The second click said so, and logged nothing.
    follow = client.get(second.headers["Location"])
    assert "niet (meer) mislukt" in follow.text
    db.session.rollback()


def test_the_administration_log_page_shows_the_resend(client, build, smtp):
    message = _failed_by_550(build, smtp)
    admin = build.user(role="admin", email="admin@example.org")
    build.commit()
    login(client, admin)
    _resend(client, message.id)
    page = client.get("/admin/admin-log")
    assert page.status_code == 200, page.text
    row = re.search(r"<tr data-object-type=\"outbox_message\" data-field=\"status\">.*?</tr>", page.text, re.S)
    assert row, page.text[page.text.find("<table"):][:3000]
    assert "Bericht in de outbox" in row.group() and "Opnieuw verzonden" in row.group()
    assert "mislukt" in row.group() and "in wachtrij" in row.group(), row.group()


def test_two_servers_putting_it_back_at_once_queue_it_once(app, build, smtp):
    """Two servers both read the message as failed; the first puts it back, the second's
    conditional update then finds it queued and is refused: it is queued, logged and sent
    once. (The interleaving of two requests, made exact with a second database session.)"""
    from flask_login import login_user
    from sqlalchemy.orm import Session

    from caseload import clock
    from caseload.mail.resend import CannotResend, resend

    message = _failed_by_550(build, smtp)
    del smtp.inbox.rcpt_replies["gone@example.org"]
    admin = build.user(role="admin", email="admin@example.org")
    build.commit()
    other_server = Session(db.engine, expire_on_commit=False)
    try:
        stale = other_server.get(OutboxMessage, message.id)
        assert stale.status == "failed" and stale.recipient.active
        other_server.commit()          # its request read the page; the object stays as read

        with app.test_request_context():
            login_user(admin)
            resend(db.session, reload(message), clock.utcnow())
            db.session.commit()
            with pytest.raises(CannotResend) as refused:
                resend(other_server, stale, clock.utcnow())
            other_server.rollback()
        assert refused.value.reason == "not_failed"
    finally:
        other_server.close()
    assert send_outbox().sent == 1 and send_outbox().sent == 0
    assert len(smtp.inbox.to("gone@example.org")) == 1
    assert db.session.query(AdminLogEntry).filter_by(field="status").count() == 1
    db.session.rollback()


def test_only_failed_messages_go_back_and_a_sent_one_is_never_sent_again(client, build, smtp):
    sent = queued(build, "ok@example.org")
    assert send_outbox().sent == 1
    admin = build.user(role="admin", email="admin@example.org")
    build.commit()
    login(client, admin)
    page = client.get("/admin/outbox/%d" % sent.id)
    assert 'id="resend"' not in page.text
    assert _resend(client, sent.id).status_code == 302
    assert reload(sent).status == "sent"
    assert send_outbox().sent == 0
    assert len(smtp.inbox.to("ok@example.org")) == 1
    assert db.session.query(AdminLogEntry).filter_by(object_type="outbox_message").count() == 0
    db.session.rollback()


def test_it_goes_to_the_recipients_current_address(client, build, smtp):
    """The fix may be the address itself: an administrator corrected the user's e-mail."""
    message = _failed_by_550(build, smtp, "typo@example.org")
    message.recipient.email = "right@example.org"
    admin = build.user(role="admin", email="admin@example.org")
    build.commit()
    login(client, admin)
    _resend(client, message.id)
    assert send_outbox().sent == 1
    assert len(smtp.inbox.to("right@example.org")) == 1 and not smtp.inbox.to("typo@example.org")
    entry = db.session.scalars(select(AdminLogEntry).where(
        AdminLogEntry.field == "recipient_email")).one()
    assert (entry.old_value, entry.new_value) == ("typo@example.org", "right@example.org")
    db.session.rollback()


def test_an_inactive_recipient_gets_nothing(client, build, smtp):
    message = _failed_by_550(build, smtp)
    message.recipient.active = False
    admin = build.user(role="admin", email="admin@example.org")
    build.commit()
    login(client, admin)
    follow = client.get(_resend(client, message.id).headers["Location"])
    assert "niet actief" in follow.text
    assert reload(message).status == "failed"


def test_only_administrators_and_only_a_post_with_its_csrf_token(client, build, smtp):
    message = _failed_by_550(build, smtp)
    team = build.team("Team Noord")
    coordinator = build.user(team, role="coordinator", email="cora@example.org")
    admin = build.user(role="admin", email="admin@example.org")
    build.commit()
    login(client, coordinator)
    assert client.post(f"/admin/outbox/{message.id}/resend",
                       data={"csrf_token": csrf_token(client, "/caseload")}).status_code == 403
    client.post("/logout", data={"csrf_token": csrf_token(client, "/caseload")})
    login(client, admin)
    assert client.get(f"/admin/outbox/{message.id}/resend").status_code == 405
    assert client.post(f"/admin/outbox/{message.id}/resend").status_code == 400
    assert client.post("/admin/outbox/999999/resend",
                       data={"csrf_token": csrf_token(client, "/admin/outbox")}).status_code == 404
    assert reload(message).status == "failed"
    # The list has a button per failed message, posting to the same place.
    listing = client.get("/admin/outbox")
    assert re.search(rf'data-resend="{message.id}"', listing.text)


def test_a_digest_naming_clients_of_a_team_the_recipient_has_left_is_not_sent_again(
        client, build, smtp):
    """The worker's digest failed (550) while they held a client of team A; they have moved to
    team B since. Sent again it would give them a client of a team they are no longer in:
    refused, said so, the message stays failed and nothing arrives. Access follows the client's
    team (scope.py), in mails too."""
    from datetime import timedelta

    from caseload.jobs.mail_jobs import queue_worker_digests
    from caseload.jobs.norm_jobs import daily_evaluation
    from tests.conftest import TODAY
    team_a, team_b = build.team("Team A"), build.team("Team B")
    moved = build.user(team_a, email="moved@example.org")
    colleague = build.user(team_a, email="colleague@example.org")
    person = build.client(moved, entry=TODAY - timedelta(days=45), code="A-LEFT-1")
    admin = build.user(role="admin", email="admin@example.org")
    build.commit()
    daily_evaluation(TODAY)
    assert queue_worker_digests(TODAY) >= 1
    message = db.session.scalar(select(OutboxMessage).where(
        OutboxMessage.recipient_email == "moved@example.org"))
    assert f"/clients/{person.id}" in message.body_text
    smtp.inbox.rcpt_replies["moved@example.org"] = "550 5.1.1 No such user"
    send_outbox()
    assert reload(message).status == "failed"
    del smtp.inbox.rcpt_replies["moved@example.org"]   # the fix of the mailbox
    build.transfer(person, colleague, on=TODAY)
    moved.teams = [team_b]
    build.commit()

    login(client, admin)
    response = _resend(client, message.id)

    assert response.status_code == 302
    assert "team waar de ontvanger niet meer in zit" in client.get(response.headers["Location"]).text
    assert reload(message).status == "failed"
    assert send_outbox().sent == 0 and smtp.inbox.to("moved@example.org") == []
    assert db.session.query(AdminLogEntry).filter_by(object_type="outbox_message").count() == 0
    db.session.rollback()


def test_a_queued_digest_is_not_delivered_to_a_recipient_who_left_the_clients_team_since(
        build, smtp):
    """Queued in the morning while the worker held a client of team A; before the sender ran
    the worker moved to team B (and another was deactivated). Neither gets it: failed unsent,
    saying why; a colleague's digest goes as usual."""
    from datetime import timedelta

    from caseload.jobs.mail_jobs import queue_worker_digests
    from caseload.jobs.norm_jobs import daily_evaluation
    from tests.conftest import TODAY
    team_a, team_b = build.team("Team A"), build.team("Team B")
    moved = build.user(team_a, email="moved@example.org")
    leaver = build.user(team_a, email="leaver@example.org")
    stays = build.user(team_a, email="stays@example.org")
    first = build.client(moved, entry=TODAY - timedelta(days=45), code="A-LEFT-1")
    build.client(leaver, entry=TODAY - timedelta(days=45), code="A-LEFT-2")
    build.client(stays, entry=TODAY - timedelta(days=45), code="A-STAYS-1")
    build.commit()
    daily_evaluation(TODAY)
    assert queue_worker_digests(TODAY) == 3
    build.transfer(first, stays, on=TODAY)
    moved.teams = [team_b]
    build.deactivate(leaver)
    build.commit()

    result = send_outbox()

    assert (result.sent, result.failed) == (1, 2)
    assert [m["To"] for m in smtp.inbox.messages] == ["stays@example.org"]
    db.session.expire_all()
    for address in ("moved@example.org", "leaver@example.org"):
        message = db.session.scalar(select(OutboxMessage).where(
            OutboxMessage.recipient_email == address))
        assert message.status == "failed" and "not sent" in message.last_error, address
