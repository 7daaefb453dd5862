"""What is due: the one list the week page, the digests, the reminders and the calendar feed
read, so the screen and the mail always agree.

    due_items(session, as_of, settings, worker_ids=None, team_ids=None) -> {worker id: [DueItem]}

A fixed number of queries (caseload/due/facts.py), whatever the number of clients; the rules
(caseload/due/rules.py) use the norms' settings, so "due" ends the day before a norm would
raise a signal.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import replace
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from caseload.due import facts as due_facts
from caseload.due.items import HORIZON_DAYS, KINDS, LABELS, TASKS, DueItem
from caseload.due.rules import compute
from caseload.norms.settings import NormSettings


def due_items(session, as_of: date, settings: NormSettings, *, worker_ids=None, team_ids=None,
              horizon: int = HORIZON_DAYS) -> dict[int, list[DueItem]]:
    """Per worker: what is due from today to `horizon` days ahead for the open trajectories
    they hold (of the given workers, within the given teams' clients)."""
    facts = due_facts.load(session, as_of, settings, worker_ids=worker_ids, team_ids=team_ids)
    items: dict[int, list[DueItem]] = defaultdict(list)
    seen = set()
    for item in compute(facts, settings, horizon):
        if (item.kind, item.client_id) in seen:  # two placements asking the same: once
            continue
        seen.add((item.kind, item.client_id))
        items[item.worker_id].append(item)
    return dict(items)


def covered_absences(session, as_of: date, cover_id: int | None = None):
    """Today's absences with a cover (of one cover, or all), with the cover's teams loaded."""
    from caseload.models import Absence, User
    query = (select(Absence).where(Absence.cover_id.is_not(None), Absence.on(as_of))
             .options(selectinload(Absence.user),
                      selectinload(Absence.cover).selectinload(User.teams)))
    if cover_id is not None:
        query = query.where(Absence.cover_id == cover_id)
    return list(session.scalars(query))


def add_cover(session, as_of: date, due: dict[int, list[DueItem]], absences,
              into: dict[int, list[DueItem]]) -> None:
    """A colleague covering for an absent worker gets that worker's due items too, for the
    clients of the teams the cover is in (access follows the client's team)."""
    from caseload.models import Client
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
            into.setdefault(absence.cover_id, []).extend(extra)


def due_for(session, as_of: date, settings: NormSettings, worker, team_ids,
            horizon: int = HORIZON_DAYS) -> list[DueItem]:
    """One worker's list as their week page shows it: their own items within their teams, and
    those of absent colleagues they cover."""
    absences = covered_absences(session, as_of, worker.id)
    worker_ids = [worker.id] + [a.user_id for a in absences]
    due = due_items(session, as_of, settings, worker_ids=worker_ids, team_ids=team_ids,
                    horizon=horizon)
    mine = {worker.id: list(due.get(worker.id, []))}
    add_cover(session, as_of, due, absences, mine)
    result = mine[worker.id]
    result.sort(key=lambda item: (item.due_on, item.client_code, item.kind))
    return result


__all__ = ["DueItem", "HORIZON_DAYS", "KINDS", "LABELS", "TASKS", "add_cover",
           "covered_absences", "due_for", "due_items"]
