"""The plainest hand-written SQL that computes the same breaches as caseload.norms.

One SQL string per norm, written from the norms' definitions rather than from the engine's code,
as the yardstick for the engine's speed and a second opinion on its results. Each is rendered
for SQLite (dates are ISO text; date() and julianday() for the arithmetic) or PostgreSQL (date
arithmetic in integers); only the date expressions differ. Each query returns
(subject_key, anchor) rows; with the norm name that is Breach.key:

    subject_key  "t<trajectory id>", "t<trajectory id>p<placement id>" or "w<worker id>"
    anchor       ISO date (the period start or the anchor date of the norm)

Parameters (named, from the norm settings): :as_of and one per threshold, see PARAMETERS.
"""

from __future__ import annotations

import re
import sqlite3
from datetime import date

# The defaults of caseload/norms/settings.py; run_norms.py passes the values actually in force.
PARAMETERS = {
    "rapid_job_search_days": 30,
    "employer_contacts_per_week": 6,
    "contacts_per_job_seeker": 2,
    "job_seeker_threshold": 3,
    "follow_along_start_days": 3,
    "follow_along_first_month_weeks": 4,
    "follow_along_month_days": 30,
    "job_loss_days": 3,
    "clients_per_fte": 25,
    "treatment_team_days": 14,
}


class Dialect:
    """The few expressions in which SQLite and PostgreSQL differ: date arithmetic."""

    def __init__(self, name: str):
        self.name = name
        self.AS_OF = ":as_of" if name == "sqlite" else "CAST(:as_of AS date)"

    def add_days(self, expression, days) -> str:
        if self.name == "sqlite":
            return f"date({expression}, '+' || ({days}) || ' days')"
        return f"({expression} + CAST({days} AS integer))"

    def days_since(self, expression) -> str:
        """as_of minus the date, in days."""
        if self.name == "sqlite":
            return f"(julianday(:as_of) - julianday({expression}))"
        return f"({self.AS_OF} - {expression})"

    @property
    def last_monday(self) -> str:
        """The Monday of the last complete ISO week before as_of."""
        if self.name == "sqlite":
            return "date(:as_of, '-6 days', 'weekday 1', '-7 days')"
        return f"(CAST(date_trunc('week', {self.AS_OF}) AS date) - 7)"


def build(dialect_name: str) -> tuple[dict[str, str], dict[str, str]]:
    """The queries and the CHECKED counts, rendered for one dialect."""
    d = Dialect(dialect_name)
    AS_OF, add_days, days_since, last_monday = d.AS_OF, d.add_days, d.days_since, d.last_monday

    # A trajectory counts on as_of if it had started and had not ended before that day.
    # The worker responsible on as_of: the assignment period [from_date, until) covering it.
    HELD_ON_AS_OF = f"a.from_date <= {AS_OF} AND (a.until IS NULL OR a.until > {AS_OF})"
    OPEN_ON_AS_OF = f"""t.program_entry_date <= {AS_OF}
          AND (t.ended_on IS NULL OR t.ended_on >= {AS_OF})"""

    QUERIES: dict[str, str] = {}

    # Item 15: a face-to-face employer contact about the client within N days of program entry;
    # from day N+1 on, a trajectory without one is a breach, anchored on the entry date.
    QUERIES["rapid_job_search"] = f"""
    SELECT 't' || t.id, t.program_entry_date
    FROM trajectory t
    WHERE {OPEN_ON_AS_OF}
      AND {days_since('t.program_entry_date')} > :rapid_job_search_days
      AND NOT EXISTS (
          SELECT 1 FROM contact c
          WHERE c.client_id = t.client_id
            AND c.kind = 'employer' AND c.mode = 'face_to_face'
            AND c.contact_date >= t.program_entry_date
            AND c.contact_date <= {add_days('t.program_entry_date', ':rapid_job_search_days')})
    """

    # Item 17, for the last complete ISO week before as_of (Monday .. Sunday): per active worker
    # with an FTE, face-to-face contacts with employers and education institutions that week
    # against the norm
    #   ceil(base x present days / 5), base = 6 x FTE, or 2 x job seekers when fewer than 3 seek work
    # (a job seeker: open on Sunday, phase on Sunday is job_finding, counted for the worker
    # responsible on that Sunday: the assignment period covering it); no norm when absent all 5
    # working days. The ceiling is taken in integers: FTE in hundredths, ceil(x / 500) = (x+499)/500.
    QUERIES["employer_contacts_weekly"] = f"""
    WITH RECURSIVE week AS (
        SELECT {last_monday} AS monday, {add_days(last_monday, 6)} AS sunday
    ),
    working_day(day, n) AS (
        SELECT monday, 1 FROM week
        UNION ALL
        SELECT {add_days('day', 1)}, n + 1 FROM working_day WHERE n < 5
    ),
    absent AS (
        SELECT a.user_id, count(DISTINCT d.day) AS days
        FROM absence a JOIN working_day d ON d.day BETWEEN a.from_date AND a.to_date
        GROUP BY a.user_id
    ),
    f2f AS (
        SELECT c.worker_id, count(*) AS n
        FROM contact c, week
        WHERE c.kind IN ('employer', 'education') AND c.mode = 'face_to_face'
          AND c.contact_date BETWEEN week.monday AND week.sunday
        GROUP BY c.worker_id
    ),
    seekers AS (
        SELECT a.worker_id, count(*) AS n
        FROM trajectory t
        JOIN week ON true
        JOIN trajectory_assignment a ON a.trajectory_id = t.id AND a.from_date <= week.sunday
             AND (a.until IS NULL OR a.until > week.sunday) AND a.worker_id IS NOT NULL
        WHERE t.program_entry_date <= week.sunday
          AND (t.ended_on IS NULL OR t.ended_on >= week.sunday)
          AND (SELECT pc.phase FROM phase_change pc
               WHERE pc.trajectory_id = t.id AND pc.changed_on <= week.sunday
               ORDER BY pc.changed_on DESC, pc.id DESC LIMIT 1) = 'job_finding'
        GROUP BY a.worker_id
    ),
    figures AS (
        SELECT u.id,
               coalesce(f2f.n, 0) AS contacts,
               5 - coalesce(absent.days, 0) AS present,
               CASE WHEN coalesce(seekers.n, 0) < :job_seeker_threshold
                    THEN 100 * :contacts_per_job_seeker * coalesce(seekers.n, 0)
                    ELSE :employer_contacts_per_week * CAST(round(u.fte * 100) AS INTEGER)
               END AS base_hundredths
        FROM "user" u
        LEFT JOIN f2f ON f2f.worker_id = u.id
        LEFT JOIN seekers ON seekers.worker_id = u.id
        LEFT JOIN absent ON absent.user_id = u.id
        WHERE u.role = 'worker' AND u.active AND u.fte > 0
    )
    SELECT 'w' || figures.id, week.monday
    FROM figures, week
    WHERE present > 0
      AND contacts < (base_hundredths * present + 499) / 500
    """

    # Item 23: a face-to-face client contact in S .. S+N after a placement starts on S; a breach
    # from S+N+1, anchored on S.
    QUERIES["follow_along_after_start"] = f"""
    SELECT 't' || t.id || 'p' || p.id, p.start_date
    FROM placement p JOIN trajectory t ON t.id = p.trajectory_id
    WHERE {OPEN_ON_AS_OF}
      AND {days_since('p.start_date')} > :follow_along_start_days
      AND NOT EXISTS (
          SELECT 1 FROM contact c
          WHERE c.client_id = t.client_id AND c.kind = 'client' AND c.mode = 'face_to_face'
            AND c.contact_date BETWEEN p.start_date
                                   AND {add_days('p.start_date', ':follow_along_start_days')})
    """

    # Item 23: weekly face-to-face client contact in the first weeks of a placement. Week k runs
    # S+7k .. S+7k+6 (k < weeks); a week that is over, began on or before the placement's end and
    # had no face-to-face client contact is a breach, anchored on its first day.
    QUERIES["follow_along_first_month"] = f"""
    WITH RECURSIVE week(k) AS (
        SELECT 0 WHERE 0 < :follow_along_first_month_weeks
        UNION ALL SELECT k + 1 FROM week WHERE k + 1 < :follow_along_first_month_weeks
    ),
    week_window AS (
        SELECT t.id AS trajectory_id, t.client_id, p.id AS placement_id, p.end_date,
               {add_days('p.start_date', '(7 * week.k)')} AS first_day,
               {add_days('p.start_date', '(7 * week.k + 6)')} AS last_day
        FROM placement p JOIN trajectory t ON t.id = p.trajectory_id, week
        WHERE {OPEN_ON_AS_OF}
    )
    SELECT 't' || trajectory_id || 'p' || placement_id, first_day
    FROM week_window w
    WHERE w.last_day < {AS_OF}
      AND (w.end_date IS NULL OR w.first_day <= w.end_date)
      AND NOT EXISTS (
          SELECT 1 FROM contact c
          WHERE c.client_id = w.client_id AND c.kind = 'client' AND c.mode = 'face_to_face'
            AND c.contact_date BETWEEN w.first_day AND w.last_day)
    """

    # Item 23: after the first month, a face-to-face client contact in every following period of
    # N days: S+28+N*k .. S+28+N*k+N-1, for as long as the placement lasts (the engine checks up to
    # 120 periods, ten years; so does this query).
    QUERIES["follow_along_monthly"] = f"""
    WITH RECURSIVE period(placement_id, trajectory_id, client_id, end_date, k,
                          first_day, last_day) AS (
        SELECT p.id, t.id, t.client_id, p.end_date, 0,
               {add_days('p.start_date', '(7 * :follow_along_first_month_weeks)')},
               {add_days('p.start_date',
                        '(7 * :follow_along_first_month_weeks + :follow_along_month_days - 1)')}
        FROM placement p JOIN trajectory t ON t.id = p.trajectory_id
        WHERE {OPEN_ON_AS_OF}
        UNION ALL
        SELECT placement_id, trajectory_id, client_id, end_date, k + 1,
               {add_days('first_day', ':follow_along_month_days')},
               {add_days('last_day', ':follow_along_month_days')}
        FROM period
        WHERE k + 1 < 120
          AND {add_days('last_day', ':follow_along_month_days')} < {AS_OF}
          AND (end_date IS NULL OR {add_days('first_day', ':follow_along_month_days')}
                                   <= end_date)
    )
    SELECT 't' || trajectory_id || 'p' || placement_id, first_day
    FROM period w
    WHERE w.last_day < {AS_OF}
      AND (w.end_date IS NULL OR w.first_day <= w.end_date)
      AND NOT EXISTS (
          SELECT 1 FROM contact c
          WHERE c.client_id = w.client_id AND c.kind = 'client' AND c.mode = 'face_to_face'
            AND c.contact_date BETWEEN w.first_day AND w.last_day)
    """

    # Item 23: a client contact (any mode) in E .. E+N after a placement ended on E; a breach from
    # E+N+1, anchored on E.
    QUERIES["job_loss_contact"] = f"""
    SELECT 't' || t.id || 'p' || p.id, p.end_date
    FROM placement p JOIN trajectory t ON t.id = p.trajectory_id
    WHERE {OPEN_ON_AS_OF}
      AND p.end_date IS NOT NULL
      AND {days_since('p.end_date')} > :job_loss_days
      AND NOT EXISTS (
          SELECT 1 FROM contact c
          WHERE c.client_id = t.client_id AND c.kind = 'client'
            AND c.contact_date BETWEEN p.end_date
                                   AND {add_days('p.end_date', ':job_loss_days')})
    """

    # Item 1: more open trajectories (held on as_of) than clients_per_fte x FTE (rounded down). For a whole number
    # of clients n, n > floor(x) exactly when n > x, so this compares in hundredths of an FTE.
    QUERIES["caseload_size"] = f"""
    SELECT 'w' || u.id, {AS_OF}
    FROM "user" u
    JOIN trajectory_assignment a ON a.worker_id = u.id AND {HELD_ON_AS_OF}
    JOIN trajectory t ON t.id = a.trajectory_id
    WHERE u.active
      AND {OPEN_ON_AS_OF}
    GROUP BY u.id
    HAVING count(*) * 100 > :clients_per_fte * CAST(round(u.fte * 100) AS INTEGER)
    """

    # Quality criterion 4: a treatment-team contact about the client at least every N days (counted
    # from program entry when there has been none in this trajectory); the breach starts, and is
    # anchored, on the day after the gap passes N days.
    QUERIES["treatment_team_contact"] = f"""
    SELECT 't' || id, {add_days('coalesce(last_on, program_entry_date)',
                                '(:treatment_team_days + 1)')}
    FROM (
        SELECT t.id, t.program_entry_date,
               (SELECT max(c.contact_date) FROM contact c
                WHERE c.client_id = t.client_id AND c.kind = 'treatment_team'
                  AND c.contact_date BETWEEN t.program_entry_date AND {AS_OF}) AS last_on
        FROM trajectory t
        WHERE {OPEN_ON_AS_OF}
    ) x
    WHERE {days_since('coalesce(last_on, program_entry_date)')} > :treatment_team_days
    """

    # Item 13: a disclosure discussion in this trajectory on or before the first employer contact
    # (any mode) about the client; anchored on that first contact.
    QUERIES["disclosure_before_employer_contact"] = f"""
    SELECT 't' || id, first_on
    FROM (
        SELECT t.id, t.client_id, t.program_entry_date,
               (SELECT min(c.contact_date) FROM contact c
                WHERE c.client_id = t.client_id AND c.kind = 'employer'
                  AND c.contact_date BETWEEN t.program_entry_date AND {AS_OF}) AS first_on
        FROM trajectory t
        WHERE {OPEN_ON_AS_OF}
    ) f
    WHERE first_on IS NOT NULL
      AND NOT EXISTS (
          SELECT 1 FROM disclosure_discussion d
          WHERE d.client_id = f.client_id
            AND d.discussed_on BETWEEN f.program_entry_date AND f.first_on)
    """

    # Item 12: a benefits plan offered in this trajectory on or before a paid job starts.
    QUERIES["benefits_plan_before_start"] = f"""
    SELECT 't' || t.id || 'p' || p.id, p.start_date
    FROM placement p JOIN trajectory t ON t.id = p.trajectory_id
    WHERE {OPEN_ON_AS_OF}
      AND p.start_date <= {AS_OF}
      AND p.placement_type IN ('paid_job', 'paid_job_subsidised')
      AND NOT EXISTS (
          SELECT 1 FROM benefits_plan b
          WHERE b.client_id = t.client_id
            AND b.offered_on BETWEEN t.program_entry_date AND p.start_date)
    """


    # How many subjects (trajectories, placements, windows, workers) each norm checks as of the
    # date: the breaches are a share of these. Only for the report (is there a mix of both?).
    CHECKED: dict[str, str] = {
        "rapid_job_search": f"""
            SELECT count(*) FROM trajectory t WHERE {OPEN_ON_AS_OF}
              AND {days_since('t.program_entry_date')} > :rapid_job_search_days""",
        "employer_contacts_weekly": """
            SELECT count(*) FROM "user" u WHERE u.role = 'worker' AND u.active AND u.fte > 0""",
        "follow_along_after_start": f"""
            SELECT count(*) FROM placement p JOIN trajectory t ON t.id = p.trajectory_id
            WHERE {OPEN_ON_AS_OF}
              AND {days_since('p.start_date')} > :follow_along_start_days""",
        "follow_along_first_month": QUERIES["follow_along_first_month"].split("AND NOT EXISTS")[0]
            .replace("SELECT 't' || trajectory_id || 'p' || placement_id, first_day",
                     "SELECT count(*)"),
        "follow_along_monthly": QUERIES["follow_along_monthly"].split("AND NOT EXISTS")[0]
            .replace("SELECT 't' || trajectory_id || 'p' || placement_id, first_day",
                     "SELECT count(*)"),
        "job_loss_contact": f"""
            SELECT count(*) FROM placement p JOIN trajectory t ON t.id = p.trajectory_id
            WHERE {OPEN_ON_AS_OF} AND p.end_date IS NOT NULL
              AND {days_since('p.end_date')} > :job_loss_days""",
        "caseload_size": f"""
            SELECT count(DISTINCT u.id) FROM "user" u
            JOIN trajectory_assignment a ON a.worker_id = u.id AND {HELD_ON_AS_OF}
            JOIN trajectory t ON t.id = a.trajectory_id
            WHERE u.active AND {OPEN_ON_AS_OF}""",
        "treatment_team_contact": f"SELECT count(*) FROM trajectory t WHERE {OPEN_ON_AS_OF}",
        "disclosure_before_employer_contact": f"""
            SELECT count(*) FROM trajectory t WHERE {OPEN_ON_AS_OF}
              AND EXISTS (SELECT 1 FROM contact c WHERE c.client_id = t.client_id
                            AND c.kind = 'employer'
                            AND c.contact_date BETWEEN t.program_entry_date AND {AS_OF})""",
        "benefits_plan_before_start": f"""
            SELECT count(*) FROM placement p JOIN trajectory t ON t.id = p.trajectory_id
            WHERE {OPEN_ON_AS_OF} AND p.start_date <= {AS_OF}
              AND p.placement_type IN ('paid_job', 'paid_job_subsidised')""",
    }
    return QUERIES, CHECKED


_BUILT = {name: build(name) for name in ("sqlite", "postgresql")}
QUERIES, CHECKED = _BUILT["sqlite"]


def dialect_of(connection) -> str:
    return "sqlite" if isinstance(connection, sqlite3.Connection) else "postgresql"


def run(connection, sql: str, values: dict):
    """Execute on a plain sqlite3 or psycopg connection (named :parameters on both)."""
    if dialect_of(connection) == "sqlite":
        return connection.execute(sql, values).fetchall()
    return connection.execute(pyformat(sql), values).fetchall()


def pyformat(sql: str) -> str:
    """:name -> %(name)s, psycopg's parameter style."""
    return re.sub(r"(?<![:\w]):(\w+)", r"%(\1)s", sql)


def query(connection, norm: str) -> str:
    return _BUILT[dialect_of(connection)][0][norm]


def _iso(value) -> str:
    return value if isinstance(value, str) else value.isoformat()


def checked(connection, norm: str, as_of: date,
            parameters: dict | None = None) -> int:
    values = dict(PARAMETERS, **(parameters or {}), as_of=as_of.isoformat())
    return run(connection, _BUILT[dialect_of(connection)][1][norm], values)[0][0]


def breaches(connection, norm: str, as_of: date,
             parameters: dict | None = None) -> set[tuple[str, str, str]]:
    """The (norm, subject_key, anchor) keys of one norm's breaches as of a date."""
    values = dict(PARAMETERS, **(parameters or {}), as_of=as_of.isoformat())
    rows = run(connection, query(connection, norm), values)
    return {(norm, subject, _iso(anchor)) for subject, anchor in rows}


def all_breaches(connection, as_of: date,
                 parameters: dict | None = None) -> set[tuple[str, str, str]]:
    keys: set[tuple[str, str, str]] = set()
    for norm in QUERIES:
        keys |= breaches(connection, norm, as_of, parameters)
    return keys
