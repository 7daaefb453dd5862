"""Loading the files that record what happened with a client: disclosure discussions, benefits
plans, placements and contacts. Each is matched on its natural key, so a re-import adds nothing
twice; the existing records are fetched once per file, not per row."""

from __future__ import annotations

from sqlalchemy import select

from caseload.importer.csv_files import PROFILE_FIELDS, ParsedFile, Row
from caseload.importer.loader import Loader, RowError, chunks
from caseload.models import (
    BenefitsPlan,
    Client,
    Contact,
    DisclosureDiscussion,
    Employer,
    Placement,
    Trajectory,
    User,
    VocationalProfile,
)
from caseload.translating import gettext as _


def what(name: str) -> str:
    """The row's key as named in a 'also on line N' message."""
    if name == "disclosures.csv":
        return _("a discussion with this date, client, worker and decision")
    return _("a plan with this date, client and worker")


def _client_ids(loader: Loader) -> set[int]:
    return {client.id for client in loader.clients.values() if client.id is not None}


def _update_note(record, row: Row) -> str:
    """A note in the file replaces a different one; an empty note never erases one."""
    if row["note"] and record.note != row["note"]:
        record.note = row["note"]
        return "updated"
    return "unchanged"


def load_disclosures(loader: Loader, parsed: ParsedFile) -> None:
    existing = {}
    for part in chunks(_client_ids(loader)):
        for record in loader.session.scalars(
                select(DisclosureDiscussion).where(DisclosureDiscussion.client_id.in_(part))):
            key = (record.discussed_on, record.client_id, record.worker_id, record.decision)
            existing.setdefault(key, record)

    def load(row: Row) -> str:
        client, worker = loader.client(row), loader.worker(row)
        key = (row["date"], client.id, worker.id, row["decision"])
        if loader.seen_before(parsed.name, key, row, (row["note"],), "note", what(parsed.name)):
            return "duplicate"
        if key in existing:
            return _update_note(existing[key], row)
        existing[key] = DisclosureDiscussion(client=client, worker=worker, discussed_on=row["date"],
                                             decision=row["decision"], note=row["note"])
        loader.session.add(existing[key])
        return "created"

    loader.run(parsed, load, {"": "date"})


def load_benefits_plans(loader: Loader, parsed: ParsedFile) -> None:
    existing = {}
    for part in chunks(_client_ids(loader)):
        for record in loader.session.scalars(
                select(BenefitsPlan).where(BenefitsPlan.client_id.in_(part))):
            existing.setdefault((record.offered_on, record.client_id, record.offered_by_id), record)

    def load(row: Row) -> str:
        client, worker = loader.client(row), loader.worker(row)
        key = (row["date"], client.id, worker.id)
        specialist = row["by_benefits_specialist"]
        if loader.seen_before(parsed.name, key, row, (row["note"], specialist), "note",
                              what(parsed.name)):
            return "duplicate"
        if key in existing:
            plan = existing[key]
            result = _update_note(plan, row)
            if specialist and not plan.by_benefits_specialist:
                # "yes" in the file marks it; an empty or "no" never unmarks what Caseload holds
                plan.by_benefits_specialist = True
                loader.note(parsed.name, row, _("%(code)s: plan of %(date)s by a benefits "
                                                "specialist", code=client.client_code,
                                                date=row["date"].isoformat()))
                result = "updated"
            return result
        existing[key] = BenefitsPlan(client=client, offered_by=worker, offered_on=row["date"],
                                     note=row["note"], by_benefits_specialist=specialist)
        loader.session.add(existing[key])
        return "created"

    loader.run(parsed, load, {"": "date"})


PLACEMENT_DETAILS = ("job_title", "job_type", "placement_type", "hours_per_week",
                     "hourly_wage", "contract", "competitive")


def load_placements(loader: Loader, parsed: ParsedFile) -> None:
    # Matched in any trajectory of the client, so a placement is not added again after the
    # trajectory it belongs to has ended and a new one started.
    existing = {}
    for part in chunks(_client_ids(loader)):
        for placement, client_id, employer_name in loader.session.execute(
                select(Placement, Trajectory.client_id, Employer.name)
                .join(Trajectory, Placement.trajectory_id == Trajectory.id)
                .join(Employer, Placement.employer_id == Employer.id)
                .where(Trajectory.client_id.in_(part))):
            key = (client_id, loader.employer_key(employer_name), placement.start_date)
            existing.setdefault(key, placement)

    def load(row: Row) -> str:
        client = loader.client(row)
        key = (client.id, loader.employer_key(row["employer"]), row["start_date"])
        signature = tuple(row[c] for c in (*PLACEMENT_DETAILS, "end_date", "end_reason"))
        if loader.seen_before(parsed.name, key, row, signature, "start_date",
                              _("a placement with this client, employer and start_date")):
            return "duplicate"
        if key in existing:
            return _update_placement(loader, existing[key], row)
        trajectory = client.open_trajectory
        if trajectory is None:
            raise RowError("client_code", _("client %(code)s has no open trajectory; a new "
                                            "placement needs one", code=client.client_code))
        placement = Placement.start(
            trajectory=trajectory, employer=loader.employer(row["employer"]),
            job_title=row["job_title"], start_date=row["start_date"],
            hours_per_week=row["hours_per_week"], today=loader.today, job_type=row["job_type"],
            hourly_wage=row["hourly_wage"], contract=row["contract"],
            competitive=row["competitive"], placement_type=row["placement_type"])
        if row["end_date"]:
            # Without an end_reason, "other" says that it is not known.
            placement.finish(on=row["end_date"], reason=row["end_reason"] or "other",
                             today=loader.today)
        loader.session.add(placement)
        existing[key] = placement
        return "created"

    loader.run(parsed, load, {"start_date": "start_date", "end_date": "end_date",
                              "end_reason": "end_date", "job_title": "job_title",
                              "": "start_date"})


def _update_placement(loader: Loader, placement: Placement, row: Row) -> str:
    changes = []
    for column in PLACEMENT_DETAILS:
        if column == "competitive" and row["placement_type"] not in PAID_TYPES:
            continue  # only paid jobs can be competitive (Placement.start)
        if getattr(placement, column) != row[column]:
            old = getattr(placement, column)
            changes.append(f"{column} {_('(none)') if old is None else old} -> "
                           f"{_('(none)') if row[column] is None else row[column]}")
            setattr(placement, column, row[column])
    # An empty end_date never reopens a placement that was ended in Caseload.
    if row["end_date"] and placement.end_date != row["end_date"]:
        changes.append(f"end_date {placement.end_date or _('(none)')} -> {row['end_date']}")
        if placement.end_date is None:
            placement.finish(on=row["end_date"], reason=row["end_reason"] or "other",
                             today=loader.today)
        else:
            placement.end_date = row["end_date"]
    if row["end_reason"] and placement.end_reason != row["end_reason"]:
        changes.append(f"end_reason {placement.end_reason} -> {row['end_reason']}")
        placement.end_reason = row["end_reason"]
    if placement.placement_type not in PAID_TYPES:
        placement.competitive = False
    if not changes:
        return "unchanged"
    loader.note(
        "placements.csv", row,
        _("%(code)s at %(employer)s from %(start)s: %(changes)s",
          code=placement.trajectory.client.client_code, employer=placement.employer.name,
          start=placement.start_date.isoformat(), changes="; ".join(changes)))
    return "updated"


PAID_TYPES = ("paid_job", "paid_job_subsidised")


def load_phases(loader: Loader, parsed: ParsedFile) -> None:
    """The phase history: each row a change of a trajectory (named by client and program
    entry) to a phase on a date, applied in date order through the model's rule (not before
    program entry or the previous change, not in the future, not the phase it is in)."""
    last_row: dict[int, tuple] = {}

    def load(row: Row) -> str:
        client = loader.client(row)
        entry = row["program_entry_date"]
        trajectory = next((t for t in client.trajectories if t.program_entry_date == entry),
                          None)
        if trajectory is None:
            raise RowError("program_entry_date", _(
                "client %(code)s has no trajectory with program entry %(entry)s",
                code=client.client_code, entry=entry.isoformat()))
        if loader.seen_before(parsed.name, (client.client_code, entry, row["date"], row["phase"]),
                              row, (), "date", ""):
            return "duplicate"
        last_row[id(trajectory)] = (trajectory, row, client.client_code)
        if any(c.phase == row["phase"] and c.changed_on == row["date"]
               for c in trajectory.phase_changes):
            return "unchanged"
        trajectory.change_phase(row["phase"], on=row["date"], by=trajectory.worker,
                                today=loader.today)
        return "created"

    # In date order per trajectory, whatever the order of the lines.
    parsed.rows.sort(key=lambda r: (r["client_code"], r["program_entry_date"], r["date"],
                                    r.line))
    loader.run(parsed, load, {"changed_on": "date", "phase": "phase", "": "date"})
    parsed.rows.sort(key=lambda r: r.line)
    for trajectory, row, code in last_row.values():
        said = loader.phase_in_clients.get((code, trajectory.program_entry_date))
        if said and said != trajectory.current_phase:
            loader.problem(parsed.name, row, "phase", _(
                "clients.csv gives %(code)s the phase %(said)s, the latest change here is "
                "%(latest)s", code=code, said=said, latest=trajectory.current_phase))


def load_profiles(loader: Loader, parsed: ParsedFile) -> None:
    """The vocational profile (one per client): a text in the file replaces another; an empty
    cell keeps what Caseload holds."""
    def load(row: Row) -> str:
        client = loader.client(row)
        if loader.seen_before(parsed.name, client.client_code, row,
                              tuple(row[f] for f in PROFILE_FIELDS), "client_code",
                              _("a profile of %(code)s", code=client.client_code)):
            return "duplicate"
        profile = client.profile
        if profile is None:
            client.profile = VocationalProfile(
                **{name: row[name] or "" for name in PROFILE_FIELDS})
            return "created"
        changed = [name for name in PROFILE_FIELDS
                   if row[name] and getattr(profile, name) != row[name]]
        for name in changed:
            setattr(profile, name, row[name])
        if not changed:
            return "unchanged"
        loader.note(parsed.name, row, f"{client.client_code}: " + ", ".join(changed))
        return "updated"

    loader.run(parsed, load, {"": "client_code"})


def load_contacts(loader: Loader, parsed: ParsedFile) -> None:
    # Natural key: (date, worker, kind, mode, client, employer, minutes, note); place is not
    # part of it, so a corrected place updates the contact instead of adding a second one.
    def key_of(day, worker_id, kind, mode, client_id, employer_name, minutes, note):
        return (day, worker_id, kind, mode, client_id, loader.employer_key(employer_name),
                minutes, note or "")

    existing: dict[tuple, Contact] = {}
    emails = {row["worker_email"] for row in parsed.rows}
    worker_ids = {loader.users[email].id for email in emails if email in loader.users}
    days = [row["date"] for row in parsed.rows] or [loader.today]
    for part in chunks(worker_ids):
        for contact, employer_name in loader.session.execute(
                select(Contact, Employer.name)
                .outerjoin(Employer, Contact.employer_id == Employer.id)
                .where(Contact.worker_id.in_(part),
                       Contact.contact_date.between(min(days), max(days)))):
            existing.setdefault(key_of(contact.contact_date, contact.worker_id, contact.kind,
                                       contact.mode, contact.client_id, employer_name,
                                       contact.minutes, contact.note), contact)

    def load(row: Row) -> str:
        worker: User = loader.worker(row)
        client: Client | None = loader.client(row) if row["client_code"] else None
        key = key_of(row["date"], worker.id, row["kind"], row["mode"],
                     client.id if client else None, row["employer"], row["minutes"], row["note"])
        if loader.seen_before(parsed.name, key, row, (row["place"],), "place",
                              _("the same contact")):
            return "duplicate"
        if key in existing:
            contact = existing[key]
            if contact.place == row["place"]:
                return "unchanged"
            loader.note(parsed.name, row, _("contact of %(date)s: place %(old)s -> %(new)s",
                                            date=row["date"].isoformat(), old=contact.place,
                                            new=row["place"]))
            contact.place = row["place"]
            return "updated"
        contact = Contact.log(
            contact_date=row["date"], today=loader.today, worker=worker, kind=row["kind"],
            mode=row["mode"], place=row["place"], minutes=row["minutes"], client=client,
            employer=loader.employer(row["employer"]) if row["employer"] else None,
            note=row["note"])
        loader.session.add(contact)
        existing[key] = contact
        return "created"

    loader.run(parsed, load, {"contact_date": "date", "kind": "kind", "mode": "mode",
                              "place": "place", "minutes": "minutes", "employer": "employer",
                              "client": "client_code", "": "kind"})
