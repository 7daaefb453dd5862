"""The privacy officer's monthly review report (an administrator page): read a month, mark it
reviewed with a note. Reading the report is written to the access log."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from sqlalchemy.exc import IntegrityError

from caseload import audit, clock
from caseload.extensions import db
from caseload.logs.filters import parse_month
from caseload.logs.forms import MonthReviewForm
from caseload.logs.review import month_key, month_report, next_month, previous_month, recent_reviews
from caseload.logs.views import admin_only, bp
from caseload.models import PrivacyReview
from caseload.translating import gettext as _
from caseload.unit_of_work import unit_of_work


def _default_month():
    """The last complete month."""
    return previous_month(clock.today().replace(day=1))


def _render(first, form, status=200):
    """The month's review page; with a refused `form` (status 422) in answer to its POST."""
    report = month_report(db.session, first)
    audit.record(None, "privacy_review", "read", detail=month_key(first))
    this_month = clock.today().replace(day=1)
    return render_template(
        "logs/privacy_review.html", report=report, form=form, can_mark=first <= this_month,
        months=recent_reviews(db.session, this_month),
        previous=month_key(previous_month(first)),
        next=month_key(next_month(first)) if next_month(first) <= this_month else None,
        page_address=url_for("logs.privacy_review", month=month_key(first))), status


@bp.route("/privacy-review")
@admin_only
def privacy_review():
    value = (request.args.get("month") or "").strip()
    if not value:
        first = _default_month()
    else:
        try:
            first = parse_month(value)
        except ValueError:
            flash(_("Choose a month as YYYY-MM, e.g. 2026-03."), "error")
            return redirect(url_for("logs.privacy_review"))
    return _render(first, MonthReviewForm(formdata=None))


@bp.route("/privacy-review/<month>/reviewed", methods=["POST"])
@admin_only
def mark_reviewed(month: str):
    try:
        first = parse_month(month)
    except ValueError:
        abort(404)
    if first > clock.today().replace(day=1):
        abort(404)
    form = MonthReviewForm()
    if not form.validate_on_submit():
        return _render(first, form, 422)
    me = audit.current_actor()
    with unit_of_work(expected=IntegrityError) as work:
        db.session.add(PrivacyReview(month=month_key(first), reviewed_at=clock.utcnow(),
                                     reviewed_by_id=me[0], reviewed_by_email=me[1],
                                     note=form.note.data.strip()))
    if work.failed:  # someone marked it at the same moment; theirs stands
        flash(_("This month was already marked as reviewed."), "info")
    else:
        flash(_("Month marked as reviewed."), "success")
    return redirect(url_for("logs.privacy_review", month=month_key(first)))
