"""The weekly checklist's worker rows, as templates/checklist/week.html wrote them, built as
plain strings.

A row is ten cells of figures, two links and a review form, the same labels on every row.
Through Jinja each row cost some 60 expressions (attribute lookups, escapes, calls of the
links, the review lookup and a dictsort): about 1.5 ms of the page's CPU for a team of 28
lines. Here the labels, the form's fixed parts and the norm titles are made once per page and
each row is one string; every value from the database (names, notes, titles) is escaped as
Jinja's autoescape did, and the translated labels are written as they are, as the template's
gettext (newstyle) wrote them. tests/test_checklist.py checks the markup."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from flask import current_app
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup, escape

from caseload import dates
from caseload.checklist.queries import ChecklistLine, Review
from caseload.translating import gettext as _


@dataclass(frozen=True)
class Refused:
    """A review whose note was refused: what was typed and why, shown at that note (a
    worker's line; `worker_id` None: the week's review)."""

    worker_id: int | None
    note: str
    message: str


@dataclass(frozen=True)
class RowParts:
    """What every row of one page shares."""

    caseload_link: Callable[[int], str]
    week_link: Callable[[int], str]
    titles: dict[str, str]
    review_action: str | None  # None: the reader cannot review (no form)
    csrf_field: str
    note_length: int
    refused: Refused | None = None  # a line shown again with its note and message


def csrf_field() -> Markup:
    """The review forms' CSRF field, as ReviewForm's csrf_token writes it (the same token of the
    request), without building the form: a form's first construction in a request loads
    WTForms' translations (0.3 ms), and the page only needs the field."""
    if not current_app.config.get("WTF_CSRF_ENABLED", True):
        return Markup("")  # as a form without CSRF protection writes no field
    name = current_app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token")
    return Markup(f'<input id="{name}" name="{name}" type="hidden" '
                  f'value="{escape(generate_csrf())}">')


def worker_rows(lines: list[ChecklistLine], reviews: dict[int, Review], parts: RowParts) -> Markup:
    labels = {key: _(key) for key in (
        "Worker", "Face-to-face employer contacts", "Job seekers",
        "Past day 30 without employer contact", "Follow-along contacts due / missed",
        "Caseload / capacity", "New referrals", "Job starts / endings", "Open signals", "Review",
        "Note", "Reviewed", "no norm (absent)")}
    titles = {norm: str(escape(title)) for norm, title in parts.titles.items()}
    form_head = form_tail = form_end = ""
    if parts.review_action is not None:
        form_head = (f'\n    <form method="post" action="{escape(parts.review_action)}" '
                     f'class="ack">\n      {parts.csrf_field}<input type="hidden" '
                     'name="worker_id" value="')
        form_tail = (f'">\n      <input name="note" maxlength="{parts.note_length}" '
                     f'placeholder="{labels["Note"]}" aria-label="{labels["Note"]}" value="')
        form_end = (f'">\n      <button type="submit" class="secondary">{labels["Reviewed"]}'
                    '</button>\n    </form>')
    cells = (
        f'">\n  <td data-label="{labels["Worker"]}"><a href="',
        f'</a></td>\n  <td data-label="{labels["Face-to-face employer contacts"]}" class="num" '
        'data-value="',
        f'</td>\n  <td data-label="{labels["Job seekers"]}" class="num">',
        f'</td>\n  <td data-label="{labels["Past day 30 without employer contact"]}" '
        'class="num">',
        f'</td>\n  <td data-label="{labels["Follow-along contacts due / missed"]}" class="num">',
        f'</td>\n  <td data-label="{labels["Caseload / capacity"]}" class="num ',
        f'</td>\n  <td data-label="{labels["New referrals"]}" class="num">',
        f'</td>\n  <td data-label="{labels["Job starts / endings"]}" class="num">',
        f'</td>\n  <td data-label="{labels["Open signals"]}">',
        f'</td>\n  <td data-label="{labels["Review"]}" class="review">\n    ',
    )
    no_norm = labels["no norm (absent)"]
    out = []
    for line in lines:
        wid = int(line.worker.id)
        week = line.week
        if week and week.norm is not None:
            contacts = (f'<a href="{escape(parts.week_link(wid))}">{week.contacts} / '
                        f'{week.norm}</a>')
        else:
            contacts = no_norm
        signals = "".join(
            f"{titles[norm]}: {n}<br>"
            for norm, n in sorted(line.signals_by_norm.items(), key=lambda item: item[0].lower())
        ) or "0"
        review = reviews.get(wid)
        review_html = ""
        if review:
            review_html = (f'<span class="reviewed-mark">✓ {escape(review.reviewer)}, '
                           f'{escape(dates.moment(review.reviewed_at))}</span>')
            if review.note:
                review_html += f'<span class="note">{escape(review.note)}</span>'
        form = ""
        if form_head and parts.refused is not None and parts.refused.worker_id == wid:
            form = _refused_form(form_head, wid, parts, labels)
        elif form_head:
            form = (f'{form_head}{wid}{form_tail}{escape(review.note) if review else ""}'
                    f'{form_end}')
        out.append(
            f'\n<tr data-worker="{wid}" class="{"below-norm" if line.below_norm else ""}'
            f'{cells[0]}{escape(parts.caseload_link(wid))}">{escape(line.worker.name)}'
            f'{cells[1]}{week.contacts if week else ""}">\n    {contacts}'
            f'{cells[2]}{line.job_seekers}{cells[3]}{line.past_day_30}'
            f'{cells[4]}{line.follow_along_due} / {line.follow_along_missed}'
            f'{cells[5]}{"over" if line.caseload > line.capacity else ""}">{line.caseload} / '
            f'{line.capacity}{cells[6]}{line.new_referrals}'
            f'{cells[7]}{line.job_starts} / {line.job_endings}{cells[8]}{signals}'
            f'{cells[9]}{review_html}\n    {form}\n  </td>\n</tr>\n')
    return Markup("".join(out))


def _refused_form(form_head: str, wid: int, parts: RowParts, labels: dict) -> str:
    """A line's review form with the note that was refused and its message, marked as
    macros.field marks a field with an error."""
    note_id = f"note-{wid}"
    return (f'{form_head}{wid}">\n      <div class="field has-error"><input name="note" '
            f'id="{note_id}" maxlength="{parts.note_length}" placeholder="{labels["Note"]}" '
            f'aria-label="{labels["Note"]}" aria-invalid="true" '
            f'aria-describedby="{note_id}-error" value="{escape(parts.refused.note)}">\n'
            f'      <p class="error" id="{note_id}-error">{escape(parts.refused.message)}</p>'
            f'</div>\n      <button type="submit" class="secondary">{labels["Reviewed"]}'
            '</button>\n    </form>')
