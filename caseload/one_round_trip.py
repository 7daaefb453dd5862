"""Several small reads of plain columns sent as one statement: each read's rows, as it gives
them, from a UNION ALL of typed slots. On PostgreSQL every statement costs the app ~0.1-0.3 ms
of driver and SQLAlchemy work however little it reads, so a page that shows five short lists
pays that once instead of five times.

Each read is a statement of columns (a Select with its own WHERE, GROUP BY, ORDER BY and
LIMIT/OFFSET: it is read as a subquery, so whatever it selects is what comes back) and the
column positions of its ORDER BY, which put its rows back in its order after the
union (a UNION ALL keeps no order of its parts). Every column goes into a slot of its type
(each slot one SQL type in every part, so PostgreSQL can unite them), the other slots of a
part are NULL cast to the slot's type (PostgreSQL types an uncast NULL of two parts as text;
and SQLAlchemy processes the results, SQLite's dates for one, by the first part's types, which
the cast gives where the first part has no such column); a leading literal says which read a
row is of."""

from __future__ import annotations

from collections import namedtuple
from dataclasses import dataclass
from operator import itemgetter

from sqlalchemy import Numeric, Select, cast, literal_column, null, select, union_all


def _slot_kind(sql_type) -> str:
    """Columns share a slot if they have the same type; numbers of the same scale only (the
    slot's type gives SQLite's values their Decimal scale)."""
    if isinstance(sql_type, Numeric):
        return repr(sql_type)
    return type(sql_type).__name__


@dataclass(frozen=True)
class Read:
    name: str
    statement: Select
    # the statement's ORDER BY as (column position, descending) pairs (rows of equal keys
    # come in no particular order, as from the statement itself: give it a total order)
    order: tuple[tuple[int, bool], ...] = ()


class OneRoundTrip:
    """reads sent as one statement; `rows(connection, params)` gives {name: [rows]}, each row
    a named tuple with the statement's column names (as Row._fields), in the statement's order."""

    def __init__(self, reads: list[Read]):
        self.reads = reads
        subqueries = [read.statement.subquery() for read in reads]
        slot_types: dict[tuple, object] = {}  # (type name, n) -> type, in the order first met
        placements = []  # per read: the slot of each of its columns
        for subquery in subqueries:
            seen: dict[str, int] = {}
            placed = []
            for column in subquery.c:
                kind = _slot_kind(column.type)
                n = seen.get(kind, 0)
                seen[kind] = n + 1
                slot_types.setdefault((kind, n), column.type)
                placed.append((kind, n))
            placements.append(placed)
        self._slots = list(slot_types)
        parts = []
        for number, (subquery, placed) in enumerate(zip(subqueries, placements)):
            by_slot = dict(zip(placed, subquery.c))
            parts.append(select(literal_column(str(number)).label("part_no"), *(
                (by_slot[slot] if slot in by_slot
                 else cast(null(), slot_types[slot])).label(f"s{i}")
                for i, slot in enumerate(self._slots))).select_from(subquery))
        self.statement = union_all(*parts)
        index = {slot: i + 1 for i, slot in enumerate(self._slots)}
        self._positions = [tuple(index[slot] for slot in placed) for placed in placements]
        self._tuples = [namedtuple(f"{read.name}_row", list(read.statement.selected_columns.keys()),
                                   rename=True) for read in reads]

    def rows(self, connection, params: dict) -> dict[str, list]:
        found: list[list] = [[] for _ in self.reads]
        for row in connection.execute(self.statement, params):
            found[row[0]].append(row)
        result = {}
        for read, rows, positions, make in zip(self.reads, found, self._positions,
                                               self._tuples):
            shown = [make._make([row[p] for p in positions]) for row in rows]
            for position, descending in reversed(read.order):  # stable: the last key first
                shown.sort(key=itemgetter(position), reverse=descending)
            result[read.name] = shown
        return result
