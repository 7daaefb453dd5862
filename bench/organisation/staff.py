"""Teams, workers, coordinators, an admin, an inactive former worker; employers; absences."""

from __future__ import annotations

import itertools

from bench.organisation.world import World
from bench.synthetic import SECTORS, Worker, iso

# Part-time factors as Dutch contracts make them (20/36 = 0.56, 24/36 = 0.67, 32/36 = 0.89
# ...): 6 x 0.67 = 4.02 owes 5 contacts, and 25 x FTE is not always whole.
FTES = [0.5, 0.56, 0.6, 0.67, 0.72, 0.78, 0.8, 0.89, 0.9, 1.0]
FTE_WEIGHTS = [1, 1, 1, 1, 1, 1, 2, 2, 1, 4]


def add_staff(world: World) -> None:
    args, rng, tables = world.args, world.rng, world.tables
    for t in range(1, args.teams + 1):
        tables.add("team", (t, f"IPS-team {t:02d}"))
    uid = 0
    for i in range(args.workers):
        uid += 1
        worker = Worker(uid, 1 + i % args.teams, rng.choices(FTES, FTE_WEIGHTS)[0])
        worker.diligence = rng.uniform(0.35, 1.35)
        # About one worker in eight carries mostly clients who are not (yet) seeking work, so
        # the "2 x job seekers when fewer than 3 seek work" branch of item 17 is exercised.
        worker.seek_share = 0.06 if rng.random() < 0.12 else rng.uniform(0.45, 0.9)
        world.workers.append(worker)
    # Besides the workers: an inactive former worker who still holds open trajectories, an
    # active worker on leave with FTE 0, and a coordinator (FTE 0.1) who carries a few clients.
    world.former = Worker(uid + 1, 1, 0.8, active=False)
    world.on_leave = Worker(uid + 2, 1 % args.teams + 1, 0.0)
    uid += 2
    for t in range(1, args.teams + 1):
        uid += 1
        world.staff.append((uid, t, "coordinator", 0.1 if t == 1 else 1.0))
    world.coordinator = Worker(world.staff[0][0], 1, 0.1)
    for w in (world.former, world.on_leave, world.coordinator):
        w.seek_share = 0.5
    uid += 1
    world.staff.append((uid, None, "admin", 0.0))
    _add_user_rows(world)


def _user_row(u, email, name, role, fte, active):
    return (u, email, name, role, fte, 1 if active else 0, "nl", "", f"{u:032x}", 1, 1, 1)


def _add_user_rows(world: World) -> None:
    tables, former, on_leave = world.tables, world.former, world.on_leave
    for w in world.workers:
        tables.add("user", _user_row(w.id, f"worker{w.id:04d}@example.org",
                                     f"Worker {w.id:04d}", "worker", w.fte, True))
        tables.add("team_member", (w.team, w.id))
    tables.add("user", _user_row(former.id, "former@example.org", "Former worker", "worker",
                                 former.fte, False))
    tables.add("team_member", (former.team, former.id))
    tables.add("user", _user_row(on_leave.id, "onleave@example.org", "Worker on leave",
                                 "worker", on_leave.fte, True))
    tables.add("team_member", (on_leave.team, on_leave.id))
    for u, team, role, fte in world.staff:
        tables.add("user", _user_row(u, f"{role}{u:04d}@example.org", f"{role.title()} {u}",
                                     role, fte, True))
        if team:
            tables.add("team_member", (team, u))


def add_employers(world: World) -> None:
    """Employers; each worker works mostly with a few dozen of them."""
    rng = world.rng
    world.n_employers = n_employers = max(50, world.args.trajectories * 3 // 5)
    for e in range(1, n_employers + 1):
        world.tables.add("employer", (e, f"Werkgever {e:05d} BV", rng.choice(SECTORS),
                                      "Utrecht", ""))
    for w in world.everyone_with_clients:
        w.employers = rng.sample(range(1, n_employers + 1), min(40, n_employers))


def add_absences(world: World) -> None:
    """Sickness days and holidays over the year, plus some in the last complete week (the week
    the weekly norm looks at), a few covering it entirely, a few overlapping."""
    rng, as_of, monday = world.rng, world.as_of, world.monday
    ids = itertools.count(1)

    def absence(w: Worker, start: int, end: int) -> None:
        world.tables.add("absence", (next(ids), w.id, iso(start), iso(end)))
        w.absent.update(range(start, end + 1))

    for w in world.workers:
        for _ in range(rng.randint(1, 5)):
            start = rng.randint(world.window_start, as_of + 30)
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
    # The coordinator's absence is a row only (coordinators owe no employer contacts).
    world.tables.add("absence", (next(ids), world.staff[0][0], iso(monday), iso(monday + 2)))
