"""A general employer contact (no client) keeps its history when corrected or deleted, and the
history shows where the contact is shown: the employer page, the daily log of its day, the
worker's week page and the correction page, to those who may see the contact (members of the worker's teams)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.conftest import TODAY, csrf_token, login
from tests.test_corrections import correct

DAY = TODAY - timedelta(days=2)


@pytest.fixture
def general(build):
    team = build.team()
    worker = build.user(team)
    colleague = build.user(team)
    other = build.team()
    outsider = build.user(other)
    employer = build.employer("Bakkerij Bol")
    contact = build.contact(worker, on=DAY, kind="employer", employer=employer,
                            note="Kennismaking met de eigenaar")
    build.commit()
    return {"worker": worker, "colleague": colleague, "outsider": outsider,
            "employer": employer, "contact": contact}


def fields(**changes):
    return {"contact_date": DAY.isoformat(), "kind": "employer", "employer": "Bakkerij Bol",
            "mode": "face_to_face", "place": "community", "minutes": "45",
            "note": "Kennismaking met de eigenaar en de chef", "reason": "", **changes}


def test_a_corrected_general_contact_shows_its_history_on_the_employer_page_and_the_day(
        client, general):
    contact = general["contact"]
    login(client, general["worker"])
    response = correct(client, "contact", contact.id, fields(reason="Chef was er ook"))
    assert response.status_code == 302

    for url in (f"/employers/{general['employer'].id}",
                f"/log?date={DAY.isoformat()}",
                f"/log/week/{general['worker'].id}/{DAY.strftime('%G-W%V')}",
                f"/records/contact/{contact.id}/edit"):
        page = client.get(url)
        assert page.status_code == 200, url
        assert f'id="history-contact-{contact.id}"' in page.text, url
        assert "Chef was er ook" in page.text, url
        assert "Kennismaking met de eigenaar ·" in page.text or \
            "Kennismaking met de eigenaar<" in page.text, url     # the earlier version


def test_a_deleted_general_contact_is_listed_on_the_employer_page(client, general):
    contact = general["contact"]
    login(client, general["worker"])
    correct(client, "contact", contact.id, fields(reason="Chef was er ook"))
    token = csrf_token(client, f"/records/contact/{contact.id}/edit")
    deleted = client.post(f"/records/contact/{contact.id}/delete",
                          data={"csrf_token": token, "delete-reason": "Was een telefoontje"})
    assert deleted.status_code == 302

    page = client.get(f"/employers/{general['employer'].id}").text
    assert 'id="deleted-records"' in page
    assert "Was een telefoontje" in page and "Chef was er ook" in page   # both versions
    assert f'id="history-contact-{contact.id}"' in page


def test_a_colleague_of_the_team_sees_the_history_and_another_team_does_not(
        client, build, general):
    contact = general["contact"]
    login(client, general["worker"])
    correct(client, "contact", contact.id, fields(reason="Chef was er ook"))
    client.post("/logout", data={"csrf_token": csrf_token(client, "/caseload")})

    login(client, general["colleague"])
    page = client.get(f"/employers/{general['employer'].id}").text
    assert "Chef was er ook" in page
    assert f'href="/records/contact/{contact.id}/edit"' not in page    # not theirs to correct
    client.post("/logout", data={"csrf_token": csrf_token(client, "/caseload")})

    login(client, general["outsider"])
    page = client.get(f"/employers/{general['employer'].id}").text
    assert "Kennismaking" not in page and "Chef was er ook" not in page
    assert client.get(f"/records/contact/{contact.id}/edit").status_code == 404


def test_another_teams_deleted_general_contact_is_not_listed(client, build, general):
    contact = general["contact"]
    login(client, general["worker"])
    token = csrf_token(client, f"/records/contact/{contact.id}/edit")
    client.post(f"/records/contact/{contact.id}/delete",
                data={"csrf_token": token, "delete-reason": "Was een telefoontje"})
    client.post("/logout", data={"csrf_token": csrf_token(client, "/caseload")})

    login(client, general["outsider"])
    page = client.get(f"/employers/{general['employer'].id}").text
    assert 'id="deleted-records"' not in page and "Was een telefoontje" not in page


def test_the_employer_page_reads_the_history_in_a_fixed_number_of_queries(
        client, build, general, count_queries):
    worker, employer = general["worker"], general["employer"]
    login(client, worker)
    counts = []
    for extra in (1, 12):
        for n in range(extra):
            build.contact(worker, on=DAY - timedelta(days=n + 1), kind="employer",
                          employer=employer)
        build.commit()
        with count_queries() as counter:
            client.get(f"/employers/{employer.id}")
        counts.append(counter.count)
    assert counts[0] == counts[1]
