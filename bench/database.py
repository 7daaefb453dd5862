"""Where the benchmarks' synthetic organisation lives: a SQLite file or a PostgreSQL database.

    sqlite:///bench/out/norms-bench.db               (the default, as --db used to give)
    postgresql://caseload:caseload@127.0.0.1:5432/caseload_bench_x

The generator loads SQLite with sqlite3 executemany in chunks (journal_mode=WAL,
synchronous=OFF for the load only) and PostgreSQL with COPY through psycopg, with the contact
table's secondary indexes dropped during the load and rebuilt afterwards, then VACUUM ANALYZE
(what autovacuum would do soon after any real load). The schema is caseload's own
(db.create_all() through create_app). A sidecar JSON (next to the SQLite file, or
bench/out/<database>.json for PostgreSQL) records the parameters and as_of.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "bench" / "out"
DEFAULT_DB = OUT / "norms-bench.db"


def database_url(db: str | None, url: str | None) -> str:
    """The SQLAlchemy URL from --db (a SQLite file) or --database-url."""
    if url:
        from caseload.config import normalise_database_url
        return normalise_database_url(url)
    return f"sqlite:///{Path(db or DEFAULT_DB).resolve()}"


def is_sqlite(url: str) -> bool:
    return url.startswith("sqlite")


def sqlite_path(url: str) -> Path:
    return Path(url.split(":///", 1)[1])


def libpq_url(url: str) -> str:
    """The URL psycopg itself takes (no '+psycopg' driver suffix)."""
    return re.sub(r"^postgresql\+\w+://", "postgresql://", url)


def meta_path(url: str, sidecar: str | None = None) -> Path:
    if sidecar:
        return Path(sidecar)
    if is_sqlite(url):
        return Path(str(sqlite_path(url)) + ".json")
    OUT.mkdir(parents=True, exist_ok=True)
    return OUT / f"{url.rsplit('/', 1)[1].split('?')[0]}.json"


def label(url: str) -> str:
    return str(sqlite_path(url)) if is_sqlite(url) else re.sub(r"//[^@]*@", "//", url)


@dataclass
class Target:
    url: str
    dialect: str
    connection: object
    label: str
    indexes: list[str] = field(default_factory=list)  # PostgreSQL: rebuilt after the load
    analyze: bool = False
    keep_schema: bool = False  # the test suite's database: no pragmas, no index rebuilding

    def finish(self, tables) -> None:
        if self.dialect == "sqlite":
            self.connection.execute("COMMIT")
            if self.keep_schema:
                self.connection.close()
                return
            if self.analyze:
                self.connection.execute("ANALYZE")
            self.connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            self.connection.execute("PRAGMA journal_mode=DELETE")
            self.connection.close()
            return
        with self.connection.cursor() as cursor:
            for statement in self.indexes:
                cursor.execute(statement)
            for table, column in tables.SERIAL_IDS.items():
                cursor.execute(f"""SELECT setval(pg_get_serial_sequence('"{table}"', '{column}'),
                                   coalesce((SELECT max({column}) FROM "{table}"), 0) + 1,
                                   false)""")
        self.connection.commit()
        if self.keep_schema:
            self.connection.close()
            return
        self.connection.autocommit = True
        self.connection.execute("VACUUM ANALYZE")
        self.connection.close()


def open_target(args, *, reset: bool = True) -> Target:
    """Create the schema (replacing what the generator made before) and open a connection for
    the load. With reset=False the schema must exist and be empty (the test suite's database)."""
    from caseload import create_app
    from caseload.extensions import db

    url = database_url(getattr(args, "db", None), getattr(args, "database_url", None))
    meta = meta_path(url)
    if reset and is_sqlite(url):
        path = sqlite_path(url)
        if path.exists() and not meta.exists() and not args.force:
            raise SystemExit(f"{path} exists and was not made by this generator (no "
                             f"{meta.name}); refusing to replace it without --force")
        path.parent.mkdir(parents=True, exist_ok=True)
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(str(path) + suffix).unlink(missing_ok=True)
    if reset:
        app = create_app({"SQLALCHEMY_DATABASE_URI": url, "TESTING": True})
        with app.app_context():
            if not is_sqlite(url):
                from sqlalchemy import inspect
                if inspect(db.engine).get_table_names() and not meta.exists() and not args.force:
                    raise SystemExit(f"{label(url)} has tables and was not made by this "
                                     f"generator (no {meta}); refusing without --force")
                db.drop_all()
            db.create_all()
            db.session.remove()
            db.engine.dispose()
    if is_sqlite(url):
        import sqlite3
        connection = sqlite3.connect(sqlite_path(url), isolation_level=None)
        if reset:
            connection.execute("PRAGMA journal_mode=WAL")
            connection.execute("PRAGMA synchronous=OFF")
        connection.execute("BEGIN")
        return Target(url, "sqlite", connection, label(url), analyze=args.analyze,
                      keep_schema=not reset)
    import psycopg
    connection = psycopg.connect(libpq_url(url))
    if not reset:
        return Target(url, "postgresql", connection, label(url), keep_schema=True)
    # COPY into a table without its secondary indexes, then build them once.
    rows = connection.execute(
        "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'contact' "
        "AND indexname NOT IN (SELECT conname FROM pg_constraint)").fetchall()
    for name, _definition in rows:
        connection.execute(f'DROP INDEX "{name}"')
    return Target(url, "postgresql", connection, label(url),
                  indexes=[definition for _name, definition in rows])
