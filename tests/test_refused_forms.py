"""A form refused for what its fields hold answers 422 (a GET of the same page answers 200),
with the message at the field, what was typed in the other fields shown again, and nothing
written. A log-in whose password (or second-factor code) was checked and not accepted stays a
200, the same for every account: the throttle's answer to a refused attempt is the 429."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import pyotp
import pytest
from sqlalchemy import func, select

from caseload.auth import two_factor
from caseload.extensions import db
from caseload.models import Client, Employer, LoginAttempt, NormSetting, Team, User
from tests.builders import Builder
from tests.conftest import csrf_token, login
from tests.pages import field_has_error


@dataclass
class Refusal:
    url: str                    # where the form is shown (GET) and sent (POST)
    data: dict                  # what was typed: one field refused
    field: str                  # the refused field's id
    kept: str                   # markup that shows what was typed in another field
    unchanged: Callable[[], object]  # what the database holds, before and after


def count(model):
    return lambda: db.session.scalar(select(func.count()).select_from(model))


def user_row(user_id: int):
    def read():
        db.session.expire_all()
        user = db.session.get(User, user_id)
        return (user.name, user.email, str(user.fte), user.language, user.password_hash,
                user.must_change_password, user.wants_reminders, user.totp_secret)
    return read


def new_employer(client, build, app):
    me = build.user(build.team())
    build.commit()
    login(client, me)
    return Refusal("/employers/new", {"name": "", "sector": "Bouw & zo", "place": "Zwolle",
                                      "contact_person": ""},
                   "name", 'value="Bouw &amp; zo"', count(Employer))


def edit_employer(client, build, app):
    employer = build.employer("Garage Oost")
    me = build.user(build.team())
    build.commit()
    login(client, me)
    employer_id = employer.id

    def stored():
        db.session.expire_all()
        found = db.session.get(Employer, employer_id)
        return found.name, found.sector, found.place
    return Refusal(f"/employers/{employer_id}", {"name": "  ", "sector": "Autobranche",
                                                 "place": "Deventer", "contact_person": ""},
                   "name", 'value="Deventer"', stored)


def new_user(client, build, app):
    team = build.team()
    me = build.user(role="admin")
    build.commit()
    login(client, me)
    return Refusal("/admin/users/new", {
        "name": "Nieuwe Collega", "email": "geen-adres", "role": "worker", "fte": "0.8",
        "team_ids": str(team.id), "language": "nl", "active": "y",
        "password": "lang-genoeg-wachtwoord"}, "email", 'value="Nieuwe Collega"', count(User))


def edit_user(client, build, app):
    worker = build.user(build.team(), name="Wim")
    me = build.user(role="admin")
    build.commit()
    login(client, me)
    return Refusal(f"/admin/users/{worker.id}", {
        "name": "Wim de Vries", "email": worker.email, "role": "worker", "fte": "",
        "team_ids": worker.team_ids, "language": "en", "active": "y", "password": ""},
        "fte", 'value="Wim de Vries"', user_row(worker.id))


def new_team(client, build, app):
    build.team("Team Oost")
    me = build.user(role="admin")
    build.commit()
    login(client, me)
    return Refusal("/admin/teams", {"name": "team oost"}, "name", 'value="team oost"',
                   count(Team))


def norm_settings(client, build, app):
    me = build.user(role="admin")
    build.commit()
    login(client, me)
    return Refusal("/admin/norms", {"follow_along_start_days": "61",
                                    "follow_along_first_month_weeks": "7"},
                   "follow_along_start_days",
                   'name="follow_along_first_month_weeks" required type="number" value="7"',
                   count(NormSetting))


def mail_settings(client, build, app):
    worker = build.user(build.team())
    worker.wants_reminders = False
    build.commit()
    login(client, worker)
    return Refusal("/settings", {"language": "xx", "wants_reminders": "y"}, "language",
                   '<input checked id="wants_reminders"',
                   user_row(worker.id))


def change_password(client, build, app):
    worker = build.user(build.team())
    build.commit()
    login(client, worker)
    # a password is not written back into the page: the other field kept is none
    return Refusal("/settings/password", {"current_password": "niet-mijn-wachtwoord",
                                          "new_password": "een-nieuw-wachtwoord",
                                          "confirm": "een-nieuw-wachtwoord"},
                   "current_password", 'id="new_password"', user_row(worker.id))


def new_client(client, build, app):
    worker = build.user(build.team())
    build.commit()
    login(client, worker)
    return Refusal("/clients/new", {
        "client_code": "NW-1", "name": "Jan Jansen", "referral_source": "FACT Noord",
        "team_id": str(worker.team_ids[0]), "worker_id": str(worker.id),
        "program_entry_date": "2099-01-01", "trajectory_type": "ips_epa", "funder": "uwv",
        "planned_end": ""}, "program_entry_date", 'value="Jan Jansen"', count(Client))


def login_form(client, build, app):
    build.user(build.team(), email="wim@example.org")
    return Refusal("/login", {"email": "wim@example.org", "password": ""}, "password",
                   'value="wim@example.org"', count(LoginAttempt))


def second_factor_code(client, build, app):
    user = build.user(build.team())
    secret = two_factor.new_secret()
    two_factor.confirm_enrolment(db.session, user, secret, pyotp.TOTP(secret).now())
    build.commit()
    assert login(client, user).headers["Location"] == "/login/code"
    return Refusal("/login/code", {"code": "1" * 41}, "code", 'value="' + "1" * 41 + '"',
                   count(LoginAttempt))


def enrolment_code(client, build, app):
    user = build.user(build.team())
    app.config["TWO_FACTOR_REQUIRED_ROLES"] = ("worker",)  # put back by the test's monkeypatch
    build.commit()
    assert login(client, user).headers["Location"] == "/login/enrol"
    return Refusal("/login/enrol", {"code": "12345678901234567890x"}, "code",
                   'value="12345678901234567890x"', user_row(user.id))


def new_password(client, build, app):
    user = build.user(build.team())
    user.must_change_password = True
    build.commit()
    assert login(client, user).headers["Location"] == "/login/new-password"
    return Refusal("/login/new-password", {"new_password": "een-eigen-wachtwoord",
                                           "confirm": "een-ander-wachtwoord"},
                   "confirm", 'id="new_password"', user_row(user.id))


CASES = [new_employer, edit_employer, new_user, edit_user, new_team, norm_settings,
         mail_settings, change_password, new_client, login_form, second_factor_code,
         enrolment_code, new_password]


@pytest.mark.parametrize("case", CASES, ids=[case.__name__ for case in CASES])
def test_a_refused_form_answers_422_with_the_message_at_its_field_and_what_was_typed(
        app, client, build, monkeypatch, case):
    monkeypatch.setitem(app.config, "TWO_FACTOR_REQUIRED_ROLES", ())
    refusal = case(client, build, app)
    build.commit()
    shown = client.get(refusal.url)
    assert shown.status_code == 200
    before = refusal.unchanged()

    token = csrf_token(client, refusal.url)
    response = client.post(refusal.url, data={"csrf_token": token, **refusal.data})

    assert response.status_code == 422, response.text[:2000]
    assert field_has_error(response.text, refusal.field)
    assert refusal.kept in response.text
    assert refusal.unchanged() == before


def test_a_wrong_password_stays_a_200_and_counts_as_a_failed_attempt(client, build):
    build.user(build.team(), email="wim@example.org")
    build.commit()
    response = client.post("/login", data={"csrf_token": csrf_token(client, "/login"),
                                           "email": "wim@example.org",
                                           "password": "niet-het-wachtwoord"})
    assert response.status_code == 200 and field_has_error(response.text, "password")
    assert 'value="wim@example.org"' in response.text
    assert db.session.scalar(select(func.count(LoginAttempt.id))) == 1


def test_a_wrong_second_factor_code_stays_a_200(client, build):
    user = build.user(build.team())
    secret = two_factor.new_secret()
    two_factor.confirm_enrolment(db.session, user, secret, pyotp.TOTP(secret).now())
    build.commit()
    assert login(client, user, Builder.PASSWORD).headers["Location"] == "/login/code"
    response = client.post("/login/code", data={"csrf_token": csrf_token(client, "/login/code"),
                                                "code": "000000"})
    assert response.status_code == 200 and field_has_error(response.text, "code")
    assert client.get("/caseload").status_code == 302  # not logged in
