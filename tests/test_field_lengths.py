"""Field lengths come from the model's columns: the form refuses one character more than the
column holds at that field, the importer at that file's line and column, with the same limit."""

from __future__ import annotations

from sqlalchemy import func, select
from wtforms.validators import Length

from caseload.extensions import db
from caseload.models import Client, Employer, Placement
from tests.conftest import csrf_token, login
from tests.pages import field_has_error, input_value
from tests.test_import import run_import
from tests.test_import_formats import DATA, _with, write_form

LIMIT = Client.referral_source.type.length


def _new_client(client, team, worker, referrer: str):
    return client.post("/clients/new", data={
        "csrf_token": csrf_token(client, "/clients/new"), "client_code": "C-LEN",
        "name": "Kees", "referral_source": referrer, "team_id": str(team.id),
        "worker_id": str(worker.id), "program_entry_date": "2026-03-02",
        "trajectory_type": "ips_epa", "funder": "uwv", "planned_end": ""})


def test_the_form_refuses_one_character_more_than_the_column_at_its_field(client, build):
    team = build.team()
    worker = build.user(team, role="coordinator")
    build.commit()
    login(client, worker)
    too_long = "x" * (LIMIT + 1)
    refused = _new_client(client, team, worker, too_long)
    assert refused.status_code in (200, 422)  # the form again, not saved
    assert field_has_error(refused.text, "referral_source")
    assert input_value(refused.text, "referral_source") == too_long  # what was typed is kept
    assert db.session.scalar(select(func.count(Client.id))) == 0
    assert _new_client(client, team, worker, "x" * LIMIT).status_code == 302


def test_the_importer_refuses_it_at_its_line_with_the_columns_limit(app, tmp_path):
    data = _with("clients.csv", 2, "referral_source", "x" * (LIMIT + 1), DATA)
    result = run_import(app, write_form(tmp_path, "comma", data))
    assert result.exit_code == 1
    assert (f"clients.csv:2:referral_source: is {LIMIT + 1} characters long; at most {LIMIT} fit"
            in result.output)


def test_form_limits_are_the_column_lengths():
    from caseload.clients.forms import NewClientForm, StartPlacementForm
    from caseload.employers.forms import EmployerForm

    def limit(form, name):
        field = getattr(form, name)
        return next(v.max for v in field.kwargs["validators"] if isinstance(v, Length))

    assert limit(NewClientForm, "client_code") == Client.client_code.type.length
    assert limit(NewClientForm, "referral_source") == LIMIT
    assert limit(StartPlacementForm, "job_title") == Placement.job_title.type.length
    assert limit(EmployerForm, "name") == Employer.name.type.length
