"""The signals review's statements (review/queries.py: built once, the teams' signals as two
index-served parts, scope.signals_of_teams) list the signals of the one definition
(open_signals_query, signals_of), in its order, page by page: for each team and both, with
the norm and worker filters, whatever the signal is about (erased and other teams' clients,
workers' own signals, resolved and acknowledged ones)."""

from __future__ import annotations

import pytest
from sqlalchemy import or_, select

from caseload.extensions import db
from caseload.models import Signal
from caseload.paging import paginate
from caseload.review import queries
from caseload.signals import open_signals_query, team_scope
from tests.test_signal_lines import signals  # noqa: F401 (the fixture)


@pytest.mark.parametrize("norm", [None, "treatment_team_contact", "caseload_size"])
@pytest.mark.parametrize("who", [None, "worker", "both"])
@pytest.mark.parametrize("teams", [["a"], ["b"], ["a", "b"]])
@pytest.mark.parametrize("page", ["1", "2", "3", "9"])
def test_the_review_pages_are_open_signals_query_pages(signals, norm, who, teams, page):  # noqa: F811
    team_ids = [signals[t] for t in teams]
    worker_id = signals[who].id if who else None
    query = open_signals_query(team_ids=team_ids)
    if norm:
        query = query.where(Signal.norm == norm)
    if worker_id:
        query = query.where(Signal.worker_id == worker_id)
    expected = paginate(db.session, query, per_page=2, args={"page": page})

    shape = (norm is not None, worker_id is not None)
    params = {"team_ids": team_ids, "norm": norm, "worker_id": worker_id}
    got = paginate(db.session, queries.open_signals(*shape), per_page=2, args={"page": page},
                   rows=True, params=params)
    # The page's own statement: the row's columns and its subject (its client, its worker's
    # name) for the page's keys.
    shown = paginate(db.session, queries.open_signals(*shape), per_page=2, args={"page": page},
                     rows=True, params=params, paged=queries.open_signals_page(*shape))

    assert (got.number, got.pages, got.total) == (expected.number, expected.pages, expected.total)
    assert (shown.number, shown.pages, shown.total) == (got.number, got.pages, got.total)
    assert [(s.id, s.anchor) for s in got.items] == [(s.id, s.anchor) for s in expected.items]
    assert [(s.id, s.norm, s.anchor, s.facts, s.worker_id, s.client_id, s.client_code,
             s.worker_name) for s in shown.items] == [
        (s.id, s.norm, s.anchor, s.facts, s.worker_id, *_subject(s)) for s in expected.items]


def _subject(signal):
    """What a row shows of a signal's subject, read through its relationships."""
    client = signal.trajectory.client if signal.trajectory else None
    return (client.id if client else None, client.client_code if client else None,
            signal.worker.name if signal.worker else None)


@pytest.mark.parametrize("teams", [["a"], ["b"], ["a", "b"]])
def test_the_review_history_is_the_teams_resolved_and_acknowledged_signals(signals, teams):  # noqa: F811
    team_ids = [signals[t] for t in teams]
    db.session.scalars(select(Signal).where(Signal.acknowledged_at.is_not(None))).first() \
        .acknowledged_by = signals["colleague"]  # one named acknowledger
    db.session.commit()
    expected = list(db.session.scalars(
        select(Signal.id).where(team_scope(team_ids), or_(Signal.resolved_at.is_not(None),
                                                          Signal.acknowledged_at.is_not(None)))
        .order_by(Signal.id.desc()).limit(50)))

    got = db.session.connection().execute(queries.history(), {"team_ids": team_ids}).all()

    assert [row.id for row in got] == expected
    for row in got:  # with its subject and who acknowledged it
        signal = db.session.get(Signal, row.id)
        assert (row.client_id, row.client_code, row.worker_name) == _subject(signal)
        assert row.acknowledged_by_name == (
            signal.acknowledged_by.name if signal.acknowledged_by else None)
    assert any(row.acknowledged_by_name for row in got) or teams == ["b"]
    assert expected or teams == ["b"]  # the fixture has some in team A


def test_plain_rows_are_the_rows_with_the_same_fields(signals):  # noqa: F811
    params = {"team_ids": [signals["a"], signals["b"]], "norm": None, "worker_id": None,
              "page_limit": 50, "page_offset": 0}
    got = db.session.connection().execute(queries.open_signals_page(False, False), params).all()

    plain = queries.plain(got)

    assert got and [tuple(row) for row in plain] == [tuple(row) for row in got]
    assert all(row._fields == original._fields for row, original in zip(plain, got))
    assert [row.client_code for row in plain] == [row.client_code for row in got]
    assert queries.plain([]) == []
