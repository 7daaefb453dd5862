"""The access log (NEN 7513): reads and changes recorded, append-only, readable by admins."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import delete, select, update
from sqlalchemy.exc import DBAPIError

from caseload.extensions import db
from caseload.models import AccessLogEntry
from tests.conftest import TODAY, csrf_token, login


def entries(**filters):
    db.session.expire_all()
    return list(db.session.scalars(select(AccessLogEntry).filter_by(**filters)
                                   .order_by(AccessLogEntry.id)))


def setup_team(build):
    team = build.team()
    worker = build.user(team, email="wim@example.org")
    client = build.client(worker, entry=TODAY - timedelta(days=5), code="AL-1")
    build.commit()
    return team, worker, client


def test_reading_and_changing_a_client_is_logged_with_who_what_and_where(client, build):
    _team, worker, record = setup_team(build)
    login(client, worker)

    client.get(f"/clients/{record.id}")
    token = csrf_token(client, f"/clients/{record.id}")
    client.post(f"/clients/{record.id}/phase",
                data={"csrf_token": token, "phase": "engagement",
                      "changed_on": TODAY.isoformat()})

    logged = entries(client_id=record.id)
    reads = [e for e in logged if e.action == "read"]
    changes = [e for e in logged if e.action == "change"]
    assert reads and changes
    assert {e.user_email for e in logged} == {"wim@example.org"}
    assert changes[0].record_type == "clients.change_phase" and changes[0].status == 302
    assert all(e.ip == "127.0.0.1" for e in logged)


def test_opening_the_caseload_logs_each_listed_client(client, build):
    _team, worker, record = setup_team(build)
    other = build.client(worker, code="AL-2")
    build.commit()
    login(client, worker)
    client.get("/caseload")
    listed = {e.client_id for e in entries(action="list", record_type="caseload")}
    assert listed == {record.id, other.id}


def test_access_log_refuses_update_and_delete_in_the_database(client, build):
    _team, worker, record = setup_team(build)
    login(client, worker)
    client.get(f"/clients/{record.id}")
    assert entries()
    for statement in (update(AccessLogEntry).values(user_email="someone@else"),
                      delete(AccessLogEntry)):
        with pytest.raises(DBAPIError):
            db.session.execute(statement)
            db.session.flush()
        db.session.rollback()
    assert {e.user_email for e in entries()} == {"wim@example.org"}


def test_no_route_can_change_the_access_log(app):
    for rule in app.url_map.iter_rules():
        if "access" in rule.rule:
            assert rule.methods <= {"GET", "HEAD", "OPTIONS"}, rule.rule


def test_admin_filters_and_exports_the_log_and_the_client_page_shows_who_looked(client, build):
    team, worker, record = setup_team(build)
    coordinator = build.user(team, role="coordinator", email="coord@example.org")
    admin = build.user(role="admin", email="admin@example.org")
    build.commit()
    login(client, worker)
    client.get(f"/clients/{record.id}")
    client.post("/logout", data={"csrf_token": csrf_token(client, "/caseload")})
    login(client, coordinator)
    page = client.get(f"/clients/{record.id}")
    assert "wim@example.org" in page.text.split('id="viewers"')[1]
    client.post("/logout", data={"csrf_token": csrf_token(client, "/caseload")})

    login(client, admin)
    filtered = client.get("/admin/access-log?client=AL-1&user=wim@example.org")
    assert filtered.status_code == 200
    assert "wim@example.org" in filtered.text and "coord@example.org" not in filtered.text
    export = client.get("/admin/access-log.csv?client=AL-1")
    assert export.mimetype == "text/csv"
    lines = export.text.strip().splitlines()
    assert lines[0].startswith("at_utc,user_email,client_id,client_code")
    assert any("wim@example.org" in line and "AL-1" in line for line in lines[1:])
    assert any("coord@example.org" in line for line in lines[1:])


def test_workers_and_coordinators_cannot_open_the_access_log(client, build):
    team, worker, _record = setup_team(build)
    login(client, worker)
    assert client.get("/admin/access-log").status_code == 403
    assert client.get("/admin/access-log.csv").status_code == 403


@pytest.mark.parametrize("path", ["/admin/access-log.csv", "/admin/admin-log.csv"])
@pytest.mark.parametrize("query", ["from=2026-02-30", "to=0000-01-01", "from=%00"])
def test_a_log_download_with_a_date_filter_that_is_no_date_is_refused(client, build, path, query):
    """Not the whole log, unfiltered by the date asked for: a 400 naming the filter."""
    admin = build.user(role="admin")
    build.commit()
    login(client, admin)
    response = client.get(f"{path}?{query}")
    assert response.status_code == 400
    assert "Vul een geldige datum in." in response.text
    assert response.mimetype != "text/csv"
    assert client.get(f"{path}?from=2026-02-28").mimetype == "text/csv"  # a day is fine


@pytest.mark.parametrize("path", ["/admin/access-log", "/admin/admin-log"])
def test_crafted_arguments_do_not_change_the_download_link_of_a_log(client, build, path):
    """The page wrote every query argument into its CSV link through url_for: ?endpoint=...
    was a 500, and ?_external=1&_scheme=javascript a javascript: link."""
    admin = build.user(role="admin")
    build.commit()
    login(client, admin)

    for query in ("_external=1&_scheme=javascript&_anchor=x&action=read", "endpoint=x&action=read"):
        page = client.get(f"{path}?{query}")
        assert page.status_code == 200, query
        link = re.search(rf'href="({re.escape(path)}\.csv[^"]*)"', page.text)
        assert link, query
        href = link.group(1).replace("&amp;", "&")
        assert "javascript" not in href
        assert "endpoint" not in href and "#" not in href and "action=read" in href
