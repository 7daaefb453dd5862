"""A computed item: its score 1–5 (or None when the period holds too little data to score it)
and the numbers behind it, so the page can show how the score was reached."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

# Where an anchor describes a practice for every client or job ("each", "before a new job
# starts"), the data count it as the practice when it holds for at least 90% of the cases:
# the same 90% the scale itself uses for its top band of items 4 and 16.
PRACTICE_SHARE = 90.0
# Anchors that speak of "most" or "at least half" of the clients.
HALF = 50.0


@dataclass
class Fact:
    key: str
    label: str
    value: object


@dataclass
class ItemResult:
    number: int
    score: int | None
    facts: list[Fact] = field(default_factory=list)
    reasoning: str = ""
    table_header: list[str] = field(default_factory=list)
    table: list[list] = field(default_factory=list)

    def fact(self, key: str):
        return next((f.value for f in self.facts if f.key == key), None)


def pct(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def rounded(value) -> float | None:
    return None if value is None else round(float(value), 1)


def round_half_up(value: float) -> int:
    return int(Decimal(str(value)).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def at_most(value: float, bands: list[tuple[float, int]], otherwise: int) -> int:
    """The score of the first band whose upper limit the value does not exceed."""
    return next((score for limit, score in bands if value <= limit), otherwise)


def at_least(value: float, bands: list[tuple[float, int]], otherwise: int) -> int:
    """The score of the first band whose lower limit the value reaches."""
    return next((score for limit, score in bands if value >= limit), otherwise)


def holds(share: float | None) -> bool:
    """A practice holds when it does for at least PRACTICE_SHARE % of the cases, or when there
    were no cases to judge it by."""
    return share is None or share >= PRACTICE_SHARE
