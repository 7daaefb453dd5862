"""Writing the parsed rows: references, matching existing records and the model rules.

The loader runs inside the import's one transaction. It goes on after a bad row, so that every
problem is reported in one run; the caller rolls everything back when there was any (or on a dry
run), so the checks are exactly those a real run would meet.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Callable

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from caseload import audit
from caseload.importer.csv_files import ParsedFile, Problem, Row
from caseload.models import Client, DomainError, Employer, Team, Trajectory, User
from caseload.models.clients import normalise_client_code
from caseload.models.employers import find_employer, find_or_create_employer
from caseload.translating import gettext as _

CHUNK = 500  # values per IN (...) list


class RowError(Exception):
    def __init__(self, column: str, reason: str):
        super().__init__(reason)
        self.column, self.reason = column, reason


class RefersToBadRow(Exception):
    """The row names a worker or client whose own row has an error: reported there already."""


@dataclass
class Tally:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    duplicate: int = 0


@dataclass
class Outcome:
    problems: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    tallies: dict[str, Tally] = field(default_factory=dict)
    also_created: Counter = field(default_factory=Counter)
    users_without_password: list[str] = field(default_factory=list)
    not_checked: int = 0
    readable: dict[str, bool] = field(default_factory=dict)
    # Per file: (line, created/updated, what) of each row that adds or changes something.
    changes: dict[str, list[tuple[int, str, str]]] = field(default_factory=dict)
    files: dict[str, ParsedFile] = field(default_factory=dict)
    client_ids: set[int] = field(default_factory=set)   # clients added or changed (access log)
    new_names: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))


# What a created row is called in the dry run's list, per file.
ROW_KEYS = {
    "workers.csv": ("email", "name", "team", "role"), "absences.csv": ("worker_email",
                                                                       "from_date", "to_date"),
    "clients.csv": ("client_code", "program_entry_date", "worker_email", "phase"),
    "phases.csv": ("client_code", "phase", "date"), "profiles.csv": ("client_code",),
    "disclosures.csv": ("date", "client_code", "decision"),
    "benefits_plans.csv": ("date", "client_code", "worker_email"),
    "placements.csv": ("client_code", "employer", "job_title", "start_date"),
    "contacts.csv": ("date", "worker_email", "kind", "mode", "client_code", "employer"),
}


def describe_row(name: str, row: Row) -> str:
    values = (row.values.get(column) for column in ROW_KEYS.get(name, ()))
    return " ".join(str(v.isoformat() if hasattr(v, "isoformat") else v)
                    for v in values if v not in (None, ""))


def chunks(values, size: int = CHUNK):
    values = sorted(values)
    for start in range(0, len(values), size):
        yield values[start:start + size]


class Loader:
    def __init__(self, session: Session, today: date, outcome: Outcome,
                 team_ids: set[int] | None = None):
        """team_ids: the teams a coordinator imports into (None: every team, the CLI and
        administrators). Rows naming other teams, their people or clients are errors."""
        self.session, self.today, self.outcome = session, today, outcome
        self.team_ids = team_ids
        self.labels: dict[str, str] = {}
        self.pending_ends: list[tuple] = []
        self.with_history: set[tuple] = frozenset()
        self.phase_in_clients: dict[tuple, str] = {}   # (code, entry) -> clients.csv's phase
        self.users: dict[str, User] = {}
        self.clients: dict[str, Client] = {}
        self.teams: dict[str, Team] = {}
        self.employers: dict[str, Employer] = {}
        self.bad_emails: set[str] = set()
        self.bad_codes: set[str] = set()
        self.first_rows: dict[tuple, tuple[int, tuple]] = {}

    # --- references ---

    def preload(self, files: dict[str, ParsedFile]) -> None:
        """Fetch every user and client the files name, in a few queries."""
        emails, codes = set(), set()
        for parsed in files.values():
            for row in parsed.rows:
                emails.update(row.values[c] for c in ("email", "worker_email") if c in row.values)
                if row.values.get("client_code"):
                    codes.add(row.values["client_code"])
        for part in chunks(emails):
            for user in self.session.scalars(
                    select(User).where(func.lower(User.email).in_(part))
                    .options(selectinload(User.teams), selectinload(User.absences))):
                self.users[user.email.lower()] = user
        for part in chunks(codes):
            for client in self.session.scalars(
                    select(Client).where(Client.client_code.in_(part)).options(
                        selectinload(Client.team), selectinload(Client.profile),
                        selectinload(Client.trajectories).selectinload(Trajectory.worker),
                        selectinload(Client.trajectories).selectinload(Trajectory.phase_changes))):
                self.clients[client.client_code] = client
        self.bad_emails = {raw.get("email", "").lower() for raw in
                           files["workers.csv"].rejected} if "workers.csv" in files else set()
        self.bad_codes = {normalise_client_code(raw.get("client_code", "")) for raw in
                          files["clients.csv"].rejected} if "clients.csv" in files else set()

    def worker(self, row: Row, column: str = "worker_email") -> User:
        email = row[column]
        user = self.users.get(email)
        if user is None:
            if email in self.bad_emails:
                raise RefersToBadRow
            raise RowError(column, _("no user with e-mail %(email)s in workers.csv or in "
                                     "Caseload", email=email))
        if not self.in_scope(user):
            raise RowError(column, _("no user with e-mail %(email)s in your teams",
                                     email=email))
        return user

    def in_scope(self, user: User) -> bool:
        """The user is in one of the teams being imported into (new ones are, by their row)."""
        return self.team_ids is None or user.id is None or \
            any(team.id in self.team_ids for team in user.teams)

    def client_in_scope(self, client: Client) -> bool:
        team_id = client.team.id if client.team is not None else client.team_id
        return self.team_ids is None or team_id is None or team_id in self.team_ids

    def client(self, row: Row) -> Client:
        code = row["client_code"]
        client = self.clients.get(code)
        if client is None:
            if code in self.bad_codes:
                raise RefersToBadRow
            raise RowError("client_code", _("no client %(code)s in clients.csv or in Caseload",
                                            code=code))
        if not self.client_in_scope(client):
            raise RowError("client_code", _("no client %(code)s in your teams", code=code))
        return client

    def team(self, name: str) -> Team:
        key = name.lower()
        if key not in self.teams:
            team = self.session.scalar(select(Team).where(Team.named(name)).limit(1))
            if self.team_ids is not None and (team is None or team.id not in self.team_ids):
                raise RowError("team", _("%(name)s is not one of your teams", name=name))
            if team is None:
                team = Team(name=name)
                self.session.add(team)
                self.outcome.also_created["team"] += 1
                self.outcome.new_names["team"].append(name)
            self.teams[key] = team
        return self.teams[key]

    def employer(self, name: str) -> Employer:
        key = " ".join(name.split()).lower()
        if key not in self.employers:
            employer = find_employer(self.session, name)
            if employer is None:
                employer = find_or_create_employer(self.session, name)
                self.outcome.also_created["employer"] += 1
                self.outcome.new_names["employer"].append(" ".join(name.split()))
            self.employers[key] = employer
        return self.employers[key]

    @staticmethod
    def employer_key(name: str | None) -> str | None:
        return " ".join(name.split()).lower() if name else None

    # --- running a file ---

    def run(self, parsed: ParsedFile, handler: Callable[[Row], str], fields: dict[str, str],
            poison: Callable[[Row], None] | None = None) -> None:
        """Apply handler to each row; it returns created, updated, unchanged or duplicate.
        fields maps DomainError.field of the model rules to a column of this file."""
        tally = self.outcome.tallies.setdefault(parsed.name, Tally())
        changes = self.outcome.changes.setdefault(parsed.name, [])
        self.labels[parsed.name] = parsed.label
        for row in parsed.rows:
            notes_before = len(self.outcome.notes)
            try:
                result = handler(row)
            except RefersToBadRow:
                self.outcome.not_checked += 1
                result = None
            except RowError as error:
                self.problem(parsed.name, row, error.column, error.reason)
                result = None
            except DomainError as error:
                column = fields.get(error.field or "", next(iter(fields.values())))
                self.problem(parsed.name, row, column, str(error.message))
                result = None
            if result == "created":
                changes.append((row.line, result, describe_row(parsed.name, row)))
            elif result == "updated":
                said = [note.split(": ", 1)[-1] for note in self.outcome.notes[notes_before:]]
                changes.append((row.line, result, "; ".join(said) or
                                describe_row(parsed.name, row)))
            if result is None:
                if poison:
                    poison(row)
            else:
                setattr(tally, result, getattr(tally, result) + 1)
        self.session.flush()  # ids for the keys of the next files

    def problem(self, file: str, row: Row, column: str, reason: str) -> None:
        self.outcome.problems.append(Problem(self.labels.get(file, file), row.line, column,
                                             reason))

    def note(self, file: str, row: Row, text: str) -> None:
        self.outcome.notes.append(f"{self.labels.get(file, file)}:{row.line}: {text}")

    def seen_before(self, file: str, key, row: Row, signature: tuple, column: str,
                    what: str) -> bool:
        """True when an earlier row of this file had the same key and values (import it once);
        an error when it had the same key but other values."""
        first = self.first_rows.get((file, key))
        if first is None:
            self.first_rows[(file, key)] = (row.line, signature)
            return False
        if first[1] != signature:
            raise RowError(column, _("%(what)s is also on line %(line)d, with other values",
                                     what=what, line=first[0]))
        return True

    # --- workers.csv ---

    def load_workers(self, parsed: ParsedFile) -> None:
        self.run(parsed, self._worker, {"": "email"},
                 poison=lambda row: self.bad_emails.add(row["email"]))

    def _worker(self, row: Row) -> str:
        email, name, role, fte = row["email"], row["name"], row["role"], row["fte"]
        if self.seen_before("workers.csv", email, row, (name, role, fte, row["team"].lower()),
                            "email", _("e-mail %(email)s", email=email)):
            return "duplicate"
        if self.team_ids is not None and not row["team"]:
            raise RowError("team", _("name one of your teams"))
        if self.team_ids is not None and role == "admin":
            raise RowError("role", _("administrators are added by an administrator"))
        team = self.team(row["team"]) if row["team"] else None
        user = self.users.get(email)
        if user is not None and self.team_ids is not None and (
                not user.teams or any(t.id not in self.team_ids for t in user.teams)):
            raise RowError("email", _("%(email)s is also in teams other than yours (or in "
                                      "none); an administrator changes this user", email=email))
        if user is None:
            # No password: the account cannot log in until an administrator sets one.
            user = User(email=email, name=name, role=role, fte=fte, password_hash="",
                        teams=[team] if team else [])
            self.session.add(user)
            self.users[email] = user
            self.outcome.users_without_password.append(email)
            audit.admin_change("user", None, email, {
                "name": (None, name), "role": (None, role), "fte": (None, fte),
                "teams": (None, [team.name] if team else [])}, action="create")
            return "created"
        changes, logged = [], {}
        for attribute, new in (("name", name), ("role", role), ("fte", fte)):
            old = getattr(user, attribute)
            if old != new:
                changes.append(f"{attribute} {old} -> {new}")
                logged[attribute] = (old, new)
                setattr(user, attribute, new)
        # The team column is the person's team: a member already keeps any other teams (a
        # coordinator of two teams); someone who is not a member moves to the named team.
        if team is not None and team not in user.teams:
            old_teams = ", ".join(t.name for t in user.teams) or _("(none)")
            changes.append(_("team %(old)s -> %(new)s", old=old_teams, new=team.name))
            logged["teams"] = ([t.name for t in user.teams], [team.name])
            # Their open trajectories stay with the old team (access follows the client's
            # team), on its "to be assigned" list, unless clients.csv names a new worker.
            from caseload.handover import release
            released = release(self.session, user, team_ids=[t.id for t in user.teams if t.id],
                               on=self.today, today=self.today, by=None,
                               note=f"{email} moved to team {team.name} (import)")
            if released:
                changes.append(_("%(count)d open trajectories to be assigned in %(teams)s: "
                                 "%(codes)s", count=len(released), teams=old_teams,
                                 codes=", ".join(sorted(t.client.client_code
                                                        for t in released))))
            user.teams = [team]
        if not changes:
            return "unchanged"
        audit.admin_change("user", user.id, email, logged)
        self.note("workers.csv", row, f"{email}: " + "; ".join(changes))
        return "updated"

    # --- absences.csv ---

    def load_absences(self, parsed: ParsedFile) -> None:
        self.run(parsed, self._absence, {"to_date": "to_date", "": "from_date"})

    def _absence(self, row: Row) -> str:
        from caseload.models import Absence

        user = self.worker(row)
        period = (row["from_date"], row["to_date"])
        if self.seen_before("absences.csv", (user.email, *period), row, (), "from_date", ""):
            return "duplicate"
        if any((a.from_date, a.to_date) == period for a in user.absences):
            return "unchanged"
        user.absences.append(Absence(from_date=period[0], to_date=period[1]))
        audit.admin_change("absence", None, user.email, {
            "from_date": (None, period[0]), "to_date": (None, period[1])}, action="create")
        return "created"
