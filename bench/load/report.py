"""The load run's report: CPU use per process group, latency percentiles, the exactly-once
check against the database, gunicorn's log, and the printed summary (bench/load/loadgen.py)."""

from __future__ import annotations

import os
import re
from collections import Counter, defaultdict
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from loadgen import Recorder

# The load database (run.sh: LOAD_DATABASE), whose PostgreSQL backends are counted.
DATABASE = os.environ.get("LOAD_DATABASE", "caseload_load")
# gunicorn's access log lines, as bench/load/run.sh formats them
ACCESS_LINE = re.compile(r"^ACCESS (\S+) (\S+) q=(\S*) (\d+) (\d+)$", re.MULTILINE)


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
        elif cmdline.startswith("postgres:") and f" {DATABASE} " in cmdline:
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
    d = report.get("disk_sync") or {}
    if d.get("samples"):
        stalls = d["stalls_over_100ms"]
        print(f"disk sync     fdatasync of 4 KB every 0.1 s: p50 {d['p50_ms']} ms, p99 "
              f"{d['p99_ms']} ms, max {d['max_ms']} ms; {len(stalls)} over 100 ms"
              + (" at " + ", ".join(f"{x['at_s']:.0f}s ({x['ms']} ms)" for x in stalls[:12])
                 if stalls else ""))
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
