"""A norm is one registered object: its name, its query, its settings (with labels, units and
ranges), whether it is an event or a lasting state, whether it is about a worker or a
trajectory, and its texts (title, details, remedy) rendered from the settings in force.

Each norm module registers its norms at its end (`register(Norm(...))`); everything else (the
evaluation, the signal store, every page and mail, the administrator's settings form, the
README's norm table test) reads this registry. Adding a norm touches its own module, its
translations and its tests: docs/adding-a-norm.md."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

NORMS: dict[str, Norm] = {}
SETTINGS: dict[str, Setting] = {}


@dataclass(frozen=True)
class Setting:
    name: str
    default: int
    label: object            # lazy string
    low: int
    high: int
    unit: object = ""        # lazy string: days, weeks, contacts, clients


@dataclass(frozen=True)
class Norm:
    name: str
    query: Callable          # (session, as_of, settings) -> list[Breach]
    scope: str               # "trajectory" or "worker"
    source: str              # the fidelity item or quality criterion it comes from
    title: Callable          # (settings) -> str
    details: Callable        # (facts with dates as dd-mm-yyyy, settings) -> str
    remedy: Callable         # (settings) -> str
    settings: tuple[Setting, ...] = ()
    # A lasting state (one open signal while it lasts, matched by subject alone) instead of
    # an event anchored on a date.
    state: bool = False
    # A weekly norm: its signal is re-judged only while its week is the one evaluated, and it
    # links to the worker's week page.
    weekly: bool = False
    extra: dict = field(default_factory=dict)

    def __call__(self, session, as_of, settings):
        return self.query(session, as_of, settings)


def register(norm: Norm) -> Norm:
    if norm.name in NORMS:
        raise ValueError(f"norm {norm.name} registered twice")
    NORMS[norm.name] = norm
    for setting in norm.settings:
        if setting.name in SETTINGS:
            raise ValueError(f"setting {setting.name} registered twice")
        SETTINGS[setting.name] = setting
    return norm


def load_all() -> None:
    """Import the norm modules, which register their norms (idempotent)."""
    from caseload.norms import placement_norms, trajectory_norms, worker_norms  # noqa: F401
