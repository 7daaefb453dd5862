"""Render mails in the recipient's language. Only client codes, norm names, dates, counts and
links go in: never notes, diagnoses or other health details."""

from __future__ import annotations

from datetime import date

from flask import current_app, render_template
from flask_babel import force_locale, ngettext

from caseload import clock, dates
from caseload.mail.digests import ChecklistLine, DueItem, WorkerDigest
from caseload.mail.outbox import Mail
from caseload.models import User
from caseload.models.vocab import DEFAULT_LANGUAGE
from caseload.translating import gettext as _


def _base_url() -> str:
    return current_app.config["BASE_URL"].rstrip("/")


def _render(recipient: User, kind: str, period_key: str, subject_fn, template: str,
            **context) -> Mail:
    base = _base_url()
    with force_locale(recipient.language or DEFAULT_LANGUAGE):
        # One line, whatever a client code holds: a line break cannot become a header.
        subject = " ".join(subject_fn().split())
        context.update(recipient=recipient, base=base, settings_url=f"{base}/settings",
                       subject=subject)
        text = render_template(f"mail/{template}.txt", **context)
        html = render_template(f"mail/{template}.html", **context)
    return Mail(recipient=recipient, kind=kind, period_key=period_key, subject=subject,
                text=text, html=html)


def worker_digest(recipient: User, digest: WorkerDigest, as_of: date) -> Mail:
    return _render(
        recipient, "worker_digest", as_of.isoformat(),
        lambda: worker_digest_subject(len(digest.signals), len(digest.due), as_of),
        "worker_digest", digest=digest, as_of=as_of)


def worker_digest_subject(signals: int, due: int, as_of: date) -> str:
    """With plural forms: "1 signaal en 2 contacten te doen", never "1 signalen"."""
    return _("Caseload: %(signals)s and %(contacts)s (%(day)s)",
             signals=ngettext("%(num)d signal", "%(num)d signals", signals),
             contacts=ngettext("%(num)d contact due", "%(num)d contacts due", due),
             day=dates.day(as_of))


def coordinator_digest(recipient: User, lines: list[ChecklistLine], monday: date) -> Mail:
    week = clock.week_label(monday)
    return _render(
        recipient, "coordinator_digest", week,
        lambda: _("Caseload: weekly checklist of week %(week)s", week=week),
        "coordinator_digest", lines=lines, week=week, monday=monday)


def reminder(recipient: User, item: DueItem) -> Mail:
    kind = "follow_along_reminder" if item.kind == "follow_along_start" else "job_loss_reminder"
    return _render(
        recipient, kind, f"c{item.client_id}-{item.due_on.isoformat()}",
        lambda: _("Caseload: contact with %(code)s due by %(day)s", code=item.client_code,
                  day=dates.day(item.due_on)),
        "reminder", item=item)
