"""Errors you can find: the page title says there is an error, a summary at the top names and
links the fields in error, and each input in error carries aria-invalid and aria-describedby
pointing at its message: on the login, new-client and daily-log forms."""

from __future__ import annotations

import re

from tests.conftest import TODAY, csrf_token, login


def title(page: str) -> str:
    return re.search(r"<title>(.*?)</title>", page, re.DOTALL).group(1).strip()


def assert_marked(page: str, field_id: str) -> None:
    tag = re.search(rf'<(?:input|select|textarea)[^>]*\bid="{re.escape(field_id)}"[^>]*>', page).group(0)
    assert 'aria-invalid="true"' in tag, tag
    assert f'aria-describedby="{field_id}-error"' in tag, tag
    assert f'<p class="error" id="{field_id}-error">' in page
    assert f'href="#{field_id}"' in page.split('id="error-summary"')[1].split("</div>")[0]


def test_login_errors(client):
    page = client.post("/login", data={"csrf_token": csrf_token(client, "/login"),
                                       "email": "nobody@example.org", "password": "wrong"}).text
    assert title(page).startswith("Fout: ")
    assert 'id="error-summary"' in page and 'role="alert"' in page
    assert_marked(page, "password")
    assert "aria-invalid" not in re.search(r'<input[^>]*id="email"[^>]*>', page).group(0)
    assert not title(client.get("/login").text).startswith("Fout")


def test_new_client_errors(client, build):
    team = build.team()
    worker = build.user(team)
    build.commit()
    login(client, worker)
    response = client.post("/clients/new", data={
        "csrf_token": csrf_token(client, "/clients/new"), "client_code": "", "name": "Kees",
        "referral_source": "", "team_id": str(team.id), "worker_id": str(worker.id),
        "program_entry_date": "", "trajectory_type": "ips_epa", "funder": "uwv",
        "planned_end": ""})
    assert response.status_code in (200, 422)
    page = response.text
    assert title(page).startswith("Fout: ")
    assert_marked(page, "client_code")
    assert_marked(page, "program_entry_date")
    assert 'value="Kees"' in page  # what was typed is kept


def test_daily_log_errors_name_the_row(client, build):
    team = build.team()
    worker = build.user(team)
    build.commit()
    login(client, worker)
    data = {"csrf_token": csrf_token(client, "/log"), "contact_date": TODAY.isoformat(),
            "save": "1"}
    for n in range(5):
        data.update({f"rows-{n}-client": "", f"rows-{n}-kind": "client",
                     f"rows-{n}-employer": "", f"rows-{n}-mode": "face_to_face",
                     f"rows-{n}-place": "community", f"rows-{n}-minutes": "", f"rows-{n}-note": ""})
    data.update({"rows-3-kind": "employer", "rows-3-note": "Geen naam"})
    page = client.post("/log", data=data).text
    assert title(page).startswith("Fout: ")
    summary = page.split('id="error-summary"')[1].split("</div>")[0]
    assert 'href="#row-3"' in summary and "Contact 4" in summary
    tag = re.search(r'<input[^>]*id="rows-3-employer"[^>]*>', page).group(0)
    assert 'aria-invalid="true"' in tag and 'aria-describedby="rows-3-employer-error"' in tag
