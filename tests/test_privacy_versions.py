"""The client's data export (right of access) holds the correction history of the client's
records: each earlier version and each deleted record, who changed it, when and why; nothing of
another client's or of a general employer contact's history."""

from __future__ import annotations

from datetime import timedelta

from tests.conftest import TODAY, csrf_token, login
from tests.test_corrections import correct

ENTRY = TODAY - timedelta(days=40)
DAY = ENTRY + timedelta(days=20)


def contact_fields(**changes):
    return {"contact_date": DAY.isoformat(), "kind": "client", "employer": "",
            "mode": "face_to_face", "place": "community", "minutes": "30", "note": "",
            "reason": "", **changes}


def test_the_export_holds_the_versions_of_the_clients_records_only(client, build):
    team = build.team()
    worker = build.user(team)
    coordinator = build.user(team, role="coordinator", email="coord@example.org")
    person = build.client(worker, entry=ENTRY, code="PV-1")
    other = build.client(worker, entry=ENTRY, code="PV-2")
    contact = build.contact(worker, on=DAY, client=person, note="Eerste versie zonnebloem")
    doomed = build.contact(worker, on=DAY, client=person, note="Dubbel ingevoerd")
    others = build.contact(worker, on=DAY, client=other, note="Andere cliënt tulp")
    general = build.contact(worker, on=DAY, kind="employer", employer=build.employer("Bol"),
                            note="Algemeen contact roos")
    build.commit()
    login(client, coordinator)

    assert correct(client, "contact", contact.id, contact_fields(
        note="Tweede versie", reason="Typfout")).status_code == 302
    assert correct(client, "contact", contact.id, contact_fields(
        note="Derde versie", minutes="45", reason="Duur")).status_code == 302
    token = csrf_token(client, f"/records/contact/{doomed.id}/edit")
    assert client.post(f"/records/contact/{doomed.id}/delete", data={
        "csrf_token": token, "delete-reason": "Dubbel"}).status_code == 302
    assert correct(client, "contact", others.id, contact_fields(
        note="Andere cliënt gecorrigeerd", reason="Ander")).status_code == 302
    assert correct(client, "contact", general.id, contact_fields(
        kind="employer", employer="Bol", note="Algemeen gecorrigeerd",
        reason="Algemeen")).status_code == 302

    data = client.get(f"/clients/{person.id}/privacy/export.json").get_json()

    assert data["format_version"] == 2
    versions = data["record_versions"]
    assert [(v["record_type"], v["record_id"], v["action"], v["reason"]) for v in versions] == [
        ("contact", contact.id, "edit", "Typfout"),
        ("contact", contact.id, "edit", "Duur"),
        ("contact", doomed.id, "delete", "Dubbel")]
    # The values before each change: the first and second version, and the deleted record.
    assert [v["values"]["note"] for v in versions] == [
        "Eerste versie zonnebloem", "Tweede versie", "Dubbel ingevoerd"]
    assert versions[1]["values"]["minutes"] == 30
    assert {v["changed_by"] for v in versions} == {coordinator.name}
    assert all(v["changed_at"] for v in versions)
    text = client.get(f"/clients/{person.id}/privacy/export.json").get_data(as_text=True)
    for foreign in ("tulp", "Andere cliënt", "roos", "Algemeen"):
        assert foreign not in text, foreign

    page = client.get(f"/clients/{person.id}/privacy/export")
    assert page.status_code == 200
    section = page.text[page.text.index('id="export-versions"'):]
    section = section[:section.index("</section>")]
    assert "Eerste versie zonnebloem" in section and "Dubbel ingevoerd" in section
    assert "Typfout" in section and "Dubbel" in section and "tulp" not in section


def test_a_client_without_corrections_has_an_empty_list(client, build):
    team = build.team()
    worker = build.user(team)
    coordinator = build.user(team, role="coordinator")
    person = build.client(worker, entry=ENTRY, code="PV-3")
    build.commit()
    login(client, coordinator)
    data = client.get(f"/clients/{person.id}/privacy/export.json").get_json()
    assert data["record_versions"] == []
    page = client.get(f"/clients/{person.id}/privacy/export").text
    assert 'id="export-versions"' in page
