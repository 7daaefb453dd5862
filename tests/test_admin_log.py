"""The administration log: every change to users, teams, absences and norm settings, who made
it and when, old and new value (never a password); append-only; a page with filters and CSV."""

from __future__ import annotations

import csv
import io

import pytest
from sqlalchemy import delete, select, update
from sqlalchemy.exc import DBAPIError

from caseload import audit
from caseload.extensions import db
from caseload.models import AccessLogEntry, AdminLogEntry, User
from tests.conftest import TODAY, csrf_token, login

NEW_PASSWORD = "another long secret 42"


def changes(**filters):
    db.session.expire_all()
    return list(db.session.scalars(select(AdminLogEntry).filter_by(**filters)
                                   .order_by(AdminLogEntry.id)))


def as_fields(rows):
    return {row.field: (row.old_value, row.new_value) for row in rows}


def admin_and_worker(build):
    north, south = build.team("Noord"), build.team("Zuid")
    admin = build.user(role="admin", email="admin@example.org")
    worker = build.user(north, email="wim@example.org", name="Wim")
    build.commit()
    return admin, worker, north, south


def user_form(user, **changed):
    data = {"name": user.name, "email": user.email, "role": user.role, "fte": str(user.fte),
            "language": user.language, "team_ids": [str(t) for t in user.team_ids],
            "password": ""}
    if user.active:
        data["active"] = "y"
    data.update(changed)
    return {k: v for k, v in data.items() if v is not None}


def test_role_fte_teams_active_and_password_changes_are_logged_old_to_new(client, build):
    admin, worker, north, south = admin_and_worker(build)
    login(client, admin)
    url = f"/admin/users/{worker.id}"
    data = user_form(worker, role="coordinator", fte="0.8", team_ids=[str(north.id), str(south.id)],
                     active=None, password=NEW_PASSWORD, csrf_token=csrf_token(client, url))
    assert client.post(url, data=data).status_code == 302

    rows = changes(object_type="user", object_id=worker.id)
    assert as_fields(rows) == {
        "role": ("worker", "coordinator"), "fte": ("1", "0.8"),
        "teams": ("Noord", "Noord, Zuid"), "active": ("yes", "no"), "password": ("", "set")}
    assert {(r.actor_email, r.actor_role, r.action, r.object_label, r.ip) for r in rows} == \
        {("admin@example.org", "admin", "update", "wim@example.org", "127.0.0.1")}
    stored = db.session.get(User, worker.id)
    assert all(stored.password_hash not in (r.old_value + r.new_value) for r in rows)
    assert all(NEW_PASSWORD not in (r.old_value + r.new_value) for r in rows)


def test_saving_a_user_unchanged_logs_nothing(client, build):
    admin, worker, _n, _s = admin_and_worker(build)
    login(client, admin)
    url = f"/admin/users/{worker.id}"
    assert client.post(url, data=user_form(worker, csrf_token=csrf_token(client, url))) \
        .status_code == 302
    assert changes() == []


def test_a_new_user_is_logged_as_created_with_every_field(client, build):
    admin, _worker, north, _s = admin_and_worker(build)
    login(client, admin)
    data = {"name": "Nina", "email": "Nina@Example.org", "role": "worker", "fte": "0.6",
            "language": "nl", "team_ids": [str(north.id)], "active": "y",
            "password": NEW_PASSWORD, "csrf_token": csrf_token(client, "/admin/users/new")}
    assert client.post("/admin/users/new", data=data).status_code == 302
    nina = db.session.scalar(select(User).where(User.email == "nina@example.org"))
    rows = changes(object_id=nina.id)
    assert {r.action for r in rows} == {"create"}
    assert as_fields(rows) == {
        "name": ("", "Nina"), "email": ("", "nina@example.org"), "role": ("", "worker"),
        "fte": ("", "0.6"), "language": ("", "nl"), "active": ("", "yes"),
        "teams": ("", "Noord"), "password": ("", "set")}


def test_a_refused_edit_logs_nothing(client, build):
    admin, worker, _n, _s = admin_and_worker(build)
    login(client, admin)
    url = f"/admin/users/{worker.id}"
    response = client.post(url, data=user_form(worker, role="coordinator", password="short",
                                               csrf_token=csrf_token(client, url)))
    assert response.status_code == 422
    assert changes() == []


def test_teams_absences_and_norm_settings_are_logged(client, build):
    admin, worker, _n, _s = admin_and_worker(build)
    login(client, admin)
    client.post("/admin/teams", data={"name": "Oost", "csrf_token": csrf_token(client, "/admin/teams")})
    url = f"/admin/users/{worker.id}"
    client.post(f"{url}/absences", data={
        "from_date": "2026-03-23", "to_date": "2026-03-27", "csrf_token": csrf_token(client, url)})
    absence_id = changes(object_type="absence")[0].object_id
    client.post(f"{url}/absences/{absence_id}/delete", data={"csrf_token": csrf_token(client, url)})
    from caseload.norms.registry import SETTINGS, load_all
    from caseload.norms.settings import NormSettings
    load_all()
    defaults = NormSettings()
    norms = {name: str(getattr(defaults, name)) for name in SETTINGS}
    norms["clients_per_fte"] = "20"
    client.post("/admin/norms", data={**norms, "csrf_token": csrf_token(client, "/admin/norms")})

    assert as_fields(changes(object_type="team")) == {"name": ("", "Oost")}
    absence = changes(object_type="absence")
    assert [(r.action, r.field, r.old_value, r.new_value) for r in absence] == [
        ("create", "from_date", "", "2026-03-23"), ("create", "to_date", "", "2026-03-27"),
        ("delete", "from_date", "2026-03-23", ""), ("delete", "to_date", "2026-03-27", "")]
    assert {r.object_label for r in absence} == {"wim@example.org"}  # no cover: no cover row
    assert as_fields(changes(object_type="norm_setting")) == {"clients_per_fte": ("25", "20")}


def test_password_change_and_two_factor_reset_helpers_log_without_the_secret(app, build):
    _admin, worker, _n, _s = admin_and_worker(build)
    with app.test_request_context("/"):
        worker.set_password(NEW_PASSWORD)
        audit.password_changed(worker)
        audit.two_factor_reset(worker)
        db.session.commit()
    rows = changes(object_id=worker.id)
    assert as_fields(rows) == {"password": ("", "set"), "two_factor": ("", "reset")}
    assert {(r.actor_email, r.actor_role) for r in rows} == {("system", "system")}


def test_the_administration_log_refuses_update_and_delete_in_the_database(client, build):
    admin, worker, _n, _s = admin_and_worker(build)
    login(client, admin)
    url = f"/admin/users/{worker.id}"
    client.post(url, data=user_form(worker, role="coordinator", csrf_token=csrf_token(client, url)))
    assert changes()
    for statement in (update(AdminLogEntry).values(new_value="worker"), delete(AdminLogEntry)):
        with pytest.raises(DBAPIError):
            db.session.execute(statement)
            db.session.flush()
        db.session.rollback()
    assert as_fields(changes()) == {"role": ("worker", "coordinator")}


def test_the_page_filters_translates_and_exports_and_reading_it_is_logged(client, build):
    admin, worker, north, _s = admin_and_worker(build)
    login(client, admin)
    url = f"/admin/users/{worker.id}"
    client.post(url, data=user_form(worker, role="coordinator", csrf_token=csrf_token(client, url)))
    client.post("/admin/teams", data={"name": "=HYPERLINK(\"http://x\")",
                                      "csrf_token": csrf_token(client, "/admin/teams")})

    page = client.get("/admin/admin-log?object_type=user")
    table = page.text.split('id="admin-log"')[1]
    assert "wim@example.org" in table and "HYPERLINK" not in table
    assert "IPS-coördinator" in table and "IPS-trajectbegeleider" in table and "Rol" in table
    assert client.get("/admin/admin-log?user=nobody@example.org").text.count("<tr data-") == 0
    assert client.get(f"/admin/admin-log?from={TODAY.isoformat()}&to=9999-12-31").status_code == 200

    export = client.get("/admin/admin-log.csv")
    assert export.mimetype == "text/csv" and export.headers["Cache-Control"] == "no-store"
    rows = list(csv.DictReader(io.StringIO(export.text)))
    assert {(r["object_type"], r["field"], r["old_value"], r["new_value"]) for r in rows} >= {
        ("user", "role", "worker", "coordinator")}
    assert [r["new_value"] for r in rows if r["object_type"] == "team"] == ["'=HYPERLINK(\"http://x\")"]

    db.session.expire_all()
    reads = list(db.session.scalars(select(AccessLogEntry).where(
        AccessLogEntry.record_type == "admin_log").order_by(AccessLogEntry.id)))
    assert [(r.action, r.detail) for r in reads][:2] == [("read", "object_type=user"),
                                                         ("read", "user=nobody@example.org")]
    assert reads[-1].action == "export"


def test_only_administrators_open_the_administration_log(client, build):
    _admin, worker, _n, _s = admin_and_worker(build)
    login(client, worker)
    assert client.get("/admin/admin-log").status_code == 403
    assert client.get("/admin/admin-log.csv").status_code == 403


def test_an_administrator_created_from_the_cli_is_in_the_log_by_the_system(app):
    outcome = app.test_cli_runner().invoke(args=[
        "create-admin", "boss@example.org", "--name", "Baas"],
        input="a long admin secret 7\na long admin secret 7\n")
    assert outcome.exit_code == 0, outcome.output
    rows = changes(object_type="user")
    assert as_fields(rows)["role"] == ("", "admin")
    assert as_fields(rows)["password"] == ("", "set")
    assert {(r.actor_email, r.actor_role, r.action) for r in rows} == {("system", "system", "create")}


def test_imported_users_and_absences_are_logged_by_the_system_and_a_dry_run_logs_nothing(
        app, tmp_path):
    (tmp_path / "workers.csv").write_text(
        "email,name,team,role,fte\nwim@example.org,Wim,Team Noord,worker,1.0\n", encoding="utf-8")
    (tmp_path / "absences.csv").write_text(
        "worker_email,from_date,to_date\nwim@example.org,2026-02-02,2026-02-06\n",
        encoding="utf-8")
    runner = app.test_cli_runner()
    assert runner.invoke(args=["import-data", str(tmp_path), "--dry-run"]).exit_code == 0
    assert changes() == []
    assert runner.invoke(args=["import-data", str(tmp_path)]).exit_code == 0
    assert as_fields(changes(object_type="user")) == {
        "name": ("", "Wim"), "role": ("", "worker"), "fte": ("", "1"), "teams": ("", "Team Noord")}
    assert as_fields(changes(object_type="absence")) == {
        "from_date": ("", "2026-02-02"), "to_date": ("", "2026-02-06")}
    assert {(r.actor_email, r.object_label) for r in changes()} == {("system", "wim@example.org")}

    (tmp_path / "workers.csv").write_text(
        "email,name,team,role,fte\nwim@example.org,Wim,Team Noord,coordinator,1.0\n",
        encoding="utf-8")
    assert runner.invoke(args=["import-data", str(tmp_path)]).exit_code == 0
    wim = db.session.scalar(select(User).where(User.email == "wim@example.org"))
    updated = changes(action="update")
    assert [(r.object_id, r.field, r.old_value, r.new_value) for r in updated] == [
        (wim.id, "role", "worker", "coordinator")]


def test_absences_a_coordinator_enters_for_the_team_are_logged_with_the_cover(client, build):
    team = build.team("Noord")
    coordinator = build.user(team, role="coordinator", email="co@example.org")
    wim = build.user(team, email="wim@example.org")
    sara = build.user(team, email="sara@example.org")
    build.commit()
    login(client, coordinator)
    response = client.post("/team/absences", data={
        "user_id": str(wim.id), "cover_id": str(sara.id), "from_date": "2026-03-23",
        "to_date": "2026-03-27", "csrf_token": csrf_token(client, "/team/absences")})
    assert response.status_code == 302
    [created] = [r.object_id for r in changes(field="from_date")]
    client.post(f"/team/absences/{created}/delete",
                data={"csrf_token": csrf_token(client, "/team/absences")})
    rows = changes(object_type="absence")
    assert [(r.action, r.field, r.old_value, r.new_value) for r in rows] == [
        ("create", "from_date", "", "2026-03-23"), ("create", "to_date", "", "2026-03-27"),
        ("create", "cover", "", "sara@example.org"),
        ("delete", "from_date", "2026-03-23", ""), ("delete", "to_date", "2026-03-27", ""),
        ("delete", "cover", "sara@example.org", "")]
    assert {(r.actor_email, r.actor_role, r.object_label) for r in rows} == \
        {("co@example.org", "coordinator", "wim@example.org")}


def test_a_norm_setting_change_is_shown_with_the_settings_label(client, build):
    from caseload.norms.registry import SETTINGS, load_all
    from caseload.norms.settings import NormSettings
    load_all()
    admin, _worker, _n, _s = admin_and_worker(build)
    login(client, admin)
    defaults = NormSettings()
    norms = {name: str(getattr(defaults, name)) for name in SETTINGS}
    norms["clients_per_fte"] = "20"
    client.post("/admin/norms", data={**norms, "csrf_token": csrf_token(client, "/admin/norms")})
    table = client.get("/admin/admin-log").text.split('id="admin-log"')[1]
    assert 'data-field="clients_per_fte"' in table and ">clients_per_fte<" not in table
