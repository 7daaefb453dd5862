"""Dutch numbers and words: amounts, hours and FTE through Babel in the reader's locale, and
plural forms in mail subjects."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from caseload import numbers
from caseload.mail.compose import worker_digest_subject
from tests.conftest import TODAY, csrf_token, login


def test_numbers_follow_the_locale(app):
    from flask_babel import force_locale
    with app.test_request_context():
        with force_locale("nl"):
            assert numbers.fixed(Decimal("1.00")) == "1,0"
            assert numbers.decimal(Decimal("32.0")) == "32"
            assert numbers.decimal(Decimal("34.15"), 1) == "34,2"
            assert numbers.money(Decimal("16.75")) == "€\xa016,75"
            assert numbers.percent(0.341) == "34 %"
            assert numbers.decimal(None) == "—"
        with force_locale("en"):
            assert numbers.fixed(Decimal("0.8")) == "0.8"
            assert numbers.money(Decimal("16.75")) == "€16.75"


def test_the_client_page_shows_hours_and_wage_in_dutch(client, build):
    team = build.team()
    worker = build.user(team, fte="1.00")
    person = build.client(worker, entry=TODAY - timedelta(days=30))
    placement = build.placement(person, start=TODAY - timedelta(days=3))
    placement.hourly_wage = Decimal("16.75")
    placement.hours_per_week = Decimal("32.0")
    build.commit()
    login(client, worker)
    page = client.get(f"/clients/{person.id}").text
    assert "32 u/week" in page and "€\xa016,75" in page
    assert "16.75" not in page and "32.0" not in page

    client.post("/language/en", data={"csrf_token": csrf_token(client, "/caseload"),
                                      "next": "/caseload"})
    english = client.get(f"/clients/{person.id}").text
    assert "32 h/week" in english and "€16.75" in english


def test_mail_subjects_use_plural_forms(app):
    from flask_babel import force_locale
    with app.test_request_context():
        with force_locale("nl"):
            assert worker_digest_subject(1, 1, TODAY) == \
                "Caseload: 1 signaal en 1 contact te doen (18-03-2026)"
            assert worker_digest_subject(2, 0, TODAY) == \
                "Caseload: 2 signalen en 0 contacten te doen (18-03-2026)"
        with force_locale("en"):
            assert worker_digest_subject(1, 3, TODAY) == \
                "Caseload: 1 signal and 3 contacts due (18 Mar 2026)"
