"""What the daily log reads for itself: the day's contacts listed under the form
(dailylog/logged.py) and, for a save, only the clients its lines name (dailylog/choices.py
clients_named), with the same outcome as the whole list of choices."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from caseload.dailylog.choices import client_choices, clients_named
from caseload.extensions import db
from caseload.models import AccessLogEntry, Contact
from tests.conftest import TODAY, csrf_token, login
from tests.pages import datalist_values
from tests.test_corrections import correct
from tests.test_daily_log import form_data
from tests.test_translations import switch_language

DAY = TODAY - timedelta(days=1)


@pytest.fixture
def day(build):
    team = build.team()
    worker = build.user(team)
    colleague = build.user(team)
    person = build.client(worker, code="LIST-1", entry=TODAY - timedelta(days=60))
    gone = build.client(worker, code="LIST-2", entry=TODAY - timedelta(days=60))
    bakery = build.employer("Bakkerij Bol")
    first = build.contact(worker, on=DAY, kind="employer", employer=bakery, client=person,
                          minutes=45)
    general = build.contact(worker, on=DAY, kind="employer", employer=bakery, mode="phone",
                            place="office", minutes=10)
    erased = build.contact(worker, on=DAY, kind="family", client=gone, mode="phone",
                           place="office", minutes=5)
    build.contact(worker, on=DAY - timedelta(days=1), client=person)      # another day
    build.contact(colleague, on=DAY, client=person)                       # someone else's
    gone.erased_at = gone.created_at  # its code is no longer shown
    build.commit()
    return {"worker": worker, "person": person, "contacts": [first, general, erased]}


def logged_items(page: str) -> list[str]:
    section = page[page.index('id="logged"'):page.index("</section>", page.index('id="logged"'))]
    return [" ".join(item.split()) for item in re.findall(r"<li>(.*?)</li>", section, re.S)]


def test_the_day_lists_the_workers_own_contacts_in_the_order_they_were_saved(client, day):
    first, general, erased = day["contacts"]
    login(client, day["worker"])

    items = logged_items(client.get(f"/log?date={DAY.isoformat()}").text)

    assert items == [
        f'<span class="what">Werkgever: <a href="/clients/{day["person"].id}">LIST-1</a> · '
        f'Bakkerij Bol</span> · Persoonlijk · Buiten kantoor · 45 min · '
        f'<a href="/records/contact/{first.id}/edit">Corrigeren</a>',
        f'<span class="what">Werkgever · Bakkerij Bol</span> · Telefoon · Op kantoor · 10 min · '
        f'<a href="/records/contact/{general.id}/edit">Corrigeren</a>',
    ]  # not the contact with the erased client: no team may see it (scope.contacts_of), and
    # its correction page answers 404, as on the week page


def test_only_a_corrected_contact_of_the_day_shows_its_earlier_versions(client, day):
    first, general, erased = day["contacts"]
    login(client, day["worker"])
    response = correct(client, "contact", general.id, {
        "contact_date": DAY.isoformat(), "kind": "employer", "employer": "Bakkerij Bol",
        "mode": "phone", "place": "office", "minutes": "15", "note": "",
        "reason": "Het duurde langer"})
    assert response.status_code == 302

    page = client.get(f"/log?date={DAY.isoformat()}").text
    items = logged_items(page)

    assert f'id="history-contact-{general.id}"' in page and "Het duurde langer" in page
    assert f'id="history-contact-{first.id}"' not in page
    assert f'id="history-contact-{erased.id}"' not in page
    assert " · 15 min · " in items[1] and "1 eerdere versie" in items[1]


def test_the_days_list_is_in_the_language_of_the_page(client, day):
    login(client, day["worker"])
    switch_language(client, "en", "/log")

    items = logged_items(client.get(f"/log?date={DAY.isoformat()}").text)

    assert items[1].startswith('<span class="what">Employer · Bakkerij Bol</span> · Phone · '
                               "Office · 10 min · ")
    assert items[1].endswith(">Correct</a>")


def test_a_day_without_contacts_says_so(client, day):
    login(client, day["worker"])

    items = logged_items(client.get(f"/log?date={(DAY - timedelta(days=5)).isoformat()}").text)

    assert items == ["Nog niets geregistreerd voor deze dag."]


@pytest.fixture
def teams(build):
    team = build.team()
    worker = build.user(team)
    colleague = build.user(team)
    mine = build.client(worker, code="NAMED-1")
    theirs = build.client(colleague, code="NAMED-2")
    stranger = build.client(build.user(build.team()), code="NAMED-3")
    ended = build.client(worker, code="NAMED-4")
    build.end_trajectory(ended, on=TODAY)
    build.commit()
    return {"team": team, "worker": worker, "mine": mine, "theirs": theirs,
            "stranger": stranger}


@pytest.mark.parametrize("codes", [["NAMED-1"], ["NAMED-2", "NAMED-1"], ["NAMED-1", "NAMED-1"]])
def test_clients_named_by_exact_codes_are_found_as_in_the_whole_list(app, teams, codes):
    with app.app_context():
        team_ids, worker_id = [teams["team"].id], teams["worker"].id
        named = clients_named(db.session, team_ids, worker_id, codes)
        whole = client_choices(db.session, team_ids, worker_id)

        assert named is not None
        for code in codes:
            assert named.choices.find(code) == whole.find(code)
            assert named.clients[named.choices.find(code).id].client_code == code


@pytest.mark.parametrize("code", ["named-1", " NAMED-1", "NAMED-3", "NAMED-4", "NOBODY"])
def test_a_code_not_exactly_a_teams_client_leaves_the_decision_to_the_whole_list(
        app, teams, code):
    """Another case, another team, an ended trajectory or no client: not found here, so the
    view checks the line against every choice (which finds "named-1" and refuses the rest)."""
    with app.app_context():
        assert clients_named(db.session, [teams["team"].id], teams["worker"].id,
                             ["NAMED-2", code]) is None


def test_a_log_without_clients_needs_no_client(app, teams):
    with app.app_context():
        named = clients_named(db.session, [teams["team"].id], teams["worker"].id, [])
        assert named is not None and named.clients == {} and named.choices.all == []


@pytest.mark.parametrize("typed", ["NAMED-2", "named-2"])
def test_a_save_logs_the_clients_it_names_whether_found_by_code_or_in_the_whole_list(
        client, teams, typed):
    login(client, teams["worker"])
    rows = [{"client": "NAMED-1", "kind": "client", "minutes": "20"},
            {"client": typed, "kind": "family", "mode": "phone", "place": "office"}]

    response = client.post("/log", data=form_data(csrf_token(client, "/log"), rows, day=DAY))

    assert response.status_code == 302
    db.session.expire_all()
    assert [c.client_id for c in db.session.scalars(select(Contact).order_by(Contact.id))] == [
        teams["mine"].id, teams["theirs"].id]
    changed = db.session.scalars(select(AccessLogEntry.client_id).where(
        AccessLogEntry.record_type == "contact", AccessLogEntry.action == "change")).all()
    assert sorted(changed) == sorted([teams["mine"].id, teams["theirs"].id])


def test_a_refused_save_lists_the_workers_own_and_the_lines_clients_again(client, teams):
    """Checked against the named clients only, the page shown again lists what a plain view
    lists and the clients its lines name (and the access log names them, as for a view)."""
    login(client, teams["worker"])
    rows = [{"client": "NAMED-1", "kind": "client", "minutes": "999"},
            {"client": "NAMED-2", "kind": "client", "minutes": "5"}]

    response = client.post("/log", data=form_data(csrf_token(client, "/log"), rows, day=DAY))

    assert response.status_code == 422
    assert datalist_values(response.text, "client-choices") == ["NAMED-1", "NAMED-2"]
    assert "NAMED-3" not in response.text
    listed = db.session.scalars(select(AccessLogEntry.client_id).where(
        AccessLogEntry.record_type == "daily_log", AccessLogEntry.action == "list",
        AccessLogEntry.status == 422)).all()
    assert sorted(listed) == sorted([teams["mine"].id, teams["theirs"].id])


def test_the_choices_are_the_workers_own_then_the_teams_by_code_each_once(app, build):
    """One statement in the page's order (caseload/dailylog/choices.py): the worker's own
    clients, then the rest of the teams' (one without a worker among them), each by code; no
    ended trajectory, no erased client, no other team's client."""
    team = build.team()
    worker = build.user(team)
    colleague = build.user(team)
    build.client(colleague, code="ORD-A")
    build.client(worker, code="ORD-C")
    unassigned = build.client(colleague, code="ORD-B")
    build.client(worker, code="ORD-B2")
    ended = build.client(worker, code="ORD-0")
    erased = build.client(worker, code="ORD-1")
    build.client(build.user(build.team()), code="ORD-2")
    build.end_trajectory(ended, on=TODAY)
    erased.erased_at = erased.created_at
    unassigned.trajectories[0].worker_id = None
    build.commit()
    with app.app_context():
        choices = client_choices(db.session, [team.id], worker.id)

        assert [(c.code, c.mine) for c in choices.all] == [
            ("ORD-B2", True), ("ORD-C", True), ("ORD-A", False), ("ORD-B", False)]
        assert choices.ids == [c.id for c in choices.all]
        assert choices.find("ord-b") == choices.by_id(unassigned.id)
        assert str(choices.datalist_options()).count("<option") == 4


def test_the_line_fields_are_written_as_the_field_macro_writes_them(client, day):
    """The lines' fields go through field_html: the same markup as the `field` macro, for an
    empty line, one filled in from the query, and one refused with what was typed kept."""
    from flask_babel import force_locale

    from caseload.dailylog.forms import DailyLogForm
    from tests.test_field_html import FAST, MACROS, render

    app = client.application
    hostile = '<b>"Tom & Jerry\'s"</b> rows-1-x'
    sent = form_data("x", [{"client": "LIST-1", "minutes": "999", "note": hostile},
                           {"client": "NOBODY", "kind": "employer", "employer": hostile,
                            "minutes": "abc"}], day=DAY)
    for language in ("nl", "en"):
        with app.test_request_context("/log", method="POST", data=sent), \
                force_locale(language):
            refused = DailyLogForm(meta={"csrf": False})
            refused.set_client_choices(client_choices(db.session, [day["worker"].teams[0].id],
                                                      day["worker"].id))
            assert not refused.validate()
        with app.test_request_context("/log?kind=employer&minutes=30"), force_locale(language):
            empty = DailyLogForm(meta={"csrf": False})
            empty.rows[0].form.kind.data = "employer"
            empty.rows[0].form.minutes.data = 30
            for form in (empty, refused):
                for f in [form.contact_date, *(f for row in form.rows for f in row.form)]:
                    for kw in ({}, {"class_": "client", "list": "client-choices",
                                    "autocomplete": "off", "inputmode": "numeric",
                                    "min": 0, "max": 720,
                                    "data_employer_lookup": "/employers/lookup"}):
                        assert render(app, FAST, form, f, kw) == \
                            render(app, MACROS, form, f, kw), (language, f.name, kw)
        assert refused.rows[1].form.client.errors and refused.rows[0].form.minutes.errors


# The template's loop over the lines as it was before dailylog/lines.py wrote them: the
# reference the lines must equal, byte for byte (whitespace included).
LINES_AS_THE_TEMPLATE_WROTE_THEM = """\
{%- macro line_fields(row) -%}
      {{ field_html(row.form.client, class_='client', list='client-choices', autocomplete='off') }}
      {{ field_html(row.form.kind, class_='kind') }}
      {{ field_html(row.form.employer, class_='employer', autocomplete='off', data_employer_lookup=lookup_url) }}
      {{ field_html(row.form.mode, class_='mode') }}
      {{ field_html(row.form.place, class_='place') }}
      {{ field_html(row.form.minutes, inputmode='numeric', min=0, max=720) }}
      {{ field_html(row.form.note) }}
{%- endmacro %}
{%- set lookup_url = url_for('employers.lookup') %}
  {%- set made = namespace(key=none, html='', index=0) %}
  {% for row in form.rows %}
    <fieldset class="log-row{% if row.errors %} has-error{% endif %}" data-row="{{ loop.index0 }}" id="row-{{ loop.index0 }}">
      <legend>{{ _('Contact %(n)d', n=loop.index) }}</legend>
      {%- set key = form.same_line_key(row) %}
      {%- if key is not none and key == made.key %}
      {{ made.html | replace('rows-%d-' % made.index, 'rows-%d-' % loop.index0) }}
      {%- else %}
      {%- set html = line_fields(row) %}
      {%- if key is not none %}{% set made.key, made.html, made.index = key, html, loop.index0 %}{% endif %}
      {{ html }}
      {%- endif %}
    </fieldset>
  {% endfor %}
"""


def test_the_lines_are_written_as_the_templates_loop_wrote_them(client, day):
    """dailylog/lines.py against the loop it replaced: untouched lines (copied), a line
    filled in from the query, lines refused with what was typed kept (errors, hostile text,
    a text holding "rows-" that must not be renumbered), equal lines with an error (never
    copied), and more lines; both languages. The form's data attributes and its hidden CSRF
    field as well."""
    from flask_babel import force_locale

    from caseload.dailylog.forms import DailyLogForm
    from caseload.dailylog.lines import form_attributes, hidden_html, lines_html

    app = client.application
    teams, worker_id = [day["worker"].teams[0].id], day["worker"].id
    hostile = '<b>"Tom & Jerry\'s"</b> rows-1-x'
    same = {"client": "", "kind": "employer", "employer": "Foo", "minutes": "999"}
    submissions = {
        "refused": form_data("x", [{"client": "LIST-1", "minutes": "999", "note": hostile},
                                   {"client": "NOBODY", "kind": "employer",
                                    "employer": hostile, "minutes": "abc"}], day=DAY),
        "same errors": form_data("x", [same, same, {}, {}], day=DAY),
        "more lines": form_data("x", [{"client": "LIST-1", "minutes": "30"}, {},
                                      {"note": "rows-2-note"}, {}, {}, {}, {}], day=DAY,
                                button="more_rows"),
    }
    reference = app.jinja_env.from_string(LINES_AS_THE_TEMPLATE_WROTE_THEM)
    attributes = app.jinja_env.from_string(
        '{{ kind_defaults | tojson | forceescape }}|'
        '{{ kinds_with_employer | list | tojson | forceescape }}')
    from caseload.models import vocab
    for language in ("nl", "en"):
        forms = []
        for name, sent in submissions.items():
            with app.test_request_context("/log", method="POST", data=sent), \
                    force_locale(language):
                form = DailyLogForm(meta={"csrf": False})
                form.set_client_choices(client_choices(db.session, teams, worker_id))
                if name != "more lines":
                    assert not form.validate()
                forms.append((name, form))
        with app.test_request_context("/log?kind=employer&minutes=30"), force_locale(language):
            empty = DailyLogForm(meta={"csrf": False})
            prefilled = DailyLogForm(meta={"csrf": False})
            prefilled.rows[0].form.kind.data = "employer"
            prefilled.rows[0].form.minutes.data = 30
            forms += [("empty", empty), ("prefilled", prefilled)]
            for name, form in forms:
                written = str(lines_html(form))
                # the template also wrote the whitespace of two lines before and one after
                assert written == "\n  " + reference.render(form=form) + "\n  ", (language, name)
            assert written.count("<fieldset") == 5 and "rows-4-note" in written
            assert str(form_attributes()) == (
                'data-kind-defaults="%s"\n      data-kinds-with-employer="%s"' % tuple(
                    attributes.render(kind_defaults=vocab.KIND_DEFAULTS,
                                      kinds_with_employer=vocab.KINDS_WITH_EMPLOYER)
                    .split("|")))
            with_token = DailyLogForm()
            assert str(hidden_html(with_token)) == str(with_token.hidden_tag())
            assert 'id="csrf_token" name="csrf_token" type="hidden"' in str(hidden_html(with_token))
            refused = str(lines_html(dict(forms)["refused"]))
            assert refused.count("log-row has-error") == 2 and hostile not in refused


def test_the_access_log_names_the_clients_of_the_listed_contacts(client, build):
    """A client whose code shows under the form is a client looked at, also when it is none of
    the clients offered in the lines (here: their trajectory ended that day)."""
    team = build.team()
    worker = build.user(team)
    done = build.client(worker, code="DONE-1", entry=TODAY - timedelta(days=90))
    build.contact(worker, on=DAY, client=done)
    build.end_trajectory(done, on=DAY)
    build.commit()
    login(client, worker)
    page = client.get(f"/log?date={DAY.isoformat()}").text
    assert "DONE-1" in logged_items(page)[0]
    assert "DONE-1" not in datalist_values(page, "client-choices")
    listed = db.session.scalars(select(AccessLogEntry.client_id).where(
        AccessLogEntry.record_type == "daily_log", AccessLogEntry.action == "list")).all()
    assert done.id in listed
