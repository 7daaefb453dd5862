"""Building blocks of the synthetic organisation (bench/generate.py): random helpers, the
distributions of modes, kinds and minutes, and the rows buffered per table."""

from __future__ import annotations

import math
import random
from datetime import date
from typing import ClassVar

CHUNK = 50_000


# ---------------------------------------------------------------------------------------------
# Small helpers
# ---------------------------------------------------------------------------------------------

_ISO: dict[int, str] = {}


def iso(ordinal: int) -> str:
    """ISO text of a date ordinal, as SQLAlchemy stores a Date on SQLite (cached)."""
    text = _ISO.get(ordinal)
    if text is None:
        text = _ISO[ordinal] = date.fromordinal(ordinal).isoformat()
    return text


def poisson(rng: random.Random, lam: float) -> int:
    if lam <= 0:
        return 0
    if lam > 30:
        return max(0, round(rng.gauss(lam, math.sqrt(lam))))
    limit, k, p = math.exp(-lam), 0, rng.random()
    while p > limit:
        k += 1
        p *= rng.random()
    return k


def weighted(rng: random.Random, table: list[tuple[str, float]]) -> str:
    values, weights = zip(*table)
    return rng.choices(values, weights)[0]


def pick_cumulative(rng: random.Random, values: list[str], cum: list[float]) -> str:
    return rng.choices(values, cum_weights=cum)[0]


def cumulative(table: list[tuple[str, float]]) -> tuple[list[str], list[float]]:
    values, total, cum = [], 0.0, []
    for value, weight in table:
        total += weight
        values.append(value)
        cum.append(total)
    return values, cum


CLIENT_MODES = cumulative([("face_to_face", 55), ("phone", 22), ("video", 6), ("text", 11),
                           ("email", 6)])
EMPLOYER_MODES = cumulative([("face_to_face", 40), ("phone", 35), ("email", 25)])
TREATMENT_MODES = cumulative([("phone", 45), ("face_to_face", 30), ("video", 12), ("email", 13)])
OTHER_MODES = cumulative([("phone", 45), ("face_to_face", 25), ("email", 20), ("video", 10)])
BASE_KINDS = cumulative([("client", 80), ("family", 6), ("benefits_agency", 4), ("education", 3),
                         ("other", 7)])
MINUTES = [5, 10, 15, 15, 20, 30, 30, 30, 45, 45, 60, 60, 90, 120]
PLACEMENT_TYPES = [("paid_job", 60), ("paid_job_subsidised", 12), ("work_experience", 10),
                   ("internship", 5), ("education", 8), ("volunteer", 5)]
END_REASONS = ["working_handed_over", "no_longer_wants_work", "moved", "term_reached",
               "education_handed_over", "other"]
PLACEMENT_END_REASONS = ["contract_ended", "resigned", "dismissed", "better_job", "other"]
CONTRACTS = ["temporary_lt6m", "temporary_ge6m", "permanent"]
DECISIONS = ["not_yet", "no_disclosure", "partial", "full"]
JOB_TITLES = ["Medewerker magazijn", "Administratief medewerker", "Kok", "Schoonmaker",
              "Verkoopmedewerker", "Hovenier", "Chauffeur", "ICT-support", "Zorghulp", "Barista"]
SECTORS = ["Logistiek", "Horeca", "Zorg", "Detailhandel", "ICT", "Bouw", "Groen", "Overheid"]


class Tables:
    """Rows per table, flushed in chunks: sqlite3 executemany, or COPY on PostgreSQL."""

    # Tables whose ids the generator sets itself; PostgreSQL's sequences are moved past them.
    SERIAL_IDS: ClassVar[dict[str, str]] = {
        "team": "id", "user": "id", "employer": "id", "client": "id", "trajectory": "id",
        "phase_change": "id", "placement": "id", "disclosure_discussion": "id",
        "benefits_plan": "id", "absence": "id", "trajectory_assignment": "id"}

    COLUMNS: ClassVar[dict[str, tuple[str, ...]]] = {
        "team": ("id", "name"),
        "user": ("id", "email", "name", "role", "fte", "active", "language", "password_hash",
                 "session_token", "wants_worker_digest", "wants_coordinator_digest",
                 "wants_reminders"),
        "team_member": ("team_id", "user_id"),
        "employer": ("id", "name", "sector", "place", "contact_person"),
        "client": ("id", "client_code", "name", "referral_source", "team_id", "version"),
        "trajectory": ("id", "client_id", "worker_id", "program_entry_date", "trajectory_type",
                       "funder", "planned_end", "ended_on", "end_reason", "version"),
        "trajectory_assignment": ("id", "trajectory_id", "worker_id", "team_id", "from_date",
                                  "until", "assigned_by_id", "note", "reason"),
        "phase_change": ("id", "trajectory_id", "phase", "changed_on", "changed_by_id"),
        "placement": ("id", "trajectory_id", "employer_id", "job_title", "job_type",
                      "placement_type", "start_date", "end_date", "hours_per_week",
                      "hourly_wage", "contract", "competitive", "end_reason", "version"),
        "contact": ("contact_date", "worker_id", "kind", "mode", "place", "minutes",
                    "client_id", "employer_id", "client_present", "note"),
        "disclosure_discussion": ("id", "client_id", "worker_id", "discussed_on", "decision",
                                  "note"),
        "benefits_plan": ("id", "client_id", "offered_by_id", "offered_on",
                          "by_benefits_specialist", "note"),
        "absence": ("id", "user_id", "from_date", "to_date"),
    }

    def __init__(self, connection, dialect: str = "sqlite"):
        self.connection = connection
        self.dialect = dialect
        self.rows: dict[str, list[tuple]] = {name: [] for name in self.COLUMNS}
        self.counts: dict[str, int] = {name: 0 for name in self.COLUMNS}

    def add(self, table: str, row: tuple) -> None:
        self.rows[table].append(row)

    def flush(self, table: str) -> None:
        rows = self.rows[table]
        if not rows:
            return
        columns = self.COLUMNS[table]
        if self.dialect == "postgresql":
            with self.connection.cursor() as cursor, cursor.copy(
                    f'COPY "{table}" ({", ".join(columns)}) FROM STDIN') as copy:
                for row in rows:
                    copy.write_row(row)
            self.counts[table] += len(rows)
            rows.clear()
            return
        sql = (f'INSERT INTO "{table}" ({", ".join(columns)}) '
               f'VALUES ({", ".join("?" * len(columns))})')
        for i in range(0, len(rows), CHUNK):
            self.connection.executemany(sql, rows[i:i + CHUNK])
        self.counts[table] += len(rows)
        rows.clear()

    def flush_all(self) -> None:
        for table in self.COLUMNS:
            if table != "contact":
                self.flush(table)


# ---------------------------------------------------------------------------------------------
# The organisation
# ---------------------------------------------------------------------------------------------

class Worker:
    def __init__(self, uid, team, fte, *, active=True):
        self.id, self.team, self.fte, self.active = uid, team, fte, active
        self.diligence = 1.0     # general employer contacts, relative to 6 x FTE a week
        self.seek_share = 0.6    # share of clients that reach the job-finding phase
        self.employers: list[int] = []
        self.absent: set[int] = set()  # ordinals


class TrajectoryPlan:
    __slots__ = ("client_id", "end", "entry", "first_f2f_employer", "id", "last", "phases",
                 "placements", "quiet", "weight", "worker")

    def __init__(self, tid, client_id, worker, entry, end):
        self.id, self.client_id, self.worker, self.entry, self.end = (
            tid, client_id, worker, entry, end)
        self.phases: list[tuple[str, int]] = []
        self.placements: list[tuple[int, int | None, str]] = []  # (start, end, type)
        self.first_f2f_employer: int | None = None
        self.weight = 1.0
        self.quiet: list[tuple[int, int]] = []
        self.last = 0  # last day with activity: min(end, as_of)
