"""The weekly checklist per team and ISO week: coordinators review each worker's line and the
week; earlier weeks stay browsable and unreviewed past weeks show at a glance."""

from __future__ import annotations

from datetime import date, timedelta

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import select

from caseload import clock
from caseload.access import me, refuse, visible_team_ids
from caseload.checklist.forms import ReviewForm
from caseload.checklist.queries import line_worker_ids, team_week_checklist
from caseload.checklist.queries import week_reviews as checklist_reviews
from caseload.checklist.rows import Refused, RowParts, csrf_field, worker_rows
from caseload.extensions import db
from caseload.models import Team, User, WeekReview, WorkerWeekReview
from caseload.models.base import NOTE_LENGTH
from caseload.norms.worker_norms import last_complete_week
from caseload.request_input import id_arg, required_id
from caseload.signal_texts import settings_in_force
from caseload.signal_texts import title as signal_title
from caseload.translating import gettext as _

bp = Blueprint("checklist", __name__, url_prefix="/checklist")
WEEKS_SHOWN = 12
_MARK = 987654321  # a worker id no row has: where _per_worker puts each row's id
_WEEK_MARK = "0000-W00"  # a week label no link has: where _per_week puts each week's


def parse_week(label: str | None) -> date:
    if not label:
        return last_complete_week(clock.today())[0]
    try:
        return clock.parse_iso_week(label)
    except ValueError:
        abort(404)


def _team_or_404(team_id: int | None) -> Team:
    teams = visible_team_ids()
    if not teams:
        refuse(status=403)
    team = db.session.get(Team, team_id or teams[0])
    if team is None or team.id not in teams:
        refuse()  # another team's checklist: logged as denied, answered as if there were none
    return team


@bp.route("/")
@login_required
def week():
    return _week_page(_team_or_404(id_arg("team")), parse_week(request.args.get("week")))


def _week_page(team: Team, monday: date, refused: Refused | None = None, status: int = 200):
    """The team's checklist of the week; `refused`: a review whose note was refused, shown
    again with what was typed and the message at that note (a worker's line, or the week's
    review when it names no worker)."""
    lines = team_week_checklist(db.session, [team.id], monday, settings_in_force())
    # The last weeks with their review state, for browsing and spotting unreviewed ones, this
    # week's review and its lines' reviews: one read.
    latest = last_complete_week(clock.today())[0]
    recent = [latest - timedelta(weeks=i) for i in range(WEEKS_SHOWN)]
    line_reviews, week_reviews = checklist_reviews(db.session, team.id, monday, [*recent, monday])
    week_review = week_reviews.get(monday)
    # (label, reviewed, shown) per recent week, their links from one url_for
    weeks = [(clock.week_label(w), w in week_reviews, w == monday) for w in recent]
    visible = visible_team_ids()
    # One visible team is the team shown (_team_or_404), already read.
    teams = [team] if len(visible) == 1 else list(db.session.scalars(
        select(Team).where(Team.id.in_(visible)).order_by(Team.name)))
    label = clock.week_label(monday)
    can_review = current_user.is_coordinator
    csrf = csrf_field()
    rows = worker_rows(lines, line_reviews, RowParts(
        caseload_link=_per_worker("clients.caseload", worker=_MARK),
        week_link=_per_worker("dailylog.week", worker_id=_MARK, week=label),
        titles={norm: signal_title(norm)
                for norm in {norm for line in lines for norm in line.signals_by_norm}},
        review_action=(url_for("checklist.review_line", team=team.id, week=label)
                       if can_review else None),
        csrf_field=csrf, note_length=NOTE_LENGTH,
        refused=refused if refused is not None and refused.worker_id is not None else None))
    week_refused = refused if refused is not None and refused.worker_id is None else None
    return render_template(
        "checklist/week.html", team=team, teams=teams, monday=monday,
        sunday=monday + timedelta(days=6), label=label, lines=lines, rows=rows,
        week_review=week_review, weeks=weeks, week_link=_per_week(team.id), csrf_field=csrf,
        can_review=can_review, note_length=NOTE_LENGTH, week_refused=week_refused,
        page_address=(url_for("checklist.week", team=team.id, week=label)
                      if refused is not None else None)), status


def _per_worker(endpoint: str, **values):
    """A link per worker row from one url_for, the worker's id put in the place of _MARK: the
    address url_for gives for each worker, built once instead of once per row."""
    head, tail = url_for(endpoint, **values).split(str(_MARK))
    return lambda worker_id: f"{head}{int(worker_id)}{tail}"


def _per_week(team_id: int):
    """The team's checklist link per week label from one url_for, as _per_worker does."""
    head, tail = url_for("checklist.week", team=team_id, week=_WEEK_MARK).split(_WEEK_MARK)
    return lambda label: f"{head}{label}{tail}"


def _messages(form: ReviewForm) -> str:
    return " ".join(str(e) for errors in form.errors.values() for e in errors)


def _review_target():
    if not current_user.is_coordinator:
        refuse(status=403)
    team = _team_or_404(id_arg("team"))
    return team, parse_week(request.args.get("week"))


@bp.route("/review-line", methods=["POST"])
@login_required
def review_line():
    team, monday = _review_target()
    form = ReviewForm()
    worker = db.session.get(User, required_id(form.worker_id.data))
    # A line of the week's checklist: a worker who left the team since keeps that week's line.
    if worker is None or worker.id not in line_worker_ids(db.session, [team.id], monday):
        refuse()
    if form.validate_on_submit():
        review = db.session.scalar(select(WorkerWeekReview).where(
            WorkerWeekReview.team_id == team.id, WorkerWeekReview.week_start == monday,
            WorkerWeekReview.worker_id == worker.id)) or WorkerWeekReview(
                team_id=team.id, week_start=monday, worker_id=worker.id)
        review.reviewed_by = me()
        review.reviewed_at = clock.utcnow()
        review.note = (form.note.data or "").strip()
        db.session.add(review)
        db.session.commit()
        flash(_("Reviewed: %(name)s.", name=worker.name), "success")
    else:  # the checklist again, the note typed and its message at this worker's line
        return _week_page(team, monday, status=422, refused=Refused(
            worker_id=worker.id, note=form.note.data or "", message=_messages(form)))
    return redirect(url_for("checklist.week", team=team.id, week=clock.week_label(monday)))


@bp.route("/review-week", methods=["POST"])
@login_required
def review_week():
    team, monday = _review_target()
    form = ReviewForm()
    if form.validate_on_submit():
        review = db.session.scalar(select(WeekReview).where(
            WeekReview.team_id == team.id, WeekReview.week_start == monday)) or WeekReview(
                team_id=team.id, week_start=monday)
        review.reviewed_by = me()
        review.reviewed_at = clock.utcnow()
        review.note = (form.note.data or "").strip()
        db.session.add(review)
        db.session.commit()
        flash(_("Week %(week)s marked as reviewed.", week=clock.week_label(monday)), "success")
    else:  # the checklist again, the note typed and its message at the week's review
        return _week_page(team, monday, status=422, refused=Refused(
            worker_id=None, note=form.note.data or "", message=_messages(form)))
    return redirect(url_for("checklist.week", team=team.id, week=clock.week_label(monday)))
