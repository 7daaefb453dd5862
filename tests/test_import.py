"""flask import-data DIR: the teams' spreadsheets, checked first and loaded all or nothing."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from caseload.extensions import db
from caseload.importer import MAX_FILE_BYTES
from caseload.models import (
    Absence,
    BenefitsPlan,
    Client,
    Contact,
    DisclosureDiscussion,
    Employer,
    Placement,
    Team,
    User,
)

GOOD = {
    "workers.csv": """\
email,name,team,role,fte
wim@example.org,Wim de Vries,Team Noord,worker,1.0
Sara@Example.org,Sara Jansen,Team Noord,worker,0.8
cora@example.org,Cora Bakker,Team Noord,coordinator,0.5
""",
    "absences.csv": """\
worker_email,from_date,to_date
sara@example.org,2026-02-02,2026-02-06
""",
    "clients.csv": """\
client_code,worker_email,program_entry_date,trajectory_type,phase
C-001,wim@example.org,2026-01-05,ips_epa,job_finding
C-002,sara@example.org,2025-11-10,ips_cmd,coaching
C-003,wim@example.org,2026-03-02,other,intake
""",
    "disclosures.csv": """\
date,client_code,worker_email,decision,note
2026-01-12,C-001,wim@example.org,partial,"Tell the manager, not the colleagues"
""",
    "benefits_plans.csv": """\
date,client_code,worker_email,note
2025-12-01,C-002,sara@example.org,
""",
    "placements.csv": """\
client_code,employer,job_title,job_type,start_date,end_date,hours_per_week,hourly_wage,contract,competitive
C-002,Bakkerij De Korf,Baker's assistant,food,2026-01-15,,16,14.40,temporary_ge6m,yes
C-002,Albert Heijn,Shelf stacker,retail,2025-12-01,2026-01-10,12.5,,temporary_lt6m,yes
""",
    "contacts.csv": """\
date,worker_email,kind,mode,place,minutes,client_code,employer,note
2026-03-16,wim@example.org,client,face_to_face,community,45,C-001,,
2026-03-16,wim@example.org,employer,face_to_face,community,30,C-001,albert heijn,"Visited the store, met the manager"
2026-03-17,sara@example.org,treatment_team,phone,office,15,C-002,,
2026-03-17,wim@example.org,employer,phone,office,10,,Bakkerij de Korf,
""",
}


def write(directory, files: dict[str, str]):
    for name, content in files.items():
        (directory / name).write_text(content, encoding="utf-8")
    return directory


def run_import(app, directory, *extra):
    return app.test_cli_runner().invoke(args=["import-data", str(directory), *extra])


def row_counts() -> dict[str, int]:
    counts = {table.name: db.session.execute(select(func.count()).select_from(table)).scalar()
              for table in db.metadata.sorted_tables}
    db.session.rollback()  # hold no read transaction while the command writes
    return counts


def test_good_import_of_all_seven_files_creates_the_expected_rows(app, tmp_path):
    result = run_import(app, write(tmp_path, GOOD))

    assert result.exit_code == 0, result.output
    counts = row_counts()
    expected = {"user": 3, "team": 1, "team_member": 3, "absence": 1, "client": 3,
                "trajectory": 3, "phase_change": 5, "disclosure_discussion": 1,
                "benefits_plan": 1, "employer": 2, "placement": 2, "contact": 4}
    assert {name: counts[name] for name in expected} == expected
    sara = db.session.scalar(select(User).where(User.email == "sara@example.org"))
    assert (sara.name, sara.role, sara.fte, sara.password_hash) == (
        "Sara Jansen", "worker", Decimal("0.80"), "")
    assert [t.name for t in sara.teams] == ["Team Noord"]
    c1 = db.session.scalar(select(Client).where(Client.client_code == "C-001"))
    assert c1.team.name == "Team Noord"
    assert c1.open_trajectory.program_entry_date == date(2026, 1, 5)
    assert c1.open_trajectory.current_phase == "job_finding"
    assert [c.changed_on for c in c1.open_trajectory.phase_changes] == [date(2026, 1, 5)] * 2
    ended = db.session.scalar(select(Placement).where(Placement.job_title == "Shelf stacker"))
    assert (ended.end_date, ended.end_reason, ended.employer.name) == (
        date(2026, 1, 10), "other", "Albert Heijn")
    employer_contact = db.session.scalar(select(Contact).where(Contact.minutes == 30))
    assert employer_contact.employer.name == "Albert Heijn"
    assert employer_contact.note == "Visited the store, met the manager"
    client_contact = db.session.scalar(select(Contact).where(Contact.kind == "client"))
    assert client_contact.client_present is True
    assert "3 new user(s) have no password" in result.output
    assert "workers.csv" in result.output and "Imported" in result.output


def test_bad_rows_are_reported_by_file_line_and_column_and_nothing_is_imported(
        app, tmp_path, build):
    team = build.team("Team Zuid")
    build.client(build.user(team, email="old@example.org"), code="OLD-1")
    build.employer("Albert Heijn")
    build.commit()
    files = dict(GOOD)
    files["contacts.csv"] = GOOD["contacts.csv"].replace(
        "treatment_team,phone,office", "treatment_team,fax,office")
    files["clients.csv"] = GOOD["clients.csv"].replace(
        "C-003,wim@example.org", "C-003,nobody@example.org")
    write(tmp_path, files)
    before = row_counts()

    result = run_import(app, tmp_path)

    assert result.exit_code != 0
    assert "contacts.csv:4:mode: 'fax' is not one of: face_to_face, phone, video, email, text" \
        in result.output
    assert "clients.csv:4:worker_email: no user with e-mail nobody@example.org" in result.output
    assert "nothing was imported" in result.output
    assert row_counts() == before

    write(tmp_path, GOOD)  # the corrected files
    fixed = run_import(app, tmp_path)

    assert fixed.exit_code == 0, fixed.output
    after = row_counts()
    assert after["client"] == before["client"] + 3
    assert after["contact"] == 4
    assert after["employer"] == 2  # the existing Albert Heijn was matched, not added


def test_importing_the_same_directory_twice_creates_no_duplicates(app, tmp_path):
    write(tmp_path, GOOD)
    assert run_import(app, tmp_path).exit_code == 0
    first = row_counts()

    again = run_import(app, tmp_path)

    assert again.exit_code == 0, again.output
    assert row_counts() == first
    assert "contacts.csv                0        0          4" in again.output
    assert "new user" not in again.output


def test_dry_run_reports_what_would_change_and_writes_nothing(app, tmp_path):
    before = row_counts()

    result = run_import(app, write(tmp_path, GOOD), "--dry-run")

    assert result.exit_code == 0, result.output
    assert "Dry run" in result.output
    assert "clients.csv                 3        0          0" in result.output
    assert "Also to be created: 2 employers, 1 team, 3 trajectories." in result.output
    assert "3 new user(s) would have no password" in result.output
    assert row_counts() == before


def test_dry_run_with_a_bad_row_reports_it_like_a_real_run(app, tmp_path):
    write(tmp_path, {"workers.csv": "email,name,team,role,fte\nwim@example.org,Wim,T,boss,1\n"})

    result = run_import(app, tmp_path, "--dry-run")

    assert result.exit_code == 1
    assert "workers.csv:2:role: 'boss' is not one of: worker, coordinator, admin" in result.output


def test_wrong_header_is_reported_on_line_1(app, tmp_path):
    write(tmp_path, {
        "contacts.csv": GOOD["contacts.csv"].replace("minutes,", "duration,", 1),
        "workers.csv": GOOD["workers.csv"].replace(",", ";"),
    })

    result = run_import(app, tmp_path)

    assert result.exit_code == 1
    assert "contacts.csv:1:duration: unknown column" in result.output
    assert "contacts.csv:1:minutes: column missing" in result.output
    assert "Read workers.csv as UTF-8, separated by semicolons" in result.output
    assert row_counts()["user"] == 0


def test_bytes_neither_utf8_nor_windows_1252_are_reported_with_line_and_column(app, tmp_path):
    write(tmp_path, {"workers.csv": GOOD["workers.csv"]})
    (tmp_path / "clients.csv").write_bytes(
        b"client_code,worker_email,program_entry_date,trajectory_type,phase\n"
        b"C-001,wim@example.org,2026-01-05,ips_epa,intake\n"
        b"C-\xe9t\x81,wim@example.org,2026-01-05,ips_epa,intake\n")

    result = run_import(app, tmp_path)

    assert result.exit_code == 1
    assert "clients.csv:3:client_code: neither UTF-8 nor Windows-1252 text (byte 0xe9); save " \
           "the file as 'CSV UTF-8'" in result.output
    assert row_counts()["user"] == 0


def test_utf8_with_bom_and_crlf_line_ends_as_excel_saves_them(app, tmp_path):
    (tmp_path / "workers.csv").write_bytes(
        "\ufeffemail,name,team,role,fte\r\nzoë@example.org,Zoë,Team Noord,worker,1\r\n"
        .encode("utf-8"))

    result = run_import(app, tmp_path)

    assert result.exit_code == 0, result.output
    assert db.session.scalar(select(User.name)) == "Zoë"


def test_duplicate_rows_within_a_file_are_imported_once(app, tmp_path):
    files = {name: GOOD[name] for name in ("workers.csv", "clients.csv", "contacts.csv")}
    lines = files["contacts.csv"].splitlines(keepends=True)
    files["contacts.csv"] += lines[1] + lines[2]
    files["clients.csv"] += GOOD["clients.csv"].splitlines(keepends=True)[1]
    write(tmp_path, files)

    result = run_import(app, tmp_path)

    assert result.exit_code == 0, result.output
    assert row_counts()["contact"] == 4
    assert row_counts()["client"] == 3
    assert "contacts.csv                4        0          0               2" in result.output


def test_same_key_with_other_values_in_one_file_is_an_error(app, tmp_path):
    write(tmp_path, {"workers.csv": GOOD["workers.csv"] +
                     "wim@example.org,Wim de Vries,Team Noord,worker,0.6\n"})

    result = run_import(app, tmp_path)

    assert result.exit_code == 1
    assert "workers.csv:5:email: e-mail wim@example.org is also on line 2, with other values" \
        in result.output


def test_existing_records_are_matched_and_updated(app, tmp_path, build):
    noord = build.team("team noord")
    wim = build.user(noord, email="Wim@Example.org", name="W. de Vries", fte="0.6")
    client = build.client(wim, code="C-001", entry=date(2026, 1, 5))
    build.employer("ALBERT HEIJN")
    build.commit()
    password_hash = wim.password_hash
    files = {name: GOOD[name] for name in ("workers.csv", "clients.csv", "contacts.csv",
                                           "placements.csv")}

    result = run_import(app, write(tmp_path, files))

    assert result.exit_code == 0, result.output
    assert "workers.csv:2: wim@example.org: name W. de Vries -> Wim de Vries; fte 0.60 -> 1.0" \
        in result.output
    assert "clients.csv:2: C-001: phase intake -> job_finding" in result.output
    wim = db.session.scalar(select(User).where(func.lower(User.email) == "wim@example.org"))
    assert (wim.name, wim.fte, wim.password_hash) == ("Wim de Vries", Decimal("1.00"),
                                                      password_hash)
    assert db.session.scalar(select(func.count()).select_from(Team)) == 1
    assert db.session.scalar(select(func.count()).select_from(Employer)) == 2
    client = db.session.get(Client, client.id)
    assert len(client.trajectories) == 1
    assert client.open_trajectory.current_phase == "job_finding"


def test_phase_in_file_does_not_override_a_later_change_made_in_caseload(app, tmp_path, build):
    wim = build.user(build.team("Team Noord"), email="wim@example.org")
    client = build.client(wim, code="C-001", entry=date(2026, 1, 5))
    build.phase(client, "engagement", on=date(2026, 2, 1))
    build.commit()
    write(tmp_path, {"clients.csv": GOOD["clients.csv"].splitlines()[0] + "\n" +
                     GOOD["clients.csv"].splitlines()[1] + "\n"})

    result = run_import(app, tmp_path)

    assert result.exit_code == 0, result.output
    assert "phase job_finding not applied" in result.output
    assert db.session.get(Client, client.id).open_trajectory.current_phase == "engagement"


def test_existing_client_gets_a_new_trajectory_only_when_none_is_open(app, tmp_path, build):
    wim = build.user(build.team("Team Noord"), email="wim@example.org")
    build.end_trajectory(build.client(wim, code="C-001", entry=date(2025, 6, 2)),
                         on=date(2025, 12, 1))
    build.client(wim, code="C-002", entry=date(2025, 6, 2))
    build.commit()
    write(tmp_path, {"clients.csv": GOOD["clients.csv"].replace("sara@", "wim@")})

    result = run_import(app, tmp_path)

    assert result.exit_code == 1
    assert "clients.csv:3:program_entry_date: client C-002 has an open trajectory since " \
           "2025-06-02; end it in Caseload before a new one can start" in result.output
    write(tmp_path, {"clients.csv": "\n".join(GOOD["clients.csv"].splitlines()[:2]) + "\n"})

    assert run_import(app, tmp_path).exit_code == 0
    c1 = db.session.scalar(select(Client).where(Client.client_code == "C-001"))
    assert [t.program_entry_date for t in c1.trajectories] == [date(2025, 6, 2), date(2026, 1, 5)]
    assert c1.open_trajectory.current_phase == "job_finding"


def test_dates_must_be_real_dates_and_not_in_the_future(app, tmp_path, build):
    build.user(build.team("Team Noord"), email="wim@example.org")
    build.commit()
    write(tmp_path, {
        "clients.csv": "client_code,worker_email,program_entry_date,trajectory_type,phase\n"
                       "C-1,wim@example.org,31-02-2026,ips_epa,intake\n"
                       "C-2,wim@example.org,2026-03-19,ips_epa,intake\n"
                       "C-3,wim@example.org,1999-12-31,ips_epa,intake\n"
                       "C-4,wim@example.org,2026-03-01,ips_epa,intake\n",
        "placements.csv": GOOD["placements.csv"].splitlines()[0] + "\n"
                          "C-4,Ahold,Cashier,,2026-04-01,,20,,permanent,yes\n"
                          "C-4,Ahold,Cashier,,2026-04-02,,20,,permanent,yes\n",
    })

    result = run_import(app, tmp_path)

    assert result.exit_code == 1
    assert "clients.csv:2:program_entry_date: '31-02-2026' is not a date written as " \
           "YYYY-MM-DD or DD-MM-YYYY" in result.output
    assert "clients.csv:3:program_entry_date: 2026-03-19 is after 2026-03-18" in result.output
    assert "clients.csv:4:program_entry_date: 1999-12-31 is before 2000-01-01" in result.output
    assert "placements.csv:2:" not in result.output  # 14 days ahead is allowed
    assert "placements.csv:3:start_date: 2026-04-02 is after 2026-04-01" in result.output


def test_model_rules_become_row_errors(app, tmp_path, build):
    build.user(build.team("Team Noord"), email="wim@example.org")
    build.commit()
    write(tmp_path, {
        "clients.csv": "client_code,worker_email,program_entry_date,trajectory_type,phase\n"
                       "C-1,wim@example.org,2026-03-01,ips_epa,intake\n",
        "placements.csv": GOOD["placements.csv"].splitlines()[0] + "\n"
                          "C-1,Ahold,Cashier,,2026-02-01,,20,,permanent,yes\n",
        "contacts.csv": GOOD["contacts.csv"].splitlines()[0] + "\n"
                        "2026-03-16,wim@example.org,employer,phone,office,10,C-1,,\n"
                        "2026-03-16,wim@example.org,family,phone,office,10,,,\n",
        "absences.csv": "worker_email,from_date,to_date\nwim@example.org,2026-02-06,2026-02-02\n",
    })

    result = run_import(app, tmp_path)

    assert result.exit_code == 1
    assert "placements.csv:2:start_date: A placement cannot start before program entry." \
        in result.output
    assert "contacts.csv:2:employer: Name the employer of an employer contact." in result.output
    assert "contacts.csv:3:client_code: Choose the client this contact was about." \
        in result.output
    assert "absences.csv:2:to_date: the last day cannot be before from_date" in result.output
    assert row_counts()["client"] == 0


def test_a_new_client_needs_a_worker_with_exactly_one_team(app, tmp_path, build):
    build.user(email="nobody-team@example.org")
    two = build.user(build.team("A"), email="two@example.org")
    two.teams.append(build.team("B"))
    build.commit()
    write(tmp_path, {"clients.csv":
                     "client_code,worker_email,program_entry_date,trajectory_type,phase\n"
                     "C-1,nobody-team@example.org,2026-03-01,ips_epa,intake\n"
                     "C-2,two@example.org,2026-03-01,ips_epa,intake\n"
                     "C-3,nobody@example.org,2026-03-01,ips_epa,intake\n"})

    result = run_import(app, tmp_path)

    assert result.exit_code == 1
    assert "clients.csv:2:worker_email: nobody-team@example.org is in no team" in result.output
    assert "clients.csv:3:worker_email: two@example.org is in A, B" in result.output
    assert "clients.csv:4:worker_email: no user with e-mail nobody@example.org" in result.output


def test_rows_naming_a_bad_row_are_not_reported_again(app, tmp_path):
    files = {"workers.csv": GOOD["workers.csv"].replace("wim@example.org,Wim de Vries,Team Noord,"
                                                        "worker,1.0", "wim@example.org,,T,x,1"),
             "clients.csv": GOOD["clients.csv"]}
    result = run_import(app, write(tmp_path, files))

    assert result.exit_code == 1
    assert "workers.csv:2:name: must not be empty" in result.output
    assert "workers.csv:2:role: 'x' is not one of" in result.output
    assert "clients.csv:" not in result.output
    assert "2 rows naming a worker or client whose own row has a problem" in result.output


def test_a_file_over_the_size_limit_is_refused(app, tmp_path):
    with open(tmp_path / "contacts.csv", "wb") as big:
        big.truncate(MAX_FILE_BYTES + 1)  # sparse: refused before it is read

    result = run_import(app, tmp_path)

    assert result.exit_code == 1
    assert "contacts.csv: the file is 50.0 MB; files over 50 MB are refused" in result.output


@pytest.mark.parametrize("content, reason", [
    ("", "contacts.csv:1: the file is empty"),
    ("date,worker_email,kind,mode,place,minutes,client_code,employer,note\n2026-03-16,x\n",
     "contacts.csv:2:kind: the row has 2 values, the header 9"),
])
def test_empty_files_and_short_rows_are_reported(app, tmp_path, content, reason):
    (tmp_path / "contacts.csv").write_text(content)

    result = run_import(app, tmp_path)

    assert result.exit_code == 1
    assert reason in result.output


def test_a_directory_without_import_files_is_an_error(app, tmp_path):
    (tmp_path / "contact.csv").write_text("x\n")

    result = run_import(app, tmp_path)

    assert result.exit_code == 1
    assert "Ignored contact.csv" in result.output
    assert "No import files" in result.output


def test_absences_disclosures_and_benefits_plans_match_on_their_keys(app, tmp_path):
    write(tmp_path, GOOD)
    assert run_import(app, tmp_path).exit_code == 0
    write(tmp_path, {"disclosures.csv": GOOD["disclosures.csv"].replace("Tell the manager",
                                                                         "Tell only the manager")})

    result = run_import(app, tmp_path)

    assert result.exit_code == 0, result.output
    assert db.session.scalar(select(func.count()).select_from(DisclosureDiscussion)) == 1
    assert db.session.scalar(select(DisclosureDiscussion.note)).startswith("Tell only")
    assert db.session.scalar(select(func.count()).select_from(BenefitsPlan)) == 1
    assert db.session.scalar(select(func.count()).select_from(Absence)) == 1


# --- the form's client-code rule, and no control characters (issue 12) -------------------------

@pytest.mark.parametrize("code", ["+SUM(1+1)", "=1+1", "@A1", "C 001", "C<001>", "Ｃ-001"])
def test_the_import_applies_the_new_client_forms_code_rule(app, tmp_path, code):
    files = dict(GOOD)
    files["clients.csv"] = GOOD["clients.csv"].replace("C-003,wim", f'"{code}",wim')
    write(tmp_path, files)
    before = row_counts()

    result = run_import(app, tmp_path)

    assert result.exit_code == 1
    assert f"clients.csv:4:client_code: '{code}' is not a client code" in result.output
    assert row_counts() == before


@pytest.mark.parametrize("file, column, good, bad", [
    ("contacts.csv", "note", '"Visited the store, met the manager"',
     '"Visited the store,\nmet the manager"'),
    ("disclosures.csv", "note", '"Tell the manager, not the colleagues"',
     '"Tell the manager\x1b, not the colleagues"'),  # line breaks are fine in a note, ESC is not
    ("workers.csv", "name", "Wim de Vries", '"Wim\tde Vries"'),
    ("placements.csv", "job_title", "Baker's assistant", "Baker's\x0bassistant"),
    ("workers.csv", "team", "Team Noord,worker,1.0", '"Team\x00Noord",worker,1.0'),
    ("contacts.csv", "employer", "albert heijn", "albert\u2028heijn"),
])
def test_control_characters_in_a_text_field_are_reported_by_file_line_and_column(
        app, tmp_path, file, column, good, bad):
    files = dict(GOOD)
    assert good in files[file]
    files[file] = files[file].replace(good, bad, 1)
    write(tmp_path, files)
    before = row_counts()

    result = run_import(app, tmp_path)

    assert result.exit_code == 1
    line = 1 + next(i for i, text in enumerate(GOOD[file].splitlines()) if good in text)
    assert f"{file}:{line}:{column}: holds a control character" in result.output, result.output
    assert row_counts() == before


def test_a_team_named_with_other_letters_is_found_not_created_again(app, tmp_path, build):
    """SQLite's lower() folds ASCII only: the import looked "Team Ærø" up lowered, missed it
    and met the unique index creating it again."""
    build.team("Team Ærø")
    build.commit()
    write(tmp_path, {"workers.csv": "email,name,team,role,fte\nwim@example.org,Wim,Team Ærø,worker,1\n"})

    result = run_import(app, tmp_path)

    assert result.exit_code == 0, result.output
    db.session.expire_all()
    assert db.session.scalars(select(Team.name)).all() == ["Team Ærø"]
    assert [t.name for t in db.session.scalars(
        select(User).where(User.email == "wim@example.org")).one().teams] == ["Team Ærø"]
