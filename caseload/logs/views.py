"""The access log and the administration log, for administrators: filter, read, download as
CSV. Reading either log is itself written to the access log."""

from __future__ import annotations

from flask import Blueprint, abort, render_template, request
from sqlalchemy import func, select

from caseload import audit
from caseload.access import role_required
from caseload.extensions import db
from caseload.logs import labels
from caseload.logs.downloads import csv_response, newest_first
from caseload.logs.filters import period_conditions, summary
from caseload.models import AccessLogEntry, AdminLogEntry, Client, LogPurge
from caseload.models.audit import ACTIONS, OUTCOMES
from caseload.models.clients import normalise_client_code
from caseload.translating import gettext as _

bp = Blueprint("logs", __name__, url_prefix="/admin")
admin_only = role_required("admin")
PAGE_ROWS = 500
ACCESS_FILTERS = ("client", "user", "from", "to", "action", "outcome")
ADMIN_FILTERS = ("object_type", "object", "user", "from", "to")


@bp.app_context_processor
def log_label_helpers():
    return labels.template_helpers()


def _access_log_query():
    """Filters: client code, user e-mail, from and to (dates, inclusive), action, outcome.
    Returns the query, the bad fields and the filtered client's id (if any)."""
    query = select(AccessLogEntry).order_by(AccessLogEntry.id.desc())
    client_id = None
    code = normalise_client_code((request.args.get("client") or "").strip())
    if code:
        client_id = db.session.scalar(select(Client.id).where(Client.client_code == code))
        query = query.where(AccessLogEntry.client_id == (client_id or -1))
    email = (request.args.get("user") or "").strip().lower()
    if email:
        query = query.where(func.lower(AccessLogEntry.user_email) == email)
    action = request.args.get("action")
    if action in ACTIONS:
        query = query.where(AccessLogEntry.action == action)
    outcome = request.args.get("outcome")
    if outcome in OUTCOMES:
        query = query.where(AccessLogEntry.outcome == outcome)
    conditions, errors = period_conditions(request.args, AccessLogEntry.at)
    return query.where(*conditions), errors, client_id


def _refuse_bad_dates(errors: list[str]) -> None:
    """A download with a date filter that is no date answers 400 (as the outcomes downloads),
    never the log unfiltered by that date: the page shows the same message at the filter."""
    if errors:
        abort(400, _("Enter a valid date.") + " (" + ", ".join(
            _("From") if name == "from" else _("To") for name in errors) + ")")


def _codes(client_ids) -> dict[int, str]:
    ids = {i for i in client_ids if i}
    if not ids:
        return {}
    return dict(db.session.execute(
        select(Client.id, Client.client_code).where(Client.id.in_(ids))).all())


@bp.route("/access-log")
@admin_only
def access_log():
    query, errors, client_id = _access_log_query()
    entries = list(db.session.scalars(query.limit(PAGE_ROWS)))
    last_purge = db.session.scalar(select(LogPurge).where(LogPurge.table_name == "access_log")
                                   .order_by(LogPurge.id.desc()).limit(1))
    audit.record(client_id, "access_log", "read", detail=summary(request.args, ACCESS_FILTERS))
    return render_template("logs/access_log.html", entries=entries,
                           codes=_codes(e.client_id for e in entries), errors=errors,
                           actions=ACTIONS, outcomes=OUTCOMES, page_rows=PAGE_ROWS,
                           last_purge=last_purge)


@bp.route("/access-log.csv")
@admin_only
def access_log_csv():
    query, errors, client_id = _access_log_query()
    _refuse_bad_dates(errors)
    codes = dict(db.session.execute(select(Client.id, Client.client_code)).all())
    entries = newest_first(query, AccessLogEntry)
    audit.record(client_id, "access_log", "export", detail=summary(request.args, ACCESS_FILTERS))
    return csv_response("access-log.csv", [
        "at_utc", "user_email", "client_id", "client_code", "record_type", "action", "status",
        "ip", "user_role", "outcome", "detail"], (
        [e.at.isoformat(), e.user_email, e.client_id or "", codes.get(e.client_id, ""),
         e.record_type, e.action, e.status, e.ip, e.user_role, e.outcome, e.detail]
        for e in entries))


def _admin_log_query():
    """Filters: object type, object (e-mail, team or setting name as shown), the e-mail of who
    made the change, from and to (dates, inclusive)."""
    query = select(AdminLogEntry).order_by(AdminLogEntry.id.desc())
    object_type = request.args.get("object_type")
    if object_type in labels.OBJECT_TYPES:
        query = query.where(AdminLogEntry.object_type == object_type)
    label = (request.args.get("object") or "").strip().lower()
    if label:
        query = query.where(func.lower(AdminLogEntry.object_label) == label)
    email = (request.args.get("user") or "").strip().lower()
    if email:
        query = query.where(func.lower(AdminLogEntry.actor_email) == email)
    conditions, errors = period_conditions(request.args, AdminLogEntry.at)
    return query.where(*conditions), errors


@bp.route("/admin-log")
@admin_only
def admin_log():
    query, errors = _admin_log_query()
    entries = list(db.session.scalars(query.limit(PAGE_ROWS)))
    audit.record(None, "admin_log", "read", detail=summary(request.args, ADMIN_FILTERS))
    return render_template("logs/admin_log.html", entries=entries, errors=errors,
                           object_types=labels.OBJECT_TYPES, page_rows=PAGE_ROWS)


@bp.route("/admin-log.csv")
@admin_only
def admin_log_csv():
    query, errors = _admin_log_query()
    _refuse_bad_dates(errors)
    entries = newest_first(query, AdminLogEntry)
    audit.record(None, "admin_log", "export", detail=summary(request.args, ADMIN_FILTERS))
    return csv_response("admin-log.csv", [
        "at_utc", "actor_email", "actor_role", "object_type", "object_id", "object", "action",
        "field", "old_value", "new_value", "ip"], (
        [e.at.isoformat(), e.actor_email, e.actor_role, e.object_type, e.object_id or "",
         e.object_label, e.action, e.field, e.old_value, e.new_value, e.ip] for e in entries))


# The privacy officer's monthly review (review_views.py): routes on this blueprint too.
from caseload.logs import review_views  # noqa: E402,F401
