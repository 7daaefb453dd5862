"""What the digests say, gathered for all recipients at once (a fixed number of queries)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy.orm import selectinload

from caseload.checklist.queries import ChecklistLine, team_week_checklist  # noqa: F401
from caseload.due import DueItem, add_cover, covered_absences, due_items  # noqa: F401
from caseload.models import Signal, Trajectory
from caseload.norms.settings import NormSettings
from caseload.norms.worker_norms import WeekFigures, weekly_employer_contact_figures
from caseload.signals import open_signals_query


@dataclass
class WorkerDigest:
    signals: list[Signal] = field(default_factory=list)
    new_signal_ids: set[int] = field(default_factory=set)
    due: list[DueItem] = field(default_factory=list)
    week: WeekFigures | None = None

    @property
    def has_news(self) -> bool:
        return bool(self.signals or self.due)


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
    # The same list as the week page (caseload/due/), so the mail and the screen agree.
    due = due_items(session, as_of, settings)
    for worker_id, items in due.items():
        digests[worker_id].due = list(items)
    extra: dict[int, list[DueItem]] = {}
    add_cover(session, as_of, due, covered_absences(session, as_of), extra)
    for worker_id, items in extra.items():
        digests[worker_id].due.extend(items)
    for digest in digests.values():
        digest.due.sort(key=lambda item: (item.due_on, item.client_code))
    monday = as_of - timedelta(days=as_of.weekday())
    for worker_id, figures in weekly_employer_contact_figures(
            session, monday, monday + timedelta(days=6), settings).items():
        if worker_id in digests:
            digests[worker_id].week = figures
    return dict(digests)
