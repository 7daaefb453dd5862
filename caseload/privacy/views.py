"""The client's privacy rights in the UI: export (page and JSON file) and erasure on request.
Coordinators of the client's team only: a worker gets 403, another team's coordinator 404."""

from __future__ import annotations

import json
from datetime import datetime

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask_login import current_user

from caseload import audit, clock
from caseload.access import client_or_404, role_required
from caseload.extensions import db
from caseload.instance_files import empty_sqlite_log
from caseload.privacy.erase import ERASURE_REASONS, erase_client
from caseload.privacy.export import client_export
from caseload.privacy.forms import EraseForm
from caseload.translating import gettext as _
from caseload.unit_of_work import unit_of_work

bp = Blueprint("privacy", __name__)
coordinator_only = role_required("coordinator")


@bp.app_context_processor
def erase_form_factory():
    """The client page shows the erase form without its view knowing about it."""
    return {"new_erase_form": lambda: EraseForm(formdata=None)}


def _export(client_id: int) -> tuple:
    client = client_or_404(client_id)
    data = client_export(db.session, client, generated_at=clock.utcnow(),
                         generated_by=current_user.email)
    audit.record(client.id, "privacy_export", "export")
    return client, data


@bp.route("/clients/<int:client_id>/privacy/export")
@coordinator_only
def export(client_id: int):
    client, data = _export(client_id)
    from caseload.corrections.records import describe
    return render_template("privacy/export.html", client=client, data=data,
                           timestamp=datetime.fromisoformat, describe=describe)


@bp.route("/clients/<int:client_id>/privacy/export.json")
@coordinator_only
def export_json(client_id: int):
    client, data = _export(client_id)
    return Response(
        json.dumps(data, ensure_ascii=False, indent=2), mimetype="application/json",
        headers={"Content-Disposition": f'attachment; filename="client-{client.id}-export.json"',
                 "Cache-Control": "no-store"})


@bp.route("/clients/<int:client_id>/privacy/erase", methods=["GET", "POST"])
@coordinator_only
def erase(client_id: int):
    client = client_or_404(client_id)
    form = EraseForm()
    if form.validate_on_submit():
        if form.confirm_code.data.strip() != client.client_code:
            form.confirm_code.errors.append(
                _("This is not the code of this client; nothing was erased."))
        else:
            with unit_of_work():
                erase_client(db.session, client, reason=form.reason.data, today=clock.today(),
                             now=clock.utcnow())
            empty_sqlite_log(db.session.connection())
            audit.record(client.id, "privacy_erase", "erase")
            # No code in the message: it would travel in the session cookie.
            flash(_("The client was erased. Anonymous figures are kept."), "success")
            return redirect(url_for("clients.caseload"))
    status = 422 if request.method == "POST" else 200
    return render_template("privacy/erase.html", client=client, form=form,
                           reasons=ERASURE_REASONS), status
