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

The schema is made by caseload itself (db.create_all() through create_app); how rows are loaded
on each database is in bench/database.py. A sidecar JSON records the parameters and as_of,
which bench/run_norms.py reads.
"""

from __future__ import annotations

import argparse
import itertools
import json
import math
import os
import random
import sys
import time
from datetime import date
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.database import DEFAULT_DB, meta_path, open_target  # noqa: E402
from bench.synthetic import (  # noqa: E402 - after the sys.path entry
    BASE_KINDS, CLIENT_MODES, CONTRACTS, DECISIONS, EMPLOYER_MODES, END_REASONS, JOB_TITLES, MINUTES, OTHER_MODES, PLACEMENT_END_REASONS, PLACEMENT_TYPES, SECTORS, TREATMENT_MODES, Tables, TrajectoryPlan, Worker, iso, pick_cumulative, poisson, weighted,
)

DEFAULT_AS_OF = date(2026, 3, 18)  # a Wednesday, like the tests' TODAY


def generate(args) -> dict:
    os.environ.setdefault("CASELOAD_INSTANCE", "/tmp/caseload-bench-instance")
    os.environ.setdefault("SECRET_KEY", "bench")
    sink = open_target(args, reset=not args.keep_schema)

    started = time.monotonic()
    rng = random.Random(args.seed)
    as_of = date.fromisoformat(args.as_of).toordinal()
    window_start = as_of - args.days
    tables = Tables(sink.connection, sink.dialect)

    # Teams, workers, coordinators, an admin, an inactive former worker.
    for t in range(1, args.teams + 1):
        tables.add("team", (t, f"IPS-team {t:02d}"))
    # Part-time factors as Dutch contracts make them (20/36 = 0.56, 24/36 = 0.67, 32/36 =
    # 0.89 ...): 6 x 0.67 = 4.02 owes 5 contacts, and 25 x FTE is not always whole.
    ftes = [0.5, 0.56, 0.6, 0.67, 0.72, 0.78, 0.8, 0.89, 0.9, 1.0]
    fte_weights = [1, 1, 1, 1, 1, 1, 2, 2, 1, 4]
    workers: list[Worker] = []
    uid = 0
    for i in range(args.workers):
        uid += 1
        worker = Worker(uid, 1 + i % args.teams, rng.choices(ftes, fte_weights)[0])
        worker.diligence = rng.uniform(0.35, 1.35)
        # About one worker in eight carries mostly clients who are not (yet) seeking work, so
        # the "2 x job seekers when fewer than 3 seek work" branch of item 17 is exercised.
        worker.seek_share = 0.06 if rng.random() < 0.12 else rng.uniform(0.45, 0.9)
        workers.append(worker)
    # Besides the workers: an inactive former worker who still holds open trajectories, an
    # active worker on leave with FTE 0, and a coordinator (FTE 0.1) who carries a few clients.
    former = Worker(uid + 1, 1, 0.8, active=False)
    on_leave = Worker(uid + 2, 1 % args.teams + 1, 0.0)
    uid += 2
    staff = []
    for t in range(1, args.teams + 1):
        uid += 1
        staff.append((uid, t, "coordinator", 0.1 if t == 1 else 1.0))
    coordinator = Worker(staff[0][0], 1, 0.1)
    for w in (former, on_leave, coordinator):
        w.seek_share = 0.5
    uid += 1
    staff.append((uid, None, "admin", 0.0))

    def user_row(u, email, name, role, fte, active):
        return (u, email, name, role, fte, 1 if active else 0, "nl", "", f"{u:032x}", 1, 1, 1)

    for w in workers:
        tables.add("user", user_row(w.id, f"worker{w.id:04d}@example.org", f"Worker {w.id:04d}",
                                    "worker", w.fte, True))
        tables.add("team_member", (w.team, w.id))
    tables.add("user", user_row(former.id, "former@example.org", "Former worker", "worker",
                                former.fte, False))
    tables.add("team_member", (former.team, former.id))
    tables.add("user", user_row(on_leave.id, "onleave@example.org", "Worker on leave",
                                "worker", on_leave.fte, True))
    tables.add("team_member", (on_leave.team, on_leave.id))
    for u, team, role, fte in staff:
        tables.add("user", user_row(u, f"{role}{u:04d}@example.org", f"{role.title()} {u}",
                                    role, fte, True))
        if team:
            tables.add("team_member", (team, u))

    # Employers; each worker works mostly with a few dozen of them.
    n_employers = max(50, args.trajectories * 3 // 5)
    for e in range(1, n_employers + 1):
        tables.add("employer", (e, f"Werkgever {e:05d} BV", rng.choice(SECTORS), "Utrecht", ""))
    for w in workers + [former, on_leave, coordinator]:
        w.employers = rng.sample(range(1, n_employers + 1), min(40, n_employers))

    # Absences: sickness days and holidays over the year, plus some in the last complete week
    # (the week the weekly norm looks at), a few covering it entirely, a few overlapping.
    monday = as_of - (date.fromordinal(as_of).weekday() + 7)
    absence_id = 0

    def absence(w: Worker, start: int, end: int) -> None:
        nonlocal absence_id
        absence_id += 1
        tables.add("absence", (absence_id, w.id, iso(start), iso(end)))
        w.absent.update(range(start, end + 1))

    for w in workers:
        for _ in range(rng.randint(1, 5)):
            start = rng.randint(window_start, as_of + 30)
            length = rng.choice([1, 1, 2, 3, 5]) if rng.random() < 0.6 else rng.randint(5, 15)
            absence(w, start, start + length - 1)
        r = rng.random()
        if r < 0.04:    # the whole last complete week: no norm that week
            absence(w, monday - rng.randint(0, 3), monday + 4 + rng.randint(0, 3))
        elif r < 0.20:  # part of it
            start = monday + rng.randint(-2, 4)
            absence(w, start, start + rng.randint(0, 3))
            if r < 0.07:  # a second record that overlaps the first
                absence(w, start + 1, start + 2)
    uid_coordinator = staff[0][0]
    absence_id += 1
    tables.add("absence", (absence_id, uid_coordinator, iso(monday), iso(monday + 2)))

    # Trajectories. Open ones are spread over the workers by FTE with noise (so some workers
    # are above 25 x FTE and some below); the inactive former worker still holds a few.
    weights = [w.fte * rng.lognormvariate(0, 0.3) for w in workers]
    owners = [former] * 5 + [on_leave] * 2 + [coordinator] * 3
    rest = args.trajectories - len(owners)
    shares = [rest * weight / sum(weights) for weight in weights]
    targets = [int(share) for share in shares]
    by_remainder = sorted(range(len(workers)), key=lambda i: shares[i] - targets[i], reverse=True)
    for i in by_remainder[:rest - sum(targets)]:
        targets[i] += 1
    # Six workers exactly at their capacity (floor(25 x FTE)) or one above it: the edge of
    # item 1. They get no ended trajectories, which could end on as_of and still count.
    boundary = set(range(min(6, len(workers) // 4)))
    for i in boundary:
        capacity = math.floor(25 * Decimal(str(workers[i].fte)))
        surplus, targets[i] = targets[i] - (capacity + i % 2), capacity + i % 2
        others = [j for j in range(len(workers)) if j not in boundary]
        while surplus:
            j = rng.choice(others)
            step = 1 if surplus > 0 else -1
            if targets[j] + step >= 0:
                targets[j] += step
                surplus -= step
    for i, target in enumerate(targets):
        owners += [workers[i]] * target
    rng.shuffle(owners)
    free_workers = [w for i, w in enumerate(workers) if i not in boundary]
    free_weights = [weights[i] for i in range(len(workers)) if i not in boundary]
    n_ended = int(args.trajectories * args.ended_share)
    plans: list[TrajectoryPlan] = []
    client_id = 0
    tid = 0
    reopen_candidates: list[TrajectoryPlan] = []
    for _ in range(n_ended):
        client_id += 1
        tid += 1
        worker = rng.choices(free_workers, free_weights)[0] if rng.random() > 0.05 else former
        entry = as_of - rng.randint(60, 730)
        end = rng.randint(max(entry + 14, window_start), as_of)
        if rng.random() < 0.01:
            end = as_of  # ended today: still "open on" as_of
        plan = TrajectoryPlan(tid, client_id, worker, entry, end)
        plans.append(plan)
        if end < as_of - 20:
            reopen_candidates.append(plan)
    rng.shuffle(reopen_candidates)
    reopened = reopen_candidates[:len(reopen_candidates) // 4]
    for i in range(args.trajectories):
        tid += 1
        worker = owners[i]
        if i < len(reopened):
            previous = reopened[i]
            cid = previous.client_id
            entry = rng.randint(previous.end, as_of)
        else:
            client_id += 1
            cid = client_id
            entry = as_of - (rng.randint(0, 365) if rng.random() < 0.7 else rng.randint(365, 730))
        if rng.random() < 0.004:
            entry = as_of - 30  # day 30 exactly: not yet a rapid-job-search breach
        plans.append(TrajectoryPlan(tid, cid, worker, entry, None))

    client_team = {}
    for plan in plans:
        client_team.setdefault(plan.client_id, plan.worker.team)
    for cid in range(1, client_id + 1):
        tables.add("client", (cid, f"B{cid:06d}", f"Cliënt {cid}", "GGZ", client_team[cid], 1))

    # Phases, placements, disclosure discussions and benefits plans per trajectory.
    handover_rng = random.Random(args.seed + 1)
    assignment_ids = itertools.count(1)
    by_team: dict[int, list[Worker]] = {}
    for worker in workers:
        by_team.setdefault(worker.team, []).append(worker)
    phase_id = placement_id = disclosure_id = plan_id = 0
    for plan in plans:
        last = min(plan.end if plan.end is not None else as_of, as_of)
        plan.last = last
        w = plan.worker
        tables.add("trajectory", (
            plan.id, plan.client_id, w.id, iso(plan.entry),
            "ips_epa" if rng.random() < 0.8 else "ips_cmd",
            "uwv" if rng.random() < 0.6 else "municipality", None,
            iso(plan.end) if plan.end is not None else None,
            rng.choice(END_REASONS) if plan.end is not None else None, 1))
        # Who held it since when (an open period from program entry, as the app writes it);
        # about one open trajectory in twenty was handed over from a colleague of the same
        # team, so the weekly job seekers and the caseload count the worker of the day. A
        # random generator of its own keeps the rest of the data as it was before.
        team = client_team[plan.client_id]
        colleagues = by_team.get(w.team, [])
        if (plan.end is None and plan.entry < as_of - 30 and len(colleagues) > 1
                and handover_rng.random() < 0.05):
            previous = handover_rng.choice([c for c in colleagues if c is not w])
            on = handover_rng.randint(plan.entry + 1, as_of - 1)
            tables.add("trajectory_assignment", (
                next(assignment_ids), plan.id, previous.id, team, iso(plan.entry), iso(on),
                None, "", "start"))
            tables.add("trajectory_assignment", (
                next(assignment_ids), plan.id, w.id, team, iso(on), None, None, "", "transfer"))
        else:
            tables.add("trajectory_assignment", (
                next(assignment_ids), plan.id, w.id, team, iso(plan.entry), None, None, "",
                "start"))

        phases = [("intake", plan.entry)]
        day = plan.entry + (0 if rng.random() < 0.05 else rng.randint(1, 14))  # same-day ties
        phases.append(("engagement", day))
        day += rng.randint(3, 21)
        phases.append(("assessment", day))
        seeking = rng.random() < w.seek_share
        if seeking:
            day += rng.randint(3, 30)
            phases.append(("job_finding", day))
            job_finding = day
            start = job_finding + int(rng.expovariate(1 / 90))
            while start <= min(last if plan.end is not None else as_of + 14, as_of + 14):
                ptype = weighted(rng, PLACEMENT_TYPES)
                end = None
                if rng.random() < 0.4:
                    end = start + int(rng.expovariate(1 / 150))
                    if end > last:
                        end = None
                plan.placements.append((start, end, ptype))
                phases.append(("coaching", start))
                if end is None:
                    fa = start + rng.randint(30, 120)
                    phases.append(("follow_along", fa))
                    break
                phases.append(("job_finding", end + rng.randint(0, 10)))
                if rng.random() > 0.4:
                    break
                start = end + int(rng.expovariate(1 / 60)) + 1
        previous, previous_on = None, plan.entry
        for phase, on in phases:
            on = max(on, previous_on)  # a change is never dated before the previous one
            if on > last:
                break
            if phase == previous:
                continue
            previous_on = on
            phase_id += 1
            tables.add("phase_change", (phase_id, plan.id, phase, iso(on), w.id))
            previous = phase

        for start, end, ptype in plan.placements:
            placement_id += 1
            competitive = ptype in ("paid_job", "paid_job_subsidised")
            tables.add("placement", (
                placement_id, plan.id, rng.choice(w.employers), rng.choice(JOB_TITLES), "",
                ptype, iso(start), iso(end) if end is not None else None,
                float(rng.choice([8, 12, 16, 20, 24, 32, 36])),
                round(rng.uniform(12.5, 24), 2) if competitive and rng.random() < 0.8 else None,
                rng.choice(CONTRACTS), 1 if competitive else 0,
                rng.choice(PLACEMENT_END_REASONS) if end is not None else None, 1))
            if competitive and start <= as_of and rng.random() < 0.8:
                # Usually before the start; sometimes after it, or before program entry
                # (a plan from an earlier trajectory does not count).
                offered = start - rng.randint(-15, 60)
                if offered <= as_of:
                    plan_id += 1
                    tables.add("benefits_plan", (plan_id, plan.client_id, w.id, iso(offered),
                                                 1 if rng.random() < 0.3 else 0, ""))

        # The first face-to-face employer contact about the client: a log-normal delay after
        # entry (median 20 days; about a quarter after day 30); some never get one.
        if rng.random() < 0.92:
            plan.first_f2f_employer = plan.entry + int(rng.lognormvariate(math.log(20), 0.7))
        # The disclosure discussion, around the first employer contact of any kind.
        if rng.random() < 0.85:
            around = plan.first_f2f_employer or (plan.entry + 25)
            on = around + round(rng.gauss(-10, 9))
            if on <= last:
                disclosure_id += 1
                tables.add("disclosure_discussion", (disclosure_id, plan.client_id, w.id,
                                                     iso(on), rng.choice(DECISIONS), ""))
        plan.weight = rng.lognormvariate(0, 1.0)
        for _ in range(rng.choice([0, 0, 1, 1, 2, 3])):
            start = rng.randint(plan.entry, last)
            plan.quiet.append((start, start + rng.randint(10, 45)))
    tables.flush_all()

    # Contacts. First the ones the norms hinge on, then a heavy-tailed background of client,
    # family and other contacts that fills the budget up to --contacts.
    contacts = tables.rows["contact"]

    def contact(on, w, kind, mode, client=None, employer=None):
        place = "community" if mode == "face_to_face" and rng.random() < 0.7 else "office"
        present = 1 if kind == "client" else (1 if rng.random() < 0.2 else 0)
        contacts.append((iso(on), w.id, kind, mode, place, rng.choice(MINUTES), client, employer,
                         present, ""))

    def in_quiet(plan, day):
        return any(a <= day <= b for a, b in plan.quiet)

    for plan in plans:
        w, cid, last = plan.worker, plan.client_id, plan.last
        begin = max(plan.entry, window_start)
        # Employer contacts about the client: a phone call or e-mail first (half the time),
        # then the first face-to-face one, then about one every three weeks until the client
        # has a job. Contacts in the first weeks are kept even before the one-year window, so
        # that rapid job search and disclosure see the trajectory's real start.
        first = plan.first_f2f_employer
        horizon = first if first is not None else last
        if rng.random() < 0.5:
            for _ in range(rng.randint(1, 2)):
                on = rng.randint(plan.entry, max(plan.entry, horizon - 1))
                if on <= last:
                    contact(on, w, "employer", rng.choice(["phone", "email"]), cid,
                            rng.choice(w.employers))
        if first is not None and first <= last:
            contact(first, w, "employer", "face_to_face", cid, rng.choice(w.employers))
            until = min(last, plan.placements[0][0] if plan.placements else last)
            day = first + int(rng.expovariate(1 / 20)) + 1
            while day <= until:
                if day >= begin:
                    contact(day, w, "employer",
                            pick_cumulative(rng, *EMPLOYER_MODES), cid, rng.choice(w.employers))
                day += int(rng.expovariate(1 / 20)) + 1
        # Treatment team: a renewal process, median interval ~9 days, per-trajectory spread.
        mean_gap = rng.lognormvariate(math.log(9), 0.5)
        day = begin + int(rng.expovariate(1 / mean_gap))
        while day <= last:
            contact(day, w, "treatment_team", pick_cumulative(rng, *TREATMENT_MODES), cid)
            day += int(rng.expovariate(1 / mean_gap)) + 1
        # Follow-along around placements: a face-to-face visit in the first days after a
        # start (usually), a contact in the days after a job ends (usually).
        for start, end, _ptype in plan.placements:
            r = rng.random()
            if r < 0.7:
                on = start + rng.randint(0, 3)
            elif r < 0.85:
                on = start + rng.randint(4, 8)
            else:
                on = None
            if on is not None and begin <= on <= last:
                contact(on, w, "client", "face_to_face", cid)
            if end is not None:
                r = rng.random()
                if r < 0.75:
                    on = end + rng.randint(0, 3)
                elif r < 0.9:
                    on = end + rng.randint(4, 14)
                else:
                    on = None
                if on is not None and begin <= on <= last:
                    contact(on, w, "client", pick_cumulative(rng, *CLIENT_MODES), cid)

    # General employer contacts (no client): job development, per worker per week, about
    # diligence x 6 x FTE face-to-face ones plus calls and e-mails; none on absent days.
    first_monday = window_start - date.fromordinal(window_start).weekday()
    for w in workers + [former, on_leave]:
        week = first_monday
        while week <= as_of:
            n_f2f = poisson(rng, w.diligence * 6 * w.fte * (0.3 if not w.active else 1.0))
            n_other = poisson(rng, 2.0)
            for n, modes in ((n_f2f, None), (n_other, ["phone", "email"])):
                for _ in range(n):
                    on = week + (rng.randint(0, 4) if rng.random() < 0.97 else rng.randint(5, 6))
                    if on > as_of or on < window_start or on in w.absent:
                        continue
                    contact(on, w, "employer", modes and rng.choice(modes) or "face_to_face",
                            None, rng.choice(w.employers))
            week += 7

    # The background: client (mostly), family, benefits agency, education and other contacts,
    # spread over each trajectory's days in the window in proportion to a log-normal weight.
    exposure = [(plan, max(0, plan.last - max(plan.entry, window_start) + 1)) for plan in plans]
    total = sum(plan.weight * days for plan, days in exposure)
    budget = max(0, args.contacts - len(contacts))
    kinds, kind_cum = BASE_KINDS
    for plan, days in exposure:
        if days == 0:
            continue
        w, cid = plan.worker, plan.client_id
        begin = max(plan.entry, window_start)
        expected = budget * plan.weight * days / total
        n = int(expected) + (1 if rng.random() < expected - int(expected) else 0)
        produced = attempts = 0
        while produced < n and attempts < 3 * n + 10:
            attempts += 1
            on = rng.randint(begin, plan.last)
            if plan.quiet and in_quiet(plan, on):
                continue
            kind = pick_cumulative(rng, kinds, kind_cum)
            if kind == "client":
                contact(on, w, "client", pick_cumulative(rng, *CLIENT_MODES), cid)
            else:
                contact(on, w, kind, pick_cumulative(rng, *OTHER_MODES),
                        cid if kind != "other" or rng.random() < 0.8 else None)
            produced += 1

    # Stored in date order, as a real contact log grows.
    generated = time.monotonic() - started
    contacts.sort(key=lambda row: row[0])
    tables.flush("contact")
    sink.finish(tables)
    counts = dict(tables.counts)
    summary = {
        "db": sink.label, "as_of": args.as_of, "seed": args.seed, "size": args.size,
        "workers": args.workers,
        "teams": args.teams, "open_trajectories": args.trajectories,
        "ended_trajectories": n_ended, "contacts_target": args.contacts, "days": args.days,
        "analyze": args.analyze, "rows": counts,
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
