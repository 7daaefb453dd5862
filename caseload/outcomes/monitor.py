"""The quarterly export for the national work monitor (landelijke werkmonitor): one row per
trajectory open in the quarter and placement held in it (README, "Work monitor export").

Figures are as of the last day of the quarter (or today, while the quarter runs): an end date
after that day is left empty, as the trajectory or placement was still going on then.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import and_, func, or_, select

from caseload.exports import safe_row
from caseload.models import Client, Contact, Placement, Team, Trajectory, User
from caseload.outcomes.queries import held_between, on_caseload, wage_status

COLUMNS = (
    "team", "client_code", "trajectory_type", "program_entry_date", "end_date", "end_reason",
    "worker_fte", "first_employer_contact_date", "placement_type", "placement_start",
    "placement_end", "hours_per_week", "wage_at_least_minimum", "competitive",
    "funder", "contract", "in_work_at_referral",
)


@dataclass(frozen=True)
class MonitorRow:
    client_id: int
    values: tuple


def _iso(value) -> str:
    if value is None:
        return ""
    return value.isoformat() if isinstance(value, date) else str(value)


def _decimal(value) -> str:
    return "" if value is None else format(Decimal(value).normalize(), "f")


def work_monitor_rows(session, team_ids, start: date, end: date) -> list[MonitorRow]:
    """One query: trajectories open at any day of start..end with their placements held in it
    (outer join, so a trajectory without a placement gives one row with empty placement
    columns) and the first face-to-face employer contact of the trajectory up to `end`."""
    first_contact = (
        select(func.min(Contact.contact_date))
        .where(Contact.client_id == Trajectory.client_id, Contact.kind == "employer",
               Contact.mode == "face_to_face",
               Contact.contact_date >= Trajectory.program_entry_date, Contact.contact_date <= end,
               or_(Trajectory.ended_on.is_(None), Contact.contact_date <= Trajectory.ended_on))
        .correlate(Trajectory).scalar_subquery())
    rows = session.execute(
        select(Team.name, Client.id, Client.client_code, Trajectory.trajectory_type,
               Trajectory.program_entry_date, Trajectory.ended_on, Trajectory.end_reason,
               User.fte, first_contact, Placement.placement_type, Placement.start_date,
               Placement.end_date, Placement.hours_per_week, Placement.hourly_wage,
               Placement.competitive, Trajectory.funder, Placement.contract,
               Trajectory.in_work_at_referral)
        .select_from(Trajectory)
        .join(Client, Client.id == Trajectory.client_id)
        .join(Team, Team.id == Client.team_id)
        .outerjoin(User, User.id == Trajectory.worker_id)  # NULL while to be assigned
        .outerjoin(Placement, and_(Placement.trajectory_id == Trajectory.id,
                                   held_between(start, end)))
        .where(Client.team_id.in_(team_ids), on_caseload(start, end))
        .order_by(Team.name, Client.client_code, Trajectory.program_entry_date,
                  Placement.start_date, Placement.id))
    result = []
    for (team, client_id, code, kind, entry, ended, reason, fte, first, ptype, pstart, pend,
         hours, wage, competitive, funder, contract, in_work) in rows:
        ended_then = ended is not None and ended <= end
        placed = ptype is not None
        result.append(MonitorRow(client_id, (
            team, code, kind, _iso(entry), _iso(ended if ended_then else None),
            reason if ended_then else "", _decimal(fte), _iso(first),
            ptype or "", _iso(pstart), _iso(pend if pend is not None and pend <= end else None),
            _decimal(hours) if placed else "", wage_status(wage) if placed else "",
            ("yes" if competitive else "no") if placed else "",
            funder, contract if placed else "",
            "" if in_work is None else ("yes" if in_work else "no"))))
    return result


def work_monitor_csv(rows: list[MonitorRow]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for row in rows:
        writer.writerow(safe_row(row.values))
    return out.getvalue()
