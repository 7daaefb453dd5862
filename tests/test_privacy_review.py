"""The privacy officer's monthly review report: reads of clients outside the reader's own
caseload, coordinators' reads apart, reads by administrators, denied attempts; marked as
reviewed with a note."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

from sqlalchemy import insert, select

from caseload import clock
from caseload.extensions import db
from caseload.logs.review import month_report
from caseload.models import AccessLogEntry, PrivacyReview
from tests.conftest import TODAY, csrf_token, login

MARCH = date(2026, 3, 1)


def at(day: int, hour: int = 10) -> datetime:
    return datetime(2026, 3, day, hour, tzinfo=timezone.utc)


def log(user, client, when: datetime, action: str = "read", outcome: str = "allowed",
        role: str | None = None, record_type: str = "clients.show") -> None:
    db.session.execute(insert(AccessLogEntry), [{
        "at": when, "user_id": user.id, "user_email": user.email,
        "user_role": user.role if role is None else role,
        "client_id": client.id if client is not None else None, "record_type": record_type,
        "action": action, "status": 200 if outcome == "allowed" else 404, "outcome": outcome,
        "ip": "127.0.0.1"}])


def setting(build):
    north, south = build.team("Noord"), build.team("Zuid")
    wim = build.user(north, email="wim@example.org")
    sara = build.user(north, email="sara@example.org")
    coordinator = build.user(north, role="coordinator", email="co@example.org")
    admin = build.user(north, role="admin", email="admin@example.org")
    zoe = build.user(south, email="zoe@example.org")
    own = build.client(wim, entry=date(2026, 1, 5), code="N-1")
    colleagues = build.client(sara, entry=date(2026, 1, 5), code="N-2")
    handed = build.client(wim, entry=date(2026, 1, 5), code="N-3")
    build.transfer(handed, sara, on=date(2026, 3, 10))
    earlier = build.client(wim, entry=date(2026, 1, 5), code="N-4")
    build.transfer(earlier, sara, on=date(2026, 2, 20))
    theirs = build.client(zoe, entry=date(2026, 1, 5), code="Z-1")
    build.commit()
    return locals()


def codes(groups) -> list[tuple[str, str, int]]:
    return [(g.user_email, g.client_code, g.count) for g in groups]


def test_the_month_lists_reads_outside_the_own_caseload_admins_and_denied(build):
    s = setting(build)
    wim, sara = s["wim"], s["sara"]
    log(wim, s["own"], at(2))                       # own client: expected
    log(wim, s["colleagues"], at(3))                # a colleague's client: listed
    log(wim, s["colleagues"], at(4), action="export")
    log(wim, s["colleagues"], at(5), action="list")  # a list (daily log, caseload): not a read
    log(wim, s["handed"], at(20))                   # held until the 10th: still his this month
    log(wim, s["earlier"], at(20))                  # handed over in February: listed
    log(sara, s["colleagues"], at(6))
    log(s["coordinator"], s["own"], at(7))
    log(s["admin"], s["colleagues"], at(8))
    log(wim, s["theirs"], at(9), outcome="denied")
    log(wim, None, at(9), outcome="denied", record_type="logs.access_log")
    log(wim, s["colleagues"], datetime(2026, 2, 28, 22, 59, tzinfo=timezone.utc))  # Feb (local)
    log(wim, s["colleagues"], datetime(2026, 3, 31, 22, 0, tzinfo=timezone.utc))   # April 1st
    log(wim, s["colleagues"], datetime(2026, 2, 28, 23, 0, tzinfo=timezone.utc))   # March 1st
    db.session.execute(insert(AccessLogEntry), [{
        "at": at(11), "user_id": None, "user_email": "who@example.org", "user_role": "",
        "client_id": None, "record_type": "session", "action": "login", "status": 200,
        "outcome": "failed", "ip": "10.0.0.1"}])
    db.session.commit()

    report = month_report(db.session, MARCH)

    assert codes(report.outside_caseload) == [("wim@example.org", "N-2", 3),
                                              ("wim@example.org", "N-4", 1)]
    first = report.outside_caseload[0]
    assert first.first_at == datetime(2026, 2, 28, 23, 0, tzinfo=timezone.utc)
    assert first.last_at == at(4)
    assert codes(report.coordinator_reads) == [("co@example.org", "N-1", 1)]
    assert codes(report.admin_reads) == [("admin@example.org", "N-2", 1)]
    assert sorted(codes(report.denied)) == [("wim@example.org", "", 1), ("wim@example.org", "Z-1", 1)]
    assert report.failed_logins == 1
    assert report.review is None


def test_the_role_at_the_time_decides_the_section(build):
    s = setting(build)
    log(s["wim"], s["colleagues"], at(3), role="coordinator")  # wim was coordinator then
    db.session.commit()
    report = month_report(db.session, MARCH)
    assert report.outside_caseload == []
    assert codes(report.coordinator_reads) == [("wim@example.org", "N-2", 1)]


def test_the_page_shows_the_month_and_reading_it_is_logged(client, build):
    s = setting(build)
    log(s["wim"], s["colleagues"], at(3))
    db.session.commit()
    login(client, s["admin"])
    page = client.get("/admin/privacy-review?month=2026-03")
    assert page.status_code == 200
    section = page.text.split('id="outside-caseload"')[1].split("</table>")[0]
    assert 'data-user="wim@example.org" data-client="N-2"' in section
    assert "Cliëntdossier" in section
    db.session.expire_all()
    [read] = db.session.scalars(select(AccessLogEntry).where(
        AccessLogEntry.record_type == "privacy_review")).all()
    assert (read.user_email, read.action, read.detail) == ("admin@example.org", "read", "2026-03")


def test_the_default_month_is_the_last_complete_one(client, build):
    s = setting(build)
    login(client, s["admin"])
    page = client.get("/admin/privacy-review")
    assert "2026-02" in page.text.split("<h1>")[1].split("</h1>")[0]


def test_reads_through_the_application_land_in_the_report_of_their_month(client, build):
    s = setting(build)
    login(client, s["wim"])
    assert client.get(f"/clients/{s['colleagues'].id}").status_code == 200
    assert client.get(f"/clients/{s['theirs'].id}").status_code == 404
    now = clock.utcnow()
    report = month_report(db.session, clock.local_date(now).replace(day=1))
    assert codes(report.outside_caseload) == [("wim@example.org", "N-2", 1)]
    assert codes(report.denied) == [("wim@example.org", "Z-1", 1)]


def test_the_officer_marks_the_month_reviewed_once_with_a_note(client, build):
    s = setting(build)
    login(client, s["admin"])
    url = "/admin/privacy-review?month=2026-03"
    empty = client.post("/admin/privacy-review/2026-03/reviewed",
                        data={"note": "  ", "csrf_token": csrf_token(client, url)})
    assert empty.status_code == 422 and "Schrijf op wat u hebt nagekeken" in empty.text
    assert db.session.scalars(select(PrivacyReview)).all() == []

    done = client.post("/admin/privacy-review/2026-03/reviewed", data={
        "note": "Twee inzagen bij collega's nagevraagd: vervanging.",
        "csrf_token": csrf_token(client, url)})
    assert done.status_code == 302
    again = client.post("/admin/privacy-review/2026-03/reviewed", data={
        "note": "Nog eens", "csrf_token": csrf_token(client, url)}, follow_redirects=True)
    assert "al als gecontroleerd gemarkeerd" in again.text

    [review] = db.session.scalars(select(PrivacyReview)).all()
    assert (review.month, review.reviewed_by_email, review.note) == (
        "2026-03", "admin@example.org", "Twee inzagen bij collega's nagevraagd: vervanging.")
    assert abs(review.reviewed_at - clock.utcnow()) < timedelta(minutes=1)
    page = client.get(url)
    assert "Gecontroleerd door admin@example.org" in page.text
    assert "Twee inzagen bij collega" in page.text and 'name="note"' not in page.text


def test_bad_and_future_months_get_no_500(client, build):
    s = setting(build)
    login(client, s["admin"])
    for month in ("0000-01", "9999-99", "2026-13", "2026-3", "x", "10000-01"):
        response = client.get(f"/admin/privacy-review?month={month}")
        assert response.status_code == 302, month
    token = csrf_token(client, "/admin/privacy-review")
    assert client.post("/admin/privacy-review/2026-13/reviewed",
                       data={"note": "x", "csrf_token": token}).status_code == 404
    next_month = (TODAY.replace(day=28) + timedelta(days=4)).strftime("%Y-%m")
    assert client.post(f"/admin/privacy-review/{next_month}/reviewed",
                       data={"note": "x", "csrf_token": token}).status_code == 404


def test_only_administrators_open_the_report(client, build):
    s = setting(build)
    login(client, s["coordinator"])
    assert client.get("/admin/privacy-review").status_code == 403
    token = csrf_token(client, "/settings")
    assert client.post("/admin/privacy-review/2026-03/reviewed",
                       data={"note": "x", "csrf_token": token}).status_code == 403


def test_the_report_takes_a_fixed_number_of_queries(build, count_queries):
    s = setting(build)
    for day in range(1, 28):
        log(s["wim"], s["colleagues"], at(day))
        log(s["admin"], s["own"], at(day))
        log(s["wim"], s["theirs"], at(day), outcome="denied")
    db.session.commit()
    with count_queries() as few:
        month_report(db.session, MARCH)
    for day in range(1, 28):
        log(s["sara"], s["own"], at(day, 12))
        log(s["coordinator"], s["theirs"], at(day, 12), outcome="denied")
    db.session.commit()
    with count_queries() as many:
        month_report(db.session, MARCH)
    assert few.count == many.count <= 6


def test_a_month_that_has_not_begun_shows_no_review_form(client, build):
    s = setting(build)
    login(client, s["admin"])
    assert 'name="note"' not in client.get("/admin/privacy-review?month=2026-04").text
    assert 'name="note"' in client.get("/admin/privacy-review?month=2026-03").text
