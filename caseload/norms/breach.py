from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True)
class Breach:
    """One breach of one norm as of a date. (norm, subject_key, anchor) identifies it."""

    norm: str
    subject_key: str
    anchor: date
    trajectory_id: int | None = None
    worker_id: int | None = None
    placement_id: int | None = None
    facts: dict = field(default_factory=dict, compare=False, hash=False)

    @property
    def key(self) -> tuple[str, str, date]:
        return (self.norm, self.subject_key, self.anchor)


def trajectory_breach(norm: str, anchor: date, trajectory_id: int, worker_id: int,
                      placement_id: int | None = None, **facts) -> Breach:
    subject = f"t{trajectory_id}" + (f"p{placement_id}" if placement_id else "")
    return Breach(norm=norm, subject_key=subject, anchor=anchor, trajectory_id=trajectory_id,
                  worker_id=worker_id, placement_id=placement_id, facts=facts)
