"""What the digests say, gathered for all recipients at once (a fixed number of queries)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field, replace
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from caseload.models import Absence, Client, Contact, Placement, Signal, Trajectory, User
from caseload.norms.settings import NormSettings
from caseload.norms.sql import add_days, open_on
from caseload.norms.worker_norms import WeekFigures, weekly_employer_contact_figures
from caseload.checklist.queries import ChecklistLine, team_week_checklist  # noqa: F401
from caseload.signals import open_signals_query


@dataclass
class DueItem:
    kind: str          # follow_along_start, job_loss, rapid_job_search
    client_id: int
    client_code: str
    due_on: date
    covering_for: str = ""  # the absent colleague's name, when the recipient covers for them


@dataclass
class WorkerDigest:
    signals: list[Signal] = field(default_factory=list)
    new_signal_ids: set[int] = field(default_factory=set)
    due: list[DueItem] = field(default_factory=list)
    week: WeekFigures | None = None

    @property
    def has_news(self) -> bool:
        return bool(self.signals or self.due)


def _no_contact_since(start_col, *, kind: str, face_to_face: bool, as_of: date):
    conditions = [Contact.client_id == Trajectory.client_id, Contact.kind == kind,
                  Contact.contact_date >= start_col, Contact.contact_date <= as_of]
    if face_to_face:
        conditions.append(Contact.mode == "face_to_face")
    return ~select(Contact.id).where(*conditions).exists()


def due_items(session, as_of: date, settings: NormSettings) -> dict[int, list[DueItem]]:
    """Per worker: contacts due in the next days, before they become signals."""
    items: dict[int, list[DueItem]] = defaultdict(list)
    start_days, loss_days = settings.follow_along_start_days, settings.job_loss_days
    for wid, cid, code, start in session.execute(
            select(Trajectory.worker_id, Client.id, Client.client_code, Placement.start_date)
            .join(Trajectory, Trajectory.id == Placement.trajectory_id)
            .join(Client, Client.id == Trajectory.client_id)
            .where(open_on(as_of), Client.erased_at.is_(None), Placement.start_date <= as_of,
                   add_days(Placement.start_date, start_days) >= as_of,
                   _no_contact_since(Placement.start_date, kind="client", face_to_face=True,
                                     as_of=as_of))):
        items[wid].append(DueItem("follow_along_start", cid, code,
                                  start + timedelta(days=start_days)))
    for wid, cid, code, end in session.execute(
            select(Trajectory.worker_id, Client.id, Client.client_code, Placement.end_date)
            .join(Trajectory, Trajectory.id == Placement.trajectory_id)
            .join(Client, Client.id == Trajectory.client_id)
            .where(open_on(as_of), Client.erased_at.is_(None), Placement.end_date <= as_of,
                   add_days(Placement.end_date, loss_days) >= as_of,
                   _no_contact_since(Placement.end_date, kind="client", face_to_face=False,
                                     as_of=as_of))):
        items[wid].append(DueItem("job_loss", cid, code, end + timedelta(days=loss_days)))
    limit = settings.rapid_job_search_days
    for wid, cid, code, entry in session.execute(
            select(Trajectory.worker_id, Client.id, Client.client_code,
                   Trajectory.program_entry_date)
            .join(Client, Client.id == Trajectory.client_id)
            .where(open_on(as_of), Client.erased_at.is_(None),
                   add_days(Trajectory.program_entry_date, limit - 7) <= as_of,
                   add_days(Trajectory.program_entry_date, limit) >= as_of,
                   _no_contact_since(Trajectory.program_entry_date, kind="employer",
                                     face_to_face=True, as_of=as_of))):
        items[wid].append(DueItem("rapid_job_search", cid, code, entry + timedelta(days=limit)))
    for worker_items in items.values():
        worker_items.sort(key=lambda item: (item.due_on, item.client_code))
    return items


def _add_cover(session, as_of: date, due: dict[int, list[DueItem]],
               digests: dict[int, WorkerDigest]) -> None:
    """A colleague covering for an absent worker gets that worker's due contacts too, for the
    clients of the teams the cover is in (access follows the client's team)."""
    absences = list(session.scalars(
        select(Absence).where(Absence.cover_id.is_not(None), Absence.from_date <= as_of,
                              Absence.to_date >= as_of)
        .options(selectinload(Absence.user), selectinload(Absence.cover).selectinload(User.teams))))
    absences = [a for a in absences if a.user_id in due and a.cover.active]
    if not absences:
        return
    client_ids = {item.client_id for a in absences for item in due[a.user_id]}
    team_of = dict(session.execute(select(Client.id, Client.team_id)
                                   .where(Client.id.in_(client_ids))).all())
    for absence in absences:
        allowed = set(absence.cover.team_ids)
        extra = [replace(item, covering_for=absence.user.name) for item in due[absence.user_id]
                 if team_of.get(item.client_id) in allowed]
        if extra:
            digests[absence.cover_id].due.extend(extra)


def worker_digests(session, as_of: date, settings: NormSettings) -> dict[int, WorkerDigest]:
    digests: dict[int, WorkerDigest] = defaultdict(WorkerDigest)
    signals = session.scalars(open_signals_query().options(
        selectinload(Signal.trajectory).selectinload(Trajectory.client)))
    for signal in signals:
        if signal.worker_id is None:
            continue
        digest = digests[signal.worker_id]
        digest.signals.append(signal)
        if signal.first_seen_on == as_of:
            digest.new_signal_ids.add(signal.id)
    due = due_items(session, as_of, settings)
    for worker_id, items in due.items():
        digests[worker_id].due = list(items)
    _add_cover(session, as_of, due, digests)
    for digest in digests.values():
        digest.due.sort(key=lambda item: (item.due_on, item.client_code))
    monday = as_of - timedelta(days=as_of.weekday())
    for worker_id, figures in weekly_employer_contact_figures(
            session, monday, monday + timedelta(days=6), settings).items():
        if worker_id in digests:
            digests[worker_id].week = figures
    return dict(digests)
