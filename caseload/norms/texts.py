"""gettext for the norms' texts (titles, details, remedies): the same as Flask-Babel's gettext,
with the catalogue of the request's language found once (caseload/translating.py) instead of
through Flask-Babel's domain, locale and cache on every call (~8 us a call against ~1.5 us; a
caseload lists ~60 signals, each with its details). Outside a request it is Flask-Babel's
answer too (no translation)."""

from __future__ import annotations

from caseload.translating import catalogue


def gettext(string: str, **variables) -> str:
    text = catalogue().ugettext(string)
    return text % variables if variables else text
