"""Characters that show nothing (zero-width spaces and joiners, the word joiner, a byte order
mark, direction marks, overrides and isolates) are refused in names and identifiers, by the
forms and the import alike, with a message at the field or the line; free text refuses the
direction overrides and isolates only. Other control characters are dropped (forms) or refused
(import), and a one-line field holds no tab or line break."""

from __future__ import annotations

import html
import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from caseload.extensions import db
from caseload.models import Client, Contact, DisclosureDiscussion, Employer, Team, User
from tests.conftest import TODAY, csrf_token, login
from tests.test_daily_log import form_data
from tests.test_import import run_import
from tests.test_import_formats import DATA, comma_csv, write_form
from tests.test_import_texts import _problems
from tests.test_import_web import noord, upload

INVISIBLE = ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u200e", "\u200f"]
DIRECTION = ["\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068",
             "\u2069"]
INVISIBLE_NL = "Bevat een onzichtbaar teken (U+{code:04X}) op teken {position}; haal het weg"
DIRECTION_NL = ("Bevat een teken dat de schrijfrichting omdraait (U+{code:04X}) op teken "
                "{position}; haal het weg.")


def field_error(page: str, field_id: str) -> str:
    found = re.search(rf'<p class="error" id="{re.escape(field_id)}-error">(.*?)</p>', page)
    return html.unescape(found.group(1)) if found else ""


def field_value(page: str, field_id: str) -> str:
    tag = re.search(rf'<input[^>]*\bid="{re.escape(field_id)}"[^>]*>', page).group()
    found = re.search(r'\bvalue="([^"]*)"', tag)
    return html.unescape(found.group(1)) if found else ""


def count(model) -> int:
    return db.session.scalar(select(func.count(model.id)))


@pytest.fixture
def worker(build):
    team = build.team("Team Noord")
    user = build.user(team)
    build.client(user, entry=TODAY - timedelta(days=20), code="HID-1")
    build.employer("Albert Heijn")
    build.commit()
    return user


def new_employer(client, name: str):
    return client.post("/employers/new", data={
        "csrf_token": csrf_token(client, "/employers/new"), "name": name, "sector": "",
        "place": "", "contact_person": ""})


@pytest.mark.parametrize("character", INVISIBLE + DIRECTION)
def test_an_employer_name_with_a_character_that_shows_nothing_is_refused_at_the_name(
        client, worker, character):
    login(client, worker)
    typed = f"Albert{character}Heijn"

    response = new_employer(client, typed)

    assert response.status_code in (200, 422)
    expected = (DIRECTION_NL if character in DIRECTION else INVISIBLE_NL).format(
        code=ord(character), position=7)
    assert field_error(response.text, "name").startswith(expected)
    assert field_value(response.text, "name") == typed          # what was typed is kept
    assert count(Employer) == 1                                 # Albert Heijn only


@pytest.mark.parametrize("character", [
    "\u00ad",       # soft hyphen, pasted from a word processor
    "\u2061", "\u2063", "\u2064",   # invisible operators
    "\U000e0041",   # a tag character
    "\u034f", "\ufe0f",   # combining grapheme joiner, a variation selector
    "\u3164", "\u115f", "\u2800",   # Hangul fillers, the blank braille pattern
])
def test_other_characters_that_show_nothing_are_refused_in_a_name(client, worker, character):
    login(client, worker)
    typed = f"Albert Hei{character}jn"

    response = new_employer(client, typed)

    assert field_error(response.text, "name").startswith(
        INVISIBLE_NL.format(code=ord(character), position=11))
    assert count(Employer) == 1


def test_a_plain_name_and_letters_of_other_scripts_still_pass(client, worker):
    login(client, worker)
    for name in ("Bakkerij Ølstad", "مطعم الأندلس", "Zoë & Zonen"):
        assert new_employer(client, name).status_code == 302, name
    assert count(Employer) == 4


def test_a_joiner_inside_a_persian_or_devanagari_word_passes_but_not_beside_latin(client, worker):
    login(client, worker)
    persian = "\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645"   # mi-khaham, ZWNJ inside
    devanagari = "\u0915\u094d\u200d\u0937"                       # a half form with ZWJ
    for name in (persian, devanagari):
        assert new_employer(client, name).status_code == 302, name

    for typed, position in (("Albert\u200dHeijn", 7), ("\u0645\u06cc\u200c Heijn", 3),
                            ("\u0645\u06cc\u200c", 3), ("\u200c\u0645\u06cc", 1)):
        response = new_employer(client, typed)
        assert field_error(response.text, "name").startswith(INVISIBLE_NL.format(
            code=ord(typed[position - 1]), position=position)), typed
    assert count(Employer) == 3


def test_a_team_name_with_an_invisible_character_is_refused(client, build):
    admin = build.user(role="admin")
    build.commit()
    login(client, admin)

    response = client.post("/admin/teams", data={
        "csrf_token": csrf_token(client, "/admin/teams"), "name": "Team\u200bZuid"})

    assert field_error(response.text, "name").startswith(
        INVISIBLE_NL.format(code=0x200B, position=5))
    assert count(Team) == 0


def test_a_worker_name_with_a_direction_override_is_refused(client, build):
    admin = build.user(role="admin")
    build.commit()
    login(client, admin)

    response = client.post("/admin/users/new", data={
        "csrf_token": csrf_token(client, "/admin/users/new"), "name": "Jan \u202enesnaJ",
        "email": "jan@example.org", "role": "worker", "fte": "1", "language": "nl",
        "active": "y", "password": "Lang-en-sterk-2026"})

    assert field_error(response.text, "name") == DIRECTION_NL.format(code=0x202E, position=5)
    assert count(User) == 1


def new_client(client, worker, **values):
    data = {"csrf_token": csrf_token(client, "/clients/new"), "client_code": "HID-2",
            "name": "", "referral_source": "", "team_id": str(worker.team_ids[0]),
            "worker_id": str(worker.id), "program_entry_date": TODAY.isoformat(),
            "trajectory_type": "ips_epa", "funder": "uwv", "planned_end": ""}
    return client.post("/clients/new", data={**data, **values})


def test_a_client_code_with_a_zero_width_space_says_so_not_only_which_letters_fit(
        client, worker):
    login(client, worker)

    response = new_client(client, worker, client_code="HID\u200b-2",
                          name="Fatima \u2066El\u2069 Amrani")

    assert field_error(response.text, "client_code").startswith(
        INVISIBLE_NL.format(code=0x200B, position=4))
    assert "'-'" not in field_error(response.text, "client_code")   # one message, not two
    assert field_error(response.text, "name") == DIRECTION_NL.format(code=0x2066, position=8)
    assert count(Client) == 1


def log_line(client, **values):
    row = {"client": "HID-1", "kind": "employer", "employer": "Albert Heijn",
           "mode": "face_to_face", "place": "community", "minutes": "30", "note": ""}
    return client.post("/log", data=form_data(csrf_token(client, "/log"), [{**row, **values}],
                                              day=TODAY))


def test_a_daily_log_line_with_a_look_alike_employer_is_refused_and_kept(client, worker):
    login(client, worker)

    response = log_line(client, employer="Albert\ufeffHeijn")

    assert response.status_code == 422
    assert field_error(response.text, "rows-0-employer").startswith(
        INVISIBLE_NL.format(code=0xFEFF, position=7))
    assert field_value(response.text, "rows-0-employer") == "Albert\ufeffHeijn"
    assert (count(Contact), count(Employer)) == (0, 1)


def test_a_note_refuses_a_direction_override_but_keeps_an_emoji_joiner(client, worker):
    login(client, worker)

    refused = log_line(client, note="Gesprek \u202eoog lees")
    assert refused.status_code == 422
    assert field_error(refused.text, "rows-0-note") == DIRECTION_NL.format(
        code=0x202E, position=9)
    assert count(Contact) == 0

    note = "Sollicitatie als 👩\u200d💻, met ZWNJ\u200c en LRM\u200e"
    assert log_line(client, note=note).status_code == 302
    assert db.session.scalar(select(Contact.note)) == note


def test_a_profile_text_refuses_an_isolate_and_keeps_its_lines(client, worker):
    login(client, worker)
    record = db.session.scalar(select(Client).where(Client.client_code == "HID-1"))
    page = f"/clients/{record.id}"
    token = csrf_token(client, page)

    response = client.post(f"{page}/profile", data={
        "csrf_token": token, "version": "", "preferences": "Werk\nin de \u2067zorg\u2069",
        "experience": "", "skills": "", "strengths": "", "adjustments": "", "network": ""})

    assert response.status_code in (200, 422), response.status_code
    assert field_error(response.text, "preferences") == DIRECTION_NL.format(
        code=0x2067, position=12)
    assert record.profile is None


def test_c1_control_characters_are_dropped_and_a_tab_in_a_name_becomes_a_space(
        client, worker):
    login(client, worker)

    assert new_employer(client, "Bakkerij\x85 de\tKorf\x9f").status_code == 302

    assert db.session.scalar(select(Employer.name).where(Employer.name != "Albert Heijn")) \
        == "Bakkerij de Korf"


# --- the import ---

def _with(name, line, column, value):
    changed = {key: [list(row) for row in rows] for key, rows in DATA.items()}
    header = changed[name][0]
    changed[name][line - 1][header.index(column)] = value
    return changed


@pytest.mark.parametrize("name, line, column, value, reason", [
    ("workers.csv", 2, "name", "Wim\u200b de Vries",
     "holds an invisible character (U+200B) at character 4; remove it, else two names that "
     "look the same are different"),
    ("workers.csv", 3, "team", "Team\u2060Noord",
     "holds an invisible character (U+2060) at character 5; remove it"),
    ("placements.csv", 4, "employer", "Albert\u200cHeijn",
     "holds an invisible character (U+200C) at character 7; remove it"),
    ("placements.csv", 2, "job_title", "\u202eatsirab",
     "holds a character that turns the text direction (U+202E) at character 1; remove it"),
    ("phases.csv", 2, "client_code", "C-001\ufeff",
     "holds an invisible character (U+FEFF) at character 6; remove it"),
    ("clients.csv", 2, "client_code", "C\u200d-001",
     "holds an invisible character (U+200D) at character 2; remove it"),
    ("disclosures.csv", 2, "note", "Alleen de \u202dleidinggevende",
     "holds a character that turns the text direction (U+202D) at character 11; remove it"),
    ("contacts.csv", 2, "note", "Belafspraak \u2068morgen\u2069",
     "holds a character that turns the text direction (U+2068) at character 13; remove it"),
])
def test_the_import_refuses_them_at_the_line_and_column(app, tmp_path, name, line, column,
                                                       value, reason):
    result = run_import(app, write_form(tmp_path, "comma", _with(name, line, column, value)))

    assert result.exit_code == 1, result.output
    assert f"{name}:{line}:{column}: {reason}" in result.output
    assert count(Client) == 0


def test_the_import_keeps_a_joiner_in_a_note(app, tmp_path):
    note = "Alleen de leidinggevende 👍\u200d"
    result = run_import(app, write_form(tmp_path, "comma",
                                        _with("disclosures.csv", 2, "note", note)))

    assert result.exit_code == 0, result.output
    assert db.session.scalar(select(DisclosureDiscussion.note)) == note


def test_the_import_through_the_web_says_it_in_dutch(client, build):
    _team, coordinator = noord(build, "nl")
    login(client, coordinator)
    workers = [list(row) for row in DATA["workers.csv"]]
    workers[2][1] = "Zoë\u200b Bakker"

    page = upload(client, {"workers.csv": comma_csv(workers)})

    assert page.status_code == 422
    assert _problems(page.text) == [
        "workers.csv:3:name: bevat een onzichtbaar teken (U+200B) op teken 4; haal het weg, "
        "anders zijn twee namen die er hetzelfde uitzien toch verschillend"]
    assert count(User) == 1
