"""Clients, their trajectories, phase history and vocational profile."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    func,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from caseload.models.assignments import TrajectoryAssignment
from caseload.models.base import Base, DomainError, check_in
from caseload.models.people import Team, User
from caseload.models.vocab import END_REASONS, FUNDERS, PHASES, TRAJECTORY_TYPES
from caseload.translating import lazy_gettext as _l

# The client-code rule of the new-client form and the import: letters, digits, ".", "_", "-"
# (so no code can start a spreadsheet formula with = + @, nor hold spaces or markup).
# \Z, not $: "$" also matches before a final newline ("SW-1\n" passed, then met the unique
# index as "SW-1" after stripping).
CLIENT_CODE_PATTERN = r"^[A-Za-z0-9._-]+\Z"

_ASCII_UPPER = str.maketrans("abcdefghijklmnopqrstuvwxyz", "ABCDEFGHIJKLMNOPQRSTUVWXYZ")


def normalise_client_code(code):
    """A client code as stored and looked up: its letters in upper case ("ab123" is client
    AB123), so codes that differ in case only are one code. ASCII letters only, as SQLite's
    upper() folds them (a code holds no others: CLIENT_CODE_PATTERN)."""
    return code.translate(_ASCII_UPPER) if isinstance(code, str) else code


def check_can_hold(worker: User) -> None:
    """Only an active worker or coordinator can be responsible for a trajectory."""
    if not worker.active or worker.role not in ("worker", "coordinator"):
        raise DomainError(_l("%(name)s cannot take on clients (inactive, or not a worker).",
                             name=worker.name), "worker_id")


class Client(Base):
    """A person supported by IPS. Personal data are kept minimal: a code, a name, a referrer."""

    __tablename__ = "client"
    # Codes are stored in upper case (normalise_client_code); the database keeps them unique
    # ignoring case also for a write that goes round the model (migration 0039).
    __table_args__ = (
        Index("uq_client_code_upper", text("upper(client_code)"), unique=True),
        # A team's clients, erased or not, with their ids: scope.clients_of (team and not
        # erased) read from the index alone, so PostgreSQL joins a team's clients to their
        # trajectories through ix_trajectory_client rather than hashing every trajectory of the
        # organisation (migration 0041).
        Index("ix_client_team", "team_id", "erased_at", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # One organisation per installation, so the code is unique across the database.
    client_code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(120), default="")
    referral_source: Mapped[str] = mapped_column(String(160), default="")
    team_id: Mapped[int] = mapped_column(ForeignKey("team.id"))  # indexed by ix_client_team
    created_at: Mapped[datetime] = mapped_column(server_default=func.now())
    # Set when the client is erased (on request, or after the retention period): the row stays
    # under a pseudonym so that anonymous outcome counts stay right (caseload/privacy/erase.py).
    erased_at: Mapped[datetime | None] = mapped_column()
    erasure_reason: Mapped[str | None] = mapped_column(String(20))
    version: Mapped[int] = mapped_column(Integer, default=1)

    team: Mapped[Team] = relationship()
    trajectories: Mapped[list[Trajectory]] = relationship(
        back_populates="client", order_by="Trajectory.program_entry_date",
        cascade="all, delete-orphan",
    )
    profile: Mapped[VocationalProfile | None] = relationship(
        back_populates="client", cascade="all, delete-orphan", uselist=False
    )

    __mapper_args__ = {"version_id_col": version}

    def __repr__(self) -> str:
        return f"<Client {self.client_code}>"

    @validates("client_code")
    def _normalise_code(self, _key, code):
        return normalise_client_code(code)

    @property
    def open_trajectory(self) -> Trajectory | None:
        return next((t for t in self.trajectories if t.ended_on is None), None)

    def start_trajectory(self, *, worker: User, program_entry_date: date, today: date,
                         trajectory_type: str = "ips_epa", funder: str = "uwv",
                         planned_end: date | None = None, by: User | None = None,
                         in_work_at_referral: bool | None = None) -> Trajectory:
        """Open a new trajectory; at most one may be open at once (zero exclusion: any number
        of earlier ones is fine)."""
        if self.open_trajectory is not None:
            raise DomainError(_l("This client already has an open trajectory."),
                              "program_entry_date")
        if program_entry_date > today:
            raise DomainError(_l("The program entry date cannot be in the future."),
                              "program_entry_date")
        team_id = self.team.id if self.team is not None else self.team_id
        if team_id is not None and team_id not in worker.team_ids:
            raise DomainError(_l("The worker is not a member of this client's team."), "worker")
        check_can_hold(worker)
        previous_end = max((t.ended_on for t in self.trajectories if t.ended_on), default=None)
        if previous_end and program_entry_date < previous_end:
            raise DomainError(_l("A new trajectory cannot start before the previous one ended."),
                              "program_entry_date")
        trajectory = Trajectory(
            worker=worker, program_entry_date=program_entry_date,
            trajectory_type=trajectory_type, funder=funder, planned_end=planned_end,
            in_work_at_referral=in_work_at_referral,
        )
        trajectory.phase_changes.append(
            PhaseChange(phase="intake", changed_on=program_entry_date, changed_by=by or worker)
        )
        first = TrajectoryAssignment(worker=worker, from_date=program_entry_date, assigned_by=by,
                                     reason="start")
        if self.team is not None:
            first.team = self.team
        else:
            first.team_id = self.team_id
        trajectory.assignments.append(first)
        self.trajectories.append(trajectory)
        return trajectory

    def move_to_team(self, team: Team, *, worker: User | None, on: date, today: date,
                     by: User | None, note: str = "") -> None:
        """Move the client, with every record, to another team; the open trajectory goes to a
        worker of that team, or onto its "to be assigned" list."""
        if team.id == self.team_id:
            raise DomainError(_l("The client is already in this team."), "team_id")
        trajectory = self.open_trajectory
        if trajectory is not None:
            trajectory.assign(worker, on=on, today=today, by=by, note=note, reason="team_move",
                              team=team)
        self.team = team


class Trajectory(Base):
    """One period of IPS support; program entry starts the 30-day clock."""

    __tablename__ = "trajectory"
    __table_args__ = (
        CheckConstraint(check_in("trajectory_type", TRAJECTORY_TYPES), name="type_known"),
        CheckConstraint(check_in("funder", FUNDERS), name="funder_known"),
        CheckConstraint(check_in("end_reason", END_REASONS), name="end_reason_known"),
        CheckConstraint("ended_on IS NULL OR ended_on >= program_entry_date", name="end_after_entry"),
        CheckConstraint("(ended_on IS NULL) = (end_reason IS NULL)", name="end_has_reason"),
        # At most one open trajectory per client, enforced by the database itself.
        Index("uq_trajectory_one_open_per_client", "client_id", unique=True,
              sqlite_where=text("ended_on IS NULL"), postgresql_where=text("ended_on IS NULL")),
        # A client's trajectories with their ids (an index-only scan for a team's trajectories,
        # see ix_client_team; on SQLite an index holds the row id anyway).
        Index("ix_trajectory_client", "client_id", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("client.id", ondelete="CASCADE"))
    # The current worker (NULL: on the team's "to be assigned" list); the history of workers is
    # in `assignments`, and only `assign` changes either (models/assignments.py).
    worker_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"), index=True)
    program_entry_date: Mapped[date] = mapped_column(Date)
    trajectory_type: Mapped[str] = mapped_column(String(20), default="ips_epa")
    funder: Mapped[str] = mapped_column(String(20), default="uwv")
    planned_end: Mapped[date | None] = mapped_column(Date)
    ended_on: Mapped[date | None] = mapped_column(Date)
    end_reason: Mapped[str | None] = mapped_column(String(40))
    # Was the client in paid work when referred? NULL: not recorded (trajectories from before
    # the field existed). The comparable employment rate counts those out of work (False) only.
    in_work_at_referral: Mapped[bool | None] = mapped_column(Boolean)
    version: Mapped[int] = mapped_column(Integer, default=1)

    client: Mapped[Client] = relationship(back_populates="trajectories")
    worker: Mapped[User | None] = relationship()
    assignments: Mapped[list[TrajectoryAssignment]] = relationship(
        order_by="(TrajectoryAssignment.from_date, TrajectoryAssignment.id)",
        cascade="all, delete-orphan",
    )
    phase_changes: Mapped[list[PhaseChange]] = relationship(
        back_populates="trajectory", order_by="(PhaseChange.changed_on, PhaseChange.id)",
        cascade="all, delete-orphan",
    )

    __mapper_args__ = {"version_id_col": version}

    @property
    def is_open(self) -> bool:
        return self.ended_on is None

    @property
    def current_phase(self) -> str:
        """Derived from the history: the latest change wins."""
        return self.phase_changes[-1].phase if self.phase_changes else "intake"

    def change_phase(self, phase: str, *, on: date, by: User, today: date) -> PhaseChange:
        if phase not in PHASES:
            raise DomainError(_l("Unknown phase."), "phase")
        if not self.is_open:
            raise DomainError(_l("This trajectory has ended; start a new one."), "phase")
        if on > today:
            raise DomainError(_l("A phase change cannot be dated in the future."), "changed_on")
        if on < self.program_entry_date:
            raise DomainError(_l("A phase change cannot be dated before program entry (%(date)s).",
                                 date=self.program_entry_date.isoformat()), "changed_on")
        last = self.phase_changes[-1] if self.phase_changes else None
        if last and on < last.changed_on:
            raise DomainError(
                _l("A phase change cannot be dated before the previous change (%(date)s).",
                   date=last.changed_on.isoformat()), "changed_on")
        if last and last.phase == phase:
            raise DomainError(_l("The client is already in this phase."), "phase")
        change = PhaseChange(phase=phase, changed_on=on, changed_by=by)
        self.phase_changes.append(change)
        return change

    @property
    def current_assignment(self) -> TrajectoryAssignment | None:
        return next((a for a in reversed(self.assignments) if a.until is None), None)

    def assign(self, worker: User | None, *, on: date, today: date, by: User | None,
               note: str = "", reason: str = "transfer", team: Team | None = None,
               ) -> TrajectoryAssignment:
        """Hand the trajectory to another worker of the client's team (or of `team`, when the
        client moves), or to nobody: the team's "to be assigned" list. The history keeps who
        held it, from when, who handed it over and why; signals follow the trajectory."""
        if not self.is_open:
            raise DomainError(_l("This trajectory has ended; start a new one."), "worker_id")
        if on > today:
            raise DomainError(_l("A handover cannot be dated in the future."), "on")
        current = self.current_assignment
        earliest = current.from_date if current else self.program_entry_date
        if on < earliest:
            from caseload import dates
            raise DomainError(_l("A handover cannot be dated before %(date)s, when the current "
                                 "worker took over.", date=dates.day(earliest)), "on")
        team = team or (current.team if current else self.client.team)
        if worker is not None:
            if team.id not in worker.team_ids:
                raise DomainError(_l("%(name)s is not a member of team %(team)s.",
                                     name=worker.name, team=team.name), "worker_id")
            check_can_hold(worker)
        if current is not None and current.worker_id == (worker.id if worker else None) \
                and current.team_id == team.id:
            raise DomainError(_l("This client is already with this worker."), "worker_id")
        if current is not None:
            current.until = on
        assignment = TrajectoryAssignment(worker=worker, team=team, from_date=on, assigned_by=by,
                                          note=(note or "").strip(), reason=reason)
        self.assignments.append(assignment)
        self.worker = worker
        return assignment

    def end(self, *, on: date, reason: str, today: date) -> None:
        if not self.is_open:
            raise DomainError(_l("This trajectory has already ended."), "ended_on")
        if reason not in END_REASONS:
            raise DomainError(_l("Choose one of the listed end reasons."), "end_reason")
        if on > today:
            raise DomainError(_l("The end date cannot be in the future."), "ended_on")
        if on < self.program_entry_date:
            raise DomainError(_l("The end date cannot be before program entry."), "ended_on")
        self.ended_on = on
        self.end_reason = reason


class PhaseChange(Base):
    __tablename__ = "phase_change"
    __table_args__ = (
        CheckConstraint(check_in("phase", PHASES), name="phase_known"),
        # A trajectory's phase on a day (norms.sql.latest_phase: the latest change on or before
        # it, the later id on a tie) is one backward seek in this order, with the phase read
        # from the index itself; it replaces the index on trajectory_id alone (migration 0028).
        Index("ix_phase_change_trajectory_changed", "trajectory_id", "changed_on", "id", "phase"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    trajectory_id: Mapped[int] = mapped_column(ForeignKey("trajectory.id", ondelete="CASCADE"))
    phase: Mapped[str] = mapped_column(String(20))
    changed_on: Mapped[date] = mapped_column(Date)
    changed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(server_default=func.now())

    trajectory: Mapped[Trajectory] = relationship(back_populates="phase_changes")
    changed_by: Mapped[User | None] = relationship()


class VocationalProfile(Base):
    """The arbeidsprofiel (fidelity item 14): made in the first sessions, updated after each job."""

    __tablename__ = "vocational_profile"
    __table_args__ = (UniqueConstraint("client_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("client.id", ondelete="CASCADE"))
    preferences: Mapped[str] = mapped_column(Text, default="")
    experience: Mapped[str] = mapped_column(Text, default="")
    skills: Mapped[str] = mapped_column(Text, default="")
    strengths: Mapped[str] = mapped_column(Text, default="")
    adjustments: Mapped[str] = mapped_column(Text, default="")
    network: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime] = mapped_column(server_default=func.now(), onupdate=func.now())
    version: Mapped[int] = mapped_column(Integer, default=1)

    client: Mapped[Client] = relationship(back_populates="profile")

    __mapper_args__ = {"version_id_col": version}
