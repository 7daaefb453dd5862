"""The client page: a summary on top, the contacts paginated and filterable by kind, and every
id on the page unique (each label focuses its own field)."""

from __future__ import annotations

import re
from collections import Counter
from datetime import timedelta

from caseload.clients.page import CONTACTS_PER_PAGE
from tests.conftest import TODAY, login


def ids(page: str) -> Counter:
    return Counter(re.findall(r'\sid="([^"]+)"', page))


def test_every_id_on_the_client_page_is_unique_and_every_label_has_its_field(client, build):
    team = build.team()
    worker = build.user(team)
    coordinator = build.user(team, role="coordinator")
    person = build.client(worker, entry=TODAY - timedelta(days=60))
    build.placement(person, start=TODAY - timedelta(days=20))
    build.placement(person, start=TODAY - timedelta(days=10))  # two open: two end forms
    build.commit()
    for user in (worker, coordinator):
        browser = client.application.test_client()
        login(browser, user)
        page = browser.get(f"/clients/{person.id}").text
        found = ids(page)
        assert [i for i, n in found.items() if n > 1] == [], user.role
        for target in re.findall(r'<label for="([^"]+)"', page):
            assert found[target] == 1, target
        assert 'id="benefits-note"' in page and 'id="note"' in page


def test_the_summary_comes_first_with_phase_placement_and_status(client, build):
    team = build.team()
    worker = build.user(team)
    person = build.client(worker, entry=TODAY - timedelta(days=60))
    build.phase(person, "job_finding", on=TODAY - timedelta(days=30))
    build.placement(person, start=TODAY - timedelta(days=5), employer=build.employer("Kapsalon"))
    build.disclosure(person, on=TODAY - timedelta(days=40), decision="partial")
    build.commit()
    login(client, worker)
    page = client.get(f"/clients/{person.id}").text
    summary = page.index('id="summary"')
    assert summary < page.index('id="trajectory"') < page.index('id="timeline"')
    assert "Kapsalon" in page[summary:page.index('id="trajectory"')]
    assert re.search(r'id="summary-phase">Baan zoeken<', page)
    assert re.search(r'id="summary-disclosure">Gedeeltelijk', page)
    assert re.search(r'id="summary-benefits">Nog niet aangeboden<', page)


def test_contacts_are_paginated_newest_first_and_filterable_by_kind(client, build, count_queries):
    team = build.team()
    worker = build.user(team)
    person = build.client(worker, entry=TODAY - timedelta(days=80))
    employer = build.employer()
    for n in range(CONTACTS_PER_PAGE + 5):
        build.contact(worker, on=TODAY - timedelta(days=n), client=person, note=f"client-{n}")
    for n in range(3):
        build.contact(worker, on=TODAY - timedelta(days=n), kind="employer", client=person,
                      employer=employer, note=f"employer-{n}")
    build.commit()
    login(client, worker)

    first = client.get(f"/clients/{person.id}").text
    assert len(re.findall(r'<li class="contact ', first)) == CONTACTS_PER_PAGE
    assert "client-0" in first and 'rel="next"' in first and 'rel="prev"' not in first
    second = client.get(f"/clients/{person.id}?page=2").text
    assert len(re.findall(r'<li class="contact ', second)) == 8
    assert "client-24" in second and 'rel="prev"' in second

    employers_only = client.get(f"/clients/{person.id}?kind=employer").text
    assert len(re.findall(r'<li class="contact kind-employer', employers_only)) == 3
    assert "client-0" not in employers_only.split('id="timeline"')[1].split("</section>")[0]
    # Silly input is a normal page, never an error.
    assert client.get(f"/clients/{person.id}?page=999&kind=boss").status_code == 200
    assert client.get(f"/clients/{person.id}?page=-1").status_code == 200

    # A fixed number of queries, whatever the length of the history.
    def queries_for_page() -> int:
        client.get(f"/clients/{person.id}")  # warm: the first request of a login loads more
        with count_queries() as counted:
            client.get(f"/clients/{person.id}")
        return counted.count

    short = queries_for_page()
    for n in range(40):
        build.contact(worker, on=TODAY - timedelta(days=n % 30), client=person)
    build.commit()
    assert queries_for_page() == short


def test_people_and_employers_outside_the_team_are_named_in_a_fixed_number_of_queries(
        client, build, count_queries):
    """The page reads the team's workers first and everyone else it names (leavers, a
    colleague from another team, employers) in one statement per kind, however many."""
    team, other_team = build.team(), build.team()
    worker = build.user(team, name="Current Worker")
    person = build.client(worker, entry=TODAY - timedelta(days=90))
    build.commit()
    login(client, worker)

    def page_and_queries() -> tuple[str, int]:
        client.get(f"/clients/{person.id}")
        with count_queries() as counted:
            page = client.get(f"/clients/{person.id}").text
        return page, counted.count

    def add_outsiders(n: int) -> list:
        names = []
        for i in range(n):
            leaver = build.user(team, name=f"Leaver {n}-{i}")
            visitor = build.user(other_team, name=f"Visitor {n}-{i}")
            employer = build.employer(f"Employer {n}-{i}")
            build.contact(leaver, on=TODAY - timedelta(days=10 + i), client=person,
                          kind="employer", employer=employer, note=f"by leaver {n}-{i}")
            build.disclosure(person, on=TODAY - timedelta(days=20 + i), worker=visitor)
            build.benefits_plan(person, on=TODAY - timedelta(days=30 + i), worker=leaver)
            build.placement(person, start=TODAY - timedelta(days=40 + i),
                            employer=build.employer(f"Placer {n}-{i}"),
                            end=TODAY - timedelta(days=35 + i))
            build.deactivate(leaver)
            names += [leaver.name, visitor.name, employer.name, f"Placer {n}-{i}"]
        build.commit()
        return names

    names = add_outsiders(1)
    page, few = page_and_queries()
    assert all(name in page for name in names), [n for n in names if n not in page]
    names += add_outsiders(4)
    page, many = page_and_queries()
    assert all(name in page for name in names), [n for n in names if n not in page]
    assert many == few


def test_a_contact_page_past_the_end_or_not_a_number_is_a_normal_page(client, build):
    team = build.team()
    worker = build.user(team)
    person = build.client(worker, entry=TODAY - timedelta(days=80))
    for n in range(CONTACTS_PER_PAGE + 3):
        build.contact(worker, on=TODAY - timedelta(days=n), client=person, note=f"client-{n}")
    build.commit()
    login(client, worker)
    last = client.get(f"/clients/{person.id}?page=999")
    assert last.status_code == 200
    assert len(re.findall(r'<li class="contact ', last.text)) == 3 and "client-22" in last.text
    assert "Pagina 2 van 2" in last.text and 'rel="next"' not in last.text
    for silly in ("²", "9" * 5000, "0", "", "x"):
        page = client.get(f"/clients/{person.id}", query_string={"page": silly})
        assert page.status_code == 200, silly
        assert len(re.findall(r'<li class="contact ', page.text)) == (
            3 if silly.startswith("9") else CONTACTS_PER_PAGE), silly
    nothing = client.get(f"/clients/{person.id}?kind=family&page=3")
    assert nothing.status_code == 200 and "Nog geen contacten geregistreerd." in nothing.text


def test_a_page_of_contacts_is_the_history_newest_first_sliced_and_counted(build):
    """contacts_page (plain rows with the names, the total read with the page) against the
    history sorted here: every kind filter and page asked for, past the end and on the last
    page exactly, ties on one day broken by the newest record, another client's contacts never."""
    from sqlalchemy import select

    from caseload.clients.page import contacts_page
    from caseload.extensions import db
    from caseload.models import Contact
    team = build.team()
    worker = build.user(team, name="Wim Worker")
    colleague = build.user(team, name="Sara Colleague")
    person = build.client(worker, entry=TODAY - timedelta(days=80))
    other = build.client(worker, entry=TODAY - timedelta(days=80))
    nobody = build.client(worker, entry=TODAY - timedelta(days=80))
    bakery = build.employer("Bakkerij")
    for n in range(2 * CONTACTS_PER_PAGE):  # exactly two pages; three contacts a day
        employer = n % 4 == 0
        build.contact(colleague if n % 3 else worker, on=TODAY - timedelta(days=n // 3),
                      kind="employer" if employer else "client", client=person,
                      employer=bakery if employer else None)
    build.contact(worker, on=TODAY, client=other)
    build.commit()
    contacts = sorted(db.session.scalars(select(Contact).where(Contact.client_id == person.id)),
                      key=lambda c: (c.contact_date, c.id), reverse=True)
    for kind in ("", "employer", "family", "boss"):
        shown = [c for c in contacts if kind in ("", "boss") or c.kind == kind]
        pages = max(1, -(-len(shown) // CONTACTS_PER_PAGE))
        for asked, page in (("", 1), ("1", 1), ("2", 2), ("3", 3), ("999", 999), ("x", 1)):
            page = min(page, pages)
            got = contacts_page(person.id, {"kind": kind, "page": asked})
            expected = shown[(page - 1) * CONTACTS_PER_PAGE:page * CONTACTS_PER_PAGE]
            assert [(c.id, c.kind, c.worker_name, c.employer_name) for c in got.contacts] == [
                (c.id, c.kind, c.worker.name, c.employer.name if c.employer else None)
                for c in expected], (kind, asked)
            assert (got.page, got.pages, got.total, got.kind) == (
                page, pages, len(shown), "" if kind == "boss" else kind), (kind, asked)
    for asked in ("1", "2"):
        empty = contacts_page(nobody.id, {"page": asked})
        assert (empty.contacts, empty.page, empty.pages, empty.total) == ([], 1, 1, 0)
        assert empty.has_versions is None  # not known: the page reads the history itself
    # Whether the client has kept versions (the page reads their history only then).
    assert contacts_page(person.id, {}).has_versions is False
    from datetime import datetime

    from caseload.models import RecordVersion
    disclosure = build.disclosure(other, on=TODAY)
    db.session.add(RecordVersion(record_type="disclosure", record_id=disclosure.id,
                                 client_id=other.id, data="{}", action="edit",
                                 reason="wrong date", changed_by=worker,
                                 changed_at=datetime(2026, 3, 1, 12)))
    build.commit()
    assert contacts_page(person.id, {}).has_versions is False
    assert contacts_page(other.id, {}).has_versions is True


def test_the_page_reads_its_plain_rows_as_the_orm_session_reads_them(client, build):
    """clients/page.py reads the assignments, contacts, disclosures, benefits plans and the
    "who looked" list on the session's connection (plain_rows), the list with count() where it
    had count(id): the same rows, in the same order, as the ORM session gives for the
    statements as they were, on varied records and views (answered and refused, other
    clients', several readers, a handover)."""
    from sqlalchemy import func, select

    from caseload.clients.page import _contact_rows, page_statements, plain_rows
    from caseload.extensions import db
    from caseload.models import AccessLogEntry

    team, other_team = build.team(), build.team()
    worker = build.user(team)
    colleague = build.user(team)
    coordinator = build.user(team, role="coordinator")
    stranger = build.user(other_team)
    person = build.client(worker, entry=TODAY - timedelta(days=90))
    neighbour = build.client(colleague, entry=TODAY - timedelta(days=30))
    employer = build.employer("Bakkerij <De Korf>")
    for n in range(CONTACTS_PER_PAGE + 3):
        build.contact(worker if n % 3 else colleague, on=TODAY - timedelta(days=n // 2),
                      client=person, note=f"note {n} & <b>", kind="employer" if n % 4 == 0
                      else "client", employer=employer if n % 4 == 0 else None)
    build.disclosure(person, on=TODAY - timedelta(days=40), decision="partial")
    build.disclosure(person, on=TODAY - timedelta(days=20), decision="full", worker=colleague)
    build.benefits_plan(person, on=TODAY - timedelta(days=15))
    build.transfer(person, colleague, on=TODAY - timedelta(days=10), by=coordinator)
    build.commit()
    for user, times in ((worker, 3), (colleague, 1), (coordinator, 2), (stranger, 2)):
        browser = client.application.test_client()
        login(browser, user)
        for _ in range(times):
            browser.get(f"/clients/{person.id}")
        browser.get(f"/clients/{neighbour.id}")

    statements = page_statements()
    by_client = {"client_id": person.id}
    old_viewers = (
        select(AccessLogEntry.user_email, func.max(AccessLogEntry.at),
               func.count(AccessLogEntry.id))
        .where(AccessLogEntry.client_id == person.id, AccessLogEntry.outcome == "allowed")
        .group_by(AccessLogEntry.user_email).order_by(func.max(AccessLogEntry.at).desc()))
    with client.application.app_context():
        viewers = plain_rows(statements.viewers, by_client)
        assert [tuple(r) for r in viewers] == [
            tuple(r) for r in db.session.execute(old_viewers).all()]
        # the refused views (another team's worker) are not listed; the others with counts
        assert {r[0]: r[2] for r in viewers} == {
            worker.email: 3, colleague.email: 1, coordinator.email: 2}
        for name in ("assignments", "disclosures", "benefits"):
            statement = getattr(statements, name)
            new = plain_rows(statement, by_client)
            assert new and [r._asdict() for r in new] == [
                r._asdict() for r in db.session.execute(statement, by_client).all()], name
        for kind, offset in (("", 0), ("", CONTACTS_PER_PAGE), ("employer", 0)):
            params = {**by_client, "offset": offset, **({"kind": kind} if kind else {})}
            new = plain_rows(_contact_rows(bool(kind)), params)
            assert new and [r._asdict() for r in new] == [
                r._asdict() for r in db.session.execute(_contact_rows(bool(kind)), params)]
