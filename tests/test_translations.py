"""Translations: the Dutch catalog is complete and matches the code; the UI speaks Dutch by default
and English on request.

A developer who adds a UI string without a Dutch translation gets a failing test here that names
the missing strings. To fix it:

    .venv/bin/pybabel extract -F babel.cfg -k _l -k lazy_gettext \\
        -o caseload/translations/messages.pot .
    .venv/bin/pybabel update -i caseload/translations/messages.pot -d caseload/translations
    # translate the new msgids in caseload/translations/nl/LC_MESSAGES/messages.po, then:
    .venv/bin/pybabel compile --use-fuzzy --statistics -d caseload/translations
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.pofile import read_po

from tests.conftest import csrf_token, login

ROOT = Path(__file__).resolve().parent.parent
TRANSLATIONS = ROOT / "caseload" / "translations"
NL_PO = TRANSLATIONS / "nl" / "LC_MESSAGES" / "messages.po"
EN_PO = TRANSLATIONS / "en" / "LC_MESSAGES" / "messages.po"

# The keywords of the extraction command: babel's defaults plus -k _l -k lazy_gettext.
KEYWORDS = {**DEFAULT_KEYWORDS, "_l": None, "lazy_gettext": None}

# A named placeholder as Python's %-formatting reads it: %(name)s, %(n)d, %(share).1f ...
NAMED_PLACEHOLDER = re.compile(r"%\((\w+)\)[-#0 +]*(?:\*|\d+)?(?:\.(?:\*|\d+))?[hlL]?([diouxXeEfFgGcrs])")


def read_catalog(path: Path):
    with path.open("rb") as f:
        return read_po(f, locale=path.parent.parent.name)


def placeholders(text: str) -> list[tuple[str, str]]:
    return sorted(NAMED_PLACEHOLDER.findall(text))


def as_tuple(value) -> tuple[str, ...]:
    return tuple(value) if isinstance(value, (list, tuple)) else (value,)


def show(msgid) -> str:
    return repr(as_tuple(msgid)[0])


@pytest.fixture(scope="module")
def nl():
    return read_catalog(NL_PO)


def untranslated(message) -> bool:
    return message.fuzzy or not all(as_tuple(message.string))


# (a) ---------------------------------------------------------------------------------------------

def test_every_dutch_msgid_has_a_checked_translation_with_the_same_placeholders(nl):
    messages = [m for m in nl if m.id]
    assert messages, "the Dutch catalog is empty"

    missing = [show(m.id) for m in messages if untranslated(m)]
    assert not missing, (f"{len(missing)} msgid(s) without a (non-fuzzy) Dutch translation in "
                         f"{NL_PO.relative_to(ROOT)}:\n  " + "\n  ".join(missing))

    mismatched = []
    for m in messages:
        ids, strings = as_tuple(m.id), as_tuple(m.string)
        for i, string in enumerate(strings):
            source = ids[min(i, len(ids) - 1)]
            if placeholders(source) != placeholders(string):
                mismatched.append(f"{source!r} -> {string!r}")
    assert not mismatched, "placeholders differ from the msgid:\n  " + "\n  ".join(mismatched)


def test_the_dutch_catalog_passes_babels_own_checks(nl):
    """What `pybabel compile` would report as an error (e.g. a stray "% o" in a msgid that babel
    takes for a placeholder, which the translation must then carry too)."""
    errors = [f"{show(m.id)}: {error}" for m, errs in nl.check() for error in errs]
    assert not errors, "\n".join(errors)


def test_the_english_catalog_falls_back_to_the_msgids():
    """English is the source language: no fuzzy entries, and nothing that says other than the msgid."""
    en = read_catalog(EN_PO)
    wrong = [show(m.id) for m in en if m.id and (m.fuzzy or (
        any(as_tuple(m.string)) and as_tuple(m.string) != as_tuple(m.id)))]
    assert not wrong, "English entries that are fuzzy or differ from their msgid:\n  " + \
        "\n  ".join(wrong)


# (b) ---------------------------------------------------------------------------------------------

def method_map_of_babel_cfg():
    try:
        from babel.messages.frontend import parse_mapping_cfg as parse
    except ImportError:  # babel < 2.14
        from babel.messages.frontend import parse_mapping as parse
    with (ROOT / "babel.cfg").open() as f:
        return parse(f, str(ROOT / "babel.cfg"))


def extracted_messages(method_map, options_map) -> dict[tuple[str, str | None], set[str]]:
    """msgid (and context) -> where in the code, as `pybabel extract -F babel.cfg` finds them."""
    found: dict[tuple[str, str | None], set[str]] = {}
    for filename, lineno, message, _comments, context in extract_from_dir(
            str(ROOT), method_map, options_map, keywords=KEYWORDS):
        msgid = as_tuple(message)[0]
        if msgid:
            found.setdefault((msgid, context), set()).add(f"{filename}:{lineno}")
    return found


def missing_from(nl, found) -> list[str]:
    missing = []
    for (msgid, context), places in sorted(found.items()):
        message = nl.get(msgid, context=context)
        if message is None or untranslated(message):
            where = ", ".join(sorted(places)[:3])
            state = "not in the catalog" if message is None else "untranslated or fuzzy"
            missing.append(f"{msgid!r} ({state}; {where})")
    return missing


def test_every_string_in_the_code_has_a_dutch_translation(nl):
    found = extracted_messages(*method_map_of_babel_cfg())
    assert len(found) > 100, "extraction found (almost) nothing; is babel.cfg read right?"

    missing = missing_from(nl, found)
    assert not missing, (
        f"{len(missing)} UI string(s) without a Dutch translation; run the extract/update commands "
        "in this file's docstring and translate them in caseload/translations/nl/LC_MESSAGES/"
        "messages.po:\n  " + "\n  ".join(missing))


def test_the_plain_text_mail_templates_are_translated_too(nl):
    """babel.cfg extracts only *.html templates; the text parts of the mails (mail/*.txt) use the
    same strings as their HTML parts. A string only in a .txt template would never reach the
    catalog, so check them here as well."""
    method_map = [("caseload/templates/**.txt", "jinja2")]
    found = extracted_messages(method_map, {"caseload/templates/**.txt": {}})
    assert found, "no strings found in the plain-text mail templates"

    missing = missing_from(nl, found)
    assert not missing, (
        "strings in plain-text templates without a Dutch translation (add "
        "[jinja2: caseload/templates/**.txt] to babel.cfg, or use the HTML part's wording):\n  "
        + "\n  ".join(missing))


# (c) ---------------------------------------------------------------------------------------------

def switch_language(client, code: str, page: str):
    response = client.post(f"/language/{code}", data={
        "csrf_token": csrf_token(client, page), "next": page})
    assert response.status_code == 302, response.text
    return response


def test_login_page_is_dutch_by_default_and_english_on_request(client):
    page = client.get("/login")
    assert page.status_code == 200
    assert '<html lang="nl">' in page.text
    assert "Inloggen" in page.text and "Wachtwoord" in page.text
    assert "Log in" not in page.text

    switch_language(client, "en", "/login")

    page = client.get("/login")
    assert '<html lang="en">' in page.text
    assert "Log in" in page.text and "Password" in page.text
    assert "Inloggen" not in page.text


def test_caseload_page_is_dutch_by_default_and_english_on_request(client, build):
    team = build.team()
    worker = build.user(team, name="Wim")
    build.client(worker, code="TAAL-1")
    build.commit()

    login(client, worker)
    page = client.get("/caseload")
    assert page.status_code == 200
    assert "TAAL-1" in page.text
    assert "Mijn caseload" in page.text and "Contacten registreren" in page.text
    assert "Dagen sinds instroom" in page.text
    assert "My caseload" not in page.text

    switch_language(client, "en", "/caseload")

    page = client.get("/caseload")
    assert page.status_code == 200
    assert "My caseload" in page.text and "Log contacts" in page.text
    assert "Days since entry" in page.text
    assert "Mijn caseload" not in page.text

    switch_language(client, "nl", "/caseload")
    assert "Mijn caseload" in client.get("/caseload").text
