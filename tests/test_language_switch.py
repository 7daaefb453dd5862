"""The layout's language switch returns to the page shown, also when that page is a refused
form shown again in answer to a POST whose own address answers no GET (a 405 to come back to):
request_input.page_to_return_to."""

from __future__ import annotations

import html
import re
from datetime import timedelta

import pytest

from caseload.request_input import page_to_return_to
from tests.conftest import TODAY, csrf_token, login


def switch(page: str, code: str = "en") -> tuple[str, str]:
    """The `next` and the token of the page's language switch to `code`."""
    form = re.search(rf'<form method="post" action="/language/{code}" class="inline">(.*?)</form>',
                     page, re.S).group(1)
    token = re.search(r'name="csrf_token" value="([^"]+)"', form).group(1)
    return html.unescape(re.search(r'name="next" value="([^"]*)"', form).group(1)), token


def switch_language(client, page: str):
    next_address, token = switch(page)
    return next_address, client.post("/language/en", data={"csrf_token": token,
                                                           "next": next_address},
                                     follow_redirects=True)


def test_switching_language_after_a_refused_form_on_the_client_page_shows_the_client_page(
        client, build):
    worker = build.user(build.team())
    person = build.client(worker, entry=TODAY - timedelta(days=60), code="LS-1")
    build.commit()
    login(client, worker)
    page = f"/clients/{person.id}"
    refused = client.post(f"{page}/disclosures", data={
        "csrf_token": csrf_token(client, page), "discussed_on": "2099-01-01",
        "decision": "full", "note": "Besproken"})
    assert refused.status_code == 422

    next_address, switched = switch_language(client, refused.text)

    assert switched.status_code == 200  # not 405: the address the form was posted to
    assert next_address == page and switched.request.path == page
    assert '<html lang="en">' in switched.text and "LS-1" in switched.text


def test_switching_language_after_a_refused_placement_deletion_shows_the_placement_page(
        client, build):
    worker = build.user(build.team())
    person = build.client(worker, entry=TODAY - timedelta(days=60))
    placement_id = build.placement(person, start=TODAY - timedelta(days=10)).id
    build.commit()
    login(client, worker)
    page = f"/clients/{person.id}/placements/{placement_id}/edit"
    refused = client.post(f"/records/placement/{placement_id}/delete",
                          data={"csrf_token": csrf_token(client, page), "delete-reason": ""})
    assert refused.status_code == 422

    next_address, switched = switch_language(client, refused.text)

    assert switched.status_code == 200 and '<html lang="en">' in switched.text
    assert next_address == page


def test_switching_language_after_a_refused_form_without_an_address_goes_to_where_it_came_from(
        client, build):
    """The fidelity self-assessment is posted to an address of its own, and its page is shown
    again without one: the switch returns to the page the form was sent from."""
    team = build.team()
    coordinator = build.user(team, role="coordinator")
    build.commit()
    login(client, coordinator)
    page = f"/fidelity/?team={team.id}"
    shown = client.get(page)
    assert shown.status_code == 200
    refused = client.post("/fidelity/assessments", headers={"Referer": f"http://localhost{page}"},
                          data={"csrf_token": csrf_token(client, page), "team": team.id})
    assert refused.status_code == 422

    next_address, switched = switch_language(client, refused.text)

    assert switched.status_code == 200 and '<html lang="en">' in switched.text
    assert next_address == page


@pytest.mark.parametrize(("method", "path", "given", "referrer", "expected"), [
    ("GET", "/employers/?q=bak", None, None, "/employers/?q=bak"),
    ("POST", "/clients/7/phase", "/clients/7", "http://localhost/caseload", "/clients/7"),
    # a form sent to its own page
    ("POST", "/employers/new", None, None, "/employers/new?"),
    # a POST-only address: the page the form was on, where it is of this site and answers GET
    ("POST", "/clients/7/phase", None, "http://localhost/clients/7?kind=employer",
     "/clients/7?kind=employer"),
    ("POST", "/clients/7/phase", None, "/clients/7", "/clients/7"),
    ("POST", "/clients/7/phase", None, "https://evil.example/clients/7", "/"),
    ("POST", "/clients/7/phase", None, "http://localhost/clients/7/phase", "/"),
    ("POST", "/clients/7/phase", None, None, "/"),
])
def test_the_page_to_return_to(app, method, path, given, referrer, expected):
    headers = {"Referer": referrer} if referrer else {}
    with app.test_request_context(path, method=method, headers=headers):
        assert page_to_return_to(given) == expected
