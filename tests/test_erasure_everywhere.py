"""Erasure that erases: the client's name and code also leave free text written about others
(another client's contact note, an employer contact, checklist and week reviews, signal
acknowledgements, fidelity notes), delivered mail keeps no body that mentions them, and the
mail sink's files about them are deleted."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from pathlib import Path

from sqlalchemy import select

from caseload.extensions import db
from caseload.jobs.norm_jobs import daily_evaluation
from caseload.models import (
    Contact,
    EmployerChange,
    FidelityAssessment,
    FidelityItemScore,
    OutboxMessage,
    Signal,
    TrajectoryAssignment,
    WeekReview,
    WorkerWeekReview,
)
from caseload.privacy.erase import erase_client
from tests.conftest import TODAY

NAME = "Joséphine van der Berg"
CODE = "JB-77"


def mail_file(folder: Path, name: str, subject: str, body: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    mail = EmailMessage()
    mail["Subject"], mail["From"], mail["To"] = subject, "caseload@localhost", "w@example.org"
    mail.set_content(body)  # non-ASCII: quoted-printable in the file, found decoded
    path = folder / f"{name}.eml"
    path.write_bytes(bytes(mail))
    return path


def test_name_and_code_leave_every_other_record_and_the_mail_sink(app, build):
    team = build.team()
    worker = build.user(team)
    coordinator = build.user(team, role="coordinator")
    target = build.client(worker, entry=TODAY - timedelta(days=45), code=CODE)
    target.name = NAME
    other = build.client(worker, entry=TODAY - timedelta(days=45), code="OT-1")
    employer = build.employer("Bakkerij Brood")
    mentions = {
        "other_client": build.contact(worker, on=TODAY, client=other,
                                      note="Samen met joséphine  VAN DER berg naar de bakker"),
        "employer": build.contact(worker, on=TODAY, kind="employer", employer=employer,
                                  note=f"Met de werkgever over {NAME} ({CODE}) gesproken"),
        "unrelated": build.contact(worker, on=TODAY, client=other,
                                   note="Joséphine alleen, en JB-770 is een ander"),
    }
    colleague = build.user(team)
    other.open_trajectory.assign(colleague, on=TODAY, today=TODAY, by=coordinator,
                                 note=f"Overgedragen, net als {NAME}")
    own_handover = target.open_trajectory.assign(colleague, on=TODAY, today=TODAY,
                                                 by=coordinator, note="Wil graag in de zorg")
    employer.change(coordinator, contact_person=f"Mentor van {NAME}")
    build.commit()
    daily_evaluation(TODAY)
    signal = db.session.scalar(select(Signal).where(Signal.trajectory_id
                                                    == other.open_trajectory.id))
    signal.acknowledgement_note = f"Besproken, ook {NAME}"
    db.session.add_all([
        WeekReview(team_id=team.id, week_start=TODAY - timedelta(days=9),
                   note=f"{CODE} en {NAME} besproken", reviewed_by=coordinator,
                   reviewed_at=datetime.now(UTC)),
        WorkerWeekReview(team_id=team.id, week_start=TODAY - timedelta(days=9),
                         worker_id=worker.id, note=f"Let op {NAME}", reviewed_by=coordinator,
                         reviewed_at=datetime.now(UTC)),
        FidelityAssessment(team=team, period_start=TODAY - timedelta(days=90),
                           period_end=TODAY, created_by=coordinator, items=[FidelityItemScore(
                               item_number=2, score=3, note=f"Zie casus {NAME}")]),
    ])
    sent = OutboxMessage(recipient=worker, recipient_email=worker.email, kind="worker_digest",
                         period_key="2026-03-17", language="nl", subject="Digest", status="sent",
                         body_text=f"{CODE}: bel de werkgever; OT-1: ok",
                         body_html=f"<li>{CODE}</li><li>OT-1</li>")
    queued = OutboxMessage(recipient=worker, recipient_email=worker.email, kind="worker_digest",
                           period_key="2026-03-18", language="nl", subject="Digest",
                           body_text=f"{CODE}: bel; OT-1: ok", body_html=f"<li>{CODE}</li>")
    db.session.add_all([sent, queued])
    db.session.commit()
    sink = Path(app.config["INSTANCE_DIR"]) / "mail"
    about_code = mail_file(sink, "a", "Digest", f"{CODE}: bel de werkgever")
    about_name = mail_file(sink, "b", f"Over {NAME}", "zie onderwerp")
    about_other = mail_file(sink, "c", "Digest", "OT-1: ok, JB-770 ook")

    erase_client(db.session, db.session.get(type(target), target.id), reason="client_request",
                 today=TODAY, now=datetime.now(UTC))
    db.session.commit()
    db.session.expire_all()

    def note(contact):
        return db.session.get(Contact, contact.id).note
    assert note(mentions["other_client"]) == "Samen met [ANON] naar de bakker"
    assert note(mentions["employer"]) == "Met de werkgever over [ANON] ([ANON]) gesproken"
    assert note(mentions["unrelated"]) == "Joséphine alleen, en JB-770 is een ander"
    assert db.session.get(Signal, signal.id).acknowledgement_note == "Besproken, ook [ANON]"
    assert db.session.scalar(select(WeekReview.note)) == "[ANON] en [ANON] besproken"
    assert db.session.scalar(select(WorkerWeekReview.note)) == "Let op [ANON]"
    assert db.session.scalar(select(FidelityItemScore.note)) == "Zie casus [ANON]"
    assert db.session.get(TrajectoryAssignment, own_handover.id).note == ""
    assert db.session.scalar(select(TrajectoryAssignment.note).where(
        TrajectoryAssignment.trajectory_id == other.open_trajectory.id,
        TrajectoryAssignment.until.is_(None))) == "Overgedragen, net als [ANON]"
    assert db.session.scalar(select(EmployerChange.new_value)) == "Mentor van [ANON]"
    delivered = db.session.get(OutboxMessage, sent.id)
    assert (delivered.body_text, delivered.body_html) == ("[ANON]", "[ANON]")
    waiting = db.session.get(OutboxMessage, queued.id)
    assert waiting.body_text == "[ANON]: bel; OT-1: ok"  # still goes out, without the client
    assert not about_code.exists() and not about_name.exists()
    assert about_other.exists()

    everything = " ".join(
        str(value) for model in (Contact, Signal, WeekReview, WorkerWeekReview,
                                 FidelityItemScore, OutboxMessage, TrajectoryAssignment,
                                 EmployerChange)
        for row in db.session.scalars(select(model)) for value in vars(row).values())
    assert CODE not in everything.replace("JB-770", "")
    assert "van der Berg" not in everything and "VAN DER berg" not in everything


def test_a_very_short_name_is_not_searched_for(build):
    team = build.team()
    worker = build.user(team)
    target = build.client(worker, code="SH-1")
    target.name = "Al"
    other = build.client(worker, code="SH-2")
    contact = build.contact(worker, on=TODAY, client=other, note="Dat is al gedaan")
    build.commit()
    erase_client(db.session, target, reason="other", today=TODAY, now=datetime.now(UTC))
    db.session.commit()
    db.session.expire_all()
    assert db.session.get(Contact, contact.id).note == "Dat is al gedaan"
