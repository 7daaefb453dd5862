"""The caseload table's rows, as templates/clients/caseload.html's row loop wrote them, built
as plain strings.

A row is eight or nine cells, the same labels on every row. Through Jinja each row cost some
twenty-five expressions (attribute and label lookups, three date filters, escapes); a worker's
page has 20-60 rows, a team's several hundred. Here the labels are translated once per page,
a date's text is made once per date, and each row is one string; every value from the
database (codes, names, titles) is escaped as Jinja's autoescape did, and the translated labels
are written as they are, as the template's gettext (newstyle) wrote them.
tests/test_caseload_rows.py checks the markup against the template's loop."""

from __future__ import annotations

from flask import url_for
from markupsafe import Markup, escape

from caseload import dates
from caseload.translating import catalogue

LABELS = ("Client", "To be assigned", "Worker", "Phase", "Days since entry",
          "Last face-to-face client contact", "First employer contact", "Last employer contact",
          "Current placement", "Hand over")


def table_rows(listed, *, one_worker: bool, handover: bool, phase_labels: dict,
               ticked=frozenset()) -> Markup:
    """The rows of `listed` (clients.overview.CaseloadRow): without the worker column when the
    page is one worker's (`one_worker`; then a client without a worker has a badge), with a
    hand-over box each when the page has the hand-over form, ticked for the trajectory ids in
    `ticked` (a refused handover shown again)."""
    translations = catalogue()
    label = {key: translations.ugettext(key) for key in LABELS}
    if not listed:
        return Markup(f'\n  <tr><td colspan="9">{translations.ugettext("No open trajectories.")}'
                      '</td></tr>\n  ')
    select_label = Markup(translations.ugettext("Select %(code)s"))
    client_url = str(escape(url_for("clients.show", client_id=0)[:-1]))
    to_be_assigned = label["To be assigned"]
    badge = f' <span class="badge">{to_be_assigned}</span>' if one_worker else ""
    worker_cell = f'<td data-label="{label["Worker"]}">'
    phases = {phase: str(escape(text)) for phase, text in phase_labels.items()}
    unassigned = ' class="unassigned"'
    days: dict = {}

    def day(value):
        text = days.get(value)
        if text is None:
            text = days[value] = str(escape(dates.day(value)))
        return text

    cells = (
        f'>\n    <td data-label="{label["Client"]}"><a href="{client_url}',
        f'\n    <td data-label="{label["Phase"]}">',
        f'</td>\n    <td data-label="{label["Days since entry"]}" class="num">',
        f'</td>\n    <td data-label="{label["Last face-to-face client contact"]}">',
        f'</td>\n    <td data-label="{label["First employer contact"]}">',
        f'</td>\n    <td data-label="{label["Last employer contact"]}">',
        f'</td>\n    <td data-label="{label["Current placement"]}">',
        f'<td data-label="{label["Hand over"]}"><input type="checkbox" name="trajectory_id" '
        'value="',
    )
    out = []
    for row in listed:
        code = escape(row.client_code)
        assigned = bool(row.worker_id)
        worker = ""
        if not one_worker:
            worker = (f'{worker_cell}{escape(row.worker_name) if row.worker_name else to_be_assigned}'
                      '</td>')
        placement = (f"{escape(row.placement_title)}, {escape(row.placement_employer)}"
                     if row.placement_title else "—")
        box = ""
        if handover:
            trajectory = escape(row.trajectory_id)
            checked = " checked" if row.trajectory_id in ticked else ""
            box = (f'{cells[7]}{trajectory}" id="select-{trajectory}" aria-label="'
                   f'{select_label % {"code": row.client_code}}"{checked}></td>')
        out.append(
            f'\n  <tr{"" if assigned else unassigned}'
            f'{cells[0]}{escape(row.client_id)}">{code}</a> {escape(row.client_name)}'
            f'{"" if assigned else badge}</td>\n    {worker}'
            f'{cells[1]}{phases.get(row.phase, "")}{cells[2]}{escape(row.days_since_entry)}'
            f'{cells[3]}{day(row.last_face_to_face_client_contact)}'
            f'{cells[4]}{day(row.first_employer_contact)}'
            f'{cells[5]}{day(row.last_employer_contact)}'
            f'{cells[6]}{placement}</td>\n    {box}\n  </tr>\n  ')
    return Markup("".join(out))
