"""The import files' columns and the checks of each value on its own; the table of one file
(from a CSV file or a workbook sheet, importer/sources.py) checked row by row.

Nothing here touches the database; references (an e-mail, a client code) and the model rules are
checked by the loader. Every problem is collected with its file, physical line and column.
Values may be written as Dutch Excel writes them: dates as dd-mm-yyyy as well as yyyy-mm-dd,
decimals with a comma (0,8) as well as a dot.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Callable

from flask_babel import ngettext

from caseload import typed_text
from caseload.models.base import (
    NOTE_LENGTH,
    PROFILE_TEXT_LENGTH,
    NotAnAmount,
    decimal_places,
    length_of,
    places_of,
    read_amount,
    read_whole_number,
)
from caseload.models.clients import CLIENT_CODE_PATTERN, Client, normalise_client_code
from caseload.models.contacts import Contact
from caseload.models.employers import Employer
from caseload.models.people import Team, User
from caseload.models.placements import Placement
from caseload.models.vocab import (
    CONTACT_KINDS,
    CONTACT_MODES,
    CONTRACTS,
    DISCLOSURE_DECISIONS,
    END_REASONS,
    FUNDERS,
    PHASES,
    PLACEMENT_END_REASONS,
    PLACEMENT_TYPES,
    PLACES,
    ROLES,
    TRAJECTORY_TYPES,
)
from caseload.translating import gettext as _

MAX_FILE_BYTES = 50 * 1024 * 1024
EARLIEST_DATE = date(2000, 1, 1)
PLACEMENT_DAYS_AHEAD = 14  # Placement.start accepts a start up to two weeks ahead
EMAIL = re.compile(r"^[^@\s,;]+@[^@\s,;]+\.[^@\s,;]+$")
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# No control character has a place in a one-line imported value: a line feed inside a quoted
# cell would break every export and page line, a NUL is refused by PostgreSQL. C0, DEL, C1 and
# the Unicode line and paragraph separators. Multi-line texts (the fields that are textareas in
# the forms: notes and the vocational profile) may hold line breaks (CR, LF) and tabs, as a
# textarea does; every other control character stays refused.
CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
CONTROL_IN_MULTILINE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029]")
DUTCH_DATE = re.compile(r"^(\d{1,2})-(\d{1,2})-(\d{4})$")   # Excel's nl-NL short date


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
    label: str = ""            # as named in messages: the file, or the workbook's sheet
    format: str = ""           # how it was read (encoding, delimiter), importer/sources.py
    forms_seen: dict[str, int] = field(default_factory=dict)   # date and decimal spellings

    def __post_init__(self):
        self.label = self.label or self.name

    def describe(self) -> str:
        """How the file was read, e.g. 'Windows-1252, semicolons; dates dd-mm-yyyy; decimal
        commas'."""
        parts = [self.format] if self.format else []
        dates = [form for form in ("dd-mm-yyyy", "yyyy-mm-dd") if self.forms_seen.get(form)]
        if dates:
            parts.append(_("dates %(forms)s", forms=_both(dates)))
        decimals = [said for form, said in (("decimal commas", _("decimal commas")),
                                            ("decimal dots", _("decimal dots")))
                    if self.forms_seen.get(form)]
        if decimals:
            parts.append(_both(decimals))
        return "; ".join(parts)


def _both(forms: list[str]) -> str:
    return forms[0] if len(forms) == 1 else _("%(first)s and %(second)s", first=forms[0],
                                              second=forms[1])


def too_big(size: int, what: str = "file") -> str:
    megabytes, most = f"{size / 1024 / 1024:.1f}", MAX_FILE_BYTES // 1024 // 1024
    if what == "workbook":
        return _("the workbook is %(size)s MB; files over %(most)d MB are refused, split it",
                 size=megabytes, most=most)
    return _("the file is %(size)s MB; files over %(most)d MB are refused, split it",
             size=megabytes, most=most)


class BadValue(ValueError):
    pass


Parser = Callable[[str], object]


# --- parsers of single values: return the typed value or raise BadValue with the reason ---

def text(limit, required: bool = True, multiline: bool = False,
         free_text: bool | None = None) -> Parser:
    """Text of at most `limit` characters: a number, or a String column (Client.client_code),
    whose length the model gives (the forms read the same, forms_common.fits).
    multiline: a textarea's text, where line breaks (CR, LF) and tabs belong; they are kept
    as written, as the form keeps a textarea's lines.
    free_text (by default: multiline): a note, not a name or an identifier, for the rule on
    characters that show nothing (caseload/typed_text.py, the forms' rule too)."""
    max_length = limit if isinstance(limit, int) else length_of(limit)
    forbidden = CONTROL_IN_MULTILINE if multiline else CONTROL
    hidden_in = typed_text.hidden_in_free_text if (multiline if free_text is None else free_text) \
        else typed_text.hidden_in_name

    def parse(value: str) -> str:
        if required and not value:
            raise BadValue(_("must not be empty"))
        if len(value) > max_length:
            raise BadValue(_("is %(length)d characters long; at most %(most)d fit",
                             length=len(value), most=max_length))
        control = forbidden.search(value)
        if control:
            code = f"U+{ord(control.group()):04X}"
            if multiline:
                raise BadValue(_("holds a control character (%(code)s) at character "
                                 "%(position)d; remove it", code=code,
                                 position=control.start() + 1))
            raise BadValue(_("holds a control character (%(code)s, e.g. a line break) at "
                             "character %(position)d; remove it", code=code,
                             position=control.start() + 1))
        hidden = hidden_in(value)
        if hidden is not None and hidden.turns_direction:
            raise BadValue(_("holds a character that turns the text direction (%(code)s) at "
                             "character %(position)d; remove it", code=hidden.code,
                             position=hidden.position))
        if hidden is not None:
            raise BadValue(_("holds an invisible character (%(code)s) at character "
                             "%(position)d; remove it, else two names that look the same are "
                             "different", code=hidden.code, position=hidden.position))
        return value
    return parse


def client_code(value: str) -> str:
    """The new-client form's rule (models.clients.CLIENT_CODE_PATTERN), in upper case as
    codes are stored (c-001 is client C-001)."""
    value = text(Client.client_code)(value)
    if not re.match(CLIENT_CODE_PATTERN, value):
        raise BadValue(_("'%(value)s' is not a client code: use letters, digits, '.', '_' or "
                         "'-' only", value=value))
    return normalise_client_code(value)


def client_reference(required: bool = True) -> Parser:
    """The code of a client of clients.csv or of Caseload, in any case (c-001 is C-001)."""
    parse_text = text(Client.client_code, required=required)

    def parse(value: str) -> str:
        return normalise_client_code(parse_text(value))
    return parse


def email(value: str) -> str:
    if not value:
        raise BadValue(_("must not be empty"))
    if len(value) > length_of(User.email) or not EMAIL.match(value):
        raise BadValue(_("'%(value)s' is not an e-mail address", value=value))
    return value.lower()


def token(vocabulary: dict, default: str | None = None, required: bool = True) -> Parser:
    """A stored token; empty gives `default` (a column that may be left empty or out)."""
    def parse(value: str) -> str | None:
        if not value and (default is not None or not required):
            return default
        if value.lower() not in vocabulary:
            if not value:
                raise BadValue(_("empty is not one of: %(choices)s",
                                 choices=", ".join(vocabulary)))
            raise BadValue(_("'%(value)s' is not one of: %(choices)s", value=value,
                             choices=", ".join(vocabulary)))
        return value.lower()
    return parse


def iso_date(latest: date, required: bool = True) -> Parser:
    """A date as YYYY-MM-DD, or as DD-MM-YYYY (Dutch Excel); messages show it as ISO."""
    def parse(value: str) -> date | None:
        if not value and not required:
            return None
        try:
            dutch = DUTCH_DATE.match(value)
            if dutch:
                day = date(int(dutch.group(3)), int(dutch.group(2)), int(dutch.group(1)))
            elif ISO_DATE.match(value):
                day = date.fromisoformat(value)
            else:
                raise ValueError
        except ValueError:
            raise BadValue(_("'%(value)s' is not a date written as YYYY-MM-DD or DD-MM-YYYY "
                             "(e.g. %(iso)s or %(dutch)s)", value=value,
                             iso=latest.isoformat(), dutch=latest.strftime("%d-%m-%Y"))) \
                from None
        value = day.isoformat()
        if day < EARLIEST_DATE:
            raise BadValue(_("%(value)s is before %(earliest)s", value=value,
                             earliest=EARLIEST_DATE.isoformat()))
        if day > latest:
            raise BadValue(_("%(value)s is after %(latest)s; dates in the future are not "
                             "accepted here", value=value, latest=latest.isoformat()))
        return day
    return parse


def whole_number(low: int, high: int) -> Parser:
    def parse(value: str) -> int:
        try:
            whole = read_whole_number(value)
        except NotAnAmount:
            whole = None
        if whole is None or not low <= whole <= high:
            raise BadValue(_("must be a whole number from %(low)d to %(high)d", low=low,
                             high=high))
        return whole
    return parse


def number(low: Decimal, high: Decimal, places: int, *, above_low: bool = False,
           required: bool = True) -> Parser:
    def rule() -> str:   # in the language of the request that reads the file
        most = ngettext("at most %(num)d decimal", "at most %(num)d decimals", places)
        if above_low:
            said = _("must be a number above %(low)s to %(high)s with %(decimals)s, written as "
                     "0.8 or 0,8", low=low, high=high, decimals=most)
        else:
            said = _("must be a number from %(low)s to %(high)s with %(decimals)s, written as "
                     "0.8 or 0,8", low=low, high=high, decimals=most)
        return said if required else _("%(rule)s, or empty", rule=said)

    def parse(value: str) -> Decimal | None:
        if not value and not required:
            return None
        try:
            amount = read_amount(value)
        except NotAnAmount:
            raise BadValue(rule()) from None
        too_low = amount <= low if above_low else amount < low
        if too_low or amount > high or decimal_places(amount) > places:
            raise BadValue(rule())
        return amount
    return parse


def yes_no(value: str) -> bool:
    if value.lower() not in ("yes", "no"):
        raise BadValue(_("'%(value)s' is not one of: yes, no", value=value))
    return value.lower() == "yes"


def yes_no_or(default: bool | None) -> Parser:
    """yes or no; empty gives `default` (None: not recorded)."""
    def parse(value: str) -> bool | None:
        return default if not value else yes_no(value)
    return parse


PROFILE_FIELDS = ("preferences", "experience", "skills", "strengths", "adjustments", "network")

# Columns added after the first version of the files: a file without them still imports, as if
# they were empty (their parsers give the default for an empty value).
OPTIONAL_COLUMNS = {
    "clients.csv": {"referral_source", "funder", "in_work_at_referral", "ended_on",
                    "end_reason"},
    "benefits_plans.csv": {"by_benefits_specialist"},
    "placements.csv": {"placement_type", "end_reason"},
}


def columns_of(today: date) -> dict[str, dict[str, Parser]]:
    """The nine files in the order they are loaded (each may refer to the ones before it)."""
    past = iso_date(today)
    return {
        "workers.csv": {"email": email, "name": text(User.name), "team": text(Team.name, required=False),
                        "role": token(ROLES),
                        "fte": number(Decimal(0), Decimal("1.5"), places_of(User.fte))},
        "absences.csv": {"worker_email": email, "from_date": past, "to_date": past},
        "clients.csv": {"client_code": client_code, "worker_email": email,
                        "program_entry_date": past, "trajectory_type": token(TRAJECTORY_TYPES),
                        "phase": token(PHASES),
                        "referral_source": text(Client.referral_source, required=False),
                        "funder": token(FUNDERS, required=False),
                        "in_work_at_referral": yes_no_or(None),
                        "ended_on": iso_date(today, required=False),
                        "end_reason": token(END_REASONS, required=False)},
        "phases.csv": {"client_code": client_reference(), "program_entry_date": past,
                       "phase": token(PHASES), "date": past},
        "profiles.csv": {"client_code": client_reference(),
                         **{name: text(PROFILE_TEXT_LENGTH, required=False, multiline=True)
                            for name in PROFILE_FIELDS}},
        "disclosures.csv": {"date": past, "client_code": client_reference(), "worker_email": email,
                            "decision": token(DISCLOSURE_DECISIONS),
                            "note": text(NOTE_LENGTH, required=False, multiline=True)},
        "benefits_plans.csv": {"date": past, "client_code": client_reference(), "worker_email": email,
                               "note": text(NOTE_LENGTH, required=False, multiline=True),
                               "by_benefits_specialist": yes_no_or(False)},
        "placements.csv": {
            "client_code": client_reference(), "employer": text(Employer.name), "job_title": text(Placement.job_title),
            "job_type": text(Placement.job_type, required=False),
            "start_date": iso_date(today + timedelta(days=PLACEMENT_DAYS_AHEAD)),
            "end_date": iso_date(today, required=False),
            "hours_per_week": number(Decimal(0), Placement.MOST_HOURS_PER_WEEK,
                                     places_of(Placement.hours_per_week),
                                     above_low=True),
            "hourly_wage": number(Decimal(0), Placement.MOST_HOURLY_WAGE,
                                  places_of(Placement.hourly_wage),
                                  required=False),
            "contract": token(CONTRACTS), "competitive": yes_no,
            "placement_type": token(PLACEMENT_TYPES, default="paid_job"),
            "end_reason": token(PLACEMENT_END_REASONS, required=False)},
        "contacts.csv": {
            "date": past, "worker_email": email, "kind": token(CONTACT_KINDS),
            "mode": token(CONTACT_MODES), "place": token(PLACES),
            "minutes": whole_number(0, 720), "client_code": client_reference(required=False),
            "employer": text(Employer.name, required=False),
            "note": text(Contact.note, required=False, free_text=True)},
    }


def _cross_checks(name: str, values: dict) -> list[tuple[str, str]]:
    """Checks between two values of one row."""
    if name == "absences.csv" and values["to_date"] < values["from_date"]:
        return [("to_date", _("the last day cannot be before from_date"))]
    if name == "placements.csv" and (values["end_date"] or date.max) < values["start_date"]:
        return [("end_date", _("a placement cannot end before its start_date"))]
    if name == "placements.csv" and values["end_reason"] and not values["end_date"]:
        return [("end_date", _("an end_reason needs the end_date"))]
    if name == "clients.csv" and bool(values["ended_on"]) != bool(values["end_reason"]):
        return [("end_reason", _("an ended trajectory needs its end_reason"))
                if values["ended_on"] else
                ("ended_on", _("an end_reason needs the ended_on date"))]
    if name == "clients.csv" and values["ended_on"] \
            and values["ended_on"] < values["program_entry_date"]:
        return [("ended_on", _("a trajectory cannot end before its program_entry_date"))]
    if name == "phases.csv" and values["date"] < values["program_entry_date"]:
        return [("date", _("a phase change cannot be dated before program_entry_date"))]
    return []


def check_table(parsed: ParsedFile, header: list[str] | None, records, columns: dict[str, Parser],
                ) -> list[Problem]:
    """Check a table: the header (a list of cells, None for an empty file), then each record
    (line, cells) on its own. Rows that pass go to parsed.rows, the others to parsed.rejected."""
    name, label = parsed.name, parsed.label
    if header is None:
        parsed.readable = False
        return [Problem(label, 1, None, _(
            "the file is empty; the first line must be the header: %(header)s",
            header=",".join(required_columns(name, columns))))]
    header = [cell.strip().lower() for cell in header]
    problems = _header_problems(label, header, columns, OPTIONAL_COLUMNS.get(name, set()))
    if problems:
        parsed.readable = False
        return problems
    for line, record in records:
        _read_row(parsed, problems, line, header, record, columns)
    return problems


def required_columns(name: str, columns: dict) -> list[str]:
    return [column for column in columns if column not in OPTIONAL_COLUMNS.get(name, set())]


def _read_row(parsed: ParsedFile, problems: list[Problem], line: int, header: list[str],
              record: list[str], columns: dict[str, Parser]) -> None:
    name, label = parsed.name, parsed.label
    cells = [cell.strip() for cell in record]
    while len(cells) > len(header) and not cells[-1]:
        cells.pop()  # a sheet's empty cells to the right of the table
    if not any(cells):
        return  # blank lines (often at the end of an exported sheet) are not rows
    raw = dict(zip(header, cells))
    if len(cells) != len(header):
        missing = header[len(cells)] if len(cells) < len(header) else None
        problems.append(Problem(label, line, missing, _(
            "the row has %(values)d values, the header %(header)d; check for separators that "
            "need quotes", values=len(cells), header=len(header))))
        parsed.rejected.append(raw)
        return
    values, found = {}, []
    for column, parse in columns.items():
        value = raw.get(column, "")
        try:
            values[column] = parse(value)
        except BadValue as error:
            found.append(Problem(label, line, column, str(error)))
        else:
            _note_form(parsed, value)
    if not found:
        found = [Problem(label, line, column, reason)
                 for column, reason in _cross_checks(name, values)]
    if found:
        problems.extend(found)
        parsed.rejected.append(raw)
    else:
        parsed.rows.append(Row(line, values))


def _note_form(parsed: ParsedFile, value: str) -> None:
    """Count the spellings of dates and decimals, to report how the file was written."""
    if DUTCH_DATE.match(value):
        form = "dd-mm-yyyy"
    elif ISO_DATE.match(value):
        form = "yyyy-mm-dd"
    elif re.fullmatch(r"\d+,\d+", value):
        form = "decimal commas"
    elif re.fullmatch(r"\d+\.\d+", value):
        form = "decimal dots"
    else:
        return
    parsed.forms_seen[form] = parsed.forms_seen.get(form, 0) + 1


def _header_problems(label: str, header: list[str], columns: dict,
                     optional: set[str]) -> list[Problem]:
    expected = ",".join(column for column in columns if column not in optional)
    if optional:
        expected = _("%(columns)s (may also hold: %(optional)s)", columns=expected,
                     optional=",".join(c for c in columns if c in optional))
    problems = []
    for position, column in enumerate(header):
        if column not in columns:
            problems.append(Problem(label, 1, column or f"({position + 1})",
                                    _("unknown column; the header must be %(expected)s",
                                      expected=expected)))
        elif header.index(column) != position:
            problems.append(Problem(label, 1, column, _("column appears twice")))
    problems += [Problem(label, 1, column, _("column missing; the header must be %(expected)s",
                                             expected=expected))
                 for column in columns if column not in header and column not in optional]
    return problems
