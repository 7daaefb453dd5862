"""The client page sends its plain-row reads as one statement (clients/page.py page_reads,
caseload/one_round_trip.py): each read's rows must be what the read's own statement gives,
in its order, with its column names and types, on varied records; the placements and signals,
which the page read as objects, what it showed of the objects."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from decimal import Decimal

from caseload.clients.page import CONTACTS_PER_PAGE, page_reads, page_statements, plain_rows
from caseload.corrections.records import recorder_id, snapshot
from caseload.extensions import db
from caseload.models import Client, DisclosureDiscussion, OutreachAttempt, RecordVersion, Signal
from tests.conftest import TODAY, login


def _one_by_one(by_kind: bool, params: dict) -> dict:
    return {read.name: plain_rows(read.statement, params) for read in page_reads(by_kind).reads}


def test_the_reads_sent_as_one_statement_are_the_reads_one_by_one(client, build, count_queries):
    team, other_team = build.team(), build.team()
    worker = build.user(team)
    colleague = build.user(team)
    coordinator = build.user(team, role="coordinator")
    stranger = build.user(other_team)
    person = build.client(worker, entry=TODAY - timedelta(days=90))
    quiet = build.client(colleague, entry=TODAY - timedelta(days=10))  # nothing recorded
    elsewhere = build.client(stranger, entry=TODAY - timedelta(days=30))
    employer = build.employer("Bakkerij <De Korf>")
    for n in range(CONTACTS_PER_PAGE + 7):  # two pages, ties on a day, two kinds
        build.contact(worker if n % 3 else colleague, on=TODAY - timedelta(days=n // 3),
                      client=person, note=f"note {n} & <b>" if n % 5 else "",
                      kind="employer" if n % 4 == 0 else "client",
                      employer=employer if n % 4 == 0 else None)
    build.contact(stranger, on=TODAY, client=elsewhere, note="another client's")
    first = build.disclosure(person, on=TODAY - timedelta(days=40), decision="partial")
    build.disclosure(person, on=TODAY - timedelta(days=20), decision="full", worker=colleague)
    build.disclosure(person, on=TODAY - timedelta(days=20), decision="not_yet")  # a tie
    build.benefits_plan(person, on=TODAY - timedelta(days=15))
    build.benefits_plan(person, on=TODAY - timedelta(days=15), worker=colleague)  # a tie
    build.benefits_plan(elsewhere, on=TODAY)
    build.placement(person, start=TODAY - timedelta(days=12), employer=employer)
    ended = build.placement(person, start=TODAY - timedelta(days=60))
    ended.end_date, ended.end_reason = TODAY - timedelta(days=30), "dismissed"
    tie = build.placement(person, start=TODAY - timedelta(days=60), employer=employer)
    tie.recorded_by_id, tie.hourly_wage = None, Decimal("13.5")  # from before it was kept
    for n, norm in enumerate(("first_employer_contact", "rapid_job_search", "follow_along")):
        db.session.add(Signal(norm=norm, subject_key=f"k{n}", trajectory=person.open_trajectory,
                              worker_id=worker.id if n else None,
                              anchor=TODAY - timedelta(days=n // 2), facts={"n": n, "week": "x"},
                              first_seen_on=TODAY, last_seen_on=TODAY,
                              acknowledged_at=datetime(2026, 3, 1) if n == 2 else None))
    db.session.add(Signal(norm="rapid_job_search", subject_key="e", anchor=TODAY, facts={},
                          trajectory=elsewhere.open_trajectory, first_seen_on=TODAY,
                          last_seen_on=TODAY))
    build.transfer(person, colleague, on=TODAY - timedelta(days=10), by=coordinator,
                   note="over <naar> collega")
    build.setting("rapid_job_search_days", 45)
    db.session.add(RecordVersion(record_type="disclosure", record_id=first.id,
                                 client_id=person.id, data=json.dumps(snapshot(first)), action="edit",
                                 reason="wrong date", changed_by=worker,
                                 changed_at=datetime(2026, 3, 1, 12)))
    for n, who in enumerate((worker, colleague, worker)):
        db.session.add(OutreachAttempt.log(client=person, worker=who, method="letter",
                                           attempted_on=TODAY - timedelta(days=n // 2),
                                           today=TODAY, note="brief & <kaart>" if n else ""))
    db.session.add(OutreachAttempt.log(client=elsewhere, worker=stranger, method="letter",
                                       attempted_on=TODAY, today=TODAY))
    build.commit()
    for user, times in ((worker, 3), (colleague, 1), (coordinator, 2), (stranger, 2)):
        browser = client.application.test_client()
        login(browser, user)
        for _ in range(times):
            browser.get(f"/clients/{person.id}")  # the stranger's are refused: not listed

    from caseload.week import agenda
    window = dict(zip(("start", "end"), agenda.day_bounds(*agenda.client_window(TODAY))))
    checked = set()
    with client.application.app_context():
        for shown in (person, quiet, elsewhere):
            trajectory_ids = [t.id for t in db.session.get(Client, shown.id).trajectories]
            # the placements and signals as the page showed them from their objects
            by_client = {"client_id": shown.id, "trajectory_ids": trajectory_ids}
            placements = [
                (p.id, p.job_title, p.placement_type, p.hours_per_week, p.hourly_wage,
                 p.contract, p.start_date, p.end_date, p.end_reason,
                 recorder_id("placement", p), p.employer.name)
                for p in db.session.scalars(page_statements().placements, by_client)]
            signals = [
                (s.id, s.norm, s.facts, s.worker_id, s.trajectory_id, s.anchor, s.resolved_at)
                for s in db.session.scalars(page_statements().signals, by_client)]
            for team_ids in ([team.id], [other_team.id], [team.id, other_team.id]):
                for kind, offset in (("", 0), ("", CONTACTS_PER_PAGE), ("", 400),
                                     ("employer", 0), ("client", CONTACTS_PER_PAGE)):
                    params = {"client_id": shown.id, "team_ids": team_ids, "offset": offset,
                              "trajectory_ids": trajectory_ids, **window,
                              **({"kind": kind} if kind else {})}
                    expected = _one_by_one(bool(kind), params)
                    with count_queries() as counted:
                        found = page_reads(bool(kind)).rows(
                            db.session.connection(), params)
                    assert counted.count == 1
                    # repr: a Decimal's scale too (Decimal("13.5") == Decimal("13.50"))
                    assert [repr(tuple(r)) for r in found["placements"]] == [
                        repr(p) for p in placements]
                    assert [tuple(r) for r in found["signals"]] == signals
                    assert found.keys() == expected.keys()
                    for name, rows in expected.items():
                        if name == "settings":  # no order
                            rows, found[name] = sorted(rows), sorted(found[name])
                        assert [r._asdict() for r in found[name]] == [
                            r._asdict() for r in rows], (shown.id, team_ids, kind, name)
                        assert [tuple(map(type, r)) for r in found[name]] == [
                            tuple(map(type, r)) for r in rows], name
                        if rows:
                            checked.add(name)
    assert checked == {"assignments", "placements", "signals", "contacts", "disclosures",
                       "benefits", "viewers", "settings", "attempts"}


def test_ties_on_a_day_keep_the_order_they_were_recorded_in(client, build):
    """Disclosures and benefits plans of one day come in the order they were recorded
    (their id), as the statements gave them on SQLite before they had a tie-breaker."""
    team = build.team()
    worker = build.user(team)
    person = build.client(worker, entry=TODAY - timedelta(days=60))
    day = TODAY - timedelta(days=5)
    made = [build.disclosure(person, on=day, decision=d) for d in ("full", "partial", "no_disclosure")]
    plans = [build.benefits_plan(person, on=day) for _ in range(3)]
    build.disclosure(person, on=TODAY, decision="not_yet")
    build.commit()
    login(client, worker)
    page = client.get(f"/clients/{person.id}").text
    shown = [page.index(f'id="disclosure-{d.id}"') for d in made]
    assert shown == sorted(shown)
    shown = [page.index(f'id="benefits_plan-{p.id}"') for p in plans]
    assert shown == sorted(shown)
    with client.application.app_context():
        rows = plain_rows(page_statements().disclosures, {"client_id": person.id})
        assert [r.id for r in rows][1:] == [d.id for d in made]
        assert db.session.get(DisclosureDiscussion, rows[0].id).discussed_on == TODAY


def test_the_pages_appointments_are_what_it_showed_of_the_appointment_objects(client, build):
    """The appointments come with the page's other reads as rows (AppointmentLine); what
    week/_appointments.html reads of each must be what it read of the Appointment objects
    that agenda.appointments_of_client gives, in its order, within its window and teams."""
    from datetime import UTC

    from caseload.models import Appointment
    from caseload.week import agenda

    team, other_team = build.team(), build.team()
    worker = build.user(team)
    stranger = build.user(other_team)
    person = build.client(worker, entry=TODAY - timedelta(days=90))
    elsewhere = build.client(stranger, entry=TODAY - timedelta(days=30))
    employer = build.employer("Bakkerij <De Korf>")
    first, last = agenda.client_window(TODAY)
    moments = [datetime.combine(TODAY, datetime.min.time(), tzinfo=UTC) + timedelta(hours=h)
               for h in (-24 * 31, -24 * 29, 9, 9, 30, 24 * 365, 24 * 368)]
    for n, at in enumerate(moments):
        db.session.add(Appointment(
            worker_id=worker.id, client_id=person.id, starts_at=at, location="Plein & <1>"
            if n % 2 else "", kind="employer" if n == 3 else "client",
            employer_id=employer.id if n == 3 else None,
            status=("done", "planned", "no_show")[n % 3]))
    db.session.add(Appointment(worker_id=stranger.id, client_id=elsewhere.id,
                               starts_at=moments[2]))
    build.commit()

    def shown(a):
        return (a.id, a.worker_id, a.client_id, a.client.client_code, a.kind, a.mode,
                a.location, a.status, a.is_planned, a.starts_at,
                a.employer.name if a.employer else None)

    with client.application.test_request_context():
        start, end = agenda.day_bounds(first, last)
        for shown_client in (person, elsewhere):
            for team_ids in ([team.id], [other_team.id]):
                objects = agenda.appointments_of_client(shown_client.id, team_ids,
                                                        first=first, last=last)
                expected = [shown(a) for a in objects]
                found = page_reads(False).rows(db.session.connection(), {
                    "client_id": shown_client.id, "team_ids": team_ids, "offset": 0,
                    "trajectory_ids": [], "start": start, "end": end})["appointments"]
                lines = [agenda.AppointmentLine.of(row, db.session.get(Client, shown_client.id))
                         for row in found]
                assert [shown(a) for a in lines] == expected
                if shown_client is person and team_ids == [team.id]:
                    assert len(expected) == 5  # the two outside the window left out
                    assert any(a[-1] == "Bakkerij <De Korf>" for a in expected)
                elif shown_client is person:
                    assert expected == []
