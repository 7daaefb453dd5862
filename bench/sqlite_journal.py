"""The access-log write of one request on SQLite, in the rollback journal against the
write-ahead log (the app's mode since issue 14's fourth pass), both with synchronous=FULL.

    .venv/bin/python bench/sqlite_journal.py                  # a fresh file in /tmp
    .venv/bin/python bench/sqlite_journal.py --db /tmp/bench_final.db --rounds 5

One process, one run: a copy of the database (or a fresh one built from the models) in each
journal mode, the same transactions in turn (one INSERT of N access-log rows, as the writer
sends them, and its COMMIT) for N = 1 (a client page), 23 (a caseload), 216 (a daily log's
client choices), several rounds alternating the modes so a loaded machine shifts both alike.
Reported: CPU (user + system) and wall time per transaction, medians, and the ratio
rollback journal / WAL. The copies are deleted afterwards.
"""

from __future__ import annotations

import argparse
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

COLUMNS = ("at", "user_id", "user_email", "user_role", "client_id", "record_type", "action",
           "status", "outcome", "detail", "ip")
SQL = (f"INSERT INTO access_log ({', '.join(COLUMNS)}) "
       f"VALUES ({', '.join('?' for _ in COLUMNS)})")


def fresh_database(path: Path) -> None:
    from sqlalchemy import create_engine

    from caseload.models import Base
    engine = create_engine(f"sqlite:///{path}")
    Base.metadata.create_all(engine)
    engine.dispose()


def transactions(connection, rows: int, count: int) -> tuple[float, float]:
    values = [("2026-03-18 10:00:00.000000", 1, "worker@example.org", "worker", client_id,
               "client", "read", 200, "allowed", "", "127.0.0.1") for client_id in range(rows)]
    cpu, wall = time.process_time(), time.perf_counter()
    for _ in range(count):
        connection.execute("BEGIN")
        connection.executemany(SQL, values)
        connection.execute("COMMIT")
    return ((time.process_time() - cpu) / count * 1000,
            (time.perf_counter() - wall) / count * 1000)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", help="a SQLite database to copy (default: a fresh one)")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--transactions", type=int, default=50, help="per round and size")
    args = parser.parse_args(argv)

    folder = Path(tempfile.mkdtemp(prefix="caseload-journal-"))
    try:
        source = folder / "source.db"
        if args.db:
            with sqlite3.connect(args.db) as original, sqlite3.connect(source) as copy:
                original.backup(copy)
        else:
            fresh_database(source)
        connections = {}
        for mode in ("delete", "wal"):
            path = folder / f"{mode}.db"
            shutil.copy(source, path)
            connection = sqlite3.connect(path, isolation_level=None)
            assert connection.execute(f"PRAGMA journal_mode={mode}").fetchone()[0] == mode
            connection.execute("PRAGMA synchronous=FULL")
            connection.execute("PRAGMA secure_delete=ON")
            connections[mode] = connection
        print(f"{'rows':>5} {'journal':>8} {'CPU ms':>8} {'wall ms':>8}   CPU ratio delete/wal")
        for rows in (1, 23, 216):
            seen = {mode: ([], []) for mode in connections}
            for _ in range(args.rounds):
                for mode, connection in connections.items():
                    cpu, wall = transactions(connection, rows, args.transactions)
                    seen[mode][0].append(cpu)
                    seen[mode][1].append(wall)
            medians = {mode: (statistics.median(c), statistics.median(w))
                       for mode, (c, w) in seen.items()}
            for mode, connection in connections.items():
                stored = connection.execute("SELECT count(*) FROM access_log").fetchone()[0]
                assert stored >= rows * args.rounds * args.transactions, (mode, stored)
            for mode, (cpu, wall) in medians.items():
                print(f"{rows:>5} {mode:>8} {cpu:8.2f} {wall:8.2f}", end="")
                print(f"   {medians['delete'][0] / medians['wal'][0]:.1f}x" if mode == "wal"
                      else "")
        for connection in connections.values():
            connection.close()
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
