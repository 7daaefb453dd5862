"""Requests of one page as bench/page_cost.py makes them, to count its instructions with callgrind.

CPU timings on a shared machine move by 20 % and more from one run to the next; instruction
counts are the same for the same code and data (bench/README.md, "Counting instructions instead
of timing"). Count a page twice, with --requests N and with --requests 0, on the same copy of a
generated database; the difference divided by N is the page's instructions a request:

    cp /tmp/bench/inst.db /tmp/copy.db && cp /tmp/bench/inst.db.json /tmp/copy.db.json
    .venv/bin/python bench/page_instructions.py --db /tmp/copy.db --page checklist --requests 0
    for n in 0 20; do PYTHONHASHSEED=0 valgrind --tool=callgrind \\
        --callgrind-out-file=/tmp/checklist_$n.out .venv/bin/python bench/page_instructions.py \\
        --db /tmp/copy.db --page checklist --requests $n; done
    grep -h '^totals:' /tmp/checklist_0.out /tmp/checklist_20.out   # (20 - 0) / 20 a request

The first line runs once without valgrind so that Python's .pyc files are written before
counting (a compile would land in one count only). --page plain counts the yardstick, the
plain Flask page, so a page's ratio can be given in instructions. The application, the users
and the login sessions are page_cost.py's (bench_app), and so are the pages (pages_of); three
warm-ups come before the counted requests. On PostgreSQL (--database-url) the count is this
process's only, not the server's.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.database import DEFAULT_DB, database_url, meta_path  # noqa: E402
from bench.page_cost import bench_app, pages_of, plain_app, warm_up  # noqa: E402

# page_cost.py's page names, shortened for the command line.
PAGES = {"plain": "plain Flask page", "layout": "layout only", "caseload": "caseload",
         "daily_log": "daily log", "client": "client page", "employers": "employers",
         "checklist": "checklist", "signals": "signals", "outcomes": "outcomes"}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default=str(DEFAULT_DB), help="a SQLite file")
    parser.add_argument("--database-url", help="a PostgreSQL (or sqlite:///) URL instead of --db")
    parser.add_argument("--page", choices=sorted(PAGES), required=True)
    parser.add_argument("--requests", type=int, default=20,
                        help="requests after the warm-ups (0: the start-up only)")
    args = parser.parse_args(argv)
    url = database_url(args.db, args.database_url)
    meta_file = meta_path(url)
    meta = json.loads(meta_file.read_text()) if meta_file.exists() else {}
    as_of = date.fromisoformat(meta.get("as_of", "2026-03-18"))

    bench = bench_app(url, as_of)
    name, role, path = next(page for page in pages_of(bench.client_id)
                            if page[0].startswith(PAGES[args.page]))
    if role is None:
        client = plain_app(url)[0].test_client()
    else:
        client = bench.app.test_client()
        with client.session_transaction() as session:
            session["_user_id"] = bench.users[role]
            session["_fresh"] = True
            session["language"] = "nl"
            session["last_active"] = time.time()
    warm_up(client, path)
    assert client.get(path).status_code == 200, name
    for _ in range(args.requests):
        client.get(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
