"""Synthetic data for the benchmarks: one large IPS organisation in SQLite or PostgreSQL.

    .venv/bin/python bench/generate.py                       # bench/out/norms-bench.db, defaults
    .venv/bin/python bench/generate.py --size national \
        --database-url postgresql://caseload:caseload@127.0.0.1:5432/caseload_bench_x
    .venv/bin/python bench/generate.py --db /tmp/small.db --workers 20 --trajectories 500 \
        --contacts 200000

Sizes (--size): tiny (8 workers, 200 open trajectories, 30,000 contacts; the test suite runs
it), institution (the default), national (1,000 workers in 100 teams, 20,000, 10,000,000).

Defaults: 100 workers in 10 teams (FTE 0.5-1.0), 2,500 open trajectories (plus ended ones, some
of whose clients came back with a new trajectory), phase histories, ~1,000,000 contacts over about
a year (client, employer about a client and general, treatment team, family and others; mixed
modes and places), placements (some ended, some starting within the next two weeks), disclosure
discussions, benefits plans and absences. Everything is relative to --as-of (the day the norms
are evaluated) and drawn from one fixed seed, so a run is reproducible.

The distributions are chosen so that every norm has breaches and non-breaches: contact rates per
trajectory are heavy-tailed and have quiet periods, the first face-to-face employer contact comes
after a log-normal delay (about a quarter after day 30), workers differ in how many general
employer contacts they make and in how many of their clients seek work, and so on. Boundary cases
are included on purpose (trajectories ending on as_of, a contact exactly on day 30, same-day phase
changes, placements that start in the future, overlapping absences, an inactive worker who still
holds open trajectories).

The organisation is built step by step in bench/organisation/ (staff, trajectories, their
histories, contacts); the schema is made by caseload itself (db.create_all() through
create_app); how rows are loaded on each database is in bench/database.py. A sidecar JSON records the parameters and as_of,
which bench/run_norms.py reads.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.database import DEFAULT_DB, meta_path, open_target  # noqa: E402
from bench.organisation import World, build  # noqa: E402 - after the sys.path entry
from bench.synthetic import Tables  # noqa: E402

DEFAULT_AS_OF = date(2026, 3, 18)  # a Wednesday, like the tests' TODAY


def generate(args) -> dict:
    """Build the organisation (bench/organisation/) into the target database; returns the
    summary that is also written to the sidecar."""
    os.environ.setdefault("CASELOAD_INSTANCE", "/tmp/caseload-bench-instance")
    os.environ.setdefault("SECRET_KEY", "bench")
    sink = open_target(args, reset=not args.keep_schema)

    started = time.monotonic()
    as_of = date.fromisoformat(args.as_of).toordinal()
    world = World(args=args, rng=random.Random(args.seed),
                  tables=Tables(sink.connection, sink.dialect),
                  as_of=as_of, window_start=as_of - args.days)
    build(world)

    # Stored in date order, as a real contact log grows.
    generated = time.monotonic() - started
    world.tables.rows["contact"].sort(key=lambda row: row[0])
    world.tables.flush("contact")
    sink.finish(world.tables)
    summary = {
        "db": sink.label, "as_of": args.as_of, "seed": args.seed, "size": args.size,
        "workers": args.workers,
        "teams": args.teams, "open_trajectories": args.trajectories,
        "ended_trajectories": world.n_ended, "contacts_target": args.contacts,
        "days": args.days, "ended_since": args.ended_since, "analyze": args.analyze, "rows": dict(world.tables.counts),
        "seconds": {"generate": round(generated, 1),
                    "total": round(time.monotonic() - started, 1)},
    }
    meta_path(sink.url, args.sidecar).write_text(json.dumps(summary, indent=1))
    return summary


SIZES = {
    # Small enough for the test suite (tests/test_bench_runs.py), with breaches of every norm.
    "tiny": {"workers": 8, "teams": 2, "trajectories": 200, "contacts": 30_000},
    # A large organisation.
    "institution": {"workers": 100, "teams": 10, "trajectories": 2_500, "contacts": 1_000_000},
    # All Dutch IPS teams in one database.
    "national": {"workers": 1_000, "teams": 100, "trajectories": 20_000,
                 "contacts": 10_000_000},
}


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default=str(DEFAULT_DB),
                        help="SQLite file; replaced if this generator made it")
    parser.add_argument("--database-url",
                        help="a PostgreSQL (or sqlite:///) URL instead of --db; its tables are "
                             "replaced if this generator made them")
    parser.add_argument("--force", action="store_true",
                        help="replace the database even if it was not made by this generator")
    parser.add_argument("--keep-schema", action="store_true",
                        help="load into the existing, empty schema (the test suite's database)")
    parser.add_argument("--sidecar", help="where to write the parameters (default: next to the "
                        "SQLite file, or bench/out/<database>.json)")
    parser.add_argument("--size", choices=SIZES, default="institution",
                        help="preset for the four numbers below (default institution)")
    parser.add_argument("--workers", type=int)
    parser.add_argument("--teams", type=int)
    parser.add_argument("--trajectories", type=int, help="open trajectories")
    parser.add_argument("--ended-share", type=float, default=0.4,
                        help="ended trajectories, as a share of the open ones")
    parser.add_argument("--ended-since", type=int, default=730,
                        help="ended trajectories entered up to this many days before as_of "
                             "(an organisation's history of ended trajectories)")
    parser.add_argument("--contacts", type=int)
    parser.add_argument("--days", type=int, default=365, help="length of the contact history")
    parser.add_argument("--as-of", default=DEFAULT_AS_OF.isoformat())
    parser.add_argument("--seed", type=int, default=20260318)
    parser.add_argument("--analyze", action="store_true",
                        help="SQLite: run ANALYZE afterwards (the application never does); "
                             "PostgreSQL is always VACUUM ANALYZEd, as autovacuum would")
    args = parser.parse_args(argv)
    for name, value in SIZES[args.size].items():
        if getattr(args, name) is None:
            setattr(args, name, value)
    if args.workers < 1 or args.teams < 1 or args.trajectories < 10:
        parser.error("need at least 1 worker, 1 team and 10 trajectories")
    return args


def main(argv=None) -> None:
    summary = generate(parse_args(argv))
    rows = ", ".join(f"{table} {n:,}" for table, n in summary["rows"].items())
    print(f"{summary['db']}: {rows}")
    print(f"as_of {summary['as_of']}; {summary['seconds']['total']} s "
          f"({summary['seconds']['generate']} s generating)")


if __name__ == "__main__":
    main()
