"""One norm's engine and its hand-written SQL run alternately, for a machine whose load swings.

    .venv/bin/python bench/alternate_norms.py --db /tmp/bench.db --norms rapid_job_search --runs 200
    .venv/bin/python bench/alternate_norms.py --database-url postgresql://... --norms a b

run_norms.py times all runs of the engine, then all of the hand-written SQL: when the others'
load changes between the two blocks, the ratio of the minima moves with it (9 runs of a 3 ms
norm gave 1.4x to 3.4x on this machine). Here each engine run is followed by a hand-written run,
so both see the same moments; min and first quartile of each, and their ratios (and the
medians' ratio). No breach keys are compared (run_norms.py does that).

On PostgreSQL, psycopg prepares a statement from its sixth execution on, and the server plans a
prepared statement once for all values (a generic plan) from about its sixth execution: most of
the runs here are then the generic plan, while the daily job runs each statement once, planned
for its values (a custom plan). The two can differ (bench/README.md, "Norms at the 1.5x
edge"). --plan-each-run keeps both sides unprepared, so every run is planned as the job's is.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench import handwritten  # noqa: E402
from bench.database import DEFAULT_DB, database_url, is_sqlite, libpq_url, sqlite_path  # noqa: E402


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default=str(DEFAULT_DB), help="a SQLite file")
    parser.add_argument("--database-url", help="a PostgreSQL URL instead of --db")
    parser.add_argument("--as-of", default="2026-03-18")
    parser.add_argument("--norms", nargs="+", required=True)
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--plan-each-run", action="store_true",
                        help="PostgreSQL: never prepare, every run planned for its values")
    args = parser.parse_args(argv)
    url = database_url(args.db, args.database_url)
    as_of = date.fromisoformat(args.as_of)

    os.environ.setdefault("CASELOAD_INSTANCE", "/tmp/caseload-bench-instance")
    os.environ.setdefault("SECRET_KEY", "bench")
    from caseload import create_app, norms
    from caseload.extensions import db
    from caseload.norms import NormSettings

    config = {"SQLALCHEMY_DATABASE_URI": url, "TESTING": True}
    if is_sqlite(url):
        import sqlite3
        raw = sqlite3.connect(f"file:{sqlite_path(url)}?mode=ro", uri=True)
    else:
        import psycopg
        unprepared = {"prepare_threshold": None} if args.plan_each_run else {}
        raw = psycopg.connect(libpq_url(url), autocommit=True, **unprepared)
        if args.plan_each_run:
            config["SQLALCHEMY_ENGINE_OPTIONS"] = {
                "pool_pre_ping": True, "hide_parameters": True, "connect_args": unprepared}
    app = create_app(config)
    plans = ", every run planned for its values" if args.plan_each_run else ""
    print(f"{args.runs} alternating runs each{plans}; load average {os.getloadavg()}")
    with app.app_context():
        session = db.session
        settings = NormSettings.load(session)
        parameters = settings.as_dict()
        for name in args.norms:
            def engine(name=name):
                return norms.evaluate(as_of, session=session, settings=settings, norms=[name])

            def hand(name=name):
                return handwritten.breaches(raw, name, as_of, parameters)
            session.rollback()  # the runs share one transaction, as in run_norms.py
            engine(), hand()
            times: dict[str, list[float]] = {"engine": [], "hand": []}
            for _ in range(args.runs):
                for side, fn in (("engine", engine), ("hand", hand)):
                    started = time.perf_counter()
                    fn()
                    times[side].append(time.perf_counter() - started)
            session.rollback()
            e, h = sorted(times["engine"]), sorted(times["hand"])
            quartile, half = args.runs // 4, args.runs // 2
            print(f"{name:36} engine {e[0] * 1000:7.2f} ms (q1 {e[quartile] * 1000:7.2f})  "
                  f"hand {h[0] * 1000:7.2f} ms (q1 {h[quartile] * 1000:7.2f})  "
                  f"ratio {e[0] / h[0]:.2f}x (q1 {e[quartile] / h[quartile]:.2f}x, "
                  f"median {e[half] / h[half]:.2f}x)")
    raw.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
