"""The import from the web: coordinators into their own teams, administrators anywhere; a dry run
that lists what would change and writes nothing, then a confirmation that imports all or
nothing; both in the access log."""

from __future__ import annotations

import io
import re
from datetime import date

from sqlalchemy import func, select

from caseload.extensions import db
from caseload.models import AccessLogEntry, Client, User
from tests.conftest import csrf_token, login
from tests.test_import_formats import DATA, comma_csv, workbook


def upload(client, files: dict[str, bytes]):
    token = csrf_token(client, "/import/")
    return client.post("/import/", data={
        "csrf_token": token,
        "files": [(io.BytesIO(data), name) for name, data in files.items()]},
        content_type="multipart/form-data")


def confirm_url(page: str) -> str:
    match = re.search(r'action="(/import/[^"]+/confirm)"', page)
    assert match, page
    return match.group(1)


def noord(build, language: str = "en"):
    """The team and its coordinator, who reads English here (the messages' Dutch is checked in
    tests/test_import_texts.py)."""
    team = build.team("Team Noord")
    coordinator = build.user(team, role="coordinator", email="cora@example.org")
    coordinator.language = language
    build.commit()
    return team, coordinator


def test_a_coordinator_uploads_a_workbook_reads_the_dry_run_and_confirms(client, build):
    team, coordinator = noord(build)
    login(client, coordinator)
    page = upload(client, {"teams.xlsx": workbook(DATA)})
    assert page.status_code == 200, page.text
    # Exactly what would be added, per file and line; nothing written yet.
    assert 'data-file="clients.csv"' in page.text
    assert re.search(r'data-change="created" data-line="2"><td>2</td><td>[^<]+</td>'
                     r'<td>C-001 2026-01-05 wim@example.org job_finding</td>', page.text)
    assert 'data-created="3"' in page.text            # three clients
    also = re.search(r'id="also-created">[^<]*', page.text).group()
    assert "Café Ré" in also and "Team Noord" not in also     # the coordinator's own team
    assert db.session.scalar(select(func.count(Client.id))) == 0
    db.session.rollback()
    done = client.post(confirm_url(page.text), data={"csrf_token": csrf_token(client, "/import/")})
    assert done.status_code == 200, done.text
    assert 'id="import-done"' in done.text
    codes = set(db.session.scalars(select(Client.client_code)))
    assert codes == {"C-001", "C-002", "C-003"}
    ids = set(db.session.scalars(select(Client.id)))
    log = db.session.execute(select(AccessLogEntry.record_type, AccessLogEntry.action,
                                    AccessLogEntry.client_id)
                             .where(AccessLogEntry.record_type == "import")).all()
    assert ("import", "dry_run", None) in log
    assert {c for _t, action, c in log if action == "import"} == ids | {None}
    # The waiting files are gone: a second confirmation finds nothing.
    again = client.post(confirm_url(page.text), data={"csrf_token": csrf_token(client, "/import/")})
    assert again.status_code == 404


def test_the_dry_run_lists_changes_to_existing_records(client, build):
    team, coordinator = noord(build)
    worker = build.user(team, email="wim@example.org", name="Wim de Vries")
    build.client(worker, code="C-001", entry=date(2026, 1, 5))
    build.commit()
    login(client, coordinator)
    page = upload(client, {"clients.csv": comma_csv(DATA["clients.csv"][:2])})
    assert page.status_code == 200, page.text
    change = re.search(r'<tr data-change="updated" data-line="2">.*?</tr>', page.text)
    assert change, page.text
    assert "in work at referral -&gt; no" in change.group()
    assert "referral source (none) -&gt; FACT Noord" in change.group()
    assert "phase intake -&gt; job_finding" in change.group()
    db.session.expire_all()
    assert db.session.scalar(select(Client.referral_source)) == ""     # a dry run
    db.session.rollback()


def test_problems_are_listed_at_file_line_and_column_and_nothing_waits(client, build):
    team, coordinator = noord(build)
    login(client, coordinator)
    bad = [list(row) for row in DATA["clients.csv"]]
    bad[2][4] = "working"
    page = upload(client, {"workers.csv": comma_csv(DATA["workers.csv"]),
                           "clients.csv": comma_csv(bad)})
    assert page.status_code == 422
    assert "clients.csv:3:phase: &#39;working&#39; is not one of" in page.text
    assert "/confirm" not in page.text
    assert db.session.scalar(select(func.count(User.id))) == 1
    db.session.rollback()


def test_a_coordinator_imports_into_their_own_teams_only(client, build):
    team, coordinator = noord(build)
    west = build.team("Team West")
    dirk = build.user(west, email="dirk@example.org")
    build.client(dirk, code="W-1")
    build.commit()
    login(client, coordinator)
    workers = [DATA["workers.csv"][0], ["new@example.org", "Nieuw", "Team West", "worker", "1"],
               ["dirk@example.org", "Dirk", "Team Noord", "worker", "1"]]
    clients = [DATA["clients.csv"][0],
               ["W-1", "dirk@example.org", "2026-01-05", "ips_epa", "intake", "", "", "", "",
                ""]]
    contacts = [DATA["contacts.csv"][0],
                ["2026-03-16", "dirk@example.org", "client", "face_to_face", "community", "30",
                 "W-1", "", ""]]
    page = upload(client, {"workers.csv": comma_csv(workers), "clients.csv": comma_csv(clients),
                           "contacts.csv": comma_csv(contacts)})
    assert page.status_code == 422
    assert "workers.csv:2:team: Team West is not one of your teams" in page.text
    assert "workers.csv:3:email: dirk@example.org is also in teams other than yours" in page.text
    assert "clients.csv:2:worker_email: no user with e-mail dirk@example.org in your teams" \
        in page.text
    assert "contacts.csv:2:worker_email: no user with e-mail dirk@example.org in your teams" \
        in page.text


def test_workers_get_403_and_a_token_is_its_uploaders_only(client, build, app):
    team, coordinator = noord(build)
    worker = build.user(team)
    other = build.user(team, role="coordinator")
    admin = build.user(role="admin")
    build.commit()
    login(client, worker)
    assert client.get("/import/").status_code == 403
    first = app.test_client()
    login(first, coordinator)
    page = upload(first, {"workers.csv": comma_csv(DATA["workers.csv"])})
    assert page.status_code == 200, page.text
    second = app.test_client()
    login(second, other)
    stolen = second.post(confirm_url(page.text),
                         data={"csrf_token": csrf_token(second, "/import/")})
    assert stolen.status_code == 404
    # An administrator imports into any team (the CLI's rules).
    third = app.test_client()
    login(third, admin)
    west = [DATA["workers.csv"][0], ["new@example.org", "Nieuw", "Team West", "worker", "1"]]
    assert upload(third, {"workers.csv": comma_csv(west)}).status_code == 200
    assert db.session.scalar(select(func.count(User.id))) == 4
    db.session.rollback()


def test_cancel_deletes_the_waiting_files(client, build):
    _team, coordinator = noord(build)
    login(client, coordinator)
    page = upload(client, {"workers.csv": comma_csv(DATA["workers.csv"])})
    url = confirm_url(page.text)
    token = csrf_token(client, "/import/")
    assert client.post(url.replace("/confirm", "/cancel"),
                       data={"csrf_token": token}).status_code == 302
    assert client.post(url, data={"csrf_token": token}).status_code == 404
    assert db.session.scalar(select(func.count(User.id))) == 1
    db.session.rollback()


def test_an_upload_without_files_and_a_broken_workbook_get_clear_messages(client, build):
    _team, coordinator = noord(build)
    login(client, coordinator)
    token = csrf_token(client, "/import/")
    empty = client.post("/import/", data={"csrf_token": token},
                        content_type="multipart/form-data")
    assert empty.status_code == 422
    broken = upload(client, {"teams.xlsx": b"not a zip"})
    assert broken.status_code == 422
    assert "teams.xlsx: not readable as an Excel workbook" in broken.text


def test_the_confirmation_checks_everything_again_and_imports_nothing_on_a_problem(
        client, build, app):
    """Between the dry run and the confirmation someone else used a client code: the import
    is refused as a whole, nothing of it is written."""
    _team, coordinator = noord(build)
    login(client, coordinator)
    page = upload(client, {"workers.csv": comma_csv(DATA["workers.csv"]),
                           "clients.csv": comma_csv(DATA["clients.csv"])})
    assert page.status_code == 200, page.text
    assert 'id="also-created"' in page.text
    west = build.team("Team West")
    build.client(build.user(west), code="C-002")
    build.commit()
    refused = client.post(confirm_url(page.text),
                          data={"csrf_token": csrf_token(client, "/import/")})
    assert refused.status_code == 409
    assert "clients.csv:3:client_code: client code C-002 is in use outside your teams" \
        in refused.text
    assert set(db.session.scalars(select(Client.client_code))) == {"C-002"}
    assert db.session.scalar(select(func.count(User.id))) == 2     # no worker of the files
    db.session.rollback()


def test_garbage_uploads_and_silly_tokens_get_clear_answers_never_a_500(client, build):
    _team, coordinator = noord(build)
    login(client, coordinator)
    png = upload(client, {"clients.csv": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256))})
    assert png.status_code == 422
    assert "clients.csv:1" in png.text
    other = upload(client, {"notes.txt": b"hello"})
    assert other.status_code == 422 and "data-ignored" in other.text
    both = upload(client, {"a.xlsx": workbook(DATA), "clients.csv": b"x"})
    assert both.status_code == 422 and "upload one workbook, or CSV files" in both.text
    token = csrf_token(client, "/import/")
    for silly in ("..", "a" * 300, "%00", "x.y", "meta.json"):
        response = client.post(f"/import/{silly}/confirm", data={"csrf_token": token})
        assert response.status_code == 404, silly
