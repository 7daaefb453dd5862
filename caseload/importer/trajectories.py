"""Loading clients.csv: clients and their trajectories (worker, type, funder, in work at
referral, phase, ending), matched on client code and program entry. Trajectory endings wait until
the trajectory's phases and placements are in (`finish_all`, the import's last step)."""

from __future__ import annotations

from caseload.importer.csv_files import ParsedFile, Row
from caseload.importer.loader import Loader, RowError
from caseload.models import Client, DomainError, Trajectory, User
from caseload.translating import gettext as _


def load_clients(loader: Loader, parsed: ParsedFile,
                 with_history: set[tuple] = frozenset()) -> None:
    """with_history: (client code, program entry) of the trajectories phases.csv dates;
    their phase comes from there, and clients.csv's phase is checked against it."""
    loader.with_history = with_history
    loader.run(parsed, lambda row: _client(loader, row),
             {"program_entry_date": "program_entry_date", "worker": "worker_email",
              "phase": "phase", "changed_on": "phase", "ended_on": "ended_on",
              "end_reason": "end_reason", "": "client_code"},
             poison=lambda row: loader.bad_codes.add(row["client_code"]))

def _client(loader: Loader, row: Row) -> str:
    code, entry, phase = row["client_code"], row["program_entry_date"], row["phase"]
    worker = loader.worker(row)
    loader.phase_in_clients[(code, entry)] = phase
    signature = tuple(row[c] for c in ("trajectory_type", "phase", "referral_source",
                                       "funder", "in_work_at_referral", "ended_on",
                                       "end_reason")) + (worker.email,)
    if loader.seen_before("clients.csv", (code, entry), row, signature, "client_code",
                        _("client %(code)s with program entry %(entry)s", code=code,
                          entry=entry.isoformat())):
        return "duplicate"
    client = loader.clients.get(code)
    if client is not None and not loader.client_in_scope(client):
        raise RowError("client_code", _("client code %(code)s is in use outside your teams",
                                        code=code))
    if client is None:
        if len(worker.teams) != 1:
            teams = ", ".join(t.name for t in worker.teams) or _("no team")
            raise RowError("worker_email", _(
                "%(email)s is in %(teams)s; a new client is put in the team of its worker, "
                "who needs exactly one team", email=worker.email, teams=teams))
        client = Client(client_code=code, team=worker.teams[0],
                        referral_source=row["referral_source"] or "")
        _start(loader, client, worker, row)
        loader.session.add(client)
        loader.clients[code] = client
        return "created"
    trajectory = next((t for t in client.trajectories if t.program_entry_date == entry), None)
    if trajectory is None:
        pending = next((end for end in loader.pending_ends
                        if end[0] is client.open_trajectory), None)
        if pending is not None and pending[1] <= entry:
            finish(loader, pending)  # the file's earlier trajectory ends before this one
        if client.open_trajectory is not None:
            since = client.open_trajectory.program_entry_date.isoformat()
            raise RowError("program_entry_date", _(
                "client %(code)s has an open trajectory since %(since)s; end it in Caseload "
                "before a new one can start", code=code, since=since))
        _start(loader, client, worker, row)
        _client_details(loader, client, row, [])
        loader.note("clients.csv", row, _("%(code)s: new trajectory from %(entry)s", code=code,
                                          entry=entry.isoformat()))
        return "updated"
    return _update_trajectory(loader, client, trajectory, worker, row)

def _start(loader: Loader, client: Client, worker: User, row: Row) -> None:
    trajectory = client.start_trajectory(
        worker=worker, program_entry_date=row["program_entry_date"], today=loader.today,
        trajectory_type=row["trajectory_type"], funder=row["funder"] or "uwv",
        in_work_at_referral=row["in_work_at_referral"])
    loader.outcome.also_created["trajectory"] += 1
    dated = (client.client_code, row["program_entry_date"]) in loader.with_history
    if row["phase"] != trajectory.current_phase and not dated:
        trajectory.change_phase(row["phase"], on=row["program_entry_date"], by=worker,
                                today=loader.today)
    if row["ended_on"]:
        loader.pending_ends.append((trajectory, row["ended_on"], row["end_reason"], row))

def finish(loader: Loader, pending: tuple) -> None:
    """End a trajectory the file ends, once its phases and placements are in."""
    loader.pending_ends.remove(pending)
    trajectory, on, reason, row = pending
    try:
        trajectory.end(on=on, reason=reason, today=loader.today)
    except DomainError as error:
        column = "end_reason" if error.field == "end_reason" else "ended_on"
        loader.problem("clients.csv", row, column, str(error.message))

def finish_all(loader: Loader) -> None:
    for pending in list(loader.pending_ends):
        finish(loader, pending)

def _client_details(loader: Loader, client: Client, row: Row, changes: list[str]) -> None:
    """The client's referral source: a value in the file replaces another; empty keeps."""
    source = row["referral_source"]
    if source and client.referral_source != source:
        changes.append(_("referral source %(old)s -> %(new)s",
                         old=client.referral_source or _("(none)"), new=source))
        client.referral_source = source

def _update_trajectory(loader: Loader, client: Client, trajectory: Trajectory, worker: User,
                       row: Row) -> str:
    code, phase, changes = client.client_code, row["phase"], []
    if trajectory.worker is not worker:
        if client.team not in worker.teams:
            raise RowError("worker_email", _(
                "%(email)s is not a member of the team of client %(code)s (%(team)s)",
                email=worker.email, code=code, team=client.team.name))
        before = trajectory.worker.email if trajectory.worker else _("(to be assigned)")
        if trajectory.is_open:
            trajectory.assign(worker, on=loader.today, today=loader.today, by=None,
                              note="import", reason="import")
            from caseload.handover import appointments_follow, signals_follow
            signals_follow(loader.session, [trajectory])
            appointments_follow(loader.session, [trajectory], on=loader.today,
                                today=loader.today)
        else:  # an ended trajectory's worker is history; the file corrects it
            trajectory.worker = worker
            for period in trajectory.assignments[-1:]:
                period.worker = worker
        changes.append(_("worker %(old)s -> %(new)s", old=before, new=worker.email))
    if trajectory.trajectory_type != row["trajectory_type"]:
        changes.append(_("type %(old)s -> %(new)s", old=trajectory.trajectory_type,
                         new=row["trajectory_type"]))
        trajectory.trajectory_type = row["trajectory_type"]
    if row["funder"] and trajectory.funder != row["funder"]:
        changes.append(_("funder %(old)s -> %(new)s", old=trajectory.funder, new=row["funder"]))
        trajectory.funder = row["funder"]
    in_work = row["in_work_at_referral"]
    if in_work is not None and trajectory.in_work_at_referral != in_work:
        changes.append(_("in work at referral -> yes") if in_work
                       else _("in work at referral -> no"))
        trajectory.in_work_at_referral = in_work
    _client_details(loader, client, row, changes)
    current = trajectory.current_phase
    dated = (code, trajectory.program_entry_date) in loader.with_history
    if phase != current and not dated:
        # Without phases.csv the phase is dated the program entry date, which only fits
        # while nothing happened after entry; a later change (or an ended trajectory)
        # made in Caseload is newer than the file, so it wins.
        changed_later = any(c.changed_on > trajectory.program_entry_date
                            for c in trajectory.phase_changes)
        if changed_later or not trajectory.is_open:
            loader.note("clients.csv", row, _(
                "%(code)s: phase %(phase)s not applied; the phase was changed in Caseload "
                "after program entry (now %(current)s)", code=code, phase=phase,
                current=current))
        else:
            trajectory.change_phase(phase, on=trajectory.program_entry_date, by=worker,
                                    today=loader.today)
            changes.append(_("phase %(old)s -> %(new)s", old=current, new=phase))
    if row["ended_on"]:
        if trajectory.is_open:
            loader.pending_ends.append((trajectory, row["ended_on"], row["end_reason"], row))
            changes.append(_("ended on %(date)s (%(reason)s)", date=row["ended_on"].isoformat(),
                             reason=row["end_reason"]))
        elif (trajectory.ended_on, trajectory.end_reason) != (row["ended_on"],
                                                              row["end_reason"]):
            loader.note("clients.csv", row, _(
                "%(code)s: end %(end)s not applied; the trajectory ended in Caseload on "
                "%(ended)s (%(reason)s)", code=code, end=row["ended_on"].isoformat(),
                ended=trajectory.ended_on.isoformat(), reason=trajectory.end_reason))
    if not changes:
        return "unchanged"
    loader.note("clients.csv", row, f"{code}: " + "; ".join(changes))
    return "updated"
