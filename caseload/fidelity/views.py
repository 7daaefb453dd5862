"""The fidelity scale for a team: the items computed from the logged data (with the numbers
behind each score), the coordinator's own scores for the rest, the total and its band, and the
history of earlier self-assessments. Coordinators only, for their own teams."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_login import login_required
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from caseload import clock
from caseload.access import coordinator_teams, me, refuse
from caseload.extensions import db
from caseload.fidelity.forms import assessment_form_class, computed_defaults
from caseload.fidelity.items import compute_items, computed_total
from caseload.fidelity.scale import (
    BANDS,
    ITEMS,
    ITEMS_BY_HAND,
    MAX_TOTAL,
    SECTIONS,
    band,
    band_label,
)
from caseload.models import FidelityAssessment, FidelityItemScore
from caseload.outcomes.period import PeriodError, parse_period, quarter_of, quarter_period
from caseload.outcomes.tables import raw
from caseload.request_input import id_arg
from caseload.translating import gettext as _

bp = Blueprint("fidelity", __name__, url_prefix="/fidelity")


def _history(team_id: int) -> list[FidelityAssessment]:
    return list(db.session.scalars(
        select(FidelityAssessment).where(FidelityAssessment.team_id == team_id)
        .options(selectinload(FidelityAssessment.items),
                 selectinload(FidelityAssessment.created_by))
        .order_by(FidelityAssessment.created_at.desc(), FidelityAssessment.id.desc())))


def _render(team, teams, period, results, form, error=None, status=200):
    return render_template(
        "fidelity/index.html", team=team, teams=coordinator_teams(), period=period,
        until=period.until(clock.today()), results=results, form=form, error=error,
        items=ITEMS, sections=SECTIONS, by_hand=ITEMS_BY_HAND, history=_history(team.id),
        computed_total=computed_total(results), max_total=MAX_TOTAL, bands=BANDS, band=band,
        band_label=band_label, locale=str(get_locale() or "nl"), raw=raw,
        quarter=quarter_of(clock.today())), status


@bp.route("/")
@login_required
def index():
    teams = coordinator_teams(id_arg("team"))
    team, today, error = teams[0], clock.today(), None
    try:
        period = parse_period(request.args, today)
    except PeriodError as problem:
        error, period = problem.message, quarter_period(quarter_of(today))
    results = compute_items(db.session, team.id, period.start, period.until(today))
    form = assessment_form_class(results)(formdata=None, data=computed_defaults(results))
    return _render(team, teams, period, results, form, error)


@bp.route("/assessments", methods=["POST"])
@login_required
def save():
    teams = coordinator_teams(id_arg("team", request.form))
    team, today = teams[0], clock.today()
    try:
        period = parse_period(request.form, today)
    except PeriodError as problem:
        abort(400, problem.message)
    results = compute_items(db.session, team.id, period.start, period.until(today))
    form = assessment_form_class(results)()
    if not form.validate_on_submit():
        flash(_("The assessment was not saved: see the marked items."), "error")
        return _render(team, teams, period, results, form, status=422)
    assessment = FidelityAssessment(team=team, period_start=period.start,
                                    period_end=period.end, created_by=me(),
                                    created_at=clock.utcnow())
    for number in ITEMS:
        score = int(form.score(number).data)
        computed = results.get(number)
        assessment.items.append(FidelityItemScore(
            item_number=number, score=score,
            computed=bool(computed and computed.score == score),
            note=(form.note(number).data or "").strip()))
    db.session.add(assessment)
    db.session.commit()
    flash(_("Self-assessment saved: %(total)d of %(max)d.", total=assessment.total,
            max=MAX_TOTAL), "success")
    return redirect(url_for("fidelity.assessment", assessment_id=assessment.id))


@bp.route("/assessments/<int:assessment_id>")
@login_required
def assessment(assessment_id: int):
    team_ids = [team.id for team in coordinator_teams()]
    found = db.session.scalar(
        select(FidelityAssessment).where(FidelityAssessment.id == assessment_id,
                                         FidelityAssessment.team_id.in_(team_ids))
        .options(selectinload(FidelityAssessment.items)))
    if found is None:
        refuse()
    return render_template("fidelity/assessment.html", assessment=found, items=ITEMS,
                           sections=SECTIONS, band=band, band_label=band_label,
                           max_total=MAX_TOTAL, locale=str(get_locale() or "nl"),
                           history=_history(found.team_id))
