"""Per trajectory: the row itself, who held it since when, its phases and placements, the
benefits plans, the disclosure discussion, and its quiet spells (no background contacts)."""

from __future__ import annotations

import itertools
import math
import random

from bench.organisation.world import World
from bench.synthetic import (
    CONTRACTS,
    DECISIONS,
    END_REASONS,
    JOB_TITLES,
    PLACEMENT_END_REASONS,
    PLACEMENT_TYPES,
    TrajectoryPlan,
    iso,
    weighted,
)


class _Ids:
    def __init__(self):
        self.assignment = itertools.count(1)
        self.phase = itertools.count(1)
        self.placement = itertools.count(1)
        self.disclosure = itertools.count(1)
        self.benefits_plan = itertools.count(1)


def add_histories(world: World) -> None:
    # Handovers draw from a generator of their own, so the rest of the data stays as it was
    # before trajectories had assignments.
    handover_rng = random.Random(world.args.seed + 1)
    by_team: dict[int, list] = {}
    for worker in world.workers:
        by_team.setdefault(worker.team, []).append(worker)
    ids = _Ids()
    for plan in world.plans:
        plan.last = min(plan.end if plan.end is not None else world.as_of, world.as_of)
        _add_trajectory(world, plan)
        _add_assignments(world, plan, handover_rng, by_team, ids)
        phases = _phases_and_placements(world, plan)
        _add_phases(world, plan, phases, ids)
        _add_placements(world, plan, ids)
        _add_disclosure(world, plan, ids)
        _add_quiet_spells(world, plan)


def _add_trajectory(world: World, plan: TrajectoryPlan) -> None:
    rng = world.rng
    world.tables.add("trajectory", (
        plan.id, plan.client_id, plan.worker.id, iso(plan.entry),
        "ips_epa" if rng.random() < 0.8 else "ips_cmd",
        "uwv" if rng.random() < 0.6 else "municipality", None,
        iso(plan.end) if plan.end is not None else None,
        rng.choice(END_REASONS) if plan.end is not None else None, 1))


def _add_assignments(world: World, plan: TrajectoryPlan, handover_rng, by_team, ids) -> None:
    """An open period from program entry, as the app writes it; about one open trajectory in
    twenty was handed over from a colleague of the same team, so the weekly job seekers and
    the caseload count the worker of the day."""
    w, as_of, tables = plan.worker, world.as_of, world.tables
    team = world.client_team[plan.client_id]
    colleagues = by_team.get(w.team, [])
    if (plan.end is None and plan.entry < as_of - 30 and len(colleagues) > 1
            and handover_rng.random() < 0.05):
        previous = handover_rng.choice([c for c in colleagues if c is not w])
        on = handover_rng.randint(plan.entry + 1, as_of - 1)
        tables.add("trajectory_assignment", (
            next(ids.assignment), plan.id, previous.id, team, iso(plan.entry), iso(on),
            None, "", "start"))
        tables.add("trajectory_assignment", (
            next(ids.assignment), plan.id, w.id, team, iso(on), None, None, "", "transfer"))
    else:
        tables.add("trajectory_assignment", (
            next(ids.assignment), plan.id, w.id, team, iso(plan.entry), None, None, "",
            "start"))


def _phases_and_placements(world: World, plan: TrajectoryPlan) -> list[tuple[str, int]]:
    """Intake, engagement, assessment; for job seekers job finding, then placements (some
    ended, then back to job finding), coaching and follow-along. Fills plan.placements."""
    rng, as_of, last = world.rng, world.as_of, plan.last
    phases = [("intake", plan.entry)]
    day = plan.entry + (0 if rng.random() < 0.05 else rng.randint(1, 14))  # same-day ties
    phases.append(("engagement", day))
    day += rng.randint(3, 21)
    phases.append(("assessment", day))
    if not rng.random() < plan.worker.seek_share:
        return phases
    day += rng.randint(3, 30)
    phases.append(("job_finding", day))
    start = day + int(rng.expovariate(1 / 90))
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
            phases.append(("follow_along", start + rng.randint(30, 120)))
            break
        phases.append(("job_finding", end + rng.randint(0, 10)))
        if rng.random() > 0.4:
            break
        start = end + int(rng.expovariate(1 / 60)) + 1
    return phases


def _add_phases(world: World, plan: TrajectoryPlan, phases, ids) -> None:
    previous, previous_on = None, plan.entry
    for phase, on in phases:
        on = max(on, previous_on)  # a change is never dated before the previous one
        if on > plan.last:
            break
        if phase == previous:
            continue
        previous_on = on
        world.tables.add("phase_change", (next(ids.phase), plan.id, phase, iso(on),
                                          plan.worker.id))
        previous = phase


def _add_placements(world: World, plan: TrajectoryPlan, ids) -> None:
    """The placements, each with a benefits plan now and then: usually before the start;
    sometimes after it, or before program entry (a plan from an earlier trajectory does not
    count)."""
    rng, as_of, tables, w = world.rng, world.as_of, world.tables, plan.worker
    for start, end, ptype in plan.placements:
        competitive = ptype in ("paid_job", "paid_job_subsidised")
        tables.add("placement", (
            next(ids.placement), plan.id, rng.choice(w.employers), rng.choice(JOB_TITLES), "",
            ptype, iso(start), iso(end) if end is not None else None,
            float(rng.choice([8, 12, 16, 20, 24, 32, 36])),
            round(rng.uniform(12.5, 24), 2) if competitive and rng.random() < 0.8 else None,
            rng.choice(CONTRACTS), 1 if competitive else 0,
            rng.choice(PLACEMENT_END_REASONS) if end is not None else None, 1))
        if competitive and start <= as_of and rng.random() < 0.8:
            offered = start - rng.randint(-15, 60)
            if offered <= as_of:
                tables.add("benefits_plan", (next(ids.benefits_plan), plan.client_id, w.id,
                                             iso(offered), 1 if rng.random() < 0.3 else 0, ""))


def _add_disclosure(world: World, plan: TrajectoryPlan, ids) -> None:
    """The first face-to-face employer contact about the client: a log-normal delay after
    entry (median 20 days; about a quarter after day 30); some never get one. The disclosure
    discussion, around the first employer contact of any kind."""
    rng = world.rng
    if rng.random() < 0.92:
        plan.first_f2f_employer = plan.entry + int(rng.lognormvariate(math.log(20), 0.7))
    if rng.random() < 0.85:
        around = plan.first_f2f_employer or (plan.entry + 25)
        on = around + round(rng.gauss(-10, 9))
        if on <= plan.last:
            world.tables.add("disclosure_discussion", (
                next(ids.disclosure), plan.client_id, plan.worker.id, iso(on),
                rng.choice(DECISIONS), ""))


def _add_quiet_spells(world: World, plan: TrajectoryPlan) -> None:
    """A contact rate per trajectory (log-normal) and a few spells without contacts."""
    rng = world.rng
    plan.weight = rng.lognormvariate(0, 1.0)
    for _ in range(rng.choice([0, 0, 1, 1, 2, 3])):
        start = rng.randint(plan.entry, plan.last)
        plan.quiet.append((start, start + rng.randint(10, 45)))
