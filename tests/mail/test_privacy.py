"""No health details in any mail: the demo data's notes, referrers and profiles never leave."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from caseload.demo import CLIENT_NOTES, EMPLOYER_NOTES, REFERRERS, create_demo_data
from caseload.extensions import db
from caseload.jobs.mail_jobs import queue_coordinator_digests, queue_worker_digests, send_outbox
from caseload.jobs.norm_jobs import daily_evaluation
from caseload.models import (
    BenefitsPlan,
    Client,
    Contact,
    DisclosureDiscussion,
    OutboxMessage,
    VocationalProfile,
)
from tests.conftest import TODAY

SECRET = "Diagnose: schizofrenie, clozapine"


def test_no_note_diagnosis_or_referrer_appears_in_any_part_of_any_mail(app, build, smtp):
    create_demo_data(db.session, today=TODAY)
    # A diagnosis written where workers sometimes put one: notes, profile, disclosure, benefits.
    client = db.session.scalars(select(Client)).first()
    worker = client.open_trajectory.worker
    db.session.add(Contact(contact_date=TODAY - timedelta(days=1), worker=worker, kind="client",
                           mode="phone", place="office", minutes=10, client=client, note=SECRET))
    db.session.add(DisclosureDiscussion(client=client, worker=worker, note=SECRET,
                                        discussed_on=TODAY - timedelta(days=1)))
    db.session.add(BenefitsPlan(client=client, offered_by=worker, note=SECRET,
                                offered_on=TODAY - timedelta(days=1)))
    profile = client.profile or VocationalProfile(client=client)
    profile.adjustments = SECRET
    db.session.add(profile)
    db.session.commit()

    monday = TODAY - timedelta(days=TODAY.weekday())
    daily_evaluation(TODAY)
    queue_worker_digests(TODAY)
    queue_coordinator_digests(monday)
    send_outbox()

    assert len(smtp.inbox.raw) >= 3  # three workers and the coordinator had something to read
    forbidden = {SECRET, "schizofrenie", *CLIENT_NOTES, *EMPLOYER_NOTES, *REFERRERS,
                 *{c.name for c in db.session.scalars(select(Client))},
                 *{p.preferences for p in db.session.scalars(select(VocationalProfile))},
                 *{d.note for d in db.session.scalars(select(DisclosureDiscussion))}}
    forbidden.discard("")
    for raw in smtp.inbox.raw:
        decoded = raw.decode("utf-8", "replace")
        bodies = "".join(part.get_content() for m in [smtp.inbox.messages[smtp.inbox.raw.index(raw)]]
                         for part in m.walk() if part.get_content_maintype() == "text")
        for text in forbidden:
            assert text not in decoded, text
            assert text not in bodies, text
    for message in db.session.scalars(select(OutboxMessage)):
        for text in forbidden:
            assert text not in message.body_text and text not in message.body_html
