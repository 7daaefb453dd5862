"""One `date` filter for every template, in the reader's language: 18-03-2026 in Dutch (as the
screens have always shown), 18 Mar 2026 in English; a dash for no date."""

from __future__ import annotations

from datetime import date

import pytest
from flask import render_template_string
from flask_babel import force_locale

from tests.conftest import TODAY, csrf_token, login


@pytest.mark.parametrize("language,shown", [("nl", "18-03-2026"), ("en", "18 Mar 2026")])
def test_the_date_filter_follows_the_language(app, language, shown):
    template = "{{ day|date }}|{{ iso|date }}|{{ none|date }}|{{ day|week }}|{{ '2026-W12'|week }}"
    with app.test_request_context(), force_locale(language):
        out = render_template_string(template, day=TODAY, iso="2026-03-18", none=None)
    assert out == f"{shown}|{shown}|—|2026-W12|2026-W12"


def test_english_month_names_and_dutch_leading_zeros(app):
    with app.test_request_context():
        with force_locale("nl"):
            assert render_template_string("{{ d|date }}", d=date(2026, 1, 5)) == "05-01-2026"
        with force_locale("en"):
            assert render_template_string("{{ d|date }}", d=date(2026, 1, 5)) == "5 Jan 2026"


def test_pages_show_dates_in_the_chosen_language(app, build, client):
    worker = build.user(build.team())
    build.commit()
    login(client, worker)
    # TODAY is Wednesday 18 March 2026: the week page runs from Monday 16 to Sunday 22 March.
    assert "16-03-2026 – 22-03-2026" in client.get("/week").text
    client.post("/language/en", data={"next": "/week", "csrf_token": csrf_token(client, "/week")})
    page = client.get("/week").text
    assert "16 Mar 2026 – 22 Mar 2026" in page and "16-03-2026" not in page


@pytest.mark.parametrize("language,shown", [("nl", "18-03-2026, 00:30"),
                                            ("en", "18 Mar 2026, 00:30")])
def test_a_moment_is_shown_in_amsterdam_time_with_the_same_date_format(app, language, shown):
    from datetime import datetime, timezone
    stored = datetime(2026, 3, 17, 23, 30, tzinfo=timezone.utc)   # 00:30 the next day (CET)
    with app.test_request_context(), force_locale(language):
        assert render_template_string("{{ at|moment }}|{{ none|moment }}", at=stored,
                                      none=None) == f"{shown}|—"
