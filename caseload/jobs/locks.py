"""One scheduler per database. On PostgreSQL the lock is an advisory lock held by a connection of
the scheduler's own, so it holds across any number of application servers and goes away with
the process (or its connection). On SQLite, one machine by nature, it is a file lock beside the
database file."""

from __future__ import annotations

import fcntl
import os
from pathlib import Path

from flask import Flask
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool

# pg_try_advisory_lock(bigint) key: the ASCII bytes of "caseload". Per database: another
# database on the same server has its own lock with the same key.
ADVISORY_KEY = int.from_bytes(b"caseload", "big")


class FileLock:
    """An exclusive, non-blocking lock on a file; the holder's pid is written into it."""

    def __init__(self, path: str | Path):
        self.path = Path(path)
        self.handle = None

    @property
    def description(self) -> str:
        return f"file lock {self.path}"

    def acquire(self) -> bool:
        from caseload.instance_files import open_private, private_dir
        private_dir(self.path.parent)
        handle = open_private(self.path)
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            handle.close()
            return False
        handle.seek(0)
        handle.truncate()
        handle.write(str(os.getpid()))
        handle.flush()
        self.handle = handle
        return True

    def still_held(self) -> bool:
        return self.handle is not None

    def release(self) -> None:
        if self.handle:
            fcntl.flock(self.handle, fcntl.LOCK_UN)
            self.handle.close()
            self.handle = None


class AdvisoryLock:
    """A session-level PostgreSQL advisory lock on a connection outside the pool (a pooled
    connection would keep the lock after being handed back) and in autocommit (no transaction
    stays open for the scheduler's lifetime)."""

    def __init__(self, url):
        self.url = make_url(url)
        self.engine = None
        self.connection = None

    @property
    def description(self) -> str:
        return f"PostgreSQL advisory lock {ADVISORY_KEY} on database {self.url.database}"

    def acquire(self) -> bool:
        self.engine = self.engine or create_engine(self.url, poolclass=NullPool,
                                                   isolation_level="AUTOCOMMIT")
        connection = self.engine.connect()
        try:
            won = connection.scalar(text("SELECT pg_try_advisory_lock(:key)"),
                                    {"key": ADVISORY_KEY})
        except Exception:
            connection.close()
            raise
        if not won:
            connection.close()
            return False
        self.connection = connection
        return True

    def still_held(self) -> bool:
        """A session-level lock lasts as long as its connection: if the connection answers,
        the lock is ours; if it broke, the database has released the lock."""
        if self.connection is None:
            return False
        try:
            self.connection.scalar(text("SELECT 1"))
            return True
        except Exception:  # noqa: BLE001 - any failure means the connection is gone
            self._drop()
            return False

    def release(self) -> None:
        if self.connection is not None:
            try:
                self.connection.execute(text("SELECT pg_advisory_unlock(:key)"),
                                        {"key": ADVISORY_KEY})
            except Exception:  # noqa: BLE001 - closing the connection releases it anyway
                pass
            self._drop()
        if self.engine is not None:
            self.engine.dispose()
            self.engine = None

    def _drop(self) -> None:
        try:
            self.connection.close()
        except Exception:  # noqa: BLE001
            pass
        self.connection = None


def scheduler_lock(app: Flask) -> FileLock | AdvisoryLock:
    url = make_url(app.config["SQLALCHEMY_DATABASE_URI"])
    if url.get_backend_name() == "postgresql":
        return AdvisoryLock(url)
    if url.get_backend_name() == "sqlite" and url.database and url.database != ":memory:":
        return FileLock(Path(url.database).resolve().with_name(
            Path(url.database).name + ".scheduler-lock"))
    return FileLock(Path(app.config["INSTANCE_DIR"]) / "scheduler.lock")
