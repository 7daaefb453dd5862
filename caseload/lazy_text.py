"""Lazy translations (Flask-Babel's lazy_gettext) written through the request's catalogue.

A page that shows many lazily translated labels (form labels, option labels, vocabulary) pays
Flask-Babel's lookup of domain, locale and catalogue for each one; `html` writes the same
string from the catalogue caseload.translating finds once per request."""

from __future__ import annotations

from flask_babel import gettext as babel_gettext
from flask_babel.speaklater import LazyString
from markupsafe import Markup, escape

from caseload.translating import catalogue
from caseload.translating import gettext as caseload_gettext


def _plain_lazy(value) -> bool:
    return (type(value) is LazyString and value._func in (babel_gettext, caseload_gettext)
            and len(value._args) == 1 and not value._kwargs)


def text(value) -> str:
    """str(value): a plain lazy_gettext string translated through the request's catalogue
    (the daily log's option labels, translated once for all its lines)."""
    if _plain_lazy(value):
        return catalogue().ugettext(value._args[0])
    return str(value)


def html(value) -> Markup:
    """escape(value): a lazy string writes itself as its text (its __html__), so it is not
    escaped; anything else is escaped as markupsafe does."""
    if _plain_lazy(value):
        return Markup(catalogue().ugettext(value._args[0]))
    return escape(value)
