"""Administration: the scheduled jobs, their last and next runs and their failures."""

from __future__ import annotations

from flask import render_template

from caseload import clock
from caseload.admin.views import admin_only, bp
from caseload.extensions import db
from caseload.jobs.definitions import SEND_INTERVAL_MINUTES
from caseload.jobs.overview import job_overview, recent_runs, scheduler_seems_down
from caseload.translating import lazy_gettext as _l

JOB_TITLES = {
    "daily_evaluation": _l("Daily norm evaluation and reminders"),
    "weekly_employer_contacts": _l("Weekly employer-contact norm"),
    "worker_digests": _l("Workers' daily digests"),
    "coordinator_digests": _l("Coordinators' weekly checklist"),
    "retention_erasure": _l("Erasure after the retention period"),
    "expire_drafts": _l("Deleting expired form drafts"),
    "access_log_retention": _l("Access-log entries past their retention deleted"),
    "send_outbox": _l("Mail delivery"),
}
JOB_SCHEDULES = {
    "daily_evaluation": _l("every day at 06:00"),
    "weekly_employer_contacts": _l("Mondays at 06:15"),
    "worker_digests": _l("working days at 07:00"),
    "coordinator_digests": _l("Mondays at 07:30"),
    "retention_erasure": _l("every day at 03:00"),
    "expire_drafts": _l("every day at 03:30"),
    "access_log_retention": _l("every day at 03:30"),
    "send_outbox": _l("every %(n)d minutes", n=SEND_INTERVAL_MINUTES),
}
RUN_STATUSES = {"running": _l("running"), "ok": _l("done"), "failed": _l("failed")}
RUN_TRIGGERS = {"schedule": _l("on schedule"), "catch_up": _l("caught up"),
                "start": _l("at start"), "cli": _l("by hand")}


@bp.route("/jobs")
@admin_only
def jobs():
    now = clock.utcnow()
    statuses = job_overview(db.session, now)
    return render_template("admin/jobs.html", statuses=statuses, runs=recent_runs(db.session),
                           scheduler_down=scheduler_seems_down(statuses, now),
                           titles=JOB_TITLES, schedules=JOB_SCHEDULES, run_statuses=RUN_STATUSES,
                           run_triggers=RUN_TRIGGERS, interval=SEND_INTERVAL_MINUTES)
