"""The IPS norms. Each is a set-based query "breaches as of a date": pure, with no request
context, mail or scheduler. The number of queries does not grow with the number of clients."""

from __future__ import annotations

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
    for name in norms or NORMS:
        breaches.extend(NORMS[name](session, as_of, settings))
    return breaches


__all__ = ["Breach", "NORMS", "Norm", "NormSettings", "SETTINGS", "STATE_NORMS",
           "WEEKLY_NORMS", "evaluate"]
