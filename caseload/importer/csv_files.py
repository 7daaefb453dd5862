"""Reading the import files: size, encoding, header and the checks of each value on its own.

Nothing here touches the database; references (an e-mail, a client code) and the model rules are
checked by the loader. Every problem is collected with its file, physical line and column.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Callable

from caseload.models.clients import CLIENT_CODE_PATTERN
from caseload.models.vocab import (
    CONTACT_KINDS, CONTACT_MODES, CONTRACTS, DISCLOSURE_DECISIONS, PHASES, PLACES, ROLES,
    TRAJECTORY_TYPES,
)

MAX_FILE_BYTES = 50 * 1024 * 1024
EARLIEST_DATE = date(2000, 1, 1)
PLACEMENT_DAYS_AHEAD = 14  # Placement.start accepts a start up to two weeks ahead
EMAIL = re.compile(r"^[^@\s,;]+@[^@\s,;]+\.[^@\s,;]+$")
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# No control character has a place in an imported value: a line feed inside a quoted cell would
# break every export and page line, a NUL is refused by PostgreSQL. C0, DEL, C1 and the Unicode
# line and paragraph separators.
CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


@dataclass(frozen=True)
class Problem:
    file: str
    line: int | None
    column: str | None
    reason: str

    def __str__(self) -> str:
        where = [self.file] + ([str(self.line)] if self.line else []) + \
            ([self.column] if self.column else [])
        return f"{':'.join(where)}: {self.reason}"


@dataclass
class Row:
    line: int
    values: dict[str, object]

    def __getitem__(self, column: str):
        return self.values[column]


@dataclass
class ParsedFile:
    name: str
    rows: list[Row] = field(default_factory=list)
    rejected: list[dict[str, str]] = field(default_factory=list)  # raw values of bad rows
    readable: bool = True


class BadValue(ValueError):
    pass


Parser = Callable[[str], object]


# --- parsers of single values: return the typed value or raise BadValue with the reason ---

def text(max_length: int, required: bool = True) -> Parser:
    def parse(value: str) -> str:
        if required and not value:
            raise BadValue("must not be empty")
        if len(value) > max_length:
            raise BadValue(f"is {len(value)} characters long; at most {max_length} fit")
        control = CONTROL.search(value)
        if control:
            raise BadValue(f"holds a control character (U+{ord(control.group()):04X}, e.g. a "
                           f"line break) at character {control.start() + 1}; remove it")
        return value
    return parse


def client_code(value: str) -> str:
    """The new-client form's rule (models.clients.CLIENT_CODE_PATTERN)."""
    value = text(40)(value)
    if not re.match(CLIENT_CODE_PATTERN, value):
        raise BadValue(f"'{value}' is not a client code: use letters, digits, '.', '_' or '-' "
                       "only")
    return value


def email(value: str) -> str:
    if not value:
        raise BadValue("must not be empty")
    if len(value) > 254 or not EMAIL.match(value):
        raise BadValue(f"'{value}' is not an e-mail address")
    return value.lower()


def token(vocabulary: dict) -> Parser:
    def parse(value: str) -> str:
        if value.lower() not in vocabulary:
            shown = f"'{value}'" if value else "empty"
            raise BadValue(f"{shown} is not one of: {', '.join(vocabulary)}")
        return value.lower()
    return parse


def iso_date(latest: date, required: bool = True) -> Parser:
    def parse(value: str) -> date | None:
        if not value and not required:
            return None
        try:
            if not ISO_DATE.match(value):
                raise ValueError
            day = date.fromisoformat(value)
        except ValueError:
            raise BadValue(f"'{value}' is not a date written as YYYY-MM-DD "
                           f"(e.g. {latest.isoformat()})") from None
        if day < EARLIEST_DATE:
            raise BadValue(f"{value} is before {EARLIEST_DATE.isoformat()}")
        if day > latest:
            raise BadValue(f"{value} is after {latest.isoformat()}; "
                           "dates in the future are not accepted here")
        return day
    return parse


def whole_number(low: int, high: int) -> Parser:
    def parse(value: str) -> int:
        if not re.fullmatch(r"\d+", value) or not low <= int(value) <= high:
            raise BadValue(f"must be a whole number from {low} to {high}")
        return int(value)
    return parse


def number(low: Decimal, high: Decimal, places: int, *, above_low: bool = False,
           required: bool = True) -> Parser:
    lower = f"above {low}" if above_low else f"from {low}"
    rule = f"must be a number {lower} to {high} with at most {places} decimals, " \
           "written with a dot (0.8)" + ("" if required else ", or empty")

    def parse(value: str) -> Decimal | None:
        if not value and not required:
            return None
        try:
            if not re.fullmatch(r"\d+(\.\d+)?", value):
                raise InvalidOperation
            amount = Decimal(value)
        except InvalidOperation:
            raise BadValue(rule) from None
        too_low = amount <= low if above_low else amount < low
        if too_low or amount > high or -amount.as_tuple().exponent > places:
            raise BadValue(rule)
        return amount
    return parse


def yes_no(value: str) -> bool:
    if value.lower() not in ("yes", "no"):
        raise BadValue(f"'{value}' is not one of: yes, no")
    return value.lower() == "yes"


def columns_of(today: date) -> dict[str, dict[str, Parser]]:
    """The seven files in the order they are loaded (each may refer to the ones before it)."""
    past = iso_date(today)
    return {
        "workers.csv": {"email": email, "name": text(120), "team": text(120, required=False),
                        "role": token(ROLES),
                        "fte": number(Decimal(0), Decimal("1.5"), 2)},
        "absences.csv": {"worker_email": email, "from_date": past, "to_date": past},
        "clients.csv": {"client_code": client_code, "worker_email": email,
                        "program_entry_date": past, "trajectory_type": token(TRAJECTORY_TYPES),
                        "phase": token(PHASES)},
        "disclosures.csv": {"date": past, "client_code": text(40), "worker_email": email,
                            "decision": token(DISCLOSURE_DECISIONS),
                            "note": text(2000, required=False)},
        "benefits_plans.csv": {"date": past, "client_code": text(40), "worker_email": email,
                               "note": text(2000, required=False)},
        "placements.csv": {
            "client_code": text(40), "employer": text(160), "job_title": text(160),
            "job_type": text(120, required=False),
            "start_date": iso_date(today + timedelta(days=PLACEMENT_DAYS_AHEAD)),
            "end_date": iso_date(today, required=False),
            "hours_per_week": number(Decimal(0), Decimal(60), 1, above_low=True),
            "hourly_wage": number(Decimal(0), Decimal("999.99"), 2, required=False),
            "contract": token(CONTRACTS), "competitive": yes_no},
        "contacts.csv": {
            "date": past, "worker_email": email, "kind": token(CONTACT_KINDS),
            "mode": token(CONTACT_MODES), "place": token(PLACES),
            "minutes": whole_number(0, 720), "client_code": text(40, required=False),
            "employer": text(160, required=False), "note": text(500, required=False)},
    }


def _cross_checks(name: str, values: dict) -> list[tuple[str, str]]:
    """Checks between two values of one row."""
    if name == "absences.csv" and values["to_date"] < values["from_date"]:
        return [("to_date", "the last day cannot be before from_date")]
    if name == "placements.csv" and (values["end_date"] or date.max) < values["start_date"]:
        return [("end_date", "a placement cannot end before its start_date")]
    return []


def read_file(path: Path, columns: dict[str, Parser]) -> tuple[ParsedFile, list[Problem]]:
    name = path.name
    parsed = ParsedFile(name)
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        parsed.readable = False
        return parsed, [Problem(name, None, None,
                                f"the file is {size / 1024 / 1024:.1f} MB; files over "
                                f"{MAX_FILE_BYTES // 1024 // 1024} MB are refused, split it")]
    data = path.read_bytes()
    try:
        content = data.decode("utf-8-sig")  # Excel's "CSV UTF-8" starts with a BOM
    except UnicodeDecodeError as error:
        parsed.readable = False
        return parsed, [_encoding_problem(name, data, error)]
    problems: list[Problem] = []
    reader = csv.reader(io.StringIO(content, newline=""))
    try:
        header = next(reader, None)
        if header is None:
            parsed.readable = False
            return parsed, [Problem(name, 1, None, "the file is empty; the first line must be "
                                    f"the header: {','.join(columns)}")]
        header = [cell.strip().lower() for cell in header]
        problems = _header_problems(name, header, columns)
        if problems:
            parsed.readable = False
            return parsed, problems
        previous_end = reader.line_num
        for record in reader:
            line, previous_end = previous_end + 1, reader.line_num
            _read_row(parsed, problems, line, header, record, columns)
    except csv.Error as error:
        parsed.readable = False
        problems.append(Problem(name, reader.line_num, None, f"not readable as CSV ({error})"))
    return parsed, problems


def _read_row(parsed: ParsedFile, problems: list[Problem], line: int, header: list[str],
              record: list[str], columns: dict[str, Parser]) -> None:
    name = parsed.name
    cells = [cell.strip() for cell in record]
    if not any(cells):
        return  # blank lines (often at the end of an exported sheet) are not rows
    raw = dict(zip(header, cells))
    if len(cells) != len(header):
        missing = header[len(cells)] if len(cells) < len(header) else None
        problems.append(Problem(name, line, missing, f"the row has {len(cells)} values, the "
                                f"header {len(header)}; check for commas that need quotes"))
        parsed.rejected.append(raw)
        return
    values, found = {}, []
    for column, parse in columns.items():
        try:
            values[column] = parse(raw[column])
        except BadValue as error:
            found.append(Problem(name, line, column, str(error)))
    if not found:
        found = [Problem(name, line, column, reason)
                 for column, reason in _cross_checks(name, values)]
    if found:
        problems.extend(found)
        parsed.rejected.append(raw)
    else:
        parsed.rows.append(Row(line, values))


def _header_problems(name: str, header: list[str], columns: dict) -> list[Problem]:
    expected = ",".join(columns)
    if len(header) == 1 and ";" in header[0]:
        return [Problem(name, 1, None, "the header is separated by semicolons; save the file "
                        f"comma-separated, with the header {expected}")]
    problems = []
    for position, column in enumerate(header):
        if column not in columns:
            problems.append(Problem(name, 1, column or f"(column {position + 1})",
                                    f"unknown column; the header must be {expected}"))
        elif header.index(column) != position:
            problems.append(Problem(name, 1, column, "column appears twice"))
    problems += [Problem(name, 1, column, f"column missing; the header must be {expected}")
                 for column in columns if column not in header]
    return problems


def _encoding_problem(name: str, data: bytes, error: UnicodeDecodeError) -> Problem:
    line = data.count(b"\n", 0, error.start) + 1
    line_start = data.rfind(b"\n", 0, error.start) + 1
    column = None
    if line > 1:  # name the column: count the cells before the bad byte on its line
        header_line = data[:data.find(b"\n")].decode("utf-8-sig", errors="replace")
        header = [cell.strip().lower() for cell in next(csv.reader([header_line]), [])]
        before = data[line_start:error.start].decode("utf-8", errors="replace")
        position = len(next(csv.reader([before]), [""])) - 1 if before else 0
        column = header[position] if position < len(header) else None
    return Problem(name, line, column,
                   f"not UTF-8 text (byte 0x{data[error.start]:02x}); save the file as "
                   "'CSV UTF-8' and import it again")
