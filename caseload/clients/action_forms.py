"""The client page's action forms (phase change, placement start, disclosure, benefits plan,
handover, team move, end of the trajectory, a new trajectory), written as the `action` macro
of clients/show.html wrote them, field by field through caseload.field_html.

Most views show these forms empty, and an empty form is the same markup on every view of
every client for one language and day: only the CSRF token and the client's URL differ. Its
markup (all but the URL) is made once per form, language, day and script root and kept
(`_empty_inner`); the CSRF token is put in per request. What it is made of are the form
classes, their labels in the catalogue and vocabularies of this process, and the day's date:
nothing a write from any request or process, or a setting, can change. A form given to the
page (a failed POST with what was typed and its errors, a kept draft) and the forms whose
choices or values come from the database (a handover's workers, the team move's targets, a new
trajectory's workers) are built and written on each view, as before."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from flask import current_app, request, url_for
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup, escape

from caseload.clients import forms
from caseload.field_html import field_html, hidden_html, widget_html
from caseload.lazy_text import html
from caseload.translating import catalogue
from caseload.translating import lazy_gettext as _l


@dataclass(frozen=True)
class Action:
    title: object           # a lazy label
    endpoint: str           # where the form is sent, with the client's id
    lines: tuple            # each a tuple of field names (or (name, attrs)), or a hint (a lazy label)


def _employer_lookup() -> dict:
    return {"autocomplete": "off", "data_employer_lookup": url_for("employers.lookup")}


ACTIONS = {
    "phase_form": Action(_l("Change phase"), "clients.change_phase", (("phase", "changed_on"),)),
    "placement_form": Action(_l("Start a placement"), "clients.start_placement", (
        (("employer_name", _employer_lookup), "job_title"), ("job_type", "placement_type"),
        ("start_date", "hours_per_week"), ("hourly_wage", "contract"),
        ("competitive", "move_to_coaching"))),
    "disclosure_form": Action(_l("Disclosure discussion"), "clients.add_disclosure",
                              (("discussed_on", "decision", "note"),)),
    "benefits_form": Action(_l("Benefits plan offered"), "clients.add_benefits_plan",
                            (("offered_on", "by_benefits_specialist", "note"),)),
    "handover_form": Action(_l("Hand over"), "transfers.hand_over_client",
                            (("worker_id", "on", "note"),)),
    "team_move_form": Action(_l("Move to another team"), "transfers.move_client", (
        _l("The client moves with every record; the other team sees the whole history, this "
           "team no longer sees the client."), ("target", "on", "note"))),
    "end_form": Action(_l("End the trajectory"), "clients.end_trajectory", (
        _l("IPS excludes nobody: missed appointments, symptoms or substance use are no reason "
           "to end."), ("ended_on", "end_reason"))),
    "trajectory_form": Action(_l("Start a new trajectory"), "clients.new_trajectory", (
        ("worker_id", "program_entry_date"), ("trajectory_type", "funder", "planned_end"),
        ("in_work_at_referral",))),
}

# The forms whose empty markup is the same for every client: how each is made empty.
EMPTY_FORMS = {
    "phase_form": lambda today: forms.PhaseChangeForm(changed_on=today, formdata=None),
    "placement_form": lambda today: forms.StartPlacementForm(start_date=today, formdata=None),
    "disclosure_form": lambda today: forms.DisclosureForm(discussed_on=today, formdata=None),
    "benefits_form": lambda today: forms.benefits_plan_form(offered_on=today, formdata=None),
    "end_form": lambda today: forms.EndTrajectoryForm(ended_on=today, formdata=None),
    "attempt_form": lambda today: _attempt_form(today),
    # a client without a profile yet (the profile form of a client with one shows its texts)
    "profile_form": lambda today: forms.ProfileForm(formdata=None),
}

PROFILE_LINES = (("preferences", "experience"), ("skills", "strengths"), ("adjustments", "network"))


def profile_inner(form) -> str:
    """The vocational profile's form from its hidden fields to its last field."""
    fields = "\n    ".join("".join(field_html(getattr(form, name), rows=2) for name in line)
                          for line in PROFILE_LINES)
    return f"{hidden_html(form)}\n    {form_errors(form)}\n    {fields}"


def _attempt_form(today: date):
    from caseload.week.forms import AttemptForm
    return AttemptForm(formdata=None, attempted_on=today)


def attempt_inner(form) -> str:
    """The outreach attempt's form (week/_client_section.html) from its CSRF token to its fields."""
    return (f"{widget_html(form.csrf_token)}\n    {field_html(form.attempted_on)}"
            f"{field_html(form.method)}{field_html(form.note)}")

_SAVE = _l("Save")
_TOKEN = "\x00csrf-token\x00"  # stands for the request's CSRF token in a kept form


def form_errors(form) -> str:
    """The form_errors macro of macros.html."""
    return "".join(f'<p class="error form-error" role="alert">{escape(error)}</p>'
                   for error in form.form_errors)


def _inner(form, action: Action) -> str:
    """What the macro wrote between <form> and the button: hidden fields, the form's errors and
    the fields, line by line as the template had them."""
    lines = []
    for line in action.lines:
        if isinstance(line, tuple):
            parts = []
            for item in line:
                name, attrs = item if isinstance(item, tuple) else (item, None)
                parts.append(field_html(getattr(form, name), **(attrs() if attrs else {})))
            lines.append("".join(parts))
        else:
            lines.append(f'<p class="hint">{html(line)}</p>')
    fields = "".join(f"\n    {line}" for line in lines)
    return f"{hidden_html(form)}\n    {form_errors(form)}\n    {fields}\n  "


def end_placement_inner(form, placement_id: int) -> str:
    """An open placement's end form (clients/show.html) from its CSRF token to its fields."""
    return (f"{widget_html(form.csrf_token, id=False)}"
            f"{widget_html(form.placement_id, value=placement_id)}\n          {form_errors(form)}"
            f"{field_html(form.end_date)}{field_html(form.end_reason)}"
            f"{field_html(form.back_to_job_finding)}")


def inner_html(name: str, form, placement_id: int | None = None) -> str:
    """A form's markup between its <form> tag and its button (the attempt's: up to its button)."""
    if name == "end_placement_form":
        return end_placement_inner(form, placement_id)
    if name == "attempt_form":
        return attempt_inner(form)
    return profile_inner(form) if name == "profile_form" else _inner(form, ACTIONS[name])


@lru_cache(maxsize=256)
def _empty_inner(name: str, translations, today: date, script_root: str, csrf: bool,
                 placement_id: int | None) -> str:
    """An empty form's inner markup, the CSRF token left as _TOKEN (made in a request of this
    language, day and script root; the arguments are its whole key)."""
    if name == "end_placement_form":  # one per open placement, its id in its names
        form = forms.end_placement_form(placement_id, end_date=today, formdata=None)
    else:
        form = EMPTY_FORMS[name](today)
    markup = inner_html(name, form, placement_id)
    return markup.replace(generate_csrf(), _TOKEN) if csrf else markup


def empty_inner(name: str, today: date, placement_id: int | None = None) -> str:
    csrf = current_app.config.get("WTF_CSRF_ENABLED", True)
    markup = _empty_inner(name, catalogue(), today, request.script_root, csrf, placement_id)
    return markup.replace(_TOKEN, generate_csrf()) if csrf else markup


def action_html(name: str, client_id: int, form=None, *, today: date | None = None,
                open_form: str | None = None) -> str:
    """One action as the macro wrote it: `form` given (with what was typed and its errors),
    or empty (an EMPTY_FORMS one, for `today`)."""
    action = ACTIONS[name]
    inner = _inner(form, action) if form is not None else empty_inner(name, today)
    return (f'<details class="action" id="{name}" {"open" if open_form == name else ""}>\n'
            f"  <summary>{html(action.title)}</summary>\n"
            f'  <form method="post" action="{escape(url_for(action.endpoint, client_id=client_id))}"'
            f" novalidate>\n    {inner}\n"
            f'    <button type="submit">{html(_SAVE)}</button>\n  </form>\n</details>')


def trajectory_actions(client_id: int, given: dict, *, today: date,
                       open_form: str | None) -> Markup:
    """The actions of an open trajectory, in the page's order; `given` names the forms built
    for this view (a handover or team move for a coordinator, a form sent back); the other
    EMPTY_FORMS are written empty."""
    def one(name):
        return action_html(name, client_id, given.get(name), today=today, open_form=open_form)

    parts = [one("phase_form"), "\n  ", one("placement_form"), "\n  ", one("disclosure_form"),
             "\n  ", one("benefits_form"), "\n  "]
    for optional in ("handover_form", "team_move_form"):
        if given.get(optional):
            parts += ["\n  ", one(optional), "\n  "]
        parts.append("\n  ")
    parts.append(one("end_form"))
    return Markup("".join(parts))
