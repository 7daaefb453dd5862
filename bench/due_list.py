"""How long does the due list (caseload/due/) take on the bench organisation, for the morning
digest (every worker at once) and for one worker's week page, and how many statements?

    .venv/bin/python bench/generate.py --db /tmp/n.db
    .venv/bin/python bench/due_list.py --db /tmp/n.db [--repeat 5]
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from datetime import date
from pathlib import Path

from sqlalchemy import event, func, select


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", default="bench/out/norms-bench.db")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    meta = Path(args.db + ".json")
    as_of = date.fromisoformat(json.loads(meta.read_text())["as_of"]) if meta.exists() \
        else date(2026, 3, 18)

    from caseload import create_app
    from caseload.due import due_for, due_items
    from caseload.extensions import db
    from caseload.models import Trajectory, User
    from caseload.norms.settings import NormSettings

    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{Path(args.db).resolve()}",
                      "SECRET_KEY": "bench", "CASELOAD_TODAY": as_of})
    with app.app_context():
        settings = NormSettings.load(db.session)
        busiest = db.session.execute(
            select(Trajectory.worker_id, func.count()).where(Trajectory.ended_on.is_(None))
            .group_by(Trajectory.worker_id).order_by(func.count().desc()).limit(1)).first()
        worker = db.session.get(User, busiest[0])
        statements = []
        event.listen(db.engine, "before_cursor_execute",
                     lambda *a: statements.append(a[2]))
        for name, run in (
                ("digest: all workers", lambda: due_items(db.session, as_of, settings)),
                (f"week page: one worker ({busiest[1]} clients)",
                 lambda: due_for(db.session, as_of, settings, worker, worker.team_ids))):
            times, count, items = [], 0, 0
            for _ in range(args.repeat):
                statements.clear()
                start = time.perf_counter()
                result = run()
                times.append(time.perf_counter() - start)
                count = len(statements)
                items = len(result) if isinstance(result, list) else sum(
                    len(v) for v in result.values())
                db.session.rollback()
            print(f"{name}: median {statistics.median(times) * 1000:.0f} ms, "
                  f"{count} statements, {items} items")


if __name__ == "__main__":
    main()
