"""Writes through one unit of work: commit when the block ends, roll back on any error.

    with unit_of_work():                      # an error rolls back and is raised
        erase_client(db.session, client, ...)

    with unit_of_work(expected=DomainError) as work:
        trajectory.change_phase(...)           # a refused change rolls back and is kept
    if work.failed:
        attach_error(form, work.error)         # the page shows it at the field

The commit is inside the unit: an error the commit raises (a parallel save's StaleDataError,
a unique key another request won) rolls back like any other. Either way nothing of the block
is left half-written in the session: a rollback also drops what the block added before the
error (an employer created for a daily log that is then refused).

A job run is one unit (jobs/runs.py: a failing job rolls back only itself, is logged and
recorded, and the other jobs run); the jobs' own units sit inside it.

A view whose write has no error of its own to show may end with a plain `db.session.commit()`:
an error there is a 500, and the request's session is rolled back (web.py's error handler and
the app context's teardown). Every write that handles its error, by showing it, raising it or
going on with the next record, goes through here.
"""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass


@dataclass
class Work:
    """What became of one unit of work: `error` is the expected error that rolled it back."""

    error: BaseException | None = None

    @property
    def failed(self) -> bool:
        return self.error is not None


@contextmanager
def unit_of_work(session=None, *, expected: type[BaseException] | tuple = ()):
    """Commit the session when the block ends; roll back on an error. Errors of the
    `expected` types are kept in `work.error` (the block ends there; nothing is committed),
    any other error is raised after the rollback. `session` defaults to the app's session."""
    if session is None:
        from caseload.extensions import db
        session = db.session
    work = Work()
    try:
        yield work
        session.commit()
    except expected as error:
        session.rollback()
        work.error = error
    except BaseException:
        session.rollback()
        raise
