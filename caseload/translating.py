"""Faster gettext for templates. Flask-Babel's template callables walk five layers (the domain,
the locale selector's result, the catalogue cache keyed by str(locale)) on every string, and a
page translates a few hundred strings; this finds the request's catalogue once and keeps it
with the locale object it belongs to. force_locale() and refresh() replace that locale object,
so a mail rendered in another language inside a request gets its own catalogue."""

from __future__ import annotations

import flask_babel
from flask import Flask, g


def catalogue():
    """The gettext catalogue of this request's language (Flask-Babel's, found once)."""
    return _translations()


def _translations():
    try:
        state = g.get("_flask_babel")
    except RuntimeError:  # no application context: Flask-Babel's own answer
        return flask_babel.get_translations()
    if state is not None:
        kept = getattr(state, "caseload_catalogue", None)
        if kept is not None and kept[0] is getattr(state, "babel_locale", None):
            return kept[1]
    translations = flask_babel.get_translations()
    state = g.get("_flask_babel")
    locale = getattr(state, "babel_locale", None)
    if locale is not None:
        state.caseload_catalogue = (locale, translations)
    return translations


def init_app(app: Flask) -> None:
    """After babel.init_app: the same callables, each looking the catalogue up once."""
    app.jinja_env.install_gettext_callables(
        gettext=lambda s: _translations().ugettext(s),
        ngettext=lambda s, p, n: _translations().ungettext(s, p, n),
        pgettext=lambda c, s: _translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: _translations().unpgettext(c, s, p, n),
        newstyle=True,
    )
