"""Where the import tables come from: CSV files as teams save them, or one Excel workbook.

A CSV file may be UTF-8 (with or without the BOM Excel's "CSV UTF-8" writes), Windows-1252
(Excel's "CSV (gescheiden door lijstscheidingsteken)" on a Dutch Windows) or UTF-16 with its
byte-order mark (Excel's "Unicode text"), separated by commas,
semicolons (the Dutch list separator) or tabs; each is detected from the bytes and the header,
and reported. A workbook (.xlsx) holds one sheet per file, named as the file without `.csv`
(`clients`, `contacts`, ...); its problems read sheet:row:column.
"""

from __future__ import annotations

import csv
import io
from datetime import date, datetime, time

from caseload.importer.csv_files import MAX_FILE_BYTES, ParsedFile, Problem, check_table, too_big
from caseload.translating import gettext as _

DELIMITERS = {",": "commas", ";": "semicolons", "\t": "tabs"}


def _separated_by(encoding: str, delimiter: str) -> str:
    names = {",": _("commas"), ";": _("semicolons"), "\t": _("tabs")}
    return _("%(encoding)s, separated by %(delimiter)s", encoding=encoding,
             delimiter=names[delimiter])
# Bytes Windows-1252 leaves undefined: a file holding them is neither UTF-8 nor Windows-1252.
UNDEFINED_1252 = {0x81, 0x8D, 0x8F, 0x90, 0x9D}


def _decode(data: bytes) -> tuple[str | None, str, UnicodeDecodeError | None]:
    """(text, encoding name, the UTF-8 error when neither encoding fits)."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):   # Excel's "Unicode text" (tab-separated)
        try:
            return data.decode("utf-16"), "UTF-16", None
        except UnicodeDecodeError as error:
            return None, "", error
    try:
        return data.decode("utf-8-sig"), "UTF-8", None
    except UnicodeDecodeError as error:
        if any(byte in UNDEFINED_1252 for byte in data):
            return None, "", error
        return data.decode("cp1252"), "Windows-1252", None


def _delimiter(first_line: str, columns: dict) -> str:
    """The separator that splits the header into the most known column names."""
    def known(delimiter):
        cells = next(csv.reader([first_line], delimiter=delimiter), [])
        return sum(1 for cell in cells if cell.strip().lower() in columns)
    return max(DELIMITERS, key=lambda d: (known(d), first_line.count(d)))


def read_csv(name: str, data: bytes, columns: dict) -> tuple[ParsedFile, list[Problem]]:
    parsed = ParsedFile(name)
    if len(data) > MAX_FILE_BYTES:
        parsed.readable = False
        return parsed, [Problem(name, None, None, too_big(len(data)))]
    content, encoding, error = _decode(data)
    if content is None:
        parsed.readable = False
        return parsed, [_encoding_problem(name, data, error, columns)]
    first_line = content.split("\n", 1)[0].rstrip("\r")
    delimiter = _delimiter(first_line, columns)
    parsed.format = _separated_by(encoding, delimiter)
    reader = csv.reader(io.StringIO(content, newline=""), delimiter=delimiter)

    def records():
        previous_end = reader.line_num
        for record in reader:
            line, previous_end = previous_end + 1, reader.line_num
            yield line, record
    try:
        header = next(reader, None)
        return parsed, check_table(parsed, header, records(), columns)
    except csv.Error as problem:
        parsed.readable = False
        return parsed, [Problem(name, reader.line_num, None, _("not readable as CSV (%(problem)s)", problem=str(problem)))]


def _encoding_problem(name: str, data: bytes, error: UnicodeDecodeError, columns) -> Problem:
    line = data.count(b"\n", 0, error.start) + 1
    line_start = data.rfind(b"\n", 0, error.start) + 1
    column = None
    if line > 1:  # name the column: count the cells before the bad byte on its line
        header_line = data[:data.find(b"\n")].decode("utf-8-sig", errors="replace")
        delimiter = _delimiter(header_line, columns)
        header = [cell.strip().lower()
                  for cell in next(csv.reader([header_line], delimiter=delimiter), [])]
        before = data[line_start:error.start].decode("utf-8", errors="replace")
        position = len(next(csv.reader([before], delimiter=delimiter), [""])) - 1 \
            if before else 0
        column = header[position] if position < len(header) else None
    return Problem(name, line, column,
                   _("neither UTF-8 nor Windows-1252 text (byte %(byte)s); save the file as "
                     "'CSV UTF-8' and import it again", byte=f"0x{data[error.start]:02x}"))


def cell_text(value) -> str:
    """A workbook cell as the text a CSV file would hold (dates ISO, numbers as written)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time(0) else value.isoformat(" ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    return str(value)


def read_workbook(workbook_name: str, data: bytes, all_columns: dict,
                  ) -> tuple[dict[str, ParsedFile], list[Problem], list[str]]:
    """The sheets named like the import files: (files by file name, problems, ignored sheets)."""
    from zipfile import BadZipFile

    from openpyxl import load_workbook

    if len(data) > MAX_FILE_BYTES:
        return {}, [Problem(workbook_name, None, None, too_big(len(data), "workbook"))], []
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (BadZipFile, KeyError, OSError, ValueError) as error:
        return {}, [Problem(workbook_name, None, None,
                            _("not readable as an Excel workbook (.xlsx): %(error)s",
                              error=str(error)))], []
    files, problems, ignored = {}, [], []
    try:
        for sheet in workbook.worksheets:
            name = f"{sheet.title.strip().lower()}.csv"
            if name not in all_columns:
                ignored.append(sheet.title)
                continue
            parsed = ParsedFile(name, label=sheet.title.strip(), format=_("Excel sheet"))
            rows = sheet.iter_rows(values_only=True)
            first = next(rows, None)
            header = None if first is None else [cell_text(v) for v in first]
            while header and not header[-1]:
                header.pop()
            records = ((number, [cell_text(v) for v in values])
                       for number, values in enumerate(rows, start=2))
            problems += check_table(parsed, header or None, records, all_columns[name])
            files[name] = parsed
    finally:
        workbook.close()
    return files, problems, ignored
