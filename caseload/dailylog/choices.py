"""The clients a worker may log a contact for: the caller's teams' clients with an open
trajectory (caseload/scope.py). A line names its client by client code, and the server accepts
the code of any of these clients.

The page lists only the clients a worker usually logs for (listed_choices: their own, those of
the colleagues they cover today, and those the form's lines or link already name), once for all
lines in one datalist; any other client of the teams is found as the worker types
(matching_clients, behind /log/clients). A team of several hundred clients would otherwise be
read, written into the page and access-logged on every view of it."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from functools import cached_property
from html import escape
from typing import NamedTuple

from markupsafe import Markup
from sqlalchemy import Date, bindparam, case, or_, select

from caseload import text_match
from caseload.models import Absence, Client, Trajectory
from caseload.models.clients import normalise_client_code
from caseload.scope import clients_of


class ClientChoice(NamedTuple):
    """A tuple: a team's clients are a few hundred of these on every view of the page."""
    id: int
    code: str
    name: str
    mine: bool

    @property
    def label(self) -> str:
        return f"{self.code} {self.name}".strip()


class ClientChoices:
    """The choices in the order the page shows them (own clients, then the team's, each by
    code), found by code: exactly, or ignoring case when that names one client. Held as the
    plain (id, code, name, mine) rows they were read as: showing the page needs no more."""

    def __init__(self, rows):
        self._rows = rows

    @cached_property
    def all(self) -> list[ClientChoice]:
        return [ClientChoice(client_id, code, name or "", bool(mine))
                for client_id, code, name, mine in self._rows]

    # The look-ups are made when first asked for: showing the page needs none of them.
    @cached_property
    def _by_code(self) -> dict[str, ClientChoice]:
        return {c.code: c for c in self.all}

    @cached_property
    def _by_folded(self) -> dict[str, ClientChoice]:
        folded: dict[str, list[ClientChoice]] = {}
        for choice in self.all:
            folded.setdefault(choice.code.casefold(), []).append(choice)
        return {key: found[0] for key, found in folded.items() if len(found) == 1}

    @cached_property
    def _by_id(self) -> dict[int, ClientChoice]:
        return {c.id: c for c in self.all}

    def find(self, code: str | None) -> ClientChoice | None:
        code = (code or "").strip()
        return (self._by_code.get(normalise_client_code(code))
                or self._by_folded.get(code.casefold()))

    def by_id(self, client_id: int) -> ClientChoice | None:
        return self._by_id.get(client_id)

    @property
    def ids(self) -> list[int]:
        return [row[0] for row in self._rows]  # each client once (one open trajectory each)

    def datalist_options(self) -> Markup:
        """The `<option>`s of the page's one datalist (value: the code, text: the name; the
        worker's own marked data-mine), written here: a team's clients through Jinja's
        escaping cost more than the rest of the page. Every code and name is escaped in one
        call on their joined text (escaping is per character, so the parts come out as each
        escaped alone; a value holding the separator is escaped alone)."""
        rows = self._rows
        parts = escape(_SEPARATOR.join(
            f"{code}{_SEPARATOR}{name or ''}" for _id, code, name, _mine in rows)).split(
            _SEPARATOR) if rows else []
        if len(parts) != 2 * len(rows):
            parts = [escape(text or "") for _id, code, name, _mine in rows
                     for text in (code, name)]
        texts = iter(parts)
        return Markup("".join(
            f'<option value="{code}"{" data-mine" if row[3] else ""}>{name}</option>'
            for row, code, name in zip(rows, texts, texts)))


_SEPARATOR = "\x00"  # not changed by escaping


@functools.cache
def _choices_statement():
    """Built once per process (building it and its cache key anew cost about as much as
    running it): the teams' clients with an open trajectory, the worker's own first, then by
    code. A client has at most one open trajectory (uq_trajectory_one_open_per_client), so
    each is there once."""
    mine = case((Trajectory.worker_id == bindparam("worker_id"), 1), else_=0)
    return (select(Client.id, Client.client_code, Client.name, mine)
            .join(Trajectory, (Trajectory.client_id == Client.id) & Trajectory.ended_on.is_(None))
            .where(clients_of(bindparam("team_ids", expanding=True)))
            .order_by(mine.desc(), Client.client_code))


def client_choices(session, team_ids, worker_id: int) -> ClientChoices:
    """Every client of the teams a line may name: one statement of plain rows (no Client
    objects, no ORM rows: at 800 clients those cost more than the query), in the page's
    order. A save reads it only when a line's code is not exactly a client's."""
    return ClientChoices(session.connection().execute(
        _choices_statement(), {"worker_id": worker_id, "team_ids": list(team_ids)}).all())


@functools.cache
def _listed_statement():
    """Built once per process, as _choices_statement, restricted to the worker's own clients,
    the clients of the colleagues they cover on `as_of`, and the clients named by code or id."""
    covered = select(Absence.user_id).where(
        Absence.covered_by(bindparam("worker_id"), bindparam("as_of", type_=Date)))
    return _choices_statement().where(or_(
        Trajectory.worker_id == bindparam("worker_id"),
        Trajectory.worker_id.in_(covered),
        Client.client_code.in_(bindparam("codes", expanding=True)),
        Client.id.in_(bindparam("ids", expanding=True))))


def listed_choices(session, team_ids, worker_id: int, as_of, codes=(), ids=()) -> ClientChoices:
    """The choices the page lists: the worker's own clients, then (in the group of the team)
    those of the colleagues the worker covers on `as_of`, and the clients of the teams named
    by `codes` (the lines' codes, as typed: exact) or `ids` (a link's client), each by code."""
    return ClientChoices(session.connection().execute(_listed_statement(), {
        "worker_id": worker_id, "team_ids": list(team_ids), "as_of": as_of,
        "codes": sorted({code for code in codes if code}),
        "ids": sorted({int(i) for i in ids})}).all())


LOOKUP_MIN = 2      # fewer characters find nothing (every code starts with the same letters)
LOOKUP_LIMIT = 10   # a few names to choose from, never the team's list
LOOKUP_MAX = 80     # more is refused (no code or name is this long)


def matching_clients(session, team_ids, worker_id: int, text: str) -> ClientChoices:
    """Up to LOOKUP_LIMIT clients of the teams with an open trajectory whose code starts with
    `text` or whose name contains it (case ignored), those whose code starts with it first,
    then by code. Control characters and runs of spaces are dropped from `text`; with fewer
    than LOOKUP_MIN characters left nothing is found."""
    clean = " ".join("".join(ch for ch in text if ch.isprintable() or ch.isspace()).split())
    if len(clean) < LOOKUP_MIN:
        return ClientChoices([])
    by_code = text_match.starts_with(Client.client_code, clean)
    query = (_choices_statement().where(or_(by_code, text_match.contains(Client.name, clean)))
             .order_by(None).order_by(case((by_code, 0), else_=1), Client.client_code)
             .limit(LOOKUP_LIMIT))
    return ClientChoices(session.connection().execute(
        query, {"worker_id": worker_id, "team_ids": list(team_ids)}).all())


@dataclass(frozen=True)
class NamedClients:
    """The clients a submitted daily log names, found by their exact codes: the choices to
    check the lines against, and the Client objects the contacts are saved with."""
    choices: ClientChoices
    clients: dict[int, Client]


@functools.cache
def _named_statement():
    """Built once per process, as _choices_statement: every save runs it."""
    return (select(Client, Trajectory.worker_id)
            .join(Trajectory, (Trajectory.client_id == Client.id) & Trajectory.ended_on.is_(None))
            .where(clients_of(bindparam("team_ids", expanding=True)),
                   Client.client_code.in_(bindparam("codes", expanding=True))))


def clients_named(session, team_ids, worker_id: int, codes) -> NamedClients | None:
    """The caller's teams' clients with an open trajectory whose code is exactly one of
    `codes` (one short statement, instead of the whole list of choices, for a save), or None
    when a code is not exactly such a client's: then the whole list decides (a code typed in
    another case, or one to refuse). A code is unique, so a code found here is found the same
    way in the whole list (ClientChoices.find takes the exact code first)."""
    codes = sorted({code for code in codes if code})
    if not codes:
        return NamedClients(ClientChoices([]), {})
    rows = session.execute(_named_statement(), {"team_ids": list(team_ids),
                                                "codes": codes}).all()
    if len(rows) != len(codes):
        return None
    rows.sort(key=lambda row: (row[1] != worker_id, row[0].client_code))
    return NamedClients(
        ClientChoices([(client.id, client.client_code, client.name, holder == worker_id)
                       for client, holder in rows]),
        {client.id: client for client, _holder in rows})
