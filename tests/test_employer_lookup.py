"""The employer field's suggestions: /employers/lookup answers a name typed in part with a few
employer names, for a logged-in user only, and nothing else."""

from __future__ import annotations

import pytest

from caseload.employers.views import LOOKUP_LIMIT, LOOKUP_MAX_QUERY
from tests.conftest import TODAY, login


@pytest.fixture
def worker(build):
    user = build.user(build.team())
    for name in ("Bakkerij Bol", "Bol Verhuur", "Garage De Vries", "Tuincentrum Bolle",
                 "100% Zorg", "Kwekerij_Noord"):
        build.employer(name)
    build.commit()
    return user


def lookup(client, text):
    return client.get("/employers/lookup", query_string={"q": text})


def test_a_part_of_a_name_finds_the_employers_those_starting_with_it_first(client, worker):
    login(client, worker)

    response = lookup(client, "bol")

    assert response.status_code == 200 and response.is_json
    assert response.get_json() == {"names": ["Bol Verhuur", "Bakkerij Bol", "Tuincentrum Bolle"]}
    assert lookup(client, "  GARAGE   de ").get_json() == {"names": ["Garage De Vries"]}
    assert lookup(client, "Slagerij").get_json() == {"names": []}
    assert lookup(client, "").get_json() == {"names": []}


def test_percent_and_underscore_are_letters_not_wildcards(client, worker):
    login(client, worker)

    assert lookup(client, "%").get_json() == {"names": ["100% Zorg"]}
    assert lookup(client, "j_n").get_json() == {"names": ["Kwekerij_Noord"]}
    assert lookup(client, "i_").get_json() == {"names": []}  # no name has "i" + any letter


def test_at_most_the_limit_of_names_is_sent(client, worker, build):
    for n in range(LOOKUP_LIMIT + 5):
        build.employer(f"Bouwbedrijf {n:02d}")
    build.commit()
    login(client, worker)

    names = lookup(client, "bouw").get_json()["names"]

    assert len(names) == LOOKUP_LIMIT
    assert names == [f"Bouwbedrijf {n:02d}" for n in range(LOOKUP_LIMIT)]


def test_an_overlong_query_is_refused_and_the_longest_allowed_answered(client, worker):
    login(client, worker)

    refused = lookup(client, "b" * (LOOKUP_MAX_QUERY + 1))
    longest = lookup(client, "b" * LOOKUP_MAX_QUERY)

    assert refused.status_code == 400 and "names" not in refused.get_json()
    assert refused.get_json()["error"]
    assert longest.status_code == 200 and longest.get_json() == {"names": []}


def test_without_a_login_nothing_is_answered(client, worker):
    response = lookup(client, "bol")

    assert response.status_code in (302, 401)
    if response.status_code == 302:
        assert "/login" in response.headers["Location"]
    assert b"Bakkerij" not in response.data


def test_the_answer_holds_employer_names_only_never_client_data(client, worker, build):
    """The register is shared by every team; what another team did with an employer (its
    contacts, its clients' placements) stays out of the answer."""
    other_worker = build.user(build.team())
    stranger = build.client(other_worker, code="BOL-CLIENT-9")
    employer = build.employer("Bolwerk Logistiek")
    build.placement(stranger, start=TODAY, employer=employer)
    build.contact(other_worker, on=TODAY, kind="employer", client=stranger, employer=employer)
    build.commit()
    login(client, worker)

    response = lookup(client, "bol")

    assert set(response.get_json()) == {"names"}
    assert "Bolwerk Logistiek" in response.get_json()["names"]
    assert b"BOL-CLIENT-9" not in response.data and b"Test" not in response.data
    assert all(isinstance(name, str) for name in response.get_json()["names"])


def test_the_appointment_form_and_the_correction_page_look_employers_up_instead_of_listing_them(
        client, worker, build):
    employer = build.employer("Drukkerij Lijst")
    contact = build.contact(worker, on=TODAY, kind="employer", employer=employer)
    build.commit()
    login(client, worker)

    for url in ("/appointments/new", f"/records/contact/{contact.id}/edit"):
        page = client.get(url)
        assert page.status_code == 200, url
        assert "data-employer-lookup=" in page.text and "employer_lookup.js" in page.text, url
        # The register is not sent: a name of an employer this page is not about is absent.
        assert "Garage De Vries" not in page.text and "<datalist" not in page.text, url
