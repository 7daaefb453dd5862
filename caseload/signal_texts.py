"""What a signal says to people: its title, its details and what would clear it, rendered by
the norm's own texts (caseload/norms/registry.py) from the settings in force."""

from __future__ import annotations

import functools
import json

from flask import g, has_app_context

from caseload import dates

DATE_FACTS = ("started_on", "ended_on", "late_contact_on", "window_start", "window_end",
              "first_employer_contact_on", "last_contact_on")


def settings_in_force():
    """The norm settings, read once per request or job (flask.g)."""
    if not has_app_context():
        from caseload.norms.settings import NormSettings
        return NormSettings()
    settings = g.get("norm_settings")
    if settings is None:
        from caseload.extensions import db
        from caseload.norms.settings import NormSettings
        settings = g.norm_settings = NormSettings.load(db.session)
    return settings


def keep_settings(rows) -> None:
    """The norm settings of this request from their stored (key, value) rows, where the page
    read them with its other reads (clients/page.py); settings_in_force gives them then."""
    if g.get("norm_settings") is None:
        from caseload.norms.settings import NormSettings
        g.norm_settings = NormSettings.from_stored(rows)


def _norm(name: str):
    from caseload.norms import NORMS
    return NORMS.get(name)


def _once_per_request(kind: str, norm: str, make):
    """A text that depends on the norm, the settings in force and the language only: made once
    per request and language (a page lists many signals of few norms)."""
    if not has_app_context():
        return make()
    from caseload.translating import catalogue
    key = (kind, norm, id(catalogue()))
    made = g.setdefault("signal_texts", {})
    if key not in made:
        made[key] = make()
    return made[key]


def facts_key(norm: str, facts):
    """A key under which a norm's text for these facts can be kept: many signals of a norm
    have the same facts (the same caseload, the same days without contact). Facts of plain
    values (all norms') are told apart by type too (True and 1 are equal keys but say
    different things); others by their JSON."""
    try:
        key = (norm, frozenset((k, type(v), v) for k, v in facts.items()) if facts else None)
        hash(key)
    except (TypeError, AttributeError):
        key = (norm, json.dumps(facts, sort_keys=True, default=str))
    return key


def title(norm: str, settings=None) -> str:
    found = _norm(norm)
    if found is None:
        return norm
    if settings is not None:
        return found.title(settings)
    return _once_per_request("title", norm, lambda: found.title(settings_in_force()))


def details(norm: str, facts: dict, settings=None, day=dates.day) -> str:
    """One sentence about a breach; dates in the reader's language like everywhere (dates.py;
    `day` is dates.day, or a list's copy of it that keeps each date's text)."""
    found = _norm(norm)
    if found is None:
        return ""
    f = dict(facts or {})
    for key in DATE_FACTS:
        if f.get(key):
            f[key] = day(f[key])
    return found.details(f, settings or settings_in_force())


def remedy(norm: str, settings=None) -> str:
    found = _norm(norm)
    if found is None:
        return ""
    if settings is not None:
        return found.remedy(settings)
    return _once_per_request("remedy", norm, lambda: found.remedy(settings_in_force()))


def listed(signals) -> list[tuple]:
    """What a list of open signals shows of each (signals/_list.html), in its order: (signal,
    title, details, remedy, week), where week is the ISO week of a weekly norm's signal about
    a worker (the line links to the worker's week page), else None. The texts are title(),
    details() and remedy()'s; a norm's title and remedy are looked up once per list, and the
    template makes one call for the list instead of three per signal."""
    settings = settings_in_force()
    day = functools.cache(dates.day)  # a list shows the same few dates many times
    per_norm: dict = {}
    shown = []
    for s in signals:
        texts = per_norm.get(s.norm)
        if texts is None:
            found = _norm(s.norm)
            texts = per_norm[s.norm] = (title(s.norm), remedy(s.norm),
                                        found is not None and found.weekly)
        week = None
        if texts[2] and s.worker_id and s.facts:
            week = s.facts.get("week") or None
        shown.append((s, texts[0], details(s.norm, s.facts, settings, day), texts[1], week))
    return shown


# What is due: one vocabulary with the week page (caseload/due/items.py).
from caseload.due.items import LABELS as DUE_LABELS  # noqa: E402,F401

