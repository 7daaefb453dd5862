"""The IPS norms. Each is a set-based query "breaches as of a date": pure, with no request
context, mail or scheduler. The number of queries does not grow with the number of clients."""

from __future__ import annotations

import gc
from contextlib import contextmanager
from datetime import date

from caseload.norms import placement_norms, trajectory_norms, worker_norms  # noqa: F401 (register)
from caseload.norms.breach import Breach
from caseload.norms.registry import NORMS, SETTINGS, Norm
from caseload.norms.settings import NormSettings

# Norms describing a lasting state rather than an event: their open signal is matched by
# subject alone, so it is not re-opened every day under a new anchor.
STATE_NORMS = frozenset(name for name, norm in NORMS.items() if norm.state)
# Weekly norms: re-judged only while their week is the one evaluated.
WEEKLY_NORMS = frozenset(name for name, norm in NORMS.items() if norm.weekly)


def evaluate(as_of: date, *, session=None, settings: NormSettings | None = None,
             norms: list[str] | None = None) -> list[Breach]:
    """All breaches as of a date (or of the named norms)."""
    if session is None:
        from caseload.extensions import db
        session = db.session
    settings = settings or NormSettings.load(session)
    breaches: list[Breach] = []
    with _collector_paused():
        for name in norms or NORMS:
            breaches.extend(NORMS[name](session, as_of, settings))
    return breaches


@contextmanager
def _collector_paused():
    """Python's cyclic garbage collector paused while the breaches are built. A national
    evaluation makes 50,000 breaches (none in a cycle); each few hundred new objects set off a
    collection, and the growing list of survivors set off full ones over the whole
    application's heap: about 0.1 s of the 0.25 s of CPU this process spent (bench/README.md).
    Reference counting still frees everything; the collector runs again afterwards. Only
    re-enabled if it was enabled, so that nested or concurrent calls never leave it off."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


__all__ = ["Breach", "NORMS", "Norm", "NormSettings", "SETTINGS", "STATE_NORMS",
           "WEEKLY_NORMS", "evaluate"]
