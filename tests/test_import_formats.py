"""The import reads the files teams have: comma CSV in UTF-8, Dutch Excel CSV (semicolons,
decimal commas, dd-mm-yyyy, Windows-1252) and an .xlsx workbook give the same records; every
column added for the norms and fidelity items round-trips; a bad value is reported at its
line (row) and column in each form."""

from __future__ import annotations

import csv
import io
import re
from datetime import date
from decimal import Decimal

import openpyxl
import pytest
from sqlalchemy import select

from caseload.extensions import db
from caseload.models import (
    BenefitsPlan,
    Client,
    Contact,
    DisclosureDiscussion,
    Employer,
    PhaseChange,
    Placement,
    Trajectory,
    User,
    VocationalProfile,
)
from tests.conftest import empty_all_tables
from tests.test_import import run_import

# One data set, as rows of text the way a comma CSV in UTF-8 writes them.
DATA = {
    "workers.csv": [
        ["email", "name", "team", "role", "fte"],
        ["wim@example.org", "Wim de Vries", "Team Noord", "worker", "1.0"],
        ["zoe@example.org", "Zoë Bakker", "Team Noord", "worker", "0.8"],
    ],
    "clients.csv": [
        ["client_code", "worker_email", "program_entry_date", "trajectory_type", "phase",
         "referral_source", "funder", "in_work_at_referral", "ended_on", "end_reason"],
        ["C-001", "wim@example.org", "2026-01-05", "ips_epa", "job_finding", "FACT Noord", "uwv",
         "no", "", ""],
        ["C-002", "zoe@example.org", "2025-11-10", "ips_cmd", "coaching", "Ambulant team Zuid",
         "municipality", "yes", "", ""],
        ["C-003", "wim@example.org", "2025-06-02", "ips_epa", "job_finding", "Huisarts", "other",
         "no", "2026-02-27", "moved"],
    ],
    "phases.csv": [
        ["client_code", "program_entry_date", "phase", "date"],
        ["C-001", "2026-01-05", "job_finding", "2026-02-02"],     # out of order on purpose
        ["C-001", "2026-01-05", "engagement", "2026-01-12"],
        ["C-003", "2025-06-02", "job_finding", "2025-08-01"],
    ],
    "profiles.csv": [
        ["client_code", "preferences", "experience", "skills", "strengths", "adjustments",
         "network"],
        ["C-001", "Werken in de zorg", "Vakkenvuller, 2 jaar", "Koken", "Geduldig",
         "Rustige werkplek", "Broer"],
    ],
    "disclosures.csv": [
        ["date", "client_code", "worker_email", "decision", "note"],
        ["2026-01-12", "C-001", "wim@example.org", "partial", "Alleen de leidinggevende"],
    ],
    "benefits_plans.csv": [
        ["date", "client_code", "worker_email", "note", "by_benefits_specialist"],
        ["2025-12-01", "C-002", "zoe@example.org", "Uitkering en loon; één overzicht", "yes"],
    ],
    "placements.csv": [
        ["client_code", "employer", "job_title", "job_type", "start_date", "end_date",
         "hours_per_week", "hourly_wage", "contract", "competitive", "placement_type",
         "end_reason"],
        ["C-002", "Café Ré", "Barista", "horeca", "2026-01-15", "", "16.5", "14.71",
         "temporary_ge6m", "yes", "paid_job", ""],
        ["C-002", "Buurthuis", "Gastvrouw", "", "2025-12-01", "2026-01-10", "8", "",
         "temporary_lt6m", "no", "volunteer", "contract_ended"],
        ["C-003", "Albert Heijn", "Vakkenvuller", "retail", "2025-09-01", "2026-02-20", "12.5",
         "14.9", "temporary_lt6m", "yes", "paid_job", "resigned"],
    ],
    "contacts.csv": [
        ["date", "worker_email", "kind", "mode", "place", "minutes", "client_code", "employer",
         "note"],
        ["2026-03-16", "wim@example.org", "employer", "face_to_face", "community", "30", "C-001",
         "Albert Heijn", "Bezoek, kennismaking"],
    ],
}

ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
NUMBER = re.compile(r"^\d+\.\d+$")


def comma_csv(rows) -> bytes:
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(rows)
    return out.getvalue().encode("utf-8")


def dutch_excel_csv(rows) -> bytes:
    """As Dutch Excel saves "CSV (gescheiden door lijstscheidingsteken)"."""
    def cell(value):
        iso = ISO.match(value)
        if iso:
            return f"{iso.group(3)}-{iso.group(2)}-{iso.group(1)}"
        return value.replace(".", ",") if NUMBER.match(value) else value
    out = io.StringIO()
    csv.writer(out, delimiter=";", lineterminator="\r\n").writerows(
        [rows[0]] + [[cell(v) for v in row] for row in rows[1:]])
    return out.getvalue().encode("cp1252")


def workbook(data) -> bytes:
    """One sheet per file, with typed cells: dates as dates, numbers as numbers."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in data.items():
        sheet = book.create_sheet(name.removesuffix(".csv"))
        sheet.append(rows[0])
        for row in rows[1:]:
            typed = []
            for value in row:
                iso = ISO.match(value)
                if iso:
                    typed.append(date.fromisoformat(value))
                elif re.fullmatch(r"\d+(\.\d+)?", value) and not value.startswith("0") \
                        or NUMBER.match(value):
                    typed.append(float(value) if "." in value else int(value))
                else:
                    typed.append(value or None)
            sheet.append(typed)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def write_form(tmp_path, form: str, data=DATA, folder_name: str | None = None):
    folder = tmp_path / (folder_name or form)
    folder.mkdir()
    if form == "xlsx":
        (folder / "teams.xlsx").write_bytes(workbook(data))
        return folder / "teams.xlsx"
    writer = comma_csv if form == "comma" else dutch_excel_csv
    for name, rows in data.items():
        (folder / name).write_bytes(writer(rows))
    return folder


def snapshot() -> dict:
    """Every imported record by its natural key (no ids, no timestamps)."""
    session = db.session
    shot = {
        "users": sorted((u.email, u.name, u.role, u.fte, tuple(t.name for t in u.teams))
                        for u in session.scalars(select(User))),
        "clients": sorted((c.client_code, c.referral_source, c.team.name)
                          for c in session.scalars(select(Client))),
        "trajectories": sorted(
            (t.client.client_code, t.program_entry_date, t.trajectory_type, t.funder,
             t.in_work_at_referral, t.ended_on, t.end_reason, t.worker.email, t.current_phase)
            for t in session.scalars(select(Trajectory))),
        "phases": sorted((p.trajectory.client.client_code, p.phase, p.changed_on)
                         for p in session.scalars(select(PhaseChange))),
        "profiles": sorted((p.client.client_code, p.preferences, p.experience, p.skills,
                            p.strengths, p.adjustments, p.network)
                           for p in session.scalars(select(VocationalProfile))),
        "disclosures": sorted((d.client.client_code, d.discussed_on, d.decision, d.note)
                              for d in session.scalars(select(DisclosureDiscussion))),
        "benefits": sorted((b.client.client_code, b.offered_on, b.by_benefits_specialist,
                            b.note, b.offered_by.email)
                           for b in session.scalars(select(BenefitsPlan))),
        "placements": sorted(
            (p.trajectory.client.client_code, p.employer.name, p.job_title, p.job_type,
             p.placement_type, p.start_date, p.end_date, p.end_reason, p.hours_per_week,
             p.hourly_wage, p.contract, p.competitive)
            for p in session.scalars(select(Placement))),
        "contacts": sorted((c.contact_date, c.worker.email, c.kind, c.mode, c.place, c.minutes,
                            c.client.client_code if c.client else None,
                            c.employer.name if c.employer else None, c.note)
                           for c in session.scalars(select(Contact))),
        "employers": sorted(session.scalars(select(Employer.name))),
    }
    session.rollback()
    return shot


def test_one_data_set_written_three_ways_imports_to_the_same_records(app, tmp_path):
    shots, outputs = {}, {}
    for form in ("comma", "dutch", "xlsx"):
        result = run_import(app, write_form(tmp_path, form))
        assert result.exit_code == 0, f"{form}: {result.output}"
        outputs[form] = result.output
        shots[form] = snapshot()
        empty_all_tables()
    assert shots["comma"] == shots["dutch"] == shots["xlsx"]
    assert shots["comma"]["placements"] and shots["comma"]["phases"]
    # How each was read is reported, file by file.
    assert "Read clients.csv as UTF-8, separated by commas; dates yyyy-mm-dd." in outputs["comma"]
    assert "Read placements.csv as Windows-1252, separated by semicolons; dates dd-mm-yyyy; " \
           "decimal commas." in outputs["dutch"]
    assert "Read workers.csv as Windows-1252, separated by semicolons; decimal commas." \
        in outputs["dutch"]
    assert "Read clients as Excel sheet" in outputs["xlsx"]


def test_every_new_column_round_trips(app, tmp_path):
    result = run_import(app, write_form(tmp_path, "dutch"))
    assert result.exit_code == 0, result.output
    shot = snapshot()
    trajectories = {t[0]: t for t in shot["trajectories"]}
    # referral source, funder, in work at referral, ending with its reason
    assert ("C-001", "FACT Noord", "Team Noord") in shot["clients"]
    assert trajectories["C-001"][3:7] == ("uwv", False, None, None)
    assert trajectories["C-002"][3:5] == ("municipality", True)
    assert trajectories["C-003"][3:7] == ("other", False, date(2026, 2, 27), "moved")
    # the phase history with its dates; clients.csv's phase is the latest
    assert sorted((p[1:] for p in shot["phases"] if p[0] == "C-001"), key=lambda p: p[1]) == [
        ("intake", date(2026, 1, 5)), ("engagement", date(2026, 1, 12)),
        ("job_finding", date(2026, 2, 2))]
    assert trajectories["C-001"][8] == "job_finding"
    assert trajectories["C-002"][8] == "coaching"
    # the vocational profile
    assert shot["profiles"] == [("C-001", "Werken in de zorg", "Vakkenvuller, 2 jaar", "Koken",
                                 "Geduldig", "Rustige werkplek", "Broer")]
    # a benefits plan by a benefits specialist
    assert shot["benefits"] == [("C-002", date(2025, 12, 1), True,
                                 "Uitkering en loon; één overzicht", "zoe@example.org")]
    # placement types (a volunteer job is no job start, nor competitive) and end reasons
    placements = {p[1]: p for p in shot["placements"]}
    assert placements["Buurthuis"][4:8] == ("volunteer", date(2025, 12, 1), date(2026, 1, 10),
                                            "contract_ended")
    assert placements["Buurthuis"][11] is False
    assert placements["Albert Heijn"][7] == "resigned"
    assert placements["Café Ré"][8:10] == (Decimal("16.5"), Decimal("14.71"))
    # A second import of the same files changes nothing.
    again = run_import(app, write_form(tmp_path, "comma", folder_name="again"))
    assert again.exit_code == 0, again.output
    assert snapshot() == shot
    for line in again.output.splitlines():
        if re.match(r"^  \w+\.csv ", line):     # the summary: created 0, updated 0
            assert line.split()[1:3] == ["0", "0"], line


def _with(name, line, column, value, data=DATA):
    changed = {key: [list(row) for row in rows] for key, rows in data.items()}
    header = changed[name][0]
    changed[name][line - 1][header.index(column)] = value
    return changed


@pytest.mark.parametrize("form, where", [
    ("comma", "placements.csv:3:hours_per_week"),
    ("dutch", "placements.csv:3:hours_per_week"),
    ("xlsx", "placements:3:hours_per_week"),
])
def test_a_bad_value_is_reported_at_its_line_and_column_in_each_form(app, tmp_path, form,
                                                                       where):
    data = _with("placements.csv", 3, "hours_per_week", "acht")
    data = _with("clients.csv", 4, "end_reason", "fired", data)
    result = run_import(app, write_form(tmp_path, form, data))
    assert result.exit_code == 1
    assert f"{where}: must be a number above 0 to 60 with at most 1 decimal, written as " \
           "0.8 or 0,8" in result.output
    clients = "clients" if form == "xlsx" else "clients.csv"
    assert f"{clients}:4:end_reason: 'fired' is not one of: working_handed_over" in result.output
    assert snapshot()["users"] == []


@pytest.mark.parametrize("name, line, column, value, reason", [
    ("clients.csv", 2, "in_work_at_referral", "misschien", "'misschien' is not one of: yes, no"),
    ("clients.csv", 2, "funder", "gemeente", "'gemeente' is not one of: uwv, municipality"),
    ("clients.csv", 2, "ended_on", "2026-03-01", "end_reason: an ended trajectory needs its end_reason"),
    ("clients.csv", 4, "ended_on", "2025-06-01",
     "a trajectory cannot end before its program_entry_date"),
    ("clients.csv", 4, "ended_on", "2026-03-19", "2026-03-19 is after 2026-03-18"),
    ("clients.csv", 2, "referral_source", "x" * 161, "is 161 characters long; at most 160"),
    ("phases.csv", 2, "date", "2026-01-01",
     "a phase change cannot be dated before program_entry_date"),
    ("phases.csv", 4, "program_entry_date", "2025-06-03",
     "client C-003 has no trajectory with program entry 2025-06-03"),
    ("phases.csv", 2, "phase", "engagement", "The client is already in this phase."),
    ("profiles.csv", 2, "skills", "y" * 4001, "is 4001 characters long; at most 4000"),
    ("profiles.csv", 2, "client_code", "C-999", "no client C-999 in clients.csv or in Caseload"),
    ("benefits_plans.csv", 2, "by_benefits_specialist", "ja", "'ja' is not one of: yes, no"),
    ("placements.csv", 2, "placement_type", "baan", "'baan' is not one of: paid_job"),
    ("placements.csv", 2, "end_reason", "resigned", "end_date: an end_reason needs the end_date"),
    ("placements.csv", 3, "end_reason", "sacked", "'sacked' is not one of: contract_ended"),
])
def test_the_new_columns_get_the_checks_the_forms_apply(app, tmp_path, name, line, column,
                                                        value, reason):
    result = run_import(app, write_form(tmp_path, "comma", _with(name, line, column, value)))
    assert result.exit_code == 1, result.output
    if reason.split(": ", 1)[0] not in DATA[name][0]:   # at the column that was changed
        reason = f"{column}: {reason}"
    assert f"{name}:{line}:{reason}" in result.output
    assert snapshot()["clients"] == []


def test_phase_history_is_checked_against_clients_csv(app, tmp_path):
    data = _with("phases.csv", 4, "phase", "coaching")
    result = run_import(app, write_form(tmp_path, "comma", data))
    assert result.exit_code == 1
    assert "phases.csv:4:phase: clients.csv gives C-003 the phase job_finding, the latest " \
           "change here is coaching" in result.output


def test_a_trajectory_ending_in_the_file_ends_an_open_one_on_reimport(app, tmp_path):
    first = _with("clients.csv", 4, "ended_on", "")
    first = _with("clients.csv", 4, "end_reason", "", first)
    assert run_import(app, write_form(tmp_path, "comma", first)).exit_code == 0
    assert snapshot()["trajectories"][2][5] is None
    result = run_import(app, write_form(tmp_path, "dutch"))
    assert result.exit_code == 0, result.output
    assert "clients.csv:4: C-003: ended on 2026-02-27 (moved)" in result.output
    assert snapshot()["trajectories"][2][5:7] == (date(2026, 2, 27), "moved")


def test_old_files_without_the_new_columns_still_import(app, tmp_path):
    old = {name: [row[:len(DATA[name][0]) - drop] for row in DATA[name]]
           for name, drop in (("workers.csv", 0), ("clients.csv", 5))}
    result = run_import(app, write_form(tmp_path, "comma", old))
    assert result.exit_code == 0, result.output
    trajectories = snapshot()["trajectories"]
    assert [(t[3], t[4]) for t in trajectories] == [("uwv", None)] * 3


@pytest.mark.parametrize("encode, delimiter, read_as", [
    (lambda text: text.encode("utf-8-sig"), ";", "UTF-8, separated by semicolons"),
    (lambda text: text.encode("utf-16"), "\t", "UTF-16, separated by tabs"),
    (lambda text: text.encode("cp1252"), ",", "Windows-1252, separated by commas"),
])
def test_each_encoding_and_separator_is_detected_and_reported(app, tmp_path, encode, delimiter,
                                                              read_as):
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, lineterminator="\r\n").writerows(DATA["workers.csv"])
    (tmp_path / "workers.csv").write_bytes(encode(out.getvalue()))
    result = run_import(app, tmp_path)
    assert result.exit_code == 0, result.output
    assert f"Read workers.csv as {read_as}" in result.output
    assert "Zoë Bakker" in [u[1] for u in snapshot()["users"]]
