"""The coordinator's review of the team's signals: filter, acknowledge with a note, history."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import or_, select
from sqlalchemy.orm import selectinload

from caseload import audit, clock
from caseload.access import me, refuse, role_required, team_workers, visible_team_ids
from caseload.extensions import db
from caseload.models import Signal, Trajectory
from caseload.norms import NORMS
from caseload.paging import paginate
from caseload.request_input import id_arg, safe_next
from caseload.review.forms import AcknowledgeForm
from caseload.signal_texts import remedy as signal_remedy
from caseload.signal_texts import title as signal_title
from caseload.signals import open_signals_query, team_scope

bp = Blueprint("review", __name__, url_prefix="/review")
coordinator_only = role_required("coordinator")


def _team_signal_or_404(signal_id: int) -> Signal:
    signal = db.session.scalar(
        select(Signal).where(Signal.id == signal_id, team_scope(visible_team_ids())))
    if signal is None:
        refuse(db.session.scalar(select(Trajectory.client_id).join(Signal).where(
            Signal.id == signal_id)))
    return signal


def _eager(query):
    return query.options(selectinload(Signal.trajectory).selectinload(Trajectory.client),
                         selectinload(Signal.worker), selectinload(Signal.acknowledged_by))


@bp.route("/signals")
@coordinator_only
def signals():
    norm = request.args.get("norm") or None
    worker_id = id_arg("worker")
    query = open_signals_query(team_ids=visible_team_ids())
    if norm in NORMS:
        query = query.where(Signal.norm == norm)
    if worker_id:
        query = query.where(Signal.worker_id == worker_id)
    page = paginate(db.session, _eager(query))
    open_ = page.items
    audit.record({s.trajectory.client_id for s in open_ if s.trajectory}, "signals", "list")
    history = list(db.session.scalars(_eager(
        select(Signal).where(team_scope(visible_team_ids()), or_(Signal.resolved_at.is_not(None),
                                                Signal.acknowledged_at.is_not(None)))
        .order_by(Signal.id.desc()).limit(50))))
    audit.record({s.trajectory.client_id for s in history if s.trajectory}, "signal_history",
                 "read")
    # A norm's title and remedy are the same on every row of it: rendered once per norm.
    texts = {n: (signal_title(n), signal_remedy(n)) for n in {s.norm for s in open_}}
    return render_template("review/signals.html", signals=open_, page=page, history=history,
                           texts=texts,
                           workers=team_workers(visible_team_ids()), norms=list(NORMS),
                           norm=norm, worker_id=worker_id, form=AcknowledgeForm(formdata=None))


@bp.route("/signals/<int:signal_id>/acknowledge", methods=["POST"])
@coordinator_only
def acknowledge(signal_id: int):
    signal = _team_signal_or_404(signal_id)
    form = AcknowledgeForm()
    if signal.acknowledged_at is not None:
        flash(_("This signal was already acknowledged."), "info")
    elif form.validate_on_submit():
        signal.acknowledged_at = clock.utcnow()
        signal.acknowledged_by = me()
        signal.acknowledgement_note = form.note.data.strip()
        db.session.commit()
        flash(_("Signal acknowledged."), "success")
    else:
        flash(_("Write a note to acknowledge a signal."), "error")
    return redirect(safe_next(request.form.get("next"), url_for("review.signals")))
