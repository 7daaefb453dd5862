"""Fixtures: the app on a real database (SQLite file, or PostgreSQL when
CASELOAD_TEST_DATABASE_URL says so), a test client, logins and data builders."""

from __future__ import annotations

import os
import re
from datetime import date
from pathlib import Path

import pytest
from flask.testing import FlaskClient
from sqlalchemy import event

from caseload import create_app
from caseload.extensions import db
from tests.builders import Builder

pytest_plugins = ["tests.oidc_provider"]  # the OpenID provider for the single sign-on tests

# A Wednesday. Tests fix "today" instead of depending on the real date.
TODAY = date(2026, 3, 18)


@pytest.fixture(scope="session")
def database_url(tmp_path_factory) -> str:
    url = os.environ.get("CASELOAD_TEST_DATABASE_URL")
    if url:
        return worker_database(url, os.environ.get("PYTEST_XDIST_WORKER"))
    return f"sqlite:///{tmp_path_factory.mktemp('db') / 'caseload-test.db'}"


def worker_database(url: str, worker: str | None) -> str:
    """The test database of one pytest-xdist worker (scripts/test runs the suite in several
    processes): the database URL's name with the worker's id appended (caseload_test_gw0, …),
    created on the same server when it does not exist yet (the test role has CREATEDB). The
    suite's own setup drops and creates every table, so a database left from an earlier run is
    reused as it is. A SQLite file gets the worker's id in its name. Without xdist, the URL
    itself."""
    if not worker:
        return url
    from sqlalchemy import create_engine, make_url

    from caseload.config import normalise_database_url
    server = make_url(normalise_database_url(url))
    if server.get_backend_name() == "sqlite":
        path = Path(server.database)
        return server.set(database=str(path.with_stem(f"{path.stem}_{worker}"))).render_as_string()
    name = f"{server.database}_{worker}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            exists = connection.exec_driver_sql(
                "SELECT 1 FROM pg_database WHERE datname = %(name)s", {"name": name}).scalar()
            if not exists:
                connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
    finally:
        admin.dispose()
    return server.set(database=name).render_as_string(hide_password=False)


class IsolatedClient(FlaskClient):
    """Each request runs in its own app context, as in production: its own `g` (login,
    CSRF token) and its own database session, not the test's."""

    def open(self, *args, **kwargs):
        with self.application.app_context():
            return super().open(*args, **kwargs)


@pytest.fixture(scope="session")
def app(database_url, tmp_path_factory):
    instance = tmp_path_factory.mktemp("instance")
    application = create_app({
        "TESTING": True,
        "SQLALCHEMY_DATABASE_URI": database_url,
        "INSTANCE_DIR": str(instance),
        "SECRET_KEY": "test-secret",
        "CASELOAD_TODAY": TODAY,
        # Test passwords are hashed cheaply; tests/test_accounts.py checks scrypt on its own app.
        "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
        # Off for the suite's logins; tests/test_two_factor.py switches it on where it tests it.
        "TWO_FACTOR_REQUIRED_ROLES": (),
        "PASSWORD_LOGIN": True,
        "OIDC_DISCOVERY_URL": "",
    })
    application.test_client_class = IsolatedClient
    with application.app_context():
        db.drop_all()
        db.create_all()
    yield application
    with application.app_context():
        db.session.remove()
        db.drop_all()
        db.engine.dispose()


@pytest.fixture(autouse=True)
def _clean_database(app):
    """Each test starts with empty tables and today's date fixed to TODAY."""
    app.config["CASELOAD_TODAY"] = TODAY
    with app.app_context():
        yield
        db.session.rollback()
        db.session.remove()
        empty_all_tables()


def empty_all_tables() -> None:
    """Delete every row. The logs refuse DELETE (append-only), so tests empty them the way
    only an operator could: TRUNCATE on PostgreSQL, dropping the trigger on SQLite."""
    from caseload.models.audit import APPEND_ONLY_TABLES, append_only_sqlite
    with db.engine.begin() as connection:
        sqlite = connection.dialect.name == "sqlite"
        for table in reversed(db.metadata.sorted_tables):
            if table.name in APPEND_ONLY_TABLES:
                if sqlite:
                    connection.exec_driver_sql(f"DROP TRIGGER IF EXISTS {table.name}_no_delete")
                    connection.execute(table.delete())
                    connection.exec_driver_sql(append_only_sqlite(table.name)[1])
                else:
                    connection.exec_driver_sql(f"TRUNCATE {table.name}")
            else:
                connection.execute(table.delete())


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def build() -> Builder:
    return Builder(db.session, TODAY)


def csrf_token(client, url: str) -> str:
    page = client.get(url)
    match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page.text) or \
        re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert match, f"no CSRF token on {url} ({page.status_code})"
    return match.group(1)


def login(client, user, password: str = Builder.PASSWORD):
    response = client.post("/login", data={
        "email": user.email, "password": password, "csrf_token": csrf_token(client, "/login")})
    assert response.status_code == 302, response.text
    return response


@pytest.fixture
def count_queries(app):
    """Context manager counting the SQL statements a block sends."""
    class Counter:
        def __init__(self):
            self.statements: list[str] = []

        def __enter__(self):
            event.listen(db.engine, "before_cursor_execute", self._record)
            return self

        def __exit__(self, *exc):
            event.remove(db.engine, "before_cursor_execute", self._record)

        def _record(self, conn, cursor, statement, *args):
            self.statements.append(statement)

        @property
        def count(self) -> int:
            return len(self.statements)

    return Counter
