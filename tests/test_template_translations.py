"""Templates translate through one catalogue lookup per request (caseload/translating.py); a
text rendered in another language inside the request (a mail under force_locale) still gets
that language, and the page's language comes back after it."""

from __future__ import annotations

from flask import render_template_string
from flask_babel import force_locale, refresh

TEXT = "{{ _('Search') }} {{ ngettext('%(num)d problem found; nothing was imported.', '%(num)d problems found; nothing was imported.', 2) }}"


def test_force_locale_inside_a_request_switches_the_catalogue_and_back(app):
    with app.test_request_context("/"):
        from flask import session
        session["language"] = "nl"
        assert render_template_string(TEXT) == "Zoeken 2 problemen gevonden; er is niets geïmporteerd."
        with force_locale("en"):
            assert render_template_string(TEXT) == "Search 2 problems found; nothing was imported."
        assert render_template_string(TEXT).startswith("Zoeken ")


def test_a_language_chosen_during_the_request_applies_after_refresh(app):
    with app.test_request_context("/"):
        from flask import session
        session["language"] = "nl"
        assert render_template_string("{{ _('Search') }}") == "Zoeken"
        session["language"] = "en"
        refresh()
        assert render_template_string("{{ _('Search') }}") == "Search"
