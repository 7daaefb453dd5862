"""Load generator: simulated IPS workers who log in and keep filling in the daily log.

Each simulated user is a thread with its own cookie jar and its own worker account (from the
manifest that bench/load/seed.py writes). After logging in it loops until the duration is up:

    GET /caseload  ->  GET /log (read csrf_token and the date)  ->  POST /log with 1-3 contacts
    for its own clients, each with a unique marker "load-u<user>-<seq>-<n>" in the note
    ->  GET /log?date=... (the redirect after saving, as a browser follows it)

with a think time between the steps. Every request is recorded (endpoint, status, latency).
Afterwards the database is checked: every contact of a POST that the server acknowledged
(302 back to /log) must be stored exactly once with the right worker, client, kind and
minutes, and no other "load-" contact may exist. Only standard library plus psycopg (in .venv).

    .venv/bin/python bench/load/loadgen.py --port 8123 --manifest bench/out/load-seed.json \
        --database-url postgresql://caseload:caseload@127.0.0.1:5432/caseload_load

Talks to 127.0.0.1 only. Expects a fresh database (bench/load/run.sh makes one per run).
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import re
import socket
import threading
import time
from datetime import datetime, timezone
from html.parser import HTMLParser
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode, urlsplit

HOST = "127.0.0.1"  # loopback only, by design: there is no option to change it
ROOT = Path(__file__).resolve().parents[2]

from report import (  # noqa: E402 - bench/load is not a package
    cpu_seconds,
    cpu_snapshot,
    print_summary,
    server_log_problems,
    summarise,
    verify_database,
)

KINDS = [("client", 6), ("treatment_team", 2), ("employer", 2), ("family", 1)]
MODES = {"client": ["face_to_face", "face_to_face", "phone", "text"],
         "treatment_team": ["face_to_face", "phone"],
         "employer": ["face_to_face", "phone", "email"],
         "family": ["phone", "face_to_face"]}


class Inputs(HTMLParser):
    """The name -> value of every <input> on a page, and the names of the form rows."""

    def __init__(self):
        super().__init__()
        self.values: dict[str, str] = {}

    def handle_starttag(self, tag, attrs):
        if tag == "input":
            attrs = dict(attrs)
            if attrs.get("name"):
                self.values[attrs["name"]] = attrs.get("value") or ""

    @classmethod
    def of(cls, html: str) -> dict[str, str]:
        parser = cls()
        parser.feed(html)
        return parser.values


class Recorder:
    def __init__(self, started: float):
        self.started = started
        self.requests: list[tuple] = []  # (t, user, endpoint, status, ms, error)
        self.lock = threading.Lock()

    def add(self, user, endpoint, status, ms, error=None):
        with self.lock:
            self.requests.append((round(time.monotonic() - self.started, 3), user, endpoint,
                                  status, round(ms, 2), error))


class Browser:
    """One user's HTTP client: a new connection per request (gunicorn's sync workers close
    it anyway), cookies kept like a browser does."""

    def __init__(self, port: int, user: str, recorder: Recorder, timeout: float):
        self.port, self.user, self.recorder, self.timeout = port, user, recorder, timeout
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, endpoint: str, form: dict | None = None):
        body = urlencode(form).encode() if form is not None else None
        headers = {"Host": f"{HOST}:{self.port}", "User-Agent": "caseload-loadgen",
                   "Accept-Language": "nl"}
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        start = time.perf_counter()
        connection = http.client.HTTPConnection(HOST, self.port, timeout=self.timeout)
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            text = response.read().decode("utf-8", "replace")
        except (OSError, http.client.HTTPException) as error:
            ms = (time.perf_counter() - start) * 1000
            self.recorder.add(self.user, endpoint, None, ms, f"{type(error).__name__}: {error}")
            return None, None, ""
        finally:
            connection.close()
        ms = (time.perf_counter() - start) * 1000
        for header in response.headers.get_all("Set-Cookie") or []:
            jar = SimpleCookie()
            jar.load(header)
            for name, morsel in jar.items():
                if morsel["max-age"] == "0" or "1970" in (morsel["expires"] or ""):
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value
        location = response.getheader("Location") or ""
        error = None
        if not 200 <= response.status < 400:
            snippet = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", text))[:200]
            error = f"HTTP {response.status}: {snippet}"
        elif urlsplit(location).path == "/login" and endpoint != "POST /logout":
            error = f"redirected to the login page ({location}): session lost"
        self.recorder.add(self.user, endpoint, response.status, ms, error)
        return response.status, location, text


class User(threading.Thread):
    def __init__(self, index, worker, args, recorder, deadline, results, employers):
        super().__init__(name=f"user{index:02d}", daemon=True)
        self.index, self.worker, self.args = index, worker, args
        self.recorder, self.deadline = recorder, deadline
        self.results, self.employers = results, employers
        self.rng = random.Random(args.seed * 1000 + index)
        self.browser = Browser(args.port, worker["email"], recorder, args.timeout)
        self.seq = 0

    def think(self):
        time.sleep(self.rng.uniform(self.args.think_min, self.args.think_max))

    def time_left(self) -> bool:
        return time.monotonic() < self.deadline

    def run(self):
        try:
            time.sleep(self.rng.uniform(0, self.args.ramp))
            if self.login():
                while self.time_left():
                    self.iteration()
        except Exception as error:  # a bug in the generator must show, not vanish
            self.recorder.add(self.worker["email"], "loadgen", None, 0,
                              f"{type(error).__name__}: {error}")

    def login(self) -> bool:
        b = self.browser
        status, _loc, html = b.request("GET", "/login", "GET /login")
        if status != 200:
            return False
        token = Inputs.of(html).get("csrf_token", "")
        status, location, _html = b.request("POST", "/login", "POST /login", {
            "csrf_token": token, "email": self.worker["email"], "password": self.args.password})
        if status != 302 or urlsplit(location).path != "/caseload":
            self.recorder.add(b.user, "login-check", status, 0,
                              f"login failed: status {status}, location {location!r}")
            return False
        return True

    def iteration(self):
        b = self.browser
        b.request("GET", "/caseload", "GET /caseload")
        self.think()
        if not self.time_left():
            return
        status, _loc, html = b.request("GET", "/log", "GET /log")
        if status != 200:
            self.think()
            return
        inputs = Inputs.of(html)
        rows = sorted({int(m.group(1)) for name in inputs
                       if (m := re.fullmatch(r"rows-(\d+)-note", name))})
        if not inputs.get("csrf_token") or not inputs.get("contact_date") or not rows:
            self.recorder.add(b.user, "parse /log", status, 0, "no csrf_token, date or rows")
            return
        self.think()  # filling in the form
        self.seq += 1
        how_many = self.rng.randint(1, min(3, len(rows)))
        form = {"csrf_token": inputs["csrf_token"], "contact_date": inputs["contact_date"],
                "save": "1"}
        sent = []
        for n in rows:
            prefix = f"rows-{n}-"
            if n < how_many:
                kind = self.rng.choices([k for k, _w in KINDS], [w for _k, w in KINDS])[0]
                which = self.rng.randrange(len(self.worker["client_ids"]))
                client_id = self.worker["client_ids"][which]
                minutes = self.rng.choice([15, 30, 45, 60, 90])
                marker = f"load-u{self.index:02d}-{self.seq}-{n}"
                employer = self.rng.choice(self.employers) if kind == "employer" else ""
                form.update({prefix + "client": self.worker["client_codes"][which],
                             prefix + "kind": kind,
                             prefix + "employer": employer,
                             prefix + "mode": self.rng.choice(MODES[kind]),
                             prefix + "place": self.rng.choice(["community", "office"]),
                             prefix + "minutes": str(minutes), prefix + "note": marker})
                sent.append({"marker": marker, "email": self.worker["email"],
                             "client_id": client_id, "kind": kind, "minutes": minutes,
                             "date": inputs["contact_date"]})
            else:  # an empty line, exactly as a browser submits it
                form.update({prefix + "client": "", prefix + "kind": "client",
                             prefix + "employer": "", prefix + "mode": "face_to_face",
                             prefix + "place": "community", prefix + "minutes": "",
                             prefix + "note": ""})
        status, location, _html = b.request("POST", "/log", "POST /log", form)
        if status == 302 and urlsplit(location).path == "/log":
            self.results["acknowledged"].extend(sent)
            b.request("GET", location if location.startswith("/") else
                      urlsplit(location)._replace(scheme="", netloc="").geturl(),
                      "GET /log?date (after save)")
        else:
            if status is not None and 200 <= status < 400:  # e.g. 200 with form errors
                self.recorder.add(b.user, "POST /log outcome", status, 0,
                                  f"contacts not saved (status {status}, location {location!r})")
            self.results["unacknowledged"].extend(sent)
        self.think()


class PgSampler(threading.Thread):
    """Once a second: connections of the load database in pg_stat_activity, by state."""

    def __init__(self, database_url: str, stop: threading.Event):
        super().__init__(name="pg-sampler", daemon=True)
        self.database_url, self.stop = database_url, stop
        self.samples: list[dict] = []
        self.error = None

    def run(self):
        try:
            import psycopg
            with psycopg.connect(self.database_url, autocommit=True) as connection:
                while not self.stop.wait(1.0):
                    row = connection.execute(
                        "select count(*) - 1, count(*) filter (where state = 'active') - 1, "
                        "count(*) filter (where state like 'idle in transaction%'), "
                        "count(*) filter (where wait_event_type = 'Lock') "
                        "from pg_stat_activity where datname = current_database()").fetchone()
                    self.samples.append({"connections": row[0], "active": row[1],
                                         "idle_in_transaction": row[2], "waiting_on_lock": row[3]})
        except Exception as error:  # the sampler is diagnostics only
            self.error = f"{type(error).__name__}: {error}"




class DiskProbe(threading.Thread):
    """Ten times a second: 4 KB written and fdatasync'ed in the report's folder (on this
    machine the same disk as PostgreSQL's data), timed. Every commit of the server waits for
    such a sync of PostgreSQL's WAL; when the disk stalls, all workers that commit in that
    moment stall together, which the latencies alone do not tell apart from the server's own
    slowness."""

    def __init__(self, folder: Path, started: float, stop: threading.Event):
        super().__init__(name="disk-probe", daemon=True)
        self.path, self.started, self.stop = folder / f".disk-probe-{os.getpid()}", started, stop
        self.samples: list[tuple[float, float]] = []  # (seconds since start, ms of the sync)
        self.error = None

    def run(self):
        try:
            descriptor = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            try:
                while not self.stop.wait(0.1):
                    os.pwrite(descriptor, b"\0" * 4096, 0)
                    before = time.perf_counter()
                    os.fdatasync(descriptor)
                    self.samples.append((round(before - self.started, 3),
                                         (time.perf_counter() - before) * 1000))
            finally:
                os.close(descriptor)
                self.path.unlink(missing_ok=True)
        except OSError as error:  # diagnostics only
            self.error = f"{type(error).__name__}: {error}"

    def summary(self) -> dict:
        values = sorted(ms for _t, ms in self.samples)
        if not values:
            return {"samples": 0, "error": self.error}
        return {"samples": len(values), "error": self.error,
                "p50_ms": round(values[len(values) // 2], 2),
                "p99_ms": round(values[min(len(values) - 1, int(len(values) * 0.99))], 2),
                "max_ms": round(values[-1], 1),
                "stalls_over_100ms": [{"at_s": t, "ms": round(ms)} for t, ms in self.samples
                                      if ms > 100]}


def main() -> int:
    parser = argparse.ArgumentParser(description="Caseload load generator (127.0.0.1 only)")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--manifest", required=True, help="JSON written by seed.py")
    parser.add_argument("--database-url", required=True,
                        help="for the exactly-once check, e.g. postgresql://...@127.0.0.1/...")
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--duration", type=float, default=120, help="seconds of load")
    parser.add_argument("--ramp", type=float, default=10, help="users start within these s")
    parser.add_argument("--think-min", type=float, default=0.5)
    parser.add_argument("--think-max", type=float, default=1.5)
    parser.add_argument("--timeout", type=float, default=60, help="per request, seconds")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--server-log", help="gunicorn log, scanned for tracebacks")
    parser.add_argument("--gunicorn-workers", type=int, help="recorded in the report")
    parser.add_argument("--out", default=str(ROOT / "bench" / "out"))
    parser.add_argument("--no-disk-probe", action="store_true",
                        help="without the disk-sync probe (it adds ten small syncs a second)")
    args = parser.parse_args()

    host = urlsplit(args.database_url).hostname
    if host not in ("127.0.0.1", "localhost", None, ""):
        raise SystemExit("the database must be on loopback")
    manifest = json.loads(Path(args.manifest).read_text())
    args.password = manifest["password"]
    workers = [w for w in manifest["workers"] if w["client_ids"]]
    if len(workers) < args.users:
        raise SystemExit(f"the manifest has {len(workers)} workers with clients; "
                         f"{args.users} users wanted")
    socket.setdefaulttimeout(args.timeout)

    started_at = datetime.now(timezone.utc)
    load_before = os.getloadavg()
    cpu_before = cpu_snapshot(args.port)
    started = time.monotonic()
    recorder = Recorder(started)
    results = {"acknowledged": [], "unacknowledged": []}
    stop = threading.Event()
    sampler = PgSampler(args.database_url, stop)
    sampler.start()
    Path(args.out).mkdir(parents=True, exist_ok=True)
    disk = DiskProbe(Path(args.out), started, stop)
    if not args.no_disk_probe:
        disk.start()
    deadline = started + args.ramp + args.duration
    users = [User(i + 1, workers[i], args, recorder, deadline, results, manifest["employers"])
             for i in range(args.users)]
    print(f"{args.users} users against http://{HOST}:{args.port}, ramp {args.ramp:g} s, "
          f"then {args.duration:g} s of load (think {args.think_min:g}-{args.think_max:g} s)",
          flush=True)
    for user in users:
        user.start()
    progress_at = started
    while any(u.is_alive() for u in users):
        time.sleep(1)
        if time.monotonic() - progress_at >= 15:
            progress_at = time.monotonic()
            done = len(recorder.requests)
            print(f"  t={progress_at - started:5.0f}s requests={done} "
                  f"contacts={len(results['acknowledged'])}", flush=True)
        if time.monotonic() > deadline + args.timeout + 30:
            print("some users did not stop in time", flush=True)
            break
    elapsed = time.monotonic() - started
    stop.set()
    sampler.join(5)
    if disk.is_alive():
        disk.join(5)
    load_after = os.getloadavg()
    cpu = cpu_seconds(cpu_before, cpu_snapshot(args.port))

    summary = summarise(recorder, elapsed)
    check = verify_database(args.database_url, results["acknowledged"],
                            results["unacknowledged"])
    server = server_log_problems(args.server_log)
    samples = sampler.samples
    pg = {"samples": len(samples), "error": sampler.error}
    for key in ("connections", "active", "idle_in_transaction", "waiting_on_lock"):
        values = [s[key] for s in samples]
        pg[f"max_{key}"] = max(values) if values else None
    passed = (summary["error_count"] == 0 and check["ok"]
              and check["acknowledged_contacts"] > 0
              and not server.get("tracebacks") and not server.get("error_lines"))
    report = {
        "verdict": "PASS" if passed else "FAIL",
        "started_at": started_at.isoformat(timespec="seconds"),
        "config": {"users": args.users, "duration_s": args.duration, "ramp_s": args.ramp,
                   "think_s": [args.think_min, args.think_max], "timeout_s": args.timeout,
                   "target": f"http://{HOST}:{args.port}",
                   "gunicorn_workers": args.gunicorn_workers},
        "machine": {"cpus": os.cpu_count(),
                    "memory_gb": round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
                                       / 2**30, 1),
                    "loadavg_before": load_before, "loadavg_after": load_after,
                    "cpu_seconds_during_run": cpu},
        **summary,
        "contacts_saved": check["acknowledged_contacts"],
        # CPU cost per request is hardly affected by other load on the machine (unlike
        # latency and throughput): the capacity estimate to compare between runs.
        "server_cpu_ms_per_request": (round((cpu["gunicorn"] + cpu["postgres_load_db"]) * 1000
                                            / summary["total_requests"], 1)
                                      if summary["total_requests"] else None),
        "estimated_ceiling_rps": (round((os.cpu_count() or 1) * summary["total_requests"]
                                        / (cpu["gunicorn"] + cpu["postgres_load_db"]
                                           + cpu["loadgen"]), 1)
                                  if cpu["gunicorn"] else None),
        "exactly_once": check,
        "postgres": pg,
        "disk_sync": disk.summary(),
        "server_log": server,
    }
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    path = out / f"load-{started_at.strftime('%Y%m%dT%H%M%SZ')}.json"
    path.write_text(json.dumps(report, indent=1, default=str))
    print_summary(report, path)
    return 0 if passed else 1


if __name__ == "__main__":
    raise SystemExit(main())
