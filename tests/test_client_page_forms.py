"""The client page's action forms (caseload/clients/action_forms.py): an empty form's markup is
kept per form, language, day and script root and written with each request's own CSRF token;
it must be the markup the form writes when built anew, and a form sent back with errors is
written from what was typed."""

from __future__ import annotations

import re
from datetime import timedelta

from flask_babel import force_locale
from flask_wtf.csrf import generate_csrf

from caseload.clients.action_forms import EMPTY_FORMS, empty_inner, inner_html
from caseload.clients.forms import end_placement_form
from tests.conftest import TODAY, csrf_token, login


def test_an_empty_form_kept_is_the_form_written_anew_with_the_requests_token(app):
    seen = {}
    for language in ("nl", "en"):
        for day in (TODAY, TODAY + timedelta(days=1)):
            for base in ("http://localhost/", "http://localhost/sub/"):
                for _twice in range(2):  # the second request is served from what was kept
                    # its own app context: its own g, so its own CSRF token
                    with app.app_context(), app.test_request_context("/", base_url=base), \
                            force_locale(language):
                        for name, make in EMPTY_FORMS.items():
                            fresh = inner_html(name, make(day))
                            kept = empty_inner(name, day)
                            assert kept == fresh, (name, language, day, base)
                            assert generate_csrf() in kept, name
                            seen.setdefault(name, set()).add(kept)
                        for placement_id in (7, 8):  # an open placement's end form, its own
                            name = f"end_placement_form-{placement_id}"
                            fresh = inner_html("end_placement_form", end_placement_form(
                                placement_id, end_date=day, formdata=None), placement_id)
                            kept = empty_inner("end_placement_form", day, placement_id)
                            assert kept == fresh, (name, language, day, base)
                            assert f'name="end-placement-{placement_id}-end_date"' in kept
                            seen.setdefault(name, set()).add(kept)
    # each request its own token, so no two writings were the same
    assert {name: len(texts) for name, texts in seen.items()} == {name: 16 for name in seen}


def test_the_placement_form_names_the_employer_lookup_under_the_script_root(app):
    with app.test_request_context("/", base_url="http://localhost/sub/"):
        assert 'data-employer-lookup="/sub/employers/lookup"' in empty_inner(
            "placement_form", TODAY)


def test_a_form_sent_back_keeps_what_was_typed_and_the_others_stay_empty(client, build):
    team = build.team()
    worker = build.user(team)
    person = build.client(worker, entry=TODAY - timedelta(days=60))
    build.commit()
    login(client, worker)
    page = f"/clients/{person.id}"
    response = client.post(f"{page}/disclosures", data={
        "csrf_token": csrf_token(client, page), "discussed_on": "2099-01-01",
        "decision": "full", "note": 'Tom & "Jerry"'})
    assert response.status_code == 422
    text = response.text
    sent = re.search(r'<details class="action" id="disclosure_form" open>(.*?)</details>', text,
                     re.S).group(1)
    assert 'value="2099-01-01"' in sent and 'aria-invalid="true"' in sent
    assert "Tom &amp; &#34;Jerry&#34;</textarea>" in sent
    assert '<option selected value="full">' in sent
    phase = re.search(r'<details class="action" id="phase_form" >(.*?)</details>', text,
                      re.S).group(1)
    assert f'value="{TODAY.isoformat()}"' in phase and "error" not in phase
    # the kept empty forms carry this response's token, the one the sent-back form carries
    tokens = set(re.findall(r'name="(?:[a-z-]+-)?csrf_token" type="hidden" value="([^"]+)"',
                            text))
    assert len(tokens) == 1
