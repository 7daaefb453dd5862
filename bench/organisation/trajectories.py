"""Who holds how many open trajectories; ended trajectories and clients who came back;
the clients."""

from __future__ import annotations

import math
from decimal import Decimal

from bench.organisation.world import World
from bench.synthetic import TrajectoryPlan, Worker


def plan_trajectories(world: World) -> None:
    """Open ones spread over the workers by FTE with noise (so some workers are above 25 x FTE
    and some below; the inactive former worker still holds a few), then the ended ones, then
    the open ones in order, a quarter of the ended trajectories' clients coming back."""
    rng = world.rng
    weights = [w.fte * rng.lognormvariate(0, 0.3) for w in world.workers]
    owners, boundary = _owners(world, weights)
    free_workers = [w for i, w in enumerate(world.workers) if i not in boundary]
    free_weights = [weights[i] for i in range(len(world.workers)) if i not in boundary]
    reopened = _ended(world, free_workers, free_weights)
    _open(world, owners, reopened)


def _owners(world: World, weights: list[float]) -> tuple[list[Worker], set[int]]:
    """The worker of each open trajectory, shuffled, and the workers at the edge of item 1."""
    rng, workers, args = world.rng, world.workers, world.args
    owners = [world.former] * 5 + [world.on_leave] * 2 + [world.coordinator] * 3
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
    return owners, boundary


def _ended(world: World, free_workers, free_weights) -> list[TrajectoryPlan]:
    """The ended trajectories (1 in 100 ends on as_of: still open that day); returns those
    whose clients come back with a new one."""
    rng, as_of = world.rng, world.as_of
    world.n_ended = int(world.args.trajectories * world.args.ended_share)
    reopen_candidates: list[TrajectoryPlan] = []
    for _ in range(world.n_ended):
        world.client_count += 1
        worker = (rng.choices(free_workers, free_weights)[0] if rng.random() > 0.05
                  else world.former)
        entry = as_of - rng.randint(60, world.args.ended_since)
        end = rng.randint(max(entry + 14, world.window_start), as_of)
        if rng.random() < 0.01:
            end = as_of  # ended today: still "open on" as_of
        plan = TrajectoryPlan(len(world.plans) + 1, world.client_count, worker, entry, end)
        world.plans.append(plan)
        if end < as_of - 20:
            reopen_candidates.append(plan)
    rng.shuffle(reopen_candidates)
    return reopen_candidates[:len(reopen_candidates) // 4]


def _open(world: World, owners: list[Worker], reopened: list[TrajectoryPlan]) -> None:
    rng, as_of = world.rng, world.as_of
    for i in range(world.args.trajectories):
        worker = owners[i]
        if i < len(reopened):
            previous = reopened[i]
            cid = previous.client_id
            entry = rng.randint(previous.end, as_of)
        else:
            world.client_count += 1
            cid = world.client_count
            entry = as_of - (rng.randint(0, 365) if rng.random() < 0.7 else rng.randint(365, 730))
        if rng.random() < 0.004:
            entry = as_of - 30  # day 30 exactly: not yet a rapid-job-search breach
        world.plans.append(TrajectoryPlan(len(world.plans) + 1, cid, worker, entry, None))


def add_clients(world: World) -> None:
    """One row per client, in the team of their first trajectory's worker."""
    for plan in world.plans:
        world.client_team.setdefault(plan.client_id, plan.worker.team)
    for cid in range(1, world.client_count + 1):
        world.tables.add("client", (cid, f"B{cid:06d}", f"Cliënt {cid}", "GGZ",
                                    world.client_team[cid], 1))
