"""The private calendar feed: a worker switches it on (a secret URL, shown once), renews it
(the old URL answers 404 from then on) or switches it off. Calendar programs fetch it without
a login, so the secret is the only key; every fetch is written to the access log in the
owner's name, for each client the feed shows."""

from __future__ import annotations

from datetime import timedelta

from flask import Response, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import force_locale
from flask_login import current_user, login_required
from sqlalchemy import delete, select

from caseload import audit, clock
from caseload.access import me
from caseload.due import due_for
from caseload.extensions import csrf, db
from caseload.models import CalendarFeed
from caseload.models.vocab import APPOINTMENT_KINDS
from caseload.norms.settings import NormSettings
from caseload.translating import gettext as _
from caseload.week import agenda, ical
from caseload.week.views import bp

# What the feed holds: appointments from a month back to half a year ahead, and the due list.
FEED_PAST_DAYS = 30
FEED_AHEAD_DAYS = 183


def _feed_of_current_user() -> CalendarFeed | None:
    return db.session.scalar(select(CalendarFeed).where(CalendarFeed.user_id == current_user.id))


@bp.route("/calendar")
@login_required
def calendar_settings():
    return render_template("week/calendar.html", feed=_feed_of_current_user(), url=None)


@bp.route("/calendar/feed", methods=["POST"])
@login_required
def calendar_on():
    """Switch the feed on, or renew its secret. The URL is shown in this response only."""
    feed = _feed_of_current_user() or CalendarFeed(user=me())
    token = feed.renew()
    db.session.add(feed)
    db.session.commit()
    url = current_app.config["BASE_URL"].rstrip("/") + url_for("week.calendar_feed",
                                                               token=token)
    return render_template("week/calendar.html", feed=feed, url=url)


@bp.route("/calendar/feed/off", methods=["POST"])
@login_required
def calendar_off():
    db.session.execute(delete(CalendarFeed).where(CalendarFeed.user_id == current_user.id))
    db.session.commit()
    flash(_("The calendar feed is switched off; its address no longer works."), "success")
    return redirect(url_for("week.calendar_settings"))


@bp.route("/calendar/<token>.ics")
@csrf.exempt
def calendar_feed(token: str):
    feed = db.session.scalar(select(CalendarFeed).where(
        CalendarFeed.token_hash == CalendarFeed.hash_of(token)))
    if feed is None or not feed.user.active or not feed.user.team_ids:
        abort(404)
    user = feed.user
    today = clock.today()
    team_ids = user.team_ids
    appointments = [a for a in agenda.appointments(
        team_ids, first=today - timedelta(days=FEED_PAST_DAYS),
        last=today + timedelta(days=FEED_AHEAD_DAYS), worker_id=user.id,
        statuses=("planned", "done"))]
    due = due_for(db.session, today, NormSettings.load(db.session), user, team_ids)
    stamp = clock.utcnow()
    with force_locale(user.language):
        events = [ical.timed_event(
            f"appointment-{a.id}@caseload", a.starts_at, a.ends_at,
            " · ".join(filter(None, (a.client.client_code if a.client else "",
                                     str(APPOINTMENT_KINDS[a.kind])))), a.location, stamp)
            for a in appointments]
        events += [ical.day_event(
            f"due-{item.kind}-{item.client_id}-{item.due_on.isoformat()}@caseload",
            item.due_on, f"{item.client_code} · {item.label}", stamp) for item in due]
        body = ical.calendar("Caseload", events)
    _log_fetch(user, {a.client_id for a in appointments if a.client_id is not None}
               | {item.client_id for item in due})
    response = Response(body, mimetype="text/calendar")
    response.headers["Cache-Control"] = "private, no-store"
    return response


def _log_fetch(user, client_ids) -> None:
    """The access log entry of a fetch, in the owner's name: the fetch has no login session, so
    caseload/audit.py (which writes for the logged-in user) cannot. One row per client, or one
    without a client when the feed is empty, so every fetch is seen."""
    audit.write_access_entries([
        {"user_id": user.id, "user_email": user.email, "client_id": client_id,
         "record_type": "calendar_feed", "action": "read", "ip": request.remote_addr}
        for client_id in (sorted(client_ids) or [None])])
