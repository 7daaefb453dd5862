"""The coordinator's review of the team's signals: filter, acknowledge with a note, history."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import select

from caseload import audit, clock, dates
from caseload.access import me, refuse, role_required, team_workers, visible_team_ids
from caseload.extensions import db
from caseload.models import Signal, Trajectory
from caseload.norms import NORMS
from caseload.paging import paginate
from caseload.request_input import id_arg, safe_next
from caseload.review import queries
from caseload.review.forms import AcknowledgeForm
from caseload.signal_texts import details as signal_details
from caseload.signal_texts import remedy as signal_remedy
from caseload.signal_texts import title as signal_title
from caseload.signals import team_scope

bp = Blueprint("review", __name__, url_prefix="/review")
coordinator_only = role_required("coordinator")
_MARK = 987654321  # an id no row has: where _link puts each row's id


def _team_signal_or_404(signal_id: int) -> Signal:
    signal = db.session.scalar(
        select(Signal).where(Signal.id == signal_id, team_scope(visible_team_ids())))
    if signal is None:
        refuse(db.session.scalar(select(Trajectory.client_id).join(Signal).where(
            Signal.id == signal_id)))
    return signal


@dataclass(frozen=True)
class Shown:
    """What a signal's row shows besides the signal: its client and the people named."""
    client_id: int | None
    client_code: str | None
    worker_name: str | None
    acknowledged_by_name: str | None


def _shown(signals) -> dict[int, Shown]:
    """Per signal listed, its client's id and code and the names of its worker and of who
    acknowledged it: one statement of four columns for the page and the history together
    (was three to four loads of whole trajectories, clients and users per list)."""
    rows = db.session.connection().execute(queries.shown(), {"ids": [s.id for s in signals]})
    return _ShownRows({signal_id: Shown(*rest) for signal_id, *rest in rows})


class _ShownRows(dict):
    """A signal deleted since it was listed (its trajectory erased in between) shows nothing
    of a client or a person, as when its trajectory could no longer be loaded."""

    def __missing__(self, signal_id):
        return Shown(None, None, None, None)


def _details_once():
    """signal_details, made once per norm and facts on a page (many rows say the same: the
    same caseload, the same days without contact)."""
    made: dict = {}

    def details(norm: str, facts: dict) -> str:
        try:  # facts of plain values (all norms'; typed, so True and 1 differ); else json
            key = (norm, frozenset((k, type(v), v) for k, v in facts.items()) if facts else None)
            hash(key)
        except TypeError:
            key = (norm, json.dumps(facts, sort_keys=True, default=str))
        if key not in made:
            made[key] = signal_details(norm, facts)
        return made[key]
    return details


def _link(endpoint: str, **values):
    """A link per row from one url_for, the row's id put in the place of _MARK (built once,
    not once per row; the same address url_for gives)."""
    head, tail = url_for(endpoint, **values).split(str(_MARK))
    return lambda row_id: f"{head}{int(row_id)}{tail}"


@bp.route("/signals")
@coordinator_only
def signals():
    norm = request.args.get("norm") or None
    worker_id = id_arg("worker")
    # Rows of the columns shown (not Signal objects), from statements built once.
    params = {"team_ids": visible_team_ids(), "norm": norm, "worker_id": worker_id}
    page = paginate(db.session, queries.open_signals(norm in NORMS, bool(worker_id)),
                    params=params, rows=True)
    open_ = page.items
    history = db.session.connection().execute(queries.history(), params).all()
    shown = _shown(open_ + history)
    audit.record({shown[s.id].client_id for s in open_} - {None}, "signals", "list")
    audit.record({shown[s.id].client_id for s in history} - {None}, "signal_history", "read")
    # A norm's title and remedy are the same on every row of it: rendered once per norm; a
    # date is formatted once per page (many signals share their anchor day).
    texts = {n: (signal_title(n), signal_remedy(n)) for n in {s.norm for s in open_ + history}}
    day, details = cache(dates.day), _details_once()
    client_link = _link("clients.show", client_id=_MARK)
    ack_link = _link("review.acknowledge", signal_id=_MARK)
    # What each open signal's row shows, made here in one pass (not by four template calls
    # a row): its day, its norm's title and remedy, its details, its client and people, the
    # client's link and its acknowledge address.
    rows = [(s, day(s.anchor), *texts[s.norm], details(s.norm, s.facts), shown[s.id],
             client_link(shown[s.id].client_id) if shown[s.id].client_id is not None else None,
             ack_link(s.id)) for s in open_]
    return render_template("review/signals.html", signals=open_, rows=rows, page=page,
                           history=history, texts=texts, shown=shown, day=day,
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
