"""The daily job on two consecutive days: the first day (no signals yet) and the second, the
normal case, with yesterday's signals open.

    .venv/bin/python bench/run_daily.py                      # bench/out/norms-bench.db
    .venv/bin/python bench/run_daily.py --database-url postgresql://caseload:caseload@127.0.0.1:5432/caseload_bench_x
    .venv/bin/python bench/run_daily.py --command job        # `flask jobs run daily_evaluation`

Each day runs `flask norms check --as-of D` (default; or the daily_evaluation job) in its own
process, as an operator or cron would, so wall time includes starting the application and the
peak memory (max RSS, from wait4) is that day's alone; the CPU time is the job process's own
(user + system, from wait4), the database server's is not included. The signals and the outbox are emptied
first, so the first day really is a first day; what the runs store stays afterwards.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.database import DEFAULT_DB, OUT, database_url, label, meta_path  # noqa: E402

COMMANDS = {
    "check": lambda day: ["norms", "check", "--as-of", day.isoformat()],
    "job": lambda day: ["jobs", "run", "daily_evaluation", "--as-of", day.isoformat()],
}


def reset(url: str) -> None:
    """No signals, no queued mail: the state before the first day."""
    from sqlalchemy import create_engine, text
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(text("DELETE FROM outbox_message"))
        connection.execute(text("DELETE FROM signal"))
    engine.dispose()


def run_day(url: str, command: str, day: date) -> dict:
    env = dict(os.environ, DATABASE_URL=url, SECRET_KEY="bench",
               CASELOAD_INSTANCE=os.environ.get("CASELOAD_INSTANCE",
                                                "/tmp/caseload-bench-instance"))
    argv = [sys.executable, "-m", "flask", "--app", "caseload", *COMMANDS[command](day)]
    started = time.perf_counter()
    process = subprocess.Popen(argv, env=env, cwd=ROOT, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True)
    stdout, stderr = process.communicate()
    wall = time.perf_counter() - started
    if process.returncode != 0:
        raise SystemExit(f"{' '.join(argv)} failed:\n{stderr}")
    summary = next((line for line in stdout.splitlines()
                    if line.startswith(("As of", "daily_evaluation"))), stdout[:200])
    return {"day": day.isoformat(), "seconds": round(wall, 2), "summary": summary}


def run_day_measured(url: str, command: str, day: date) -> dict:
    """run_day in a fresh child of this process, so that wait4 gives the day's own max RSS."""
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: run the day, send the result, leave
        os.close(read)
        try:
            result = run_day(url, command, day)
        except SystemExit as error:
            result = {"error": str(error)}
        os.write(write, json.dumps(result).encode())
        os._exit(0)
    os.close(write)
    chunks = []
    while chunk := os.read(read, 65536):
        chunks.append(chunk)
    os.close(read)
    _pid, _status, usage = os.wait4(pid, 0)
    result = json.loads(b"".join(chunks))
    if "error" in result:
        raise SystemExit(result["error"])
    # ru_maxrss of the forked child covers its own child (the flask process) too: RUSAGE of
    # a waited-for process includes its waited-for descendants; in kilobytes on Linux.
    result["peak_rss_mb"] = round(usage.ru_maxrss / 1024, 1)
    # CPU of the job's process (not the database server's): unlike wall time, hardly affected
    # by other work on the machine.
    result["cpu_seconds"] = round(usage.ru_utime + usage.ru_stime, 2)
    return result


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default=str(DEFAULT_DB), help="a SQLite file")
    parser.add_argument("--database-url", help="a PostgreSQL (or sqlite:///) URL instead of --db")
    parser.add_argument("--as-of", help="the first day; default: the generator's as_of")
    parser.add_argument("--days", type=int, default=2, help="consecutive days (default 2)")
    parser.add_argument("--command", choices=COMMANDS, default="check")
    parser.add_argument("--out", default=str(OUT))
    args = parser.parse_args(argv)

    url = database_url(args.db, args.database_url)
    meta_file = meta_path(url)
    meta = json.loads(meta_file.read_text()) if meta_file.exists() else {}
    first = date.fromisoformat(args.as_of or meta.get("as_of") or parser.error("give --as-of"))
    reset(url)
    days = []
    for n in range(args.days):
        result = run_day_measured(url, args.command, first + timedelta(days=n))
        days.append(result)
        print(f"day {n + 1} ({result['day']}): {result['seconds']:.2f} s wall, "
              f"{result['cpu_seconds']:.2f} s CPU, peak {result['peak_rss_mb']:.0f} MB  "
              f"{result['summary']}")
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    report = {"db": label(url), "command": args.command, "generator": meta, "days": days}
    (out / f"daily-{stamp}.json").write_text(json.dumps(report, indent=1))
    print(f"written: {out / f'daily-{stamp}.json'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
