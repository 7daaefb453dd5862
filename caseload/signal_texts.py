"""What a signal says to people: its title, its details and what would clear it, rendered by
the norm's own texts (caseload/norms/registry.py) from the settings in force."""

from __future__ import annotations

from caseload import dates

DATE_FACTS = ("started_on", "ended_on", "late_contact_on", "window_start", "window_end",
              "first_employer_contact_on", "last_contact_on")


def settings_in_force():
    """The norm settings, read once per request or job (flask.g)."""
    from flask import g, has_app_context

    from caseload.norms.settings import NormSettings
    if not has_app_context():
        return NormSettings()
    if "norm_settings" not in g:
        from caseload.extensions import db
        g.norm_settings = NormSettings.load(db.session)
    return g.norm_settings


def _norm(name: str):
    from caseload.norms import NORMS
    return NORMS.get(name)


def _once_per_request(kind: str, norm: str, make):
    """A text that depends on the norm, the settings in force and the language only: made once
    per request and language (a page lists many signals of few norms)."""
    from flask import g, has_app_context
    if not has_app_context():
        return make()
    from caseload.translating import catalogue
    key = (kind, norm, id(catalogue()))
    made = g.setdefault("signal_texts", {})
    if key not in made:
        made[key] = make()
    return made[key]


def title(norm: str, settings=None) -> str:
    found = _norm(norm)
    if found is None:
        return norm
    if settings is not None:
        return found.title(settings)
    return _once_per_request("title", norm, lambda: found.title(settings_in_force()))


def details(norm: str, facts: dict, settings=None) -> str:
    """One sentence about a breach; dates in the reader's language like everywhere (dates.py)."""
    found = _norm(norm)
    if found is None:
        return ""
    f = dict(facts or {})
    for key in DATE_FACTS:
        if f.get(key):
            f[key] = dates.day(f[key])
    return found.details(f, settings or settings_in_force())


def remedy(norm: str, settings=None) -> str:
    found = _norm(norm)
    if found is None:
        return ""
    if settings is not None:
        return found.remedy(settings)
    return _once_per_request("remedy", norm, lambda: found.remedy(settings_in_force()))


# What is due: one vocabulary with the week page (caseload/due/items.py).
from caseload.due.items import LABELS as DUE_LABELS  # noqa: E402,F401

