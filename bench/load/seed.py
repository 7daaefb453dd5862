"""Seed the load-run database: the demo team plus extra teams, so that 50 workers log in.

Run with the load database in DATABASE_URL (bench/load/run.sh does this):

    DATABASE_URL=postgresql://caseload:caseload@127.0.0.1:5432/caseload_load \
        .venv/bin/python bench/load/seed.py --workers 50 --manifest bench/out/load-seed.json

It expects an empty, migrated database. It creates the demo data (caseload.demo: 1 team,
3 workers, 41 clients with history) and then extra workers in extra teams, each with their
own clients and a realistic history of contacts, phases and placements, until there are
--workers worker accounts. Every account has the demo password. The manifest (JSON) lists,
per worker, the e-mail address and the ids of the clients with an open trajectory of that
worker; the load generator reads it.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from sqlalchemy import select  # noqa: E402
from werkzeug.security import generate_password_hash  # noqa: E402

from caseload import (  # noqa: E402
    clock,
    create_app,
    demo,  # noqa: E402
)
from caseload.extensions import db  # noqa: E402
from caseload.models import Client, Employer, Team, Trajectory, User  # noqa: E402

PASSWORD = demo.DEMO_PASSWORD
WORKERS_PER_EXTRA_TEAM = 12


def seed(workers_wanted: int, seed_value: int) -> dict:
    session = db.session
    if session.scalar(select(User.id).limit(1)) is not None:
        raise SystemExit("The database is not empty; run.sh drops and recreates it per run.")
    today = clock.today()
    started = time.monotonic()
    print(demo.create_demo_data(session, today=today))

    rng = random.Random(seed_value)
    demo_team = session.scalar(select(Team).order_by(Team.id))
    employers = list(session.scalars(select(Employer).order_by(Employer.id)))
    existing = list(session.scalars(select(User).where(User.role == "worker")))
    # One scrypt hash for every extra account (the same password): hashing is deliberately
    # slow, and the login check does not care which call produced the hash.
    password_hash = generate_password_hash(PASSWORD, method="scrypt")

    extra = workers_wanted - len(existing)
    # Teams of about WORKERS_PER_EXTRA_TEAM (50 workers: 5 teams of 10, the demo team included).
    team_count = -(-workers_wanted // WORKERS_PER_EXTRA_TEAM)
    per_team = -(-workers_wanted // team_count)
    teams = [demo_team]
    number = 1000  # client codes UTN-1000 and up; the demo uses UTN-0001..
    for i in range(max(extra, 0)):
        # Fill the demo team up first, then open new teams.
        members_so_far = len(existing) + i
        team_index = members_so_far // per_team
        while team_index >= len(teams):
            team = Team(name=f"IPS-team Load {len(teams)}")
            session.add(team)
            teams.append(team)
        team = teams[team_index]
        worker = User(email=f"load{i + 1:02d}@example.org", name=f"Load Worker {i + 1:02d}",
                      role="worker", fte=Decimal(rng.choice(["0.60", "0.80", "1.00"])),
                      teams=[team], password_hash=password_hash)
        session.add(worker)
        for _c in range(rng.randint(8, 16)):
            number += 1
            demo._demo_client(session, rng, number, team, worker, employers, today)
        demo._general_employer_contacts(session, rng, worker, employers, today)
        session.flush()
    session.commit()

    manifest_workers = []
    for user in session.scalars(select(User).where(User.role == "worker").order_by(User.id)):
        clients = session.execute(
            select(Client.id, Client.client_code)
            .join(Trajectory, Trajectory.client_id == Client.id)
            .where(Trajectory.worker_id == user.id, Trajectory.ended_on.is_(None))
            .order_by(Client.id)).all()
        # The daily log names a client by code; the report checks the stored ids.
        manifest_workers.append({"email": user.email, "user_id": user.id,
                                 "team_ids": user.team_ids,
                                 "client_ids": [c.id for c in clients],
                                 "client_codes": [c.client_code for c in clients]})
    employer_names = list(session.scalars(select(Employer.name).order_by(Employer.name)))
    return {"password": PASSWORD, "today": today.isoformat(), "workers": manifest_workers,
            "employers": employer_names, "seconds": round(time.monotonic() - started, 1)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=50)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--manifest", required=True)
    args = parser.parse_args()
    app = create_app()
    if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        raise SystemExit("Set DATABASE_URL to the load database (PostgreSQL).")
    with app.app_context():
        manifest = seed(args.workers, args.seed)
    Path(args.manifest).parent.mkdir(parents=True, exist_ok=True)
    Path(args.manifest).write_text(json.dumps(manifest, indent=1))
    workers = manifest["workers"]
    print(f"Seeded {len(workers)} workers, {sum(len(w['client_ids']) for w in workers)} clients "
          f"with an open trajectory, {len(manifest['employers'])} employers in "
          f"{manifest['seconds']} s; manifest {args.manifest}")
    if len(workers) < args.workers:
        raise SystemExit(f"only {len(workers)} workers, wanted {args.workers}")


if __name__ == "__main__":
    main()
