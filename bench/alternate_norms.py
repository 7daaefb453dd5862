"""One norm's engine and its hand-written SQL run alternately, for a machine whose load swings.

    .venv/bin/python bench/alternate_norms.py --db /tmp/bench.db --norms rapid_job_search --runs 200
    .venv/bin/python bench/alternate_norms.py --database-url postgresql://... --norms a b

run_norms.py times all runs of the engine, then all of the hand-written SQL: when the others'
load changes between the two blocks, the ratio of the minima moves with it (9 runs of a 3 ms
norm gave 1.4x to 3.4x on this machine). Here each engine run is followed by a hand-written run,
so both see the same moments; min and first quartile of each, and their ratios. No breach keys
are compared (run_norms.py does that).
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
    args = parser.parse_args(argv)
    url = database_url(args.db, args.database_url)
    as_of = date.fromisoformat(args.as_of)

    os.environ.setdefault("CASELOAD_INSTANCE", "/tmp/caseload-bench-instance")
    os.environ.setdefault("SECRET_KEY", "bench")
    from caseload import create_app, norms
    from caseload.extensions import db
    from caseload.norms import NormSettings

    if is_sqlite(url):
        import sqlite3
        raw = sqlite3.connect(f"file:{sqlite_path(url)}?mode=ro", uri=True)
    else:
        import psycopg
        raw = psycopg.connect(libpq_url(url), autocommit=True)
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "TESTING": True})
    print(f"{args.runs} alternating runs each; load average {os.getloadavg()}")
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
            quartile = args.runs // 4
            print(f"{name:36} engine {e[0] * 1000:7.2f} ms (q1 {e[quartile] * 1000:7.2f})  "
                  f"hand {h[0] * 1000:7.2f} ms (q1 {h[quartile] * 1000:7.2f})  "
                  f"ratio {e[0] / h[0]:.2f}x (q1 {e[quartile] / h[quartile]:.2f}x)")
    raw.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
