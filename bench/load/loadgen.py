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
from collections import Counter, defaultdict
from datetime import datetime, timezone
from html.parser import HTMLParser
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode, urlsplit

HOST = "127.0.0.1"  # loopback only, by design: there is no option to change it
ROOT = Path(__file__).resolve().parents[2]

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
                client_id = self.rng.choice(self.worker["client_ids"])
                minutes = self.rng.choice([15, 30, 45, 60, 90])
                marker = f"load-u{self.index:02d}-{self.seq}-{n}"
                employer = self.rng.choice(self.employers) if kind == "employer" else ""
                form.update({prefix + "client_id": str(client_id), prefix + "kind": kind,
                             prefix + "employer": employer,
                             prefix + "mode": self.rng.choice(MODES[kind]),
                             prefix + "place": self.rng.choice(["community", "office"]),
                             prefix + "minutes": str(minutes), prefix + "note": marker})
                sent.append({"marker": marker, "email": self.worker["email"],
                             "client_id": client_id, "kind": kind, "minutes": minutes,
                             "date": inputs["contact_date"]})
            else:  # an empty line, exactly as a browser submits it
                form.update({prefix + "client_id": "0", prefix + "kind": "client",
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


def cpu_snapshot(port: int) -> dict:
    """CPU ticks per process group: gunicorn (this port), postgres backends of the load
    database, this load generator, and the whole machine (/proc/stat) for everything else."""
    groups = {"gunicorn": {}, "postgres_load_db": {}, "loadgen": {}}
    me = os.getpid()
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            cmdline = Path(f"/proc/{entry}/cmdline").read_bytes().replace(b"\0", b" ").decode()
            fields = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        ticks = int(fields[11]) + int(fields[12])  # utime + stime
        if int(entry) == me:
            groups["loadgen"][entry] = ticks
        elif "gunicorn" in cmdline and f"127.0.0.1:{port}" in cmdline:
            groups["gunicorn"][entry] = ticks
        elif cmdline.startswith("postgres:") and " caseload_load " in cmdline:
            groups["postgres_load_db"][entry] = ticks
    cpu = Path("/proc/stat").read_text().splitlines()[0].split()[1:]
    busy = sum(int(v) for i, v in enumerate(cpu[:8]) if i not in (3, 4))  # minus idle, iowait
    return {"groups": groups, "machine_busy": busy}


def cpu_seconds(before: dict, after: dict) -> dict:
    hz = os.sysconf("SC_CLK_TCK")
    result = {}
    for group, pids in after["groups"].items():
        old = before["groups"].get(group, {})
        result[group] = round(sum(t - old.get(pid, 0) for pid, t in pids.items()) / hz, 1)
    busy = (after["machine_busy"] - before["machine_busy"]) / hz
    result["machine_busy"] = round(busy, 1)
    result["everything_else"] = round(busy - sum(v for k, v in result.items()
                                                 if k != "machine_busy"), 1)
    return result


def percentile(values: list[float], p: float) -> float | None:
    """Nearest-rank percentile."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * p // 100))
    return ordered[int(rank) - 1]


def verify_database(database_url: str, acknowledged: list[dict],
                    unacknowledged: list[dict]) -> dict:
    import psycopg
    with psycopg.connect(database_url) as connection:
        rows = connection.execute(
            "select c.note, u.email, c.client_id, c.kind, c.minutes, c.contact_date "
            "from contact c join \"user\" u on u.id = c.worker_id "
            "where c.note like 'load-%'").fetchall()
    stored = Counter(row[0] for row in rows)
    by_marker = {row[0]: row for row in rows}
    sent = Counter(item["marker"] for item in acknowledged)
    duplicated_in_generator = [m for m, n in sent.items() if n > 1]
    missing = [m for m in sent if stored[m] == 0]
    duplicates = [m for m in sent if stored[m] > 1]
    extra = [m for m in stored if m not in sent]
    unacknowledged_markers = {item["marker"] for item in unacknowledged}
    mismatched = []
    for item in acknowledged:
        row = by_marker.get(item["marker"])
        if row is None:
            continue
        expected = (item["email"], item["client_id"], item["kind"], item["minutes"], item["date"])
        actual = (row[1], row[2], row[3], row[4], row[5].isoformat())
        if expected != actual:
            mismatched.append({"marker": item["marker"], "expected": expected, "stored": actual})
    ok = not (missing or duplicates or extra or mismatched or duplicated_in_generator)
    return {
        "ok": ok,
        "acknowledged_contacts": len(acknowledged),
        "stored_load_contacts": sum(stored.values()),
        "missing": missing[:50], "missing_count": len(missing),
        "duplicates": duplicates[:50], "duplicate_count": len(duplicates),
        "extra": extra[:50], "extra_count": len(extra),
        "extra_from_unacknowledged_posts": len([m for m in extra if m in unacknowledged_markers]),
        "field_mismatches": mismatched[:20], "field_mismatch_count": len(mismatched),
        "unacknowledged_contacts": len(unacknowledged),
    }


ACCESS_LINE = re.compile(r"^ACCESS (\S+) (\S+) q=(\S*) (\d+) (\d+)$", re.MULTILINE)


def server_times(text: str) -> dict:
    """Time spent inside gunicorn per endpoint, from access lines written with
    --access-logformat 'ACCESS %(m)s %(U)s q=%(q)s %(s)s %(D)s' (run.sh sets it). The
    difference with the client's latency is time spent waiting for a free worker."""
    per_endpoint = defaultdict(list)
    for method, path, query, _status, micros in ACCESS_LINE.findall(text):
        name = f"{method} {path}"
        if name == "GET /log" and "date=" in query:
            name = "GET /log?date (after save)"
        per_endpoint[name].append(int(micros) / 1000)
    return {name: {"count": len(v), "p50_ms": percentile(v, 50), "p95_ms": percentile(v, 95),
                   "p99_ms": percentile(v, 99), "mean_ms": round(sum(v) / len(v), 2)}
            for name, v in sorted(per_endpoint.items())}


def server_log_problems(path: str | None) -> dict:
    if not path or not Path(path).exists():
        return {"checked": False}
    text = Path(path).read_text(errors="replace")
    tracebacks = text.count("Traceback (most recent call last)")
    errors = [line for line in text.splitlines() if "[ERROR]" in line or "[CRITICAL]" in line]
    exceptions = Counter(m.group(1) for m in re.finditer(
        r"^([A-Za-z_.]+(?:Error|Exception|Timeout)[A-Za-z_.]*):", text, re.MULTILINE))
    return {"checked": True, "tracebacks": tracebacks, "error_lines": len(errors),
            "first_error_lines": errors[:10], "exception_types": dict(exceptions),
            "server_time": server_times(text)}


def summarise(recorder: Recorder, elapsed: float) -> dict:
    by_endpoint = defaultdict(list)
    statuses = defaultdict(Counter)
    errors = []
    for t, user, endpoint, status, ms, error in recorder.requests:
        if endpoint in ("login-check", "parse /log", "POST /log outcome", "loadgen"):
            errors.append({"t": t, "user": user, "check": endpoint, "status": status,
                           "error": error})
            continue
        by_endpoint[endpoint].append(ms)
        statuses[endpoint][str(status)] += 1
        if error:
            errors.append({"t": t, "user": user, "endpoint": endpoint, "status": status,
                           "ms": ms, "error": error})
    endpoints = {}
    for endpoint, values in sorted(by_endpoint.items()):
        endpoints[endpoint] = {
            "count": len(values), "per_second": round(len(values) / elapsed, 2),
            "p50_ms": percentile(values, 50), "p95_ms": percentile(values, 95),
            "p99_ms": percentile(values, 99), "max_ms": max(values),
            "mean_ms": round(sum(values) / len(values), 2), "statuses": dict(statuses[endpoint]),
        }
    buckets = defaultdict(list)
    for t, _user, endpoint, status, ms, error in recorder.requests:
        if status is not None and not endpoint.startswith(("login-check", "parse", "POST /log o")):
            buckets[int(t // 15) * 15].append(ms)
    timeline = [{"from_s": start, "requests": len(v), "rps": round(len(v) / 15, 1),
                 "p50_ms": percentile(v, 50), "p95_ms": percentile(v, 95)}
                for start, v in sorted(buckets.items())]
    every = [ms for values in by_endpoint.values() for ms in values]
    total = len(every)
    return {
        "total_requests": total, "elapsed_seconds": round(elapsed, 2),
        "throughput_rps": round(total / elapsed, 2) if elapsed else None,
        "overall": {"p50_ms": percentile(every, 50), "p95_ms": percentile(every, 95),
                    "p99_ms": percentile(every, 99), "max_ms": max(every) if every else None},
        "endpoints": endpoints, "timeline_15s": timeline,
        "error_count": len(errors), "errors": errors[:100],
        "error_kinds": dict(Counter(re.sub(r"\d+", "N", (e["error"] or "")[:60])
                                    for e in errors)),
    }


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
        "server_log": server,
    }
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    path = out / f"load-{started_at.strftime('%Y%m%dT%H%M%SZ')}.json"
    path.write_text(json.dumps(report, indent=1, default=str))
    print_summary(report, path)
    return 0 if passed else 1


def print_summary(report: dict, path: Path) -> None:
    print()
    print(f"== Caseload load run: {report['config']['users']} users, "
          f"{report['config']['duration_s']:g} s (+{report['config']['ramp_s']:g} s ramp), "
          f"gunicorn -w {report['config']['gunicorn_workers']} ==")
    print(f"requests      {report['total_requests']} in {report['elapsed_seconds']} s = "
          f"{report['throughput_rps']} req/s; contacts saved {report['contacts_saved']}")
    print(f"{'endpoint':30} {'count':>6} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'max ms':>8}"
          "  statuses")
    for name, e in report["endpoints"].items():
        print(f"{name:30} {e['count']:>6} {e['p50_ms']:>8.1f} {e['p95_ms']:>8.1f} "
              f"{e['p99_ms']:>8.1f} {e['max_ms']:>8.1f}  {e['statuses']}")
    o = report["overall"]
    if o["p50_ms"] is not None:
        print(f"{'all':30} {report['total_requests']:>6} {o['p50_ms']:>8.1f} {o['p95_ms']:>8.1f} "
              f"{o['p99_ms']:>8.1f} {o['max_ms']:>8.1f}")
    print(f"errors        {report['error_count']} {report['error_kinds'] or ''}")
    c = report["exactly_once"]
    print(f"exactly once  {'ok' if c['ok'] else 'NOT OK'}: {c['acknowledged_contacts']} "
          f"acknowledged, {c['stored_load_contacts']} stored; missing {c['missing_count']}, "
          f"duplicated {c['duplicate_count']}, extra {c['extra_count']}, "
          f"field mismatches {c['field_mismatch_count']}; "
          f"{c['unacknowledged_contacts']} in unacknowledged posts")
    pg = report["postgres"]
    print(f"postgres      max connections {pg['max_connections']}, max active {pg['max_active']}, "
          f"max idle in transaction {pg['max_idle_in_transaction']}, "
          f"max waiting on a lock {pg['max_waiting_on_lock']}"
          + (f" (sampler: {pg['error']})" if pg["error"] else ""))
    s = report["server_log"]
    if s.get("checked"):
        print(f"server log    {s['tracebacks']} tracebacks, {s['error_lines']} error lines"
              + (f" {s['exception_types']}" if s["exception_types"] else ""))
        if s.get("server_time"):
            print("server time (inside gunicorn; the rest of the latency is queueing for a worker):")
            for name, e in s["server_time"].items():
                print(f"  {name:28} {e['count']:>6} p50 {e['p50_ms']:>7.1f} ms  "
                      f"p95 {e['p95_ms']:>7.1f} ms  mean {e['mean_ms']:>7.1f} ms")
    print("timeline      " + "  ".join(f"{b['from_s']}s:{b['rps']}/s,p50 {b['p50_ms']:.0f}"
                                       for b in report["timeline_15s"]))
    m = report["machine"]
    print(f"machine       {m['cpus']} cpus, {m['memory_gb']} GB; load average before "
          f"{m['loadavg_before'][0]:.2f}, after {m['loadavg_after'][0]:.2f}")
    cpu = m["cpu_seconds_during_run"]
    capacity = (m["cpus"] or 1) * report["elapsed_seconds"]
    print(f"cpu seconds   of {capacity:.0f} available: " + ", ".join(
        f"{k} {v}" for k, v in cpu.items()))
    per = report.get("server_cpu_ms_per_request")
    if per:
        print(f"server cpu    {per} ms per request (gunicorn + postgres): at most about "
              f"{report['estimated_ceiling_rps']} req/s on {m['cpus']} otherwise idle cores")
    print(f"report        {path}")
    print(f"RESULT        {report['verdict']}")


if __name__ == "__main__":
    raise SystemExit(main())
