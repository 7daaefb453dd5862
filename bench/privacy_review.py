"""How long does the privacy officer's monthly review report take on a big month of the access
log? Fills a database (schema from db.create_all()) with users, clients, their trajectories and
N access-log entries in March 2026, then times caseload.logs.review.month_report.

    .venv/bin/python bench/privacy_review.py                                  # SQLite in /tmp
    .venv/bin/python bench/privacy_review.py --db postgresql://caseload:caseload@127.0.0.1/bench_c
    .venv/bin/python bench/privacy_review.py --entries 200000 --repeat 5

The database is emptied first. One entry in three is a list, one in 97 denied; readers are 100
users (one in ten a coordinator), clients 2,500 held by the workers in turn, so most reads are of
the reader's own clients and the rest fall in the 'outside the own caseload' section.
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from datetime import date, datetime, timedelta, timezone

from sqlalchemy import insert

from caseload import create_app
from caseload.config import normalise_database_url
from caseload.extensions import db
from caseload.logs.review import month_report
from caseload.models import AccessLogEntry, Client, Team, Trajectory, TrajectoryAssignment, User

MARCH = date(2026, 3, 1)
CHUNK = 20_000


def fill(entries: int, users: int, clients: int, seed: int) -> None:
    rng = random.Random(seed)
    db.drop_all()
    db.create_all()
    db.session.add(Team(id=1, name="Bench"))
    db.session.execute(insert(User), [
        {"id": u, "email": f"u{u}@example.org", "name": f"User {u}",
         "role": "coordinator" if u % 10 == 0 else "worker", "fte": 1, "password_hash": ""}
        for u in range(1, users + 1)])
    workers = [u for u in range(1, users + 1) if u % 10]
    db.session.execute(insert(Client), [
        {"id": c, "client_code": f"C-{c:05d}", "team_id": 1} for c in range(1, clients + 1)])
    db.session.execute(insert(Trajectory), [
        {"id": c, "client_id": c, "worker_id": workers[c % len(workers)],
         "program_entry_date": date(2025, 6, 1)} for c in range(1, clients + 1)])
    db.session.execute(insert(TrajectoryAssignment), [
        {"trajectory_id": c, "worker_id": workers[c % len(workers)], "team_id": 1,
         "from_date": date(2025, 6, 1), "reason": "start"} for c in range(1, clients + 1)])
    db.session.commit()
    start = datetime(2026, 2, 28, 23, 0, tzinfo=timezone.utc)
    seconds = 31 * 24 * 3600
    own = {}
    for c in range(1, clients + 1):
        own.setdefault(workers[c % len(workers)], []).append(c)
    for first in range(0, entries, CHUNK):
        rows = []
        for i in range(first, min(first + CHUNK, entries)):
            user = rng.randint(1, users)
            # Workers mostly read their own clients.
            mine = own.get(user)
            client = rng.choice(mine) if mine and rng.random() < 0.9 else rng.randint(1, clients)
            rows.append({
                # In time order, as the application appends them.
                "at": start + timedelta(seconds=seconds * i / entries), "user_id": user,
                "user_email": f"u{user}@example.org",
                "user_role": "coordinator" if user % 10 == 0 else "worker", "client_id": client,
                "record_type": "clients.show", "action": "list" if i % 3 == 0 else "read",
                "status": 200, "outcome": "denied" if i % 97 == 0 else "allowed", "ip": ""})
        db.session.execute(insert(AccessLogEntry), rows)
        db.session.commit()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default="sqlite:////tmp/caseload-privacy-review-bench.db")
    parser.add_argument("--entries", type=int, default=1_000_000)
    parser.add_argument("--users", type=int, default=100)
    parser.add_argument("--clients", type=int, default=2_500)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    app = create_app({"SQLALCHEMY_DATABASE_URI": normalise_database_url(args.db),
                      "INSTANCE_DIR": "/tmp", "SECRET_KEY": "bench"})
    with app.app_context():
        began = time.perf_counter()
        fill(args.entries, args.users, args.clients, args.seed)
        print(f"filled {args.entries:,} entries in {time.perf_counter() - began:.0f} s")
        timings = []
        for _i in range(args.repeat):
            began = time.perf_counter()
            report = month_report(db.session, MARCH)
            timings.append(time.perf_counter() - began)
            db.session.rollback()
        print(f"{db.engine.dialect.name}: month_report median {statistics.median(timings) * 1000:.0f} ms "
              f"(min {min(timings) * 1000:.0f}, max {max(timings) * 1000:.0f}); sections: "
              f"outside {len(report.outside_caseload)}, coordinators "
              f"{len(report.coordinator_reads)}, admins {len(report.admin_reads)}, denied "
              f"{len(report.denied)}")


if __name__ == "__main__":
    main()
