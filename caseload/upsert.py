"""INSERT … ON CONFLICT for either database (SQLite and PostgreSQL spell it the same, but
SQLAlchemy has one construct per dialect): the one place that picks the dialect's insert.

    session.execute(insert_or_ignore(session, Employer, on=["name"]).values(name=...))
    session.execute(insert_or_update(session, JobRun, {"job": ..., "last_run_at": ...},
                                     on=["job"], update=["last_run_at"]))

`on` names the columns of the unique index (or primary key) that decides the conflict. Both
keep the statement open for `.returning(...)` and for executemany with a list of rows.
"""

from __future__ import annotations

from sqlalchemy.dialects import postgresql, sqlite


def is_postgresql(session) -> bool:
    return session.get_bind().dialect.name == "postgresql"


def insert_for(session, model):
    """The dialect's INSERT for `model`: the one that knows ON CONFLICT."""
    return (postgresql.insert if is_postgresql(session) else sqlite.insert)(model)


def insert_or_ignore(session, model, *, on: list[str]):
    """INSERT … ON CONFLICT (on) DO NOTHING: a row whose key exists is left as it is."""
    return insert_for(session, model).on_conflict_do_nothing(index_elements=on)


def insert_or_update(session, model, values: dict, *, on: list[str], update: list[str]):
    """INSERT values … ON CONFLICT (on) DO UPDATE the `update` columns to the new values."""
    statement = insert_for(session, model).values(**values)
    return statement.on_conflict_do_update(
        index_elements=on, set_={name: statement.excluded[name] for name in update})
