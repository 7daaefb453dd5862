"""The import's messages speak the reader's language (Dutch by default in the web, English when
chosen; the CLI speaks English), and multi-line texts (the fields that are textareas in the
forms) keep their line breaks while every other control character is still refused."""

from __future__ import annotations

import html

import pytest
from sqlalchemy import func, select

from caseload.extensions import db
from caseload.models import Client, DisclosureDiscussion, User, VocationalProfile
from tests.conftest import csrf_token, login
from tests.test_import import GOOD, row_counts, run_import, write
from tests.test_import_formats import DATA, comma_csv, workbook
from tests.test_import_web import noord, upload


def _bad_clients() -> dict[str, bytes]:
    bad = [list(row) for row in DATA["clients.csv"]]
    bad[2][2] = "31-02-2026"          # line 3, program_entry_date: no such day
    return {"workers.csv": comma_csv(DATA["workers.csv"]), "clients.csv": comma_csv(bad)}


def _problems(page_text: str) -> list[str]:
    import re
    return [html.unescape(p) for p in re.findall(r"<li data-problem><code>(.*?)</code>",
                                                   page_text)]


def test_a_bad_file_imported_through_the_web_in_dutch_shows_the_dutch_message_at_its_place(
        client, build):
    _team, coordinator = noord(build, "nl")
    login(client, coordinator)                  # language: Dutch, the default

    page = upload(client, _bad_clients())

    assert page.status_code == 422
    assert _problems(page.text) == [
        "clients.csv:3:program_entry_date: '31-02-2026' is geen datum geschreven als "
        "JJJJ-MM-DD of DD-MM-JJJJ (bijv. 2026-03-18 of 18-03-2026)"]
    assert "nothing was imported" not in page.text
    assert db.session.scalar(select(func.count(User.id))) == 1   # the coordinator only
    db.session.rollback()


def test_the_same_file_in_english_when_the_user_chose_english(client, build):
    _team, coordinator = noord(build, "nl")
    login(client, coordinator)
    client.post("/language/en", data={"csrf_token": csrf_token(client, "/import/")})

    page = upload(client, _bad_clients())

    assert page.status_code == 422
    assert _problems(page.text) == [
        "clients.csv:3:program_entry_date: '31-02-2026' is not a date written as YYYY-MM-DD "
        "or DD-MM-YYYY (e.g. 2026-03-18 or 18-03-2026)"]


def test_a_header_problem_is_dutch_too(client, build):
    _team, coordinator = noord(build, "nl")
    login(client, coordinator)
    placements = [list(row) for row in DATA["placements.csv"]]
    page = upload(client, {"placements.csv": comma_csv([placements[0] + ["extra"]])})
    assert _problems(page.text) == [
        "placements.csv:1:extra: onbekende kolom; de kopregel moet zijn: client_code,employer,"
        "job_title,job_type,start_date,end_date,hours_per_week,hourly_wage,contract,competitive"
        " (mag ook bevatten: placement_type,end_reason)"]


def test_references_and_model_rules_are_dutch_too(client, build):
    """Messages of the loader (a reference) and of a model rule (from its own catalog)."""
    _team, coordinator = noord(build, "nl")
    login(client, coordinator)
    contacts = [list(row) for row in DATA["contacts.csv"]]
    contacts[1][6] = "C-999"                          # line 2: no such client
    contacts.append(["2026-03-16", "wim@example.org", "employer", "face_to_face",
                     "community", "30", "C-001", "", ""])   # line 3: an employer contact
    page = upload(client, {"workers.csv": comma_csv(DATA["workers.csv"]),
                           "clients.csv": comma_csv(DATA["clients.csv"]),
                           "contacts.csv": comma_csv(contacts)})
    problems = _problems(page.text)
    assert problems[0] == \
        "contacts.csv:2:client_code: geen cliënt C-999 in clients.csv of in Caseload"
    assert problems[1:] == [
        "contacts.csv:3:employer: Noem de werkgever bij een werkgeverscontact."]


def test_the_cli_reports_in_english(app, tmp_path):
    files = dict(GOOD)
    files["clients.csv"] = files["clients.csv"].replace("2026-01-05", "31-02-2026")
    result = run_import(app, write(tmp_path, files))
    assert result.exit_code == 1
    assert "clients.csv:2:program_entry_date: '31-02-2026' is not a date" in result.output


# --- multi-line texts ---

def test_profile_texts_and_notes_keep_their_line_breaks_and_tabs(app, tmp_path):
    files = dict(GOOD)
    files["profiles.csv"] = ('client_code,preferences,experience,skills,strengths,adjustments,'
                             'network\r\n'
                             'C-001,"Werken in de zorg\r\nof in een keuken","Vakkenvuller\n'
                             '2 jaar",Koken\tbakken,,,\r\n')
    files["disclosures.csv"] = files["disclosures.csv"].replace(
        '"Tell the manager, not the colleagues"', '"Tell the manager,\nnot the colleagues"')
    result = run_import(app, write(tmp_path, files))
    assert result.exit_code == 0, result.output
    profile = db.session.scalar(select(VocationalProfile).join(Client)
                                .where(Client.client_code == "C-001"))
    assert profile.preferences == "Werken in de zorg\r\nof in een keuken"
    assert profile.experience == "Vakkenvuller\n2 jaar"
    assert profile.skills == "Koken\tbakken"
    note = db.session.scalar(select(DisclosureDiscussion.note))
    assert note == "Tell the manager,\nnot the colleagues"
    db.session.rollback()


def test_a_workbook_cell_with_line_breaks_imports_into_a_profile(app, tmp_path):
    data = {name: [list(row) for row in rows] for name, rows in DATA.items()}
    data["profiles.csv"][1][1] = "Werken in de zorg\nof in een keuken"
    (tmp_path / "teams.xlsx").write_bytes(workbook(data))
    result = run_import(app, tmp_path / "teams.xlsx")
    assert result.exit_code == 0, result.output
    assert db.session.scalar(select(VocationalProfile.preferences)) == \
        "Werken in de zorg\nof in een keuken"
    db.session.rollback()


@pytest.mark.parametrize("character", ["\x00", "\x08", "\x0b", "\x0c", "\x1b", "\x7f", "\x85",
                                       "\u2028"])
def test_other_control_characters_in_a_multi_line_text_are_refused_at_line_and_column(
        app, tmp_path, character):
    files = dict(GOOD)
    files["profiles.csv"] = ("client_code,preferences,experience,skills,strengths,adjustments,"
                             f'network\nC-001,"Werken\nin de{character}zorg",,,,,\n')
    before = row_counts()
    result = run_import(app, write(tmp_path, files))
    assert result.exit_code == 1
    assert (f"profiles.csv:2:preferences: holds a control character "
            f"(U+{ord(character):04X}) at character 13; remove it") in result.output
    assert row_counts() == before


def test_one_line_fields_still_refuse_line_breaks_and_tabs(app, tmp_path):
    """A contact's note is one line in the daily log, a job title one line in the form."""
    files = dict(GOOD)
    files["contacts.csv"] = files["contacts.csv"].replace(
        '"Visited the store, met the manager"', '"Visited the store,\r\nmet the manager"')
    files["placements.csv"] = files["placements.csv"].replace("Shelf stacker",
                                                              '"Shelf\tstacker"')
    result = run_import(app, write(tmp_path, files))
    assert result.exit_code == 1
    assert "contacts.csv:3:note: holds a control character (U+000D, e.g. a line break)" \
        in result.output
    assert "placements.csv:3:job_title: holds a control character (U+0009" in result.output
