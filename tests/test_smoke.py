from tests.conftest import login


def test_worker_logs_in_and_sees_own_caseload_in_dutch(client, build):
    team = build.team()
    worker = build.user(team, name="Wim")
    build.client(worker, code="ABC-1")
    build.commit()

    login(client, worker)
    page = client.get("/caseload")

    assert page.status_code == 200
    assert "ABC-1" in page.text
    assert "Mijn caseload" in page.text


def test_anonymous_visitor_is_sent_to_login(client):
    response = client.get("/caseload")
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]
