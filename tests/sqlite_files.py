"""The bytes of a SQLite database file (or its write-ahead log) while this process has
connections to it, for the tests that look for erased text in the files themselves."""

from __future__ import annotations

import subprocess
from pathlib import Path


def file_bytes(path: Path, *, missing_ok: bool = False) -> bytes:
    """The file's bytes as another process reads them. A missing file is an error (a check
    that erased text is not in it would pass on a wrong path), unless missing_ok: b"" then,
    for the write-ahead log, which SQLite may have deleted.

    Not read here: opening and closing the database file in this process drops every POSIX
    lock this process's SQLite connections hold on it (the locks belong to the process, and
    any close() of the file releases them; https://www.sqlite.org/howtocorrupt.html, 2.2).
    Another connection may then take the database for unused, checkpoint and delete the log
    under the others, and the suite's database is corrupted for every test after this one
    ("database disk image is malformed", "disk I/O error" at a later connect)."""
    if not path.exists():
        if missing_ok:
            return b""
        raise FileNotFoundError(path)
    return subprocess.run(["cat", str(path)], check=True, capture_output=True).stdout
