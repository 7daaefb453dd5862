"""The instance folder holds health data (the SQLite database, the mail sink) and the session
key: it is made private to the account that runs Caseload (folder 0700, files 0600), whatever
the umask, and SQLite overwrites deleted content (secure_delete), so an erased client's notes
do not linger in free pages of the database file.

SQLite keeps its journal as a write-ahead log (WAL) with `synchronous=FULL`: every commit is in
the -wal file on disk before it returns (one exception, a read's access-log entry: audit.py) (the same durability as the rollback journal), at a
third to two thirds of the rollback journal's CPU per commit (which creates, syncs and deletes
a journal file for each; bench/sqlite_journal.py) and without readers blocking the writer. The
-wal file holds recently changed pages until SQLite copies them into the database (a
checkpoint, every ~1,000 pages); after each checkpoint it is cut back to what is written since
(journal_size_limit=0), and after an erasure it is emptied at once (`empty_sqlite_log`), so
erased text lingers in neither file."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from sqlalchemy import event
from sqlalchemy.engine import Engine, make_url

PRIVATE_DIR = 0o700
PRIVATE_FILE = 0o600
SQLITE_COMPANIONS = ("-journal", "-wal", "-shm")


def private_dir(path) -> Path:
    folder = Path(path)
    folder.mkdir(mode=PRIVATE_DIR, parents=True, exist_ok=True)
    _chmod(folder, PRIVATE_DIR)  # mkdir's mode is masked by the umask; an old folder stays 0755
    return folder


def write_private(path, data: bytes | str) -> None:
    """Write a file that is never readable by others, not even for a moment."""
    raw = data.encode("utf-8") if isinstance(data, str) else data
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, PRIVATE_FILE)
    try:
        os.fchmod(descriptor, PRIVATE_FILE)
        os.write(descriptor, raw)
    finally:
        os.close(descriptor)


def open_private(path, mode: str = "a+"):
    """Open (creating it 0600 if needed) a text file, e.g. a lock file."""
    descriptor = os.open(path, os.O_RDWR | os.O_CREAT, PRIVATE_FILE)
    os.fchmod(descriptor, PRIVATE_FILE)
    return os.fdopen(descriptor, mode)


def sqlite_path(uri: str) -> Path | None:
    url = make_url(uri)
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        return None
    if url.database.startswith("file:"):
        return None  # a URI filename: left to whoever wrote it
    return Path(url.database)


def init_app(app) -> None:
    """Make the instance folder private, and create the SQLite file 0600 before SQLite does
    (it would use the umask, typically 0644); the journal files SQLite makes take the
    database file's mode."""
    private_dir(app.config["INSTANCE_DIR"])
    database = sqlite_path(app.config["SQLALCHEMY_DATABASE_URI"])
    if database is not None:
        database.parent.mkdir(parents=True, exist_ok=True)
        if not database.exists():
            os.close(os.open(database, os.O_WRONLY | os.O_CREAT, PRIVATE_FILE))
        for path in [database, *(Path(f"{database}{end}") for end in SQLITE_COMPANIONS)]:
            if path.exists():
                _chmod(path, PRIVATE_FILE)


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, _record) -> None:
    if isinstance(dbapi_connection, sqlite3.Connection):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA secure_delete=ON")
        cursor.execute("PRAGMA journal_mode=WAL")  # kept by the file; "memory" for :memory:
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.execute("PRAGMA journal_size_limit=0")
        cursor.close()


def empty_sqlite_log(connection) -> None:
    """After an erasure has committed: copy every page of SQLite's write-ahead log into the
    database file (where secure_delete has overwritten the erased text) and truncate the log to
    nothing, so no earlier copy of the text stays in the -wal file. Nothing on PostgreSQL.
    When a reader holds an old snapshot the copy stops short; the next checkpoint finishes it."""
    if connection.dialect.name == "sqlite":
        connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")


def _chmod(path: Path, mode: int) -> None:
    try:
        os.chmod(path, mode)
    except PermissionError:
        pass  # not ours (a shared mount): the operator's choice
