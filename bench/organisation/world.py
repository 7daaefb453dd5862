"""What the steps of the generator share."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date

from bench.synthetic import Tables, TrajectoryPlan, Worker


@dataclass
class World:
    args: object                    # the generator's parsed arguments
    rng: random.Random
    tables: Tables
    as_of: int                      # date ordinals, like every day below
    window_start: int               # the first day of the contact history
    workers: list[Worker] = field(default_factory=list)   # the ordinary workers
    former: Worker | None = None    # inactive, still holding open trajectories
    on_leave: Worker | None = None  # active, FTE 0
    coordinator: Worker | None = None  # team 1's coordinator (FTE 0.1), carries a few clients
    staff: list[tuple] = field(default_factory=list)      # (id, team, role, fte)
    n_employers: int = 0
    plans: list[TrajectoryPlan] = field(default_factory=list)
    n_ended: int = 0
    client_count: int = 0
    client_team: dict[int, int] = field(default_factory=dict)

    @property
    def monday(self) -> int:
        """Monday of the last complete week before as_of (the weekly norm's week)."""
        return self.as_of - (date.fromordinal(self.as_of).weekday() + 7)

    @property
    def everyone_with_clients(self) -> list[Worker]:
        return self.workers + [self.former, self.on_leave, self.coordinator]
