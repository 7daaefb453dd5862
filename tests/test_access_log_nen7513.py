"""The access log to NEN 7513: the role at the time, denied attempts, the week page, signal
history and outbox messages, log-ins and log-outs, reading the log itself, translated labels."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from caseload import clock
from caseload.extensions import db
from caseload.jobs.norm_jobs import daily_evaluation
from caseload.models import AccessLogEntry, OutboxMessage, Signal
from tests.conftest import TODAY, csrf_token, login


def entries(**filters):
    db.session.expire_all()
    return list(db.session.scalars(select(AccessLogEntry).filter_by(**filters)
                                   .order_by(AccessLogEntry.id)))


def two_teams(build):
    mine, theirs = build.team("Noord"), build.team("Zuid")
    worker = build.user(mine, email="wim@example.org")
    colleague = build.user(mine, email="sara@example.org")
    stranger = build.user(theirs, email="zoe@example.org")
    own = build.client(worker, entry=TODAY - timedelta(days=5), code="N-1")
    other = build.client(stranger, entry=TODAY - timedelta(days=5), code="Z-1")
    build.commit()
    return worker, colleague, stranger, own, other


def logout(client):
    client.post("/logout", data={"csrf_token": csrf_token(client, "/settings")})


# 1. role at the time -----------------------------------------------------------------------

def test_each_entry_keeps_the_role_the_user_had_at_the_time(client, build):
    worker, _c, _s, own, _o = two_teams(build)
    login(client, worker)
    client.get(f"/clients/{own.id}")
    worker.role = "coordinator"
    db.session.commit()
    client.get(f"/clients/{own.id}")

    reads = entries(client_id=own.id, record_type="clients.show")
    assert [e.user_role for e in reads] == ["worker", "coordinator"]


# 2. denied attempts ------------------------------------------------------------------------

def test_another_teams_client_answers_404_and_the_attempt_is_logged_as_denied(client, build):
    worker, _c, _s, _own, other = two_teams(build)
    login(client, worker)

    assert client.get(f"/clients/{other.id}").status_code == 404

    [attempt] = entries(client_id=other.id)
    assert (attempt.user_email, attempt.outcome, attempt.status, attempt.action) == \
        ("wim@example.org", "denied", 404, "read")
    assert attempt.record_type == "clients.show" and attempt.user_role == "worker"


def test_a_change_on_another_teams_client_is_a_denied_change(client, build):
    worker, _c, _s, own, other = two_teams(build)
    login(client, worker)
    token = csrf_token(client, f"/clients/{own.id}")
    response = client.post(f"/clients/{other.id}/phase", data={
        "csrf_token": token, "phase": "engagement", "changed_on": TODAY.isoformat()})
    assert response.status_code == 404
    [attempt] = entries(client_id=other.id)
    assert (attempt.action, attempt.outcome) == ("change", "denied")


def test_another_clients_placement_through_my_client_is_denied_for_that_client(client, build):
    worker, _c, _s, own, other = two_teams(build)
    theirs = build.placement(other, start=TODAY - timedelta(days=2))
    build.commit()
    login(client, worker)
    url = f"/clients/{own.id}/placements/{theirs.id}/edit"
    assert client.get(url).status_code == 404
    denied = entries(outcome="denied")
    assert [(e.client_id, e.record_type) for e in denied] == \
        [(other.id, "clients.edit_placement")]


def test_an_unknown_client_id_is_a_denied_attempt_without_a_client(client, build):
    worker, *_rest = two_teams(build)
    login(client, worker)
    assert client.get("/clients/987654").status_code == 404
    [attempt] = entries(outcome="denied")
    assert attempt.client_id is None and attempt.record_type == "clients.show"


def test_a_worker_opening_a_coordinators_page_for_a_client_is_denied_with_403(client, build):
    worker, _c, _s, own, _o = two_teams(build)
    login(client, worker)
    assert client.get(f"/clients/{own.id}/privacy/export").status_code == 403
    [attempt] = entries(outcome="denied")
    assert (attempt.client_id, attempt.status, attempt.record_type) == \
        (own.id, 403, "privacy.export")


def test_another_teams_signal_is_denied_for_its_client(client, build):
    _w, _c, stranger, _own, other = two_teams(build)
    coordinator = build.user(build.team("Oost"), role="coordinator", email="co@example.org")
    build.commit()
    daily_evaluation(TODAY + timedelta(days=40))
    signal_id = db.session.scalar(select(Signal.id).where(
        Signal.trajectory_id == other.open_trajectory.id).limit(1))
    assert signal_id
    login(client, coordinator)
    token = csrf_token(client, "/review/signals")
    response = client.post(f"/review/signals/{signal_id}/acknowledge",
                           data={"csrf_token": token, "note": "x"})
    assert response.status_code == 404
    assert [(e.client_id, e.outcome) for e in entries(outcome="denied")] == [(other.id, "denied")]


def test_a_worker_of_another_team_on_the_week_page_is_denied(client, build):
    worker, _c, stranger, *_rest = two_teams(build)
    login(client, worker)
    assert client.get(f"/log/week/{stranger.id}/2026-W11").status_code == 404
    [attempt] = entries(outcome="denied")
    assert attempt.record_type == "dailylog.week" and attempt.client_id is None


def test_allowed_reads_are_logged_as_allowed(client, build):
    worker, _c, _s, own, _o = two_teams(build)
    login(client, worker)
    client.get(f"/clients/{own.id}")
    assert {e.outcome for e in entries(client_id=own.id)} == {"allowed"}


# 3. week page, signal history, outbox message ----------------------------------------------

def test_the_week_page_logs_a_read_of_every_client_it_shows(client, build):
    worker, colleague, _s, own, _o = two_teams(build)
    second = build.client(worker, code="N-2")
    monday = TODAY - timedelta(days=TODAY.weekday())
    build.contact(worker, on=monday, client=own)
    build.contact(worker, on=monday + timedelta(days=1), client=second)
    build.contact(worker, on=monday - timedelta(days=7), client=build.client(worker, code="N-3"))
    build.commit()
    login(client, colleague)
    week = f"{TODAY.isocalendar()[0]}-W{TODAY.isocalendar()[1]:02d}"
    assert client.get(f"/log/week/{worker.id}/{week}").status_code == 200
    logged = entries(record_type="contact_week")
    assert {e.client_id for e in logged} == {own.id, second.id}
    assert {(e.action, e.user_email) for e in logged} == {("read", "sara@example.org")}


def test_the_signal_history_logs_reads_of_its_clients(client, build):
    team = build.team()
    coordinator = build.user(team, role="coordinator")
    worker = build.user(team)
    late = build.client(worker, entry=TODAY - timedelta(days=45), code="LATE-1")
    build.commit()
    daily_evaluation(TODAY)
    signal = db.session.scalars(select(Signal).where(
        Signal.trajectory_id == late.open_trajectory.id)).first()
    signal.acknowledged_at = clock.utcnow()
    signal.acknowledgement_note = "Besproken"
    db.session.commit()
    login(client, coordinator)
    page = client.get("/review/signals")
    assert page.status_code == 200
    assert [e.client_id for e in entries(record_type="signal_history")] == [late.id]


def test_an_outbox_message_read_by_an_administrator_logs_the_clients_it_names(client, build):
    worker, _c, _s, own, other = two_teams(build)
    admin = build.user(role="admin", email="admin@example.org")
    message = OutboxMessage(
        recipient_id=worker.id, recipient_email=worker.email, kind="worker_digest",
        period_key="2026-03-18", language="nl", subject="Caseload", body_html="",
        body_text=f"- N-1\n  http://x/clients/{own.id}\n- Z-1\n  http://x/clients/{other.id}\n"
                  "  http://x/clients/99999\nLog: http://x/log\n")
    db.session.add(message)
    build.commit()
    login(client, admin)
    assert client.get(f"/admin/outbox/{message.id}").status_code == 200
    logged = entries(record_type="outbox_message")
    assert sorted(e.client_id for e in logged) == sorted([own.id, other.id])
    assert {(e.action, e.user_role) for e in logged} == {("read", "admin")}


# 4. log-ins, failed log-ins, log-outs ------------------------------------------------------

def test_a_log_in_and_a_log_out_are_logged_with_address_and_role(client, build):
    worker, *_rest = two_teams(build)
    login(client, worker)
    logout(client)
    account = entries(record_type="account")
    assert [(e.action, e.outcome) for e in account] == [("login", "allowed"), ("logout", "allowed")]
    assert {(e.user_id, e.user_email, e.user_role, e.ip) for e in account} == \
        {(worker.id, "wim@example.org", "worker", "127.0.0.1")}


def test_failed_log_ins_keep_the_email_as_typed_for_known_and_unknown_addresses(client, build):
    two_teams(build)
    for email in ("wim@example.org", "Nobody@Example.org"):
        response = client.post("/login", data={"email": email, "password": "wrong password!",
                                                "csrf_token": csrf_token(client, "/login")})
        assert response.status_code == 200
    failed = entries(record_type="account")
    assert [(e.user_email, e.action, e.outcome) for e in failed] == [
        ("wim@example.org", "login_fail", "failed"), ("nobody@example.org", "login_fail", "failed")]
    assert all(e.ip == "127.0.0.1" for e in failed)


# 6. reading the log is logged --------------------------------------------------------------

def test_reading_and_exporting_the_access_log_is_itself_logged(client, build):
    _w, _c, _s, own, _o = two_teams(build)
    admin = build.user(role="admin", email="admin@example.org")
    build.commit()
    login(client, admin)
    client.get("/admin/access-log?client=N-1&from=2026-03-01")
    client.get("/admin/access-log.csv")
    reads = entries(record_type="access_log")
    assert [(e.action, e.client_id, e.user_email) for e in reads] == [
        ("read", own.id, "admin@example.org"), ("export", None, "admin@example.org")]
    assert reads[0].detail == "client=N-1 from=2026-03-01"


def test_a_reading_of_the_log_shows_up_in_the_next_reading(client, build):
    admin = build.user(role="admin", email="admin@example.org")
    build.commit()
    login(client, admin)
    client.get("/admin/access-log")
    page = client.get("/admin/access-log?action=read")
    rows = page.text.split('id="access-log"')[1]
    assert "Toegangslog" in rows and "Gelezen" in rows


# 9. labels, not tokens ---------------------------------------------------------------------

def test_actions_areas_and_outcomes_are_shown_translated(client, build):
    worker, _c, _s, own, other = two_teams(build)
    admin = build.user(role="admin", email="admin@example.org")
    build.commit()
    login(client, worker)
    client.get(f"/clients/{own.id}")
    client.get(f"/clients/{other.id}")
    client.get("/caseload")
    logout(client)
    login(client, admin)
    table = client.get("/admin/access-log").text.split('id="access-log"')[1]
    for label in ("Gelezen", "Op een lijst getoond", "Cliëntdossier", "Caseload", "Geweigerd",
                  "Toegestaan", "Inloggen", "Uitloggen", "IPS-trajectbegeleider", "Account"):
        assert label in table, label
    for token in (">read<", ">list<", ">clients.show<", ">denied<", ">worker<", ">login<"):
        assert token not in table, token


def record_types_written_in_the_code() -> set[str]:
    """The record type (the second argument, where the code writes it as a string) of every
    audit.record(...) call in caseload/; a record type passed in a variable is checked where
    its values are defined (the corrections' KINDS below)."""
    import ast
    from pathlib import Path
    found = set()
    for path in Path(__file__).resolve().parent.parent.joinpath("caseload").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                    and node.func.attr == "record" and isinstance(node.func.value, ast.Name)
                    and node.func.value.id == "audit" and len(node.args) >= 2
                    and isinstance(node.args[1], ast.Constant)
                    and isinstance(node.args[1].value, str)):
                found.add(node.args[1].value)
    from caseload.corrections.records import KINDS
    return found | set(KINDS)


def test_every_endpoint_and_record_type_that_can_be_logged_has_a_label(app):
    from caseload.logs.labels import AREAS, area_label
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        assert area_label(rule.endpoint) != rule.endpoint, rule.endpoint
    written = record_types_written_in_the_code()
    assert {"caseload", "contact_week", "signal_history", "outbox_message", "access_log",
            "admin_log", "privacy_review"} <= written
    assert written - set(AREAS) == set()
    assert {"client", "session"} <= set(AREAS)  # written by access.py and the session helpers


def test_the_access_log_csv_holds_no_cell_that_starts_a_formula(client, build):
    import csv
    import io

    admin = build.user(role="admin", email="admin@example.org")
    build.commit()
    client.post("/login", data={"email": "=HYPERLINK(\"http://x\")@example.org",
                                "password": "wrong password!",
                                "csrf_token": csrf_token(client, "/login")})
    login(client, admin)
    rows = list(csv.reader(io.StringIO(client.get("/admin/access-log.csv").text)))
    cells = [cell for row in rows for cell in row]
    assert any("hyperlink" in cell.lower() for cell in cells)
    assert not [cell for cell in cells if cell[:1] in ("=", "+", "-", "@")]


def test_a_denied_attempt_is_not_shown_as_a_look_at_the_record(client, build):
    worker, _c, stranger, own, _o = two_teams(build)
    login(client, stranger)
    assert client.get(f"/clients/{own.id}").status_code == 404
    logout(client)
    login(client, worker)
    client.get(f"/clients/{own.id}")
    viewers = client.get(f"/clients/{own.id}").text.split('id="viewers"')[1]
    assert "wim@example.org" in viewers and "zoe@example.org" not in viewers
    assert entries(client_id=own.id, user_email="zoe@example.org")[0].outcome == "denied"


def test_the_access_log_filters_on_outcome_and_action_and_bad_dates_are_reported(client, build):
    worker, _c, _s, own, other = two_teams(build)
    admin = build.user(role="admin", email="admin@example.org")
    build.commit()
    login(client, worker)
    client.get(f"/clients/{own.id}")
    client.get(f"/clients/{other.id}")
    logout(client)
    login(client, admin)
    denied = client.get("/admin/access-log?outcome=denied").text.split('id="access-log"')[1]
    assert denied.count("<tr data-") == 1 and 'data-outcome="denied"' in denied
    logins = client.get("/admin/access-log?action=login").text.split('id="access-log"')[1]
    assert logins.count("<tr data-") == 2 and logins.count('data-action="login"') == 2
    for bad in ("to=9999-12-31", "from=0000-01-01", "from=2026-02-30", "to=x"):
        page = client.get(f"/admin/access-log?{bad}")
        assert page.status_code == 200 and "Vul een geldige datum in." in page.text, bad
    refused = client.get("/admin/access-log.csv?to=9999-12-31")  # not the whole log unfiltered
    assert refused.status_code == 400 and "Vul een geldige datum in. (Tot en met)" in refused.text


def test_the_csv_is_streamed_in_pages_and_holds_every_matching_entry_newest_first(
        client, build, monkeypatch):
    import csv
    import io

    from caseload.logs import downloads

    worker, _c, _s, own, _o = two_teams(build)
    admin = build.user(role="admin", email="admin@example.org")
    build.commit()
    login(client, worker)
    for _i in range(5):
        client.get(f"/clients/{own.id}")
    logout(client)
    login(client, admin)
    monkeypatch.setattr(downloads, "PAGE", 2)
    export = client.get("/admin/access-log.csv?user=wim@example.org")
    rows = list(csv.DictReader(io.StringIO(export.text)))
    expected = entries(user_email="wim@example.org")
    assert len(rows) == len(expected) == 7  # log-in, 5 reads, log-out
    assert [r["at_utc"] for r in rows] == [e.at.isoformat() for e in reversed(expected)]
