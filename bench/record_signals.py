"""Time signals.record alone on the first and the second day (breaches given, norms evaluated
beforehand), in one process; optionally against another implementation of record.

    .venv/bin/python bench/record_signals.py [--db F | --database-url U] [--compare /tmp/old_signals.py]
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import sys
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.database import DEFAULT_DB, database_url, meta_path  # noqa: E402


def load(path: str):
    spec = importlib.util.spec_from_file_location("other_signals", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default=str(DEFAULT_DB))
    parser.add_argument("--database-url")
    parser.add_argument("--as-of")
    parser.add_argument("--compare", help="a file with another signals.record, timed too")
    args = parser.parse_args(argv)
    url = database_url(args.db, args.database_url)
    meta_file = meta_path(url)
    meta = json.loads(meta_file.read_text()) if meta_file.exists() else {}
    first = date.fromisoformat(args.as_of or meta["as_of"])
    os.environ.setdefault("SECRET_KEY", "bench")

    from caseload import create_app, norms, signals
    from caseload.extensions import db
    from caseload.models import Signal

    app = create_app({"SQLALCHEMY_DATABASE_URI": url})
    implementations = {"record": signals.record}
    if args.compare:
        implementations["compare"] = load(args.compare).record
    with app.app_context():
        days = [(day, norms.evaluate(day)) for day in (first, first + timedelta(days=1))]
        db.session.rollback()
        for name, record in implementations.items():
            db.session.execute(Signal.__table__.delete())
            db.session.commit()
            for n, (day, breaches) in enumerate(days, 1):
                started, cpu = time.perf_counter(), time.process_time()
                result = record(db.session, day, breaches)
                print(f"{name:8} day {n}: {time.perf_counter() - started:7.3f} s wall "
                      f"{time.process_time() - cpu:7.3f} s CPU  "
                      f"{len(breaches):,} breaches  {result}")
                db.session.expire_all()
        db.session.execute(Signal.__table__.delete())
        db.session.commit()
    return 0


if __name__ == "__main__":
    sys.exit(main())
