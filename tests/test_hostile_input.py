"""Random and hostile input (very long strings, HTML and SQL fragments, odd Unicode, dates in
year 1 and 9999) fed to the forms and the import: never a 500, never stored script, always a
clear message."""

from __future__ import annotations

import csv
import io
import shutil
import tempfile
from datetime import timedelta
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markupsafe import escape
from sqlalchemy import func, select

from caseload.extensions import db
from caseload.forms_common import one_line, strip_control_characters
from caseload.models import Client, Contact, Employer
from tests.conftest import TODAY, csrf_token, login

SCRIPT = "<script>alert(1)</script>"
FRAGMENTS = [
    SCRIPT, '"><img src=x onerror=alert(1)>', "'; DROP TABLE client; --", "Robert'); --",
    "\u202eevil\u202c", "\u200b\u200d\ufeff", "𝔘𝔫𝔦𝔠𝔬𝔡𝔢 😀", "null\x00byte", "tab\tand\nnewline",
    "%(name)s {{ 7*7 }}", "../../etc/passwd", "ÅÄÖ ĳ Ğ ß", " ", "",
]
hostile_text = st.one_of(
    st.sampled_from(FRAGMENTS),
    st.text(max_size=40),
    st.text(min_size=600, max_size=3000),
    st.builds(lambda a, b: a + b, st.sampled_from(FRAGMENTS), st.text(max_size=20)),
)
hostile_date = st.one_of(
    st.sampled_from(["0001-01-01", "9999-12-31", "2026-02-30", "", "gisteren", "18-03-2026",
                     "2026-03-18", "1999-12-31", "2000-01-01", "2026-13-01", "２０２６-０３-１８"]),
    st.dates().map(lambda d: d.isoformat()),
)
hostile_number = st.one_of(st.sampled_from(["", "-1", "0", "720", "721", "1e9", "NaN", "12,5",
                                            "9" * 40]),
                           st.integers(-10**6, 10**6).map(str))

SETTINGS = settings(max_examples=40, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture,
                                           HealthCheck.too_slow])


def assert_clear_answer(response):
    assert response.status_code in (200, 302, 400, 409, 413, 422), response.status_code
    if response.status_code in (400, 422):
        text = response.get_data(as_text=True)
        assert 'class="error' in text  # a message at a field or at the top of the form
    assert "Traceback" not in response.get_data(as_text=True)


def assert_no_live_script(text: str):
    assert SCRIPT not in text
    assert "<img src=x" not in text


def worker_with_client(app, build):
    team = build.team()
    worker = build.user(team)
    client_record = build.client(worker, entry=TODAY - timedelta(days=20), code="HOST-1")
    build.commit()
    browser = app.test_client()
    login(browser, worker)
    return browser, worker, client_record


@SETTINGS
@given(note=hostile_text, employer=hostile_text, minutes=hostile_number, day=hostile_date,
       kind=st.sampled_from(["client", "employer", "other", "bogus"]))
def test_daily_log_survives_hostile_input(app, build, note, employer, minutes, day, kind):
    if not hasattr(test_daily_log_survives_hostile_input, "ctx"):
        test_daily_log_survives_hostile_input.ctx = {}
    ctx = test_daily_log_survives_hostile_input.ctx
    if "browser" not in ctx or db.session.get(Client, ctx["client_id"]) is None:
        browser, _worker, record = worker_with_client(app, build)
        ctx.update(browser=browser, client_id=record.id, client_code=record.client_code)
    browser = ctx["browser"]
    before = db.session.scalar(select(func.count(Contact.id)))
    response = browser.post("/log", data={
        "csrf_token": csrf_token(browser, "/log"), "contact_date": day, "save": "1",
        "rows-0-client": ctx["client_code"], "rows-0-kind": kind,
        "rows-0-employer": employer, "rows-0-mode": "face_to_face",
        "rows-0-place": "community", "rows-0-minutes": minutes, "rows-0-note": note})

    assert_clear_answer(response)
    if response.status_code != 302:
        assert db.session.scalar(select(func.count(Contact.id))) == before  # nothing half-saved
        kept = one_line(strip_control_characters(note))  # as the one-line field keeps it
        if kept.strip() and response.status_code == 422:  # what was typed is shown again
            assert str(escape(kept)) in response.get_data(as_text=True)
    for page in ("/log", f"/clients/{ctx['client_id']}", "/employers/"):
        assert_no_live_script(browser.get(page).get_data(as_text=True))
    for stored in db.session.scalars(select(Contact.note)):
        assert "\x00" not in stored


@SETTINGS
@given(code=hostile_text, name=hostile_text, referrer=hostile_text, day=hostile_date)
def test_new_client_form_survives_hostile_input(app, build, code, name, referrer, day):
    ctx = test_new_client_form_survives_hostile_input.__dict__.setdefault("ctx", {})
    if "browser" not in ctx or db.session.scalar(select(func.count(Client.id))) == 0:
        browser, worker, _record = worker_with_client(app, build)
        ctx.update(browser=browser, worker_id=worker.id, team_id=worker.team_ids[0])
    browser = ctx["browser"]
    response = browser.post("/clients/new", data={
        "csrf_token": csrf_token(browser, "/clients/new"), "client_code": code, "name": name,
        "referral_source": referrer, "team_id": str(ctx["team_id"]),
        "worker_id": str(ctx["worker_id"]), "program_entry_date": day,
        "trajectory_type": "ips_epa", "funder": "uwv", "planned_end": ""})
    assert_clear_answer(response)
    assert_no_live_script(browser.get("/caseload").get_data(as_text=True))
    if response.status_code == 302:
        assert_no_live_script(browser.get(response.headers["Location"]).get_data(as_text=True))


@SETTINGS
@given(email=hostile_text, password=hostile_text)
def test_login_survives_hostile_input(app, email, password):
    browser = app.test_client()
    response = browser.post("/login", data={"csrf_token": csrf_token(browser, "/login"),
                                            "email": email, "password": password})
    # 200: a password checked and not accepted; 422: a field refused (too long, empty)
    assert response.status_code in (200, 422, 429)
    assert "Traceback" not in response.get_data(as_text=True)


@SETTINGS
@given(name=hostile_text, sector=hostile_text)
def test_employer_form_survives_hostile_input(app, build, name, sector):
    ctx = test_employer_form_survives_hostile_input.__dict__.setdefault("ctx", {})
    if "browser" not in ctx or db.session.scalar(select(func.count(Client.id))) == 0:
        ctx["browser"] = worker_with_client(app, build)[0]
    browser = ctx["browser"]
    response = browser.post("/employers/new", data={
        "csrf_token": csrf_token(browser, "/employers/new"), "name": name, "sector": sector,
        "place": "", "contact_person": ""})
    assert_clear_answer(response)
    assert_no_live_script(browser.get("/employers/").get_data(as_text=True))
    for stored in db.session.scalars(select(Employer.name)):
        assert "\x00" not in stored and len(stored) <= 160


@SETTINGS
@given(cells=st.lists(hostile_text, min_size=9, max_size=9), day=hostile_date)
def test_import_survives_hostile_rows(app, cells, day):
    directory = Path(tempfile.mkdtemp())
    try:
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(["date", "worker_email", "kind", "mode", "place", "minutes",
                         "client_code", "employer", "note"])
        writer.writerow([day, *cells[1:]])
        (directory / "contacts.csv").write_text(out.getvalue(), encoding="utf-8",
                                                errors="surrogatepass")
        before = db.session.scalar(select(func.count(Contact.id)))
        db.session.rollback()
        result = app.test_cli_runner().invoke(args=["import-data", str(directory)])
        assert result.exception is None or isinstance(result.exception, SystemExit), result.output
        assert result.exit_code in (0, 1)
        if result.exit_code == 1:
            assert "contacts.csv:" in result.output  # names the file (and line, column)
            assert db.session.scalar(select(func.count(Contact.id))) == before
    finally:
        shutil.rmtree(directory)
