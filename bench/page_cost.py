"""CPU per request of the main pages, against a plain Flask page on the same database.

    .venv/bin/python bench/page_cost.py                      # bench/out/norms-bench.db
    .venv/bin/python bench/page_cost.py --database-url postgresql://caseload:caseload@127.0.0.1:5432/caseload_bench_x

In one process and one run: the application (create_app on the generated organisation, a real
login session for a typical worker and for that worker's coordinator) serves each page
--requests times in each of --rounds rounds over all pages, after two warm-ups, through
Flask's test client (no network, no WSGI server), so that every page, the yardstick included,
is measured in the same stretches of the run (a machine shared with other work drifts);
the yardstick is a plain Flask app on the same database that renders a 20-row table (client
code, name, team) from one query with a Jinja template. Reported per page: CPU of this process
per request (time.process_time), wall time, and on PostgreSQL the CPU of the database server
process that served the requests (from /proc, where readable), and the ratio of this process's
CPU to the plain page's. Run bench/run_daily.py first, so that the signal pages have signals.

The fixed cost every authenticated page pays (the login session lookup, the request hooks, the
layout with its navigation, CSRF token and language switch, the access-log writer) is measured
by a page of the layout alone: a route this script adds to the created app (login required, the
app's base.html with an empty content block), never part of the application itself.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.database import DEFAULT_DB, OUT, database_url, is_sqlite, label, meta_path  # noqa: E402

PLAIN_TEMPLATE = """<!doctype html><html><head><title>Clients</title></head><body>
<table><thead><tr><th>Code</th><th>Name</th><th>Team</th></tr></thead><tbody>
{% for row in rows %}<tr><td>{{ row.client_code }}</td><td>{{ row.name }}</td>
<td>{{ row.team }}</td></tr>{% endfor %}
</tbody></table></body></html>"""


def plain_app(url: str):
    from flask import Flask, render_template_string
    from sqlalchemy import create_engine, text

    app = Flask("plain")
    engine = create_engine(url)
    query = text("SELECT c.client_code, c.name, t.name AS team FROM client c "
                 "JOIN team t ON t.id = c.team_id ORDER BY c.id LIMIT 20")

    @app.route("/")
    def index():
        with engine.connect() as connection:
            rows = connection.execute(query).all()
        return render_template_string(PLAIN_TEMPLATE, rows=rows)

    # For reference only (the ratios stay against "/", the yardstick as first written):
    # render_template_string compiles its template on every request, about 1 ms of the
    # plain page; the same page with the template compiled once, as render_template does.
    compiled = app.jinja_env.from_string(PLAIN_TEMPLATE)

    @app.route("/compiled-once")
    def compiled_once():
        with engine.connect() as connection:
            rows = connection.execute(query).all()
        return compiled.render(rows=rows)
    return app, engine


LAYOUT_ONLY_PATH = "/_bench/layout-only"
TARGET_RATIO = 5.0  # issue 14: every main page at most 5x the plain page's CPU


def add_layout_only_page(app) -> None:
    """The bench's own page on the created app: logged in, base.html with nothing in it. The
    template is compiled once, as the app's own templates are (render_template_string would
    compile it on every request)."""
    from flask import render_template
    from flask_login import login_required

    template = app.jinja_env.from_string('{% extends "base.html" %}')

    @login_required
    def layout_only():
        return render_template(template)

    app.add_url_rule(LAYOUT_ONLY_PATH, "bench_layout_only", layout_only)


def server_cpu(connection) -> float | None:
    """CPU seconds of the PostgreSQL backend behind a connection (None if not readable)."""
    try:
        from sqlalchemy import text
        pid = connection.execute(text("SELECT pg_backend_pid()")).scalar()
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return None


def warm_up(client, url: str) -> None:
    for _ in range(2):
        response = client.get(url)
        if response.status_code != 200:
            raise SystemExit(f"{url}: HTTP {response.status_code}")


def measure(client, url: str, requests: int, engine, into: dict) -> None:
    """`requests` requests of one page, their CPU and wall times added to `into` (one page's
    samples over every round), and on PostgreSQL the backend's CPU."""
    backend = None
    if engine is not None and engine.dialect.name == "postgresql":
        # One connection in the pool, so the backend measured is the one serving the pages.
        with engine.connect() as connection:
            backend = server_cpu(connection)
    for _ in range(requests):
        c0, w0 = time.process_time(), time.perf_counter()
        response = client.get(url)
        into.setdefault("cpu", []).append(time.process_time() - c0)
        into.setdefault("wall", []).append(time.perf_counter() - w0)
        if response.status_code != 200:
            raise SystemExit(f"{url}: HTTP {response.status_code}")
    into["bytes"] = len(response.data)
    if backend is not None:
        with engine.connect() as connection:
            after = server_cpu(connection)
        if after is not None:
            into["server_cpu"] = into.get("server_cpu", 0.0) + after - backend


def summary(url: str, samples: dict) -> dict:
    result = {"url": url, "bytes": samples["bytes"], "requests": len(samples["cpu"]),
              "cpu_ms": statistics.median(samples["cpu"]) * 1000,
              "wall_ms": statistics.median(samples["wall"]) * 1000}
    if "server_cpu" in samples:
        result["server_cpu_ms"] = samples["server_cpu"] / len(samples["cpu"]) * 1000
    return result


@dataclass
class BenchApp:
    """The created application on a generated database and whom the pages are requested as."""
    app: object
    engine: object
    users: dict             # "worker" / "coordinator": the login session's user id
    client_id: int          # a typical client of the worker's
    client_contacts: int
    caseload_size: int
    open_signals: int


def bench_app(url: str, as_of: date) -> BenchApp:
    """create_app on the database, the layout-only page added; a typical worker (the median
    caseload among active workers), their coordinator and a typical client of the worker's (the
    median number of contacts), with a login session on the server for each, as the login page
    would open it."""
    os.environ.setdefault("CASELOAD_INSTANCE", "/tmp/caseload-bench-instance")
    from sqlalchemy import func, select
    from sqlalchemy.pool import StaticPool

    from caseload import create_app
    from caseload.extensions import db
    from caseload.models import Client, Contact, Team, Trajectory, User

    options = {} if is_sqlite(url) else {"poolclass": StaticPool}
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench",
                      "CASELOAD_TODAY": as_of, "SQLALCHEMY_ENGINE_OPTIONS": options})
    add_layout_only_page(app)
    with app.app_context():
        if not is_sqlite(url):
            # The signals run_daily.py stored seconds ago have no statistics yet (autovacuum
            # analyses a table within a minute or so of such a change): without them the
            # planner's guesses cost the signals page 56 ms of server CPU instead of 11 ms
            # (bench/README.md, seventh pass). Analysed as autovacuum would have by then.
            with db.engine.connect() as connection:
                connection.exec_driver_sql("ANALYZE signal")
                connection.exec_driver_sql("ANALYZE outbox_message")
                connection.commit()
        # A typical worker: the median caseload among active workers; their coordinator.
        loads = db.session.execute(
            select(Trajectory.worker_id, func.count(Trajectory.id))
            .join(User, User.id == Trajectory.worker_id)
            .where(Trajectory.ended_on.is_(None), User.role == "worker", User.active.is_(True))
            .group_by(Trajectory.worker_id).order_by(func.count(Trajectory.id))).all()
        worker = db.session.get(User, loads[len(loads) // 2][0])
        team_ids = [t.id for t in worker.teams]
        coordinator = db.session.scalar(select(User).where(
            User.role == "coordinator", User.teams.any(Team.id.in_(team_ids))))
        # A typical client of the worker's: the median number of contacts.
        clients = db.session.execute(
            select(Client.id, func.count(Contact.id))
            .join(Trajectory, Trajectory.client_id == Client.id)
            .join(Contact, Contact.client_id == Client.id)
            .where(Trajectory.worker_id == worker.id, Trajectory.ended_on.is_(None),
                   Client.team_id.in_(team_ids))
            .group_by(Client.id).order_by(func.count(Contact.id))).all()
        client_id, client_contacts = clients[len(clients) // 2]
        # A login session on the server for each, as the login page would open it.
        import secrets

        from caseload.auth import sessions
        users = {}
        for role, user in (("worker", worker), ("coordinator", coordinator)):
            with app.test_request_context():
                sessions.start(db.session, user, via="password", nonce=secrets.token_hex(16))
                users[role] = user.get_id()
        caseload_size = loads[len(loads) // 2][1]
        from caseload.models import Signal
        open_signals = db.session.scalar(select(func.count(Signal.id)).where(
            Signal.resolved_at.is_(None)))
        if not open_signals:
            print("warning: no open signals; run bench/run_daily.py first")
        engine = db.engine
    return BenchApp(app, engine, users, client_id, client_contacts, caseload_size,
                    open_signals or 0)



def pages_of(client_id: int) -> list[tuple[str, str | None, str]]:
    """(name, as whom, path) of the pages measured, the yardstick first (as whom None: the
    plain app), then its reference, the layout-only page and the main pages."""
    return [
        ("plain Flask page (20-row table, 1 query)", None, "/"),
        ("  the same, template compiled once (reference)", None, "/compiled-once"),
        ("layout only (worker; the fixed cost)", "worker", LAYOUT_ONLY_PATH),
        ("caseload", "worker", "/caseload"),
        ("daily log", "worker", "/log"),
        ("client page", "worker", f"/clients/{client_id}"),
        ("employers", "worker", "/employers/"),
        ("checklist (coordinator)", "coordinator", "/checklist/"),
        ("signals (coordinator)", "coordinator", "/review/signals"),
        ("outcomes (coordinator)", "coordinator", "/outcomes/"),
    ]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default=str(DEFAULT_DB), help="a SQLite file")
    parser.add_argument("--database-url", help="a PostgreSQL (or sqlite:///) URL instead of --db")
    parser.add_argument("--requests", type=int, default=10, help="per page and round")
    parser.add_argument("--rounds", type=int, default=4,
                        help="rounds over all pages: every page is measured in each, so the "
                        "plain page and the others see the same moments of the machine")
    parser.add_argument("--out", default=str(OUT))
    args = parser.parse_args(argv)
    url = database_url(args.db, args.database_url)
    meta_file = meta_path(url)
    meta = json.loads(meta_file.read_text()) if meta_file.exists() else {}
    as_of = date.fromisoformat(meta.get("as_of", "2026-03-18"))

    bench = bench_app(url, as_of)
    app, engine, users, client_id = bench.app, bench.engine, bench.users, bench.client_id
    caseload_size, client_contacts = bench.caseload_size, bench.client_contacts
    open_signals = bench.open_signals

    pages = pages_of(client_id)
    plain, plain_engine = plain_app(url if not url.startswith("postgresql") else url)
    clients = []
    for name, role, path in pages:
        if role is None:
            client, measured_engine = plain.test_client(), plain_engine
        else:
            client = app.test_client()
            with client.session_transaction() as session:
                session["_user_id"] = users[role]
                session["_fresh"] = True
                session["language"] = "nl"
                session["last_active"] = time.time()
            measured_engine = engine
        # No app context around the requests: each request pushes its own, as under a WSGI
        # server, so the login session is looked up and the database session is fresh on
        # every request (an outer context would keep g and the identity map across them).
        warm_up(client, path)
        clients.append((client, path, measured_engine))
    samples: list[dict] = [{} for _ in pages]
    for _round in range(args.rounds):
        for (client, path, measured_engine), into in zip(clients, samples):
            measure(client, path, args.requests, measured_engine, into)
    results = []
    for (name, _role, path), page_samples in zip(pages, samples):
        row = summary(path, page_samples)
        row["page"] = name
        results.append(row)
    base = results[0]["cpu_ms"]
    header = f"{'page':42} {'CPU/req':>9} {'wall':>9} {'DB CPU':>8} {'KB':>6} {'ratio':>6}"
    lines = [header, "-" * len(header)]
    for row in results:
        server = row.get("server_cpu_ms")
        lines.append(f"{row['page']:42} {row['cpu_ms']:>7.1f}ms {row['wall_ms']:>7.1f}ms "
                     f"{(f'{server:.1f}ms' if server is not None else '-'):>8} "
                     f"{row['bytes'] / 1024:>6.0f} {row['cpu_ms'] / base:>5.1f}x")
    measured = results[3:]  # after the yardstick, its reference and the layout-only page
    within = [row["page"] for row in measured if row["cpu_ms"] / base <= TARGET_RATIO]
    lines.append(f"\nwithin {TARGET_RATIO:g}x of the plain page: {len(within)} of "
                 f"{len(measured)} main pages")
    table = "\n".join(lines)
    print(f"{label(url)}: worker with {caseload_size} open trajectories, client with "
          f"{client_contacts} contacts, {open_signals:,} open signals; median of "
          f"{args.rounds} rounds x {args.requests} requests per page after 2 warm-ups\n")
    print(table)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    (out / f"pages-{stamp}.json").write_text(json.dumps(
        {"db": label(url), "generator": meta, "requests": args.requests,
         "rounds": args.rounds, "pages": results},
        indent=1))
    print(f"\nwritten: {out / f'pages-{stamp}.json'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
