"""No download holds a cell that a spreadsheet would run as a formula: hostile team names and
client codes come out as text (with a leading apostrophe), numbers stay numeric cells."""

from __future__ import annotations

import csv
import io
from datetime import timedelta
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from caseload.exports import FORMULA_START, safe_cell, safe_row, sheet_row
from caseload.models.clients import normalise_client_code
from caseload.outcomes.tables import TABLE_KEYS
from tests.conftest import TODAY, login

HOSTILE_TEAMS = ['=HYPERLINK("http://evil.example","klik")', "@SUM(1+1)", "+cmd|' /C calc'!A0"]
HOSTILE_CODES = ["+SUM(1+1)", "-2+3", "=1+1", "@A1", "\tTAB", "\r=CR", " =lead", "\n=LF"]
HOSTILE_EMPLOYER = "=IMPORTXML(\"http://evil.example\")"


def starts_a_formula(value) -> bool:
    return isinstance(value, str) and (value.startswith(FORMULA_START)
                                       or value.lstrip(" \u00a0").startswith(FORMULA_START))


@pytest.mark.parametrize("value", HOSTILE_TEAMS + HOSTILE_CODES + ["-", "=", "\t"])
def test_safe_cell_neutralises_formula_starts(value):
    assert safe_cell(value) == "'" + value
    assert not safe_cell(value).startswith(FORMULA_START)


@pytest.mark.parametrize("value", [12, -3, 0.5, -1.5, Decimal("-2.5"), None, "", "Team Noord",
                                   "2026-03-18", "C-0001", "a=b"])
def test_safe_cell_leaves_numbers_and_plain_text(value):
    assert safe_cell(value) == value


def test_rows_for_csv_and_xlsx():
    assert safe_row(["=1", 2, None]) == ["'=1", 2, None]
    assert sheet_row(["=1\x01", "ok\x0b", 3.0]) == ["'=1", "ok", 3.0]  # xlsx holds no \x01


@pytest.fixture
def hostile_world(app, build):
    teams = [build.team(name) for name in HOSTILE_TEAMS]
    coordinator = build.user(teams[0], role="coordinator")
    coordinator.teams = teams
    employer = build.employer(HOSTILE_EMPLOYER)
    for i, code in enumerate(HOSTILE_CODES):
        team = teams[i % len(teams)]
        worker = build.user(team)
        client = build.client(worker, entry=TODAY - timedelta(days=60), code=code)
        build.contact(worker, on=TODAY - timedelta(days=50), kind="employer", employer=employer,
                      client=client, note="=cmd|' /C calc'!A0")
        build.placement(client, start=TODAY - timedelta(days=20), employer=employer)
    build.commit()
    browser = app.test_client()
    login(browser, coordinator)
    return browser


def csv_cells(body: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(body.decode("utf-8"), newline="")))


def test_every_csv_and_excel_download_holds_no_formula(hostile_world):
    browser = hostile_world
    downloads = {f"/outcomes/export.csv?table={key}&quarter=2026-Q1": "csv" for key in TABLE_KEYS}
    downloads["/outcomes/work-monitor.csv?quarter=2026-Q1"] = "csv"
    downloads["/outcomes/export.xlsx?quarter=2026-Q1"] = "xlsx"
    seen_text, numbers = [], 0
    for path, kind in downloads.items():
        response = browser.get(path)
        assert response.status_code == 200, path
        if kind == "csv":
            cells = [cell for row in csv_cells(response.data) for cell in row]
        else:
            workbook = load_workbook(io.BytesIO(response.data))
            cells = []
            for sheet in workbook.worksheets:
                for row in sheet.iter_rows():
                    for cell in row:
                        assert cell.data_type != "f", (path, sheet.title, cell.coordinate)
                        cells.append(cell.value)
                        numbers += isinstance(cell.value, (int, float))
        offending = [cell for cell in cells if starts_a_formula(cell)]
        assert offending == [], path
        seen_text += [cell for cell in cells if isinstance(cell, str)]
    # the hostile values are there, as text: the test looked at what it meant to
    for name in HOSTILE_TEAMS:
        assert "'" + name in seen_text or any(cell.startswith("'" + name) for cell in seen_text)
    for code in HOSTILE_CODES:
        assert "'" + normalise_client_code(code) in seen_text   # codes are stored in upper case
    assert numbers > 20  # counts and rates are numbers in Excel, not text
