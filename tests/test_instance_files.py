"""The instance folder and its files are private to the account that runs Caseload (0700 and
0600, whatever the umask), and SQLite runs with secure_delete."""

from __future__ import annotations

import os
import stat
from email.message import EmailMessage
from pathlib import Path

import pytest
from sqlalchemy import text

from caseload import create_app
from caseload.extensions import db
from caseload.instance_files import empty_sqlite_log
from caseload.jobs.locks import FileLock
from caseload.mail.sender import file_sink
from tests.sqlite_files import file_bytes


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def open_umask():
    previous = os.umask(0o022)  # the usual default: new files 0644, folders 0755
    yield
    os.umask(previous)


@pytest.fixture
def fresh_app(tmp_path, monkeypatch, open_umask):
    instance = tmp_path / "instance"
    monkeypatch.setenv("CASELOAD_INSTANCE", str(instance))
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.delenv("SECRET_KEY", raising=False)
    app = create_app({"TESTING": True})
    yield app, instance
    with app.app_context():
        db.engine.dispose()


def test_a_new_instance_is_private(fresh_app):
    app, instance = fresh_app
    with app.app_context():
        db.create_all()
        db.session.execute(text("CREATE TABLE scratch (x TEXT)"))
        db.session.execute(text("INSERT INTO scratch VALUES ('secret')"))
        db.session.commit()
    assert mode(instance) == 0o700
    assert mode(instance / "caseload.db") == 0o600
    assert mode(instance / "secret_key") == 0o600
    assert (instance / "caseload.db").stat().st_size > 0  # the file SQLite wrote is this one


def test_mail_sink_files_and_the_scheduler_lock_are_private(fresh_app):
    app, instance = fresh_app
    mail = EmailMessage()
    mail["Subject"], mail["Message-ID"] = "Digest", "<abc@caseload>"
    mail.set_content("C-1: bel de werkgever")
    with app.app_context():
        sink = file_sink(app.config).open()
        try:
            sink.send(mail)
        finally:
            sink.close()
    folder = instance / "mail"
    assert mode(folder) == 0o700
    files = list(folder.glob("*.eml"))
    assert len(files) == 1 and mode(files[0]) == 0o600
    lock = FileLock(instance / "scheduler.lock")
    assert lock.acquire()
    try:
        assert mode(instance / "scheduler.lock") == 0o600
    finally:
        lock.handle.close()


def test_an_old_instance_made_world_readable_is_closed_at_start(
        tmp_path, monkeypatch, open_umask):
    instance = tmp_path / "old"
    instance.mkdir(mode=0o755)
    (instance / "caseload.db").touch(mode=0o644)
    (instance / "secret_key").write_text("k" * 64)
    os.chmod(instance / "secret_key", 0o644)
    monkeypatch.setenv("CASELOAD_INSTANCE", str(instance))
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.delenv("SECRET_KEY", raising=False)
    app = create_app({"TESTING": True})
    assert app.config["SECRET_KEY"] == "k" * 64
    assert mode(instance) == 0o700
    assert mode(instance / "caseload.db") == 0o600
    assert mode(instance / "secret_key") == 0o600


def test_sqlite_journal_files_take_the_private_mode(fresh_app):
    app, instance = fresh_app
    with app.app_context():
        connection = db.engine.connect()  # the write-ahead log is the default (below)
        connection.exec_driver_sql("CREATE TABLE scratch (x TEXT)")
        connection.exec_driver_sql("INSERT INTO scratch VALUES ('secret')")
        connection.commit()
        assert mode(instance / "caseload.db-wal") == 0o600
        assert mode(instance / "caseload.db-shm") == 0o600
        connection.close()


def test_sqlite_runs_with_secure_delete(fresh_app):
    app, _instance = fresh_app
    with app.app_context():
        assert db.session.execute(text("PRAGMA secure_delete")).scalar() == 1
        db.session.commit()


def test_sqlite_keeps_a_write_ahead_log_synced_on_every_commit(fresh_app):
    """WAL with synchronous=FULL: a commit is on disk in the -wal file before it returns (the
    durability of the rollback journal), and the log is cut back after checkpoints."""
    app, _instance = fresh_app
    with app.app_context():
        assert db.session.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert db.session.execute(text("PRAGMA synchronous")).scalar() == 2  # FULL
        assert db.session.execute(text("PRAGMA journal_size_limit")).scalar() == 0
        db.session.commit()


def test_an_erased_text_stays_in_neither_the_database_nor_its_log(fresh_app):
    """While the server runs (its connections open), the -wal file would still hold the page
    as it was written: after the erasure's checkpoint it holds nothing, and secure_delete has
    overwritten the text in the database file."""
    app, instance = fresh_app
    secret = "geheime-notitie-" + "y" * 200
    with app.app_context():
        _write_and_delete(secret)
        wal = instance / "caseload.db-wal"
        assert secret.encode() in file_bytes(wal)  # what the checkpoint is for
        empty_sqlite_log(db.session.connection())
        assert file_bytes(wal, missing_ok=True) == b""
        assert secret.encode() not in file_bytes(instance / "caseload.db")
        db.session.commit()


def test_a_deleted_note_does_not_stay_in_the_database_file(fresh_app):
    app, instance = fresh_app
    secret = "geheime-notitie-" + "x" * 200
    with app.app_context():
        _write_and_delete(secret)
        db.engine.dispose()
    assert secret.encode() not in file_bytes(instance / "caseload.db")


def _write_and_delete(secret: str) -> None:
    db.session.execute(text("CREATE TABLE scratch (x TEXT)"))
    db.session.execute(text("INSERT INTO scratch VALUES (:s)"), {"s": secret})
    db.session.commit()
    db.session.execute(text("DELETE FROM scratch"))
    db.session.commit()


def _database_seen_from(cwd: Path, env: dict, read: bool = True) -> str:
    """Start the app factory in a fresh process in `cwd`; print its database URI and instance
    path and (with `read`) what the scratch table holds."""
    import subprocess
    import sys
    script = ("from sqlalchemy import text\n"
              "from caseload import create_app\n"
              "from caseload.extensions import db\n"
              "app = create_app()\n"
              "print(app.config['SQLALCHEMY_DATABASE_URI'], app.instance_path)\n")
    if read:
        script += ("with app.app_context():\n"
                   "    print(db.session.execute(text('SELECT x FROM scratch')).scalar())\n")
    done = subprocess.run([sys.executable, "-c", script], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_the_app_opens_the_same_database_from_any_directory(tmp_path):
    """Without CASELOAD_INSTANCE the instance folder is Flask's `app.instance_path` (beside the
    package in a checkout), not the current directory: started elsewhere, the app (and so the
    `flask` CLI) opens the same SQLite file and makes no new, empty one there. (The checkout's
    own database is not read or written here: it may hold someone's demo.)"""
    env = {key: value for key, value in os.environ.items()
           if key not in ("CASELOAD_INSTANCE", "DATABASE_URL")}
    env.update(SECRET_KEY="test-secret")
    expected = Path(__file__).resolve().parent.parent / "instance"
    for cwd in (tmp_path, Path("/"), expected.parent / "tests"):
        seen = _database_seen_from(cwd, env, read=False)
        assert seen.split() == [f"sqlite:///{expected / 'caseload.db'}", str(expected)]
    assert list(tmp_path.iterdir()) == []


def test_caseload_instance_names_the_folder_and_its_data_are_found(tmp_path):
    """CASELOAD_INSTANCE chooses the folder (a relative one from the start directory)."""
    import sqlite3
    folder = tmp_path / "here"
    folder.mkdir()
    with sqlite3.connect(folder / "caseload.db") as connection:
        connection.execute("CREATE TABLE scratch (x TEXT)")
        connection.execute("INSERT INTO scratch VALUES ('the data are there')")
    env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    env.update(SECRET_KEY="test-secret")
    for cwd, named in ((tmp_path, "here"), (Path("/"), str(folder))):
        env["CASELOAD_INSTANCE"] = named
        seen = _database_seen_from(cwd, env).splitlines()
        assert seen == [f"sqlite:///{folder / 'caseload.db'} {folder}", "the data are there"]
