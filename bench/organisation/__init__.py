"""The synthetic organisation of bench/generate.py, built in the order its rows are drawn
from one random generator (changing the order changes every later row):

    staff.py         teams, workers and other users, employers, absences
    trajectories.py  who holds how many open trajectories, ended and returning clients, clients
    histories.py     per trajectory: assignments, phases, placements, benefits plans,
                     disclosure discussions, quiet spells
    contacts.py      the contact log: the contacts the norms hinge on, general employer
                     contacts, and the background up to the target number

world.py holds what the steps share (the parameters, the generator, the tables, the people)."""

from __future__ import annotations

from bench.organisation import contacts, histories, staff, trajectories
from bench.organisation.world import World


def build(world: World) -> None:
    """Every row of the organisation, into world.tables (contacts not yet flushed)."""
    staff.add_staff(world)
    staff.add_employers(world)
    staff.add_absences(world)
    trajectories.plan_trajectories(world)
    trajectories.add_clients(world)
    histories.add_histories(world)
    world.tables.flush_all()
    contacts.add_contacts(world)


__all__ = ["World", "build"]
