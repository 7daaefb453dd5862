"""The coordinator's review of the team's signals: filter, acknowledge with a note, history."""

from __future__ import annotations

from functools import cache
from urllib.parse import parse_qsl, urlsplit

from flask import Blueprint, flash, redirect, render_template, request, url_for
from sqlalchemy import select
from werkzeug.datastructures import MultiDict

from caseload import audit, clock, dates
from caseload.access import me, refuse, role_required, team_worker_names, visible_team_ids
from caseload.checklist.rows import csrf_field
from caseload.extensions import db
from caseload.models import Signal, Trajectory
from caseload.models.base import NOTE_LENGTH
from caseload.norms import NORMS
from caseload.paging import paginate
from caseload.request_input import id_arg, safe_next
from caseload.review import queries, rows
from caseload.review.forms import AcknowledgeForm
from caseload.signal_texts import details as signal_details
from caseload.signal_texts import remedy as signal_remedy
from caseload.signal_texts import title as signal_title
from caseload.signals import team_scope
from caseload.translating import gettext as _

bp = Blueprint("review", __name__, url_prefix="/review")
coordinator_only = role_required("coordinator")


def _team_signal_or_404(signal_id: int) -> Signal:
    signal = db.session.scalar(
        select(Signal).where(Signal.id == signal_id, team_scope(visible_team_ids())))
    if signal is None:
        refuse(db.session.scalar(select(Trajectory.client_id).join(Signal).where(
            Signal.id == signal_id)))
    return signal


@bp.route("/signals")
@coordinator_only
def signals():
    return _signals_page(request.args, request.full_path)


def _signals_page(args, here: str, refused: rows.Refused | None = None, status: int = 200):
    """The review page for the filters in `args` (the query string, or the one of the list a
    refused form came from), its forms returning to `here`; `refused`: a row whose
    acknowledgement was refused, shown with what was typed and the message at its note."""
    norm = args.get("norm") or None
    worker_id = id_arg("worker", source=args)
    # Rows of the columns shown with their subject (not Signal objects), from statements built
    # once, read as named tuples (queries.plain).
    params = {"team_ids": visible_team_ids(), "norm": norm, "worker_id": worker_id}
    shape = (norm in NORMS, bool(worker_id))
    page = paginate(db.session, queries.open_signals(*shape), args=args, params=params,
                    rows=True, paged=queries.open_signals_page(*shape))
    open_ = page.items = queries.plain(page.items)
    if refused is not None:
        page.listed_at = ("review.signals", args)
        if refused.signal_id not in {s.id for s in open_}:
            flash(refused.message, "error")  # the row left this page of the list meanwhile
    history = queries.plain(db.session.connection().execute(queries.history(), params).all())
    audit.record({s.client_id for s in open_} - {None}, "signals", "list")
    audit.record({s.client_id for s in history} - {None}, "signal_history", "read")
    # A norm's title and remedy are the same on every row of it: rendered once per norm (the
    # filter's titles with them); a date is formatted once per page (many signals share their
    # anchor day).
    titles = {n: signal_title(n) for n in NORMS}
    texts = {n: (titles[n] if n in titles else signal_title(n), signal_remedy(n))
             for n in {s.norm for s in open_ + history}}
    day = cache(dates.day)
    # The open rows written in one pass (review/rows.py), what every row shares made once.
    open_rows = rows.open_rows(open_, rows.RowParts(
        day=day, texts=texts, details=lambda norm, facts: signal_details(norm, facts, day=day),
        client_link=rows.link("clients.show", "client_id"),
        ack_link=rows.link("review.acknowledge", "signal_id"), csrf_field=csrf_field(),
        here=here, note_length=NOTE_LENGTH, refused=refused))
    return render_template("review/signals.html", signals=open_, open_rows=open_rows,
                           page=page, history=history, texts=texts, day=day,
                           workers=queries.plain(team_worker_names(visible_team_ids())),
                           norms=titles.items(), norm=norm, worker_id=worker_id,
                           page_address=here if refused is not None else None), status


def _list_args(here: str) -> MultiDict:
    """The filters and page of the review list at `here` (a form's return address); none
    when it is another page."""
    parts = urlsplit(here)
    if parts.path != url_for("review.signals"):
        return MultiDict()
    return MultiDict(parse_qsl(parts.query, keep_blank_values=True))


@bp.route("/signals/<int:signal_id>/acknowledge", methods=["POST"])
@coordinator_only
def acknowledge(signal_id: int):
    signal = _team_signal_or_404(signal_id)
    form = AcknowledgeForm()
    back = safe_next(request.form.get("next"), url_for("review.signals"))
    if signal.acknowledged_at is not None:
        flash(_("This signal was already acknowledged."), "info")
    elif form.validate_on_submit():
        signal.acknowledged_at = clock.utcnow()
        signal.acknowledged_by = me()
        signal.acknowledgement_note = form.note.data.strip()
        db.session.commit()
        flash(_("Signal acknowledged."), "success")
    else:
        # The list again, this row with what was typed and why it was refused at its note (a
        # redirect would lose the note).
        return _signals_page(_list_args(back), back, status=422, refused=rows.Refused(
            signal_id=signal.id, note=form.note.data or "",
            message=" ".join(str(e) for e in form.note.errors)))
    return redirect(back)
