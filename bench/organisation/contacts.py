"""The contact log: first the contacts the norms hinge on, then general employer contacts per
worker and week, then a heavy-tailed background of client, family and other contacts that fills
the budget up to --contacts. Stored later in date order, as a real contact log grows."""

from __future__ import annotations

import math
from datetime import date

from bench.organisation.world import World
from bench.synthetic import (
    BASE_KINDS,
    CLIENT_MODES,
    EMPLOYER_MODES,
    MINUTES,
    OTHER_MODES,
    TREATMENT_MODES,
    TrajectoryPlan,
    iso,
    pick_cumulative,
    poisson,
)


class ContactLog:
    """Appends contact rows (in the generator's column order) to world.tables."""

    def __init__(self, world: World):
        self.rng = world.rng
        self.rows = world.tables.rows["contact"]

    def __call__(self, on, w, kind, mode, client=None, employer=None) -> None:
        rng = self.rng
        place = "community" if mode == "face_to_face" and rng.random() < 0.7 else "office"
        present = 1 if kind == "client" else (1 if rng.random() < 0.2 else 0)
        self.rows.append((iso(on), w.id, kind, mode, place, rng.choice(MINUTES), client,
                          employer, present, ""))


def add_contacts(world: World) -> None:
    contact = ContactLog(world)
    for plan in world.plans:
        begin = max(plan.entry, world.window_start)
        _employer_contacts_about(world, contact, plan, begin)
        _treatment_team_contacts(world, contact, plan, begin)
        _follow_along_contacts(world, contact, plan, begin)
    _general_employer_contacts(world, contact)
    _background(world, contact)


def _employer_contacts_about(world: World, contact: ContactLog, plan: TrajectoryPlan,
                             begin: int) -> None:
    """A phone call or e-mail first (half the time), then the first face-to-face one, then
    about one every three weeks until the client has a job. Contacts in the first weeks are
    kept even before the one-year window, so that rapid job search and disclosure see the
    trajectory's real start."""
    rng, w, cid, last = world.rng, plan.worker, plan.client_id, plan.last
    first = plan.first_f2f_employer
    horizon = first if first is not None else last
    if rng.random() < 0.5:
        for _ in range(rng.randint(1, 2)):
            on = rng.randint(plan.entry, max(plan.entry, horizon - 1))
            if on <= last:
                contact(on, w, "employer", rng.choice(["phone", "email"]), cid,
                        rng.choice(w.employers))
    if first is None or first > last:
        return
    contact(first, w, "employer", "face_to_face", cid, rng.choice(w.employers))
    until = min(last, plan.placements[0][0] if plan.placements else last)
    day = first + int(rng.expovariate(1 / 20)) + 1
    while day <= until:
        if day >= begin:
            contact(day, w, "employer", pick_cumulative(rng, *EMPLOYER_MODES), cid,
                    rng.choice(w.employers))
        day += int(rng.expovariate(1 / 20)) + 1


def _treatment_team_contacts(world: World, contact: ContactLog, plan: TrajectoryPlan,
                             begin: int) -> None:
    """A renewal process, median interval ~9 days, per-trajectory spread."""
    rng = world.rng
    mean_gap = rng.lognormvariate(math.log(9), 0.5)
    day = begin + int(rng.expovariate(1 / mean_gap))
    while day <= plan.last:
        contact(day, plan.worker, "treatment_team", pick_cumulative(rng, *TREATMENT_MODES),
                plan.client_id)
        day += int(rng.expovariate(1 / mean_gap)) + 1


def _follow_along_contacts(world: World, contact: ContactLog, plan: TrajectoryPlan,
                           begin: int) -> None:
    """A face-to-face visit in the first days after a start (usually), a contact in the days
    after a job ends (usually)."""
    rng, w, cid, last = world.rng, plan.worker, plan.client_id, plan.last
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


def _general_employer_contacts(world: World, contact: ContactLog) -> None:
    """Job development without a client, per worker per week: about diligence x 6 x FTE
    face-to-face ones plus calls and e-mails; none on absent days."""
    rng, as_of, window_start = world.rng, world.as_of, world.window_start
    first_monday = window_start - date.fromordinal(window_start).weekday()
    for w in world.workers + [world.former, world.on_leave]:
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


def _background(world: World, contact: ContactLog) -> None:
    """Client (mostly), family, benefits agency, education and other contacts, spread over
    each trajectory's days in the window in proportion to its log-normal weight."""
    rng, window_start = world.rng, world.window_start
    exposure = [(plan, max(0, plan.last - max(plan.entry, window_start) + 1))
                for plan in world.plans]
    total = sum(plan.weight * days for plan, days in exposure)
    budget = max(0, world.args.contacts - len(contact.rows))
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
            if plan.quiet and any(a <= on <= b for a, b in plan.quiet):
                continue
            kind = pick_cumulative(rng, kinds, kind_cum)
            if kind == "client":
                contact(on, w, "client", pick_cumulative(rng, *CLIENT_MODES), cid)
            else:
                contact(on, w, kind, pick_cumulative(rng, *OTHER_MODES),
                        cid if kind != "other" or rng.random() < 0.8 else None)
            produced += 1
