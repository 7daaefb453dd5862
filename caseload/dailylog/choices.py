"""The clients a worker may log a contact for: the caller's teams' clients with an open
trajectory (caseload/scope.py), the worker's own first. The daily log sends them once, in one
datalist, whatever its number of lines; a line names its client by client code, and the
server accepts only a code of this list."""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

from markupsafe import Markup
from sqlalchemy import select

from caseload.models import Client, Trajectory
from caseload.scope import clients_of


@dataclass(frozen=True)
class ClientChoice:
    id: int
    code: str
    name: str
    mine: bool

    @property
    def label(self) -> str:
        return f"{self.code} {self.name}".strip()


class ClientChoices:
    """The choices in the order the page shows them (own clients, then the team's, each by
    code), found by code: exactly, or ignoring case when that names one client."""

    def __init__(self, choices: list[ClientChoice]):
        self.all = choices
        self._by_code = {c.code: c for c in choices}
        folded: dict[str, list[ClientChoice]] = {}
        for choice in choices:
            folded.setdefault(choice.code.casefold(), []).append(choice)
        self._by_folded = {key: found[0] for key, found in folded.items() if len(found) == 1}
        self._by_id = {c.id: c for c in choices}

    def find(self, code: str | None) -> ClientChoice | None:
        code = (code or "").strip()
        return self._by_code.get(code) or self._by_folded.get(code.casefold())

    def by_id(self, client_id: int) -> ClientChoice | None:
        return self._by_id.get(client_id)

    @property
    def ids(self) -> list[int]:
        return list(self._by_id)

    def datalist_options(self) -> Markup:
        """The `<option>`s of the page's one datalist (value: the code, text: the name; the
        worker's own marked data-mine), escaped here in one pass: a team's clients through
        Jinja's escaping cost more than the rest of the page."""
        return Markup("".join(
            f'<option value="{escape(c.code)}"{" data-mine" if c.mine else ""}>'
            f'{escape(c.name)}</option>' for c in self.all))


def client_choices(session, team_ids, worker_id: int) -> ClientChoices:
    """One statement, columns only (no Client objects: at 800 clients those cost more than the
    query)."""
    rows = session.execute(
        select(Client.id, Client.client_code, Client.name, Trajectory.worker_id)
        .join(Trajectory, (Trajectory.client_id == Client.id) & Trajectory.ended_on.is_(None))
        .where(clients_of(team_ids))
        .order_by(Client.client_code)).all()
    mine: dict[int, ClientChoice] = {}
    team: dict[int, ClientChoice] = {}
    for client_id, code, name, holder in rows:
        if holder == worker_id:
            mine[client_id] = ClientChoice(client_id, code, name or "", True)
    for client_id, code, name, _holder in rows:
        if client_id not in mine:
            team.setdefault(client_id, ClientChoice(client_id, code, name or "", False))
    return ClientChoices([*mine.values(), *team.values()])
