"""Faster gettext for templates and lazy labels. Flask-Babel's template callables walk five
layers (the domain, the locale selector's result, the catalogue cache keyed by str(locale)) on
every string, and a page translates a few hundred strings; this finds the request's catalogue
once and keeps it with the locale object it belongs to. force_locale() and refresh() replace
that locale object, so a mail rendered in another language inside a request gets its own
catalogue.

In templates, `_()` and `{% trans %}` call Jinja's i18n extension through three
`Context.call`s (the `_` alias resolves `gettext`, whose newstyle wrapper calls the function
given): the callables below do the same work in one call, with the same result (the text
marked safe where the template autoescapes, then always %-formatted with its variables, so
`%%` is `%` as before). Lazy labels (`lazy_gettext`, the vocabularies) resolve through the same
catalogue. Nothing is kept across requests: the catalogue hangs on the request's Babel state."""

from __future__ import annotations

import flask_babel
from flask import Flask, g
from flask_babel.speaklater import LazyString
from jinja2 import pass_eval_context
from markupsafe import Markup


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


def gettext(string: str, **variables) -> str:
    """flask_babel.gettext through the request's catalogue (same result)."""
    text = _translations().ugettext(string)
    return text % variables if variables else text


def lazy_gettext(string: str, **variables) -> LazyString:
    """flask_babel.lazy_gettext (the same LazyString), resolved through gettext above."""
    return LazyString(gettext, string, **variables)


@pass_eval_context
def _template_gettext(eval_ctx, string, **variables):
    text = _translations().ugettext(string)
    if eval_ctx.autoescape:
        text = Markup(text)
    # Jinja's newstyle gettext always %-formats; without variables and without a "%" that is
    # the text itself, so the formatting is skipped only where it changes nothing.
    return text % variables if variables or "%" in text else text


@pass_eval_context
def _template_ngettext(eval_ctx, singular, plural, num, **variables):
    variables.setdefault("num", num)
    text = _translations().ungettext(singular, plural, num)
    if eval_ctx.autoescape:
        text = Markup(text)
    return text % variables


def init_app(app: Flask) -> None:
    """After babel.init_app: the same callables, each looking the catalogue up once."""
    env = app.jinja_env
    env.install_gettext_callables(
        gettext=lambda s: _translations().ugettext(s),
        ngettext=lambda s, p, n: _translations().ungettext(s, p, n),
        pgettext=lambda c, s: _translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: _translations().unpgettext(c, s, p, n),
        newstyle=True,
    )
    # The newstyle wrappers installed above, and the `_` alias of them, in one call each.
    env.globals.update(gettext=_template_gettext, ngettext=_template_ngettext,
                       _=_template_gettext)
