"""Finding a correctable record within the caller's teams, who may correct it, and keeping the
version before each change. The records keep the current truth, so the norms follow at their
next evaluation without knowing about corrections."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from flask import abort
from flask_login import current_user
from sqlalchemy import select, update

from caseload import clock, dates, scope
from caseload.access import me, refuse, visible_team_ids
from caseload.extensions import db
from caseload.models import (
    BenefitsPlan,
    Client,
    Contact,
    DisclosureDiscussion,
    Placement,
    RecordVersion,
    Signal,
    Trajectory,
    vocab,
)
from caseload.translating import gettext as _

# Not part of a version: identity and bookkeeping.
SKIPPED_COLUMNS = {"id", "created_at", "version"}


@dataclass(frozen=True)
class Kind:
    model: type
    recorded_by: str        # the column naming who recorded it

    def client_id(self, record) -> int | None:
        if isinstance(record, Placement):
            return record.trajectory.client_id
        return record.client_id


KINDS = {
    "contact": Kind(Contact, "worker_id"),
    "placement": Kind(Placement, "recorded_by_id"),
    "disclosure": Kind(DisclosureDiscussion, "worker_id"),
    "benefits_plan": Kind(BenefitsPlan, "offered_by_id"),
}


def record_or_404(record_type: str, record_id: int):
    """The record, when it belongs to a client of the caller's teams (a general contact: made
    by a member of those teams); anything else answers 404, as access.py does."""
    kind = KINDS.get(record_type)
    if kind is None:
        abort(404)
    teams = visible_team_ids()
    model = kind.model
    if model is Contact:
        query = select(Contact).where(Contact.id == record_id, scope.contacts_of(teams))
    elif model is Placement:
        query = (select(Placement).join(Trajectory).join(Client)
                 .where(Placement.id == record_id, scope.clients_of(teams)))
    else:
        query = (select(model).join(Client, Client.id == model.client_id)
                 .where(model.id == record_id, scope.clients_of(teams)))
    record = db.session.scalar(query)
    if record is None:  # another team's, or none: a denied attempt at its client (if any)
        other = db.session.get(model, record_id)
        refuse(kind.client_id(other) if other is not None else None)
    return record


def recorder_id(record_type: str, record) -> int | None:
    recorded_by = getattr(record, KINDS[record_type].recorded_by)
    if recorded_by is None and isinstance(record, Placement):
        return record.trajectory.worker_id  # placements from before recorded_by was kept
    return recorded_by


def may_correct(record_type: str, record) -> bool:
    """The worker who recorded it, and the coordinator of the client's team (the record is
    already known to be within the caller's teams)."""
    return current_user.is_coordinator or current_user.id == recorder_id(record_type, record)


def correctable_or_404(record_type: str, record_id: int):
    record = record_or_404(record_type, record_id)
    if not may_correct(record_type, record):
        refuse(KINDS[record_type].client_id(record), 403)
    return record


def _plain(value):
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def snapshot(record) -> dict:
    values = {column.name: _plain(getattr(record, column.key, None))
              for column in record.__table__.columns if column.name not in SKIPPED_COLUMNS}
    employer = getattr(record, "employer", None)
    if employer is not None:
        values["employer_name"] = employer.name
    return values


def remember(record_type: str, record, *, action: str, reason: str) -> RecordVersion:
    """Keep the record as it is now, before `action` changes it (in the caller's transaction)."""
    version = RecordVersion(
        record_type=record_type, record_id=record.id,
        client_id=KINDS[record_type].client_id(record), data=json.dumps(snapshot(record)),
        action=action, reason=reason.strip(), changed_by=me(), changed_at=clock.utcnow())
    db.session.add(version)
    return version


def delete(record_type: str, record, *, reason: str) -> None:
    remember(record_type, record, action="delete", reason=reason)
    if isinstance(record, Placement):
        # Its signals stay in the history and resolve at the next evaluation, as their breach
        # is gone with the placement.
        db.session.execute(update(Signal).where(Signal.placement_id == record.id)
                           .values(placement_id=None))
    db.session.delete(record)


def history_of_client(client_id: int) -> dict[tuple[str, int], list[RecordVersion]]:
    """Every kept version of the client's records, newest first, by (type, record id)."""
    from sqlalchemy.orm import selectinload
    found: dict[tuple[str, int], list[RecordVersion]] = {}
    for version in db.session.scalars(
            select(RecordVersion).where(RecordVersion.client_id == client_id)
            .options(selectinload(RecordVersion.changed_by))
            .order_by(RecordVersion.changed_at.desc(), RecordVersion.id.desc())):
        found.setdefault((version.record_type, version.record_id), []).append(version)
    return found


def history_of_records(record_type: str, record_ids) -> dict[tuple[str, int], list[RecordVersion]]:
    """The kept versions of the given records (the caller already knows they may be seen),
    newest first, by (type, record id): one query, for a page's list of records."""
    from sqlalchemy.orm import selectinload
    ids = sorted(set(record_ids))
    found: dict[tuple[str, int], list[RecordVersion]] = {}
    if not ids:
        return found
    for version in db.session.scalars(
            select(RecordVersion).where(RecordVersion.record_type == record_type,
                                        RecordVersion.record_id.in_(ids))
            .options(selectinload(RecordVersion.changed_by))
            .order_by(RecordVersion.changed_at.desc(), RecordVersion.id.desc())):
        found.setdefault((version.record_type, version.record_id), []).append(version)
    return found


def history_of(record_type: str, record, client_id: int | None) -> list[RecordVersion]:
    """The kept versions of one record the caller may see (a client's, or a general contact)."""
    if client_id is not None:
        return history_of_client(client_id).get((record_type, record.id), [])
    return history_of_records(record_type, [record.id]).get((record_type, record.id), [])


def deleted_general_contacts(employer_id: int, team_ids) -> dict[tuple[str, int],
                                                                   list[RecordVersion]]:
    """The general contacts (no client) with this employer that were deleted, when they were
    made by a member of the teams (who may see them, scope.contacts_of): by (type, record id),
    the deletion first, then the earlier versions. The employer and worker of a deleted record
    are only in its kept JSON, so the deletions of general contacts are read and filtered here;
    they are few (a general contact is deleted by hand)."""
    from caseload.scope import members_of
    members = set(db.session.scalars(members_of(team_ids)))
    deleted_ids = [
        version.record_id for version in db.session.scalars(
            select(RecordVersion).where(RecordVersion.record_type == "contact",
                                        RecordVersion.client_id.is_(None),
                                        RecordVersion.action == "delete"))
        if version.values.get("employer_id") == employer_id
        and version.values.get("worker_id") in members]
    return history_of_records("contact", deleted_ids)


def describe(record_type: str, values: dict) -> str:
    """One line for a kept version, in the user's language."""
    def day(key):
        return dates.day(values.get(key))

    if record_type == "contact":
        parts = [day("contact_date"), str(vocab.CONTACT_KINDS.get(values["kind"], values["kind"])),
                 str(vocab.CONTACT_MODES.get(values["mode"], values["mode"])),
                 str(vocab.PLACES.get(values["place"], values["place"])),
                 f"{values.get('minutes', 0)} {_('min')}"]
        if values.get("employer_name"):
            parts.insert(2, values["employer_name"])
    elif record_type == "placement":
        parts = [values.get("job_title", ""), values.get("employer_name", ""),
                 f"{day('start_date')} – {day('end_date')}",
                 str(vocab.PLACEMENT_TYPES.get(values["placement_type"], ""))]
    elif record_type == "disclosure":
        parts = [day("discussed_on"),
                 str(vocab.DISCLOSURE_DECISIONS.get(values["decision"], values["decision"]))]
    else:
        parts = [day("offered_on")]
    if values.get("note"):
        parts.append(values["note"])
    return " · ".join(p for p in parts if p)
