"""Time the norm engine against hand-written SQL on a generated database, and compare results.

    .venv/bin/python bench/generate.py                  # once: bench/out/norms-bench.db
    .venv/bin/python bench/run_norms.py                 # 5 repetitions
    .venv/bin/python bench/run_norms.py --repeat 9 --explain --db /tmp/other.db
    .venv/bin/python bench/run_norms.py --database-url postgresql://caseload:caseload@127.0.0.1:5432/caseload_bench_x

For each norm: caseload.norms.evaluate(as_of, norms=[name]) (the engine, through SQLAlchemy and
the app's own session) and the query in bench/handwritten.py (plain sqlite3 or psycopg, in the
database's dialect), each run once to
warm up and then --repeat times; min and median wall time are reported. Both sides include
turning rows into breach keys. Also timed: evaluate(as_of) for all norms at once, as the daily
job calls it (that includes loading the norm settings).

The breach keys (norm, subject_key, anchor) of both sides must be the same set per norm; any
difference is printed (a difference is a bug in one of the two). The number of SQL statements
the engine sends is counted with a before_cursor_execute listener: it must not depend on the
size of the data (run on a small and a large database and compare).

Results go to the terminal and to bench/out/norms-<timestamp>.json and .md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sqlite3
import statistics
import sys
import time
from datetime import UTC, date, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench import handwritten  # noqa: E402 - after the sys.path entry above
from bench.database import (  # noqa: E402
    DEFAULT_DB,
    OUT,
    database_url,
    is_sqlite,
    label,
    libpq_url,
    meta_path,
    sqlite_path,
)


class StatementLog:
    """Every statement the engine sends while `active`, with its parameters."""

    def __init__(self):
        self.active = False
        self.statements: list[tuple[str, object]] = []

    def __call__(self, conn, cursor, statement, parameters, context, executemany):
        if self.active:
            self.statements.append((statement, parameters))

    def capture(self, fn):
        self.statements = []
        self.active = True
        try:
            result = fn()
        finally:
            self.active = False
        return result, list(self.statements)


class Timings(list):
    """Wall times of the runs, plus CPU per run: this process's, and that of the PostgreSQL
    backend serving it (None on SQLite, whose work is in this process's CPU). The machine is
    shared: wall times swing with the others' load, CPU times hardly do."""

    cpu: float = 0.0
    server_cpu: float | None = None


def backend_cpu(pid: int | None) -> float | None:
    """CPU seconds used so far by a PostgreSQL backend (from /proc; 10 ms clock ticks)."""
    if pid is None:
        return None
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def timed_together(runs: dict, repeat: int) -> tuple[dict[str, Timings], dict[str, object]]:
    """runs: name -> (fn, PostgreSQL backend pid or None). Each run once to warm up (its result
    is the one compared), then the runs interleaved, `repeat` rounds with the order turned
    by one each round: one after the other, a series ran in the page cache the series before it
    left (SQLite's is per connection), which moved a norm's ratio from 1.1x to 1.65x between
    two runs of the bench (bench/README.md, seventh pass). CPU is summed per call: this
    process's, and that of the backend serving the call."""
    results = {name: fn() for name, (fn, _backend) in runs.items()}
    times = {name: Timings() for name in runs}
    server = {name: 0.0 for name in runs}
    order = list(runs)
    for round_ in range(repeat):
        for name in order[round_ % len(order):] + order[:round_ % len(order)]:
            fn, backend = runs[name]
            server_before, cpu_before = backend_cpu(backend), time.process_time()
            started = time.perf_counter()
            fn()
            times[name].append(time.perf_counter() - started)
            times[name].cpu += time.process_time() - cpu_before
            server_after = backend_cpu(backend)
            if server_before is not None and server_after is not None:
                server[name] += server_after - server_before
                times[name].server_cpu = server[name]
    for timing in times.values():
        timing.cpu /= repeat
        if timing.server_cpu is not None:
            timing.server_cpu /= repeat
    return times, results


def summary(times: Timings) -> dict:
    return {"min": min(times), "median": statistics.median(times), "runs": list(times),
            "cpu": times.cpu, "server_cpu": times.server_cpu,
            "total_cpu": times.cpu + (times.server_cpu or 0.0)}


def engine_keys(breaches) -> set[tuple[str, str, str]]:
    return {(b.norm, b.subject_key, b.anchor.isoformat()) for b in breaches}


def explain(raw, statement: str, parameters) -> list[str]:
    if not isinstance(raw, sqlite3.Connection):
        rows = raw.execute("EXPLAIN (ANALYZE, BUFFERS) " + statement, parameters or ()).fetchall()
        return [row[0] for row in rows]
    rows = raw.execute("EXPLAIN QUERY PLAN " + statement, parameters or ()).fetchall()
    depth = {0: 0}
    lines = []
    for node, parent, _unused, detail in rows:
        depth[node] = depth.get(parent, 0) + 1
        lines.append("  " * depth[node] + detail)
    return lines


def cpu_text(timing: dict) -> str:
    return f"{timing['total_cpu'] * 1000:>6.1f}ms"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default=str(DEFAULT_DB), help="a SQLite file")
    parser.add_argument("--database-url", help="a PostgreSQL (or sqlite:///) URL instead of --db")
    parser.add_argument("--as-of", help="default: the as_of the generator recorded")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--norms", nargs="*", help="only these norms")
    parser.add_argument("--explain", action="store_true",
                        help="print EXPLAIN QUERY PLAN of every engine and hand-written query")
    parser.add_argument("--examples", type=int, default=10,
                        help="differences to print per norm")
    parser.add_argument("--out", default=str(OUT))
    args = parser.parse_args(argv)

    url = database_url(args.db, args.database_url)
    if is_sqlite(url) and not sqlite_path(url).exists():
        parser.error(f"{sqlite_path(url)} does not exist; run bench/generate.py first")
    meta_file = meta_path(url)
    meta = json.loads(meta_file.read_text()) if meta_file.exists() else {}
    as_of = date.fromisoformat(args.as_of or meta.get("as_of") or parser.error("give --as-of"))

    os.environ.setdefault("CASELOAD_INSTANCE", "/tmp/caseload-bench-instance")
    os.environ.setdefault("SECRET_KEY", "bench")
    from sqlalchemy import event

    from caseload import create_app, norms
    from caseload.extensions import db
    from caseload.norms import NormSettings

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "TESTING": True})
    names = args.norms or list(norms.NORMS)
    unknown = set(names) - set(norms.NORMS) - set(handwritten.QUERIES)
    if unknown:
        parser.error(f"unknown norms: {', '.join(sorted(unknown))}")
    missing = set(norms.NORMS) - set(handwritten.QUERIES)
    if missing:
        print(f"warning: no hand-written query for {', '.join(sorted(missing))}")

    if is_sqlite(url):
        raw = sqlite3.connect(f"file:{sqlite_path(url)}?mode=ro", uri=True)
        version = f"SQLite {sqlite3.sqlite_version}"
    else:
        import psycopg
        raw = psycopg.connect(libpq_url(url), autocommit=True)
        version = raw.execute("SELECT version()").fetchone()[0].split(" on ")[0]
    raw_backend = None if is_sqlite(url) else raw.execute("SELECT pg_backend_pid()").fetchone()[0]
    name = label(url)
    log = StatementLog()
    results = []
    mismatches = {}
    with app.app_context():
        event.listen(db.engine, "before_cursor_execute", log)
        session = db.session
        # The backend behind the app's session: the pool hands the same connection back
        # after each rollback (checked after the runs).
        app_backend = (None if is_sqlite(url) else
                       session.connection().exec_driver_sql("SELECT pg_backend_pid()").scalar())
        settings = NormSettings.load(session)
        parameters = settings.as_dict()
        counts = {table: handwritten.run(raw, f'SELECT count(*) FROM "{table}"', {})[0][0]
                  for table in ("user", "trajectory", "placement", "contact", "phase_change",
                                "absence", "disclosure_discussion", "benefits_plan")}
        print(f"{name}: as_of {as_of}, " + ", ".join(f"{n:,} {t}" for t, n in counts.items()))
        print(f"{version}, Python {platform.python_version()}, "
              f"{os.cpu_count()} CPUs; {args.repeat} repetitions after one warm-up\n")

        for name in names:
            # The runs of one norm share one transaction, as the norms of the daily job do:
            # a rollback after each run made the engine pay a ROLLBACK, the pool's pre-ping
            # and a BEGIN per run (0.2-0.3 ms on PostgreSQL) that the hand-written SQL, in
            # autocommit, does not.
            def run_engine(name=name):
                return norms.evaluate(as_of, session=session, settings=settings, norms=[name])
            session.rollback()
            _, statements = log.capture(run_engine)
            # The engine's own statements replayed through plain sqlite3 or psycopg: the query
            # time without SQLAlchemy (compiling, result processing) and without building
            # Breach objects.
            def replay(statements=statements):
                for statement, params in statements:
                    raw.execute(statement, params or ()).fetchall()  # the driver's paramstyle
            times, outcome = timed_together({
                "engine": (run_engine, app_backend), "replay": (replay, raw_backend),
                "hand": (lambda name=name: handwritten.breaches(raw, name, as_of, parameters),
                         raw_backend)}, args.repeat)
            engine_times, replay_times, hand_times = times["engine"], times["replay"], times["hand"]
            engine_result, hand_result = outcome["engine"], outcome["hand"]
            session.rollback()
            got_engine = engine_keys(engine_result)
            only_engine = sorted(got_engine - hand_result)
            only_hand = sorted(hand_result - got_engine)
            if only_engine or only_hand:
                mismatches[name] = {"only_engine": only_engine, "only_handwritten": only_hand}
            row = {"norm": name, "breaches": len(got_engine),
                   "checked": handwritten.checked(raw, name, as_of, parameters),
                   "handwritten_breaches": len(hand_result), "statements": len(statements),
                   "engine": summary(engine_times), "engine_sql": summary(replay_times),
                   "handwritten": summary(hand_times)}
            # min over min: the least disturbed run of each (other processes share the 2 CPUs)
            row["ratio"] = row["engine"]["min"] / max(row["handwritten"]["min"], 1e-9)
            # and CPU over CPU (this process + the database server), per run
            row["cpu_ratio"] = (row["engine"]["total_cpu"]
                                / max(row["handwritten"]["total_cpu"], 1e-9))
            results.append(row)
            if args.explain:
                print(f"== {name}: engine ({len(statements)} statements)")
                for statement, params in statements:
                    print("   " + " ".join(statement.split())[:160] + " ...")
                    print("\n".join("     " + line for line in explain(raw, statement, params)))
                print(f"== {name}: hand-written")
                values = dict(handwritten.PARAMETERS, **parameters, as_of=as_of.isoformat())
                sql = handwritten.query(raw, name)
                if not isinstance(raw, sqlite3.Connection):
                    sql = handwritten.pyformat(sql)
                print("\n".join("     " + line for line in explain(raw, sql, values)))
                print()

        def run_all():
            breaches = norms.evaluate(as_of, session=session)
            session.rollback()
            return breaches
        _, all_statements = log.capture(run_all)
        runs = {"hand": (lambda: handwritten.all_breaches(raw, as_of, parameters), raw_backend)}
        if not args.norms:
            runs["engine"] = (run_all, app_backend)
        times, outcome = timed_together(runs, args.repeat)
        all_times, all_result = times.get("engine", Timings([0.0])), outcome.get("engine", [])
        hand_all_times = times["hand"]
        if app_backend is not None:
            same = session.connection().exec_driver_sql("SELECT pg_backend_pid()").scalar()
            session.rollback()
            if same != app_backend:
                print("warning: the session changed backends; server CPU is not comparable")
        event.remove(db.engine, "before_cursor_execute", log)
    raw.close()

    header = (f"{'norm':36} {'breaches':>9} {'of':>6} {'stmts':>5} {'engine min':>11} "
              f"{'median':>9} {'SQL min':>9} {'hand min':>9} {'median':>9} {'ratio':>6} "
              f"{'eng CPU':>8} {'hand CPU':>8} {'CPU ratio':>9}")
    lines = [header, "-" * len(header)]
    for row in results:
        e, h = row["engine"], row["handwritten"]
        lines.append(f"{row['norm']:36} {row['breaches']:>9,} {row['checked']:>6,} "
                     f"{row['statements']:>5} "
                     f"{e['min'] * 1000:>9.1f}ms {e['median'] * 1000:>7.1f}ms "
                     f"{row['engine_sql']['min'] * 1000:>7.1f}ms "
                     f"{h['min'] * 1000:>7.1f}ms {h['median'] * 1000:>7.1f}ms "
                     f"{row['ratio']:>5.2f}x {cpu_text(e)} {cpu_text(h)} "
                     f"{row['cpu_ratio']:>8.2f}x")
    lines.append("-" * len(header))
    if not args.norms:
        lines.append(
            f"{'all (evaluate(as_of), as the job)':36} {len(all_result):>9,} {'':>6} "
            f"{len(all_statements):>5} {min(all_times) * 1000:>9.1f}ms "
            f"{statistics.median(all_times) * 1000:>7.1f}ms {'':>9} "
            f"{min(hand_all_times) * 1000:>7.1f}ms "
            f"{statistics.median(hand_all_times) * 1000:>7.1f}ms "
            f"{min(all_times) / min(hand_all_times):>5.2f}x {cpu_text(summary(all_times))} "
            f"{cpu_text(summary(hand_all_times))}")
    lines.append("CPU: per run, this process + the PostgreSQL backend (none on SQLite); "
                 "10 ms clock ticks on the server side")
    table = "\n".join(lines)
    print(table)

    print()
    if mismatches:
        for name, diff in mismatches.items():
            print(f"MISMATCH {name}: {len(diff['only_engine'])} only in the engine, "
                  f"{len(diff['only_handwritten'])} only in the hand-written SQL")
            for key in diff["only_engine"][:args.examples]:
                print(f"   engine only:       {key}")
            for key in diff["only_handwritten"][:args.examples]:
                print(f"   hand-written only: {key}")
    else:
        print(f"Same breach keys from the engine and the hand-written SQL for all "
              f"{len(results)} norms.")
    without = [row["norm"] for row in results if row["breaches"] == 0]
    if without:
        print(f"note: no breaches at all for {', '.join(without)} (the data should have some)")

    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    report = {
        "db": name, "as_of": as_of.isoformat(), "generator": meta, "rows": counts,
        "repeat": args.repeat, "database": version,
        "python": platform.python_version(), "cpus": os.cpu_count(), "settings": parameters,
        "norms": results,
        "all": None if args.norms else {
            "breaches": len(all_result), "statements": len(all_statements),
            "engine": summary(all_times), "handwritten": summary(hand_all_times)},
        "load_average": os.getloadavg(),
        "mismatches": mismatches,
    }
    (out / f"norms-{stamp}.json").write_text(json.dumps(report, indent=1))
    (out / f"norms-{stamp}.md").write_text(
        f"# Norm benchmark {stamp}\n\n{name} ({version}), as_of {as_of}, "
        + ", ".join(f"{n:,} {t}" for t, n in counts.items())
        + f"\n\n```\n{table}\n```\n\nmismatches: {len(mismatches)}\n")
    print(f"\nwritten: {out / f'norms-{stamp}.json'} and .md")
    return 1 if mismatches else 0


if __name__ == "__main__":
    sys.exit(main())
