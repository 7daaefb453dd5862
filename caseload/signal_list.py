"""The list of open signals (templates/signals/_list.html: the caseload and the client page),
written as one string with the markup the template's loop wrote.

Through Jinja each signal cost some fifteen expressions (attribute lookups, tests, escapes
of each output); a worker's caseload lists 50-60 signals. Here what is the same on many lines
(a norm's class, title and remedy, the client link's head, the labels) is written once per
list and each line is one string. Every value from the database (client codes, names, the
details with their facts) is escaped as Jinja's autoescape did; the translated labels are
written as the template's gettext (newstyle) wrote them: trusted, the variables escaped.
tests/test_signal_list.py checks the markup against the template's loop."""

from __future__ import annotations

from flask import url_for
from markupsafe import Markup, escape

from caseload.signal_texts import listed
from caseload.translating import catalogue


def signal_list(signals, show_subject: bool) -> Markup:
    """The open signals' section, or nothing for none. With `show_subject` each line names its
    client (linked) or else its worker; then `signals` are caseload.signals.SignalLine."""
    if not signals:
        return Markup("")
    translations = catalogue()
    week_label = Markup(translations.ugettext("week %(week)s"))
    client_url = str(escape(url_for("clients.show", client_id=0)[:-1])) if show_subject else ""
    per_norm: dict[str, tuple[str, str]] = {}  # norm -> the line's head and its tail
    out = [f'\n<section class="card signals" id="signals">\n  <h2>'
           f'{translations.ugettext("Open signals")} <small>({len(signals)})</small></h2>\n'
           '  <ul class="signal-list">\n  ']
    for s, title, details, remedy, week in listed(signals):
        parts = per_norm.get(s.norm)
        if parts is None:
            norm = escape(s.norm)
            parts = per_norm[s.norm] = (
                f'\n    <li class="signal norm-{norm}" data-norm="{norm}">\n'
                f'      <strong>{escape(title)}</strong>\n      ',
                f'</span>\n      <span class="remedy">{escape(remedy)}</span>\n    </li>\n  ')
        subject = ""
        if show_subject:
            if s.trajectory_id:
                subject = (f'\n         · <a href="{client_url}{escape(s.client_id)}">'
                           f'{escape(s.client_code)}</a>\n        \n      ')
            elif s.worker_id:
                subject = f'\n         · {escape(s.worker_name)}\n      '
            else:
                subject = "\n        \n      "
        link = ""
        if week:
            address = url_for("dailylog.week", worker_id=s.worker_id, week=week)
            link = (f'\n        · <a href="{escape(address)}">'
                    f'{week_label % {"week": week}}</a>\n      ')
        out.append(f'{parts[0]}{subject}\n      {link}\n      <span class="details">'
                   f'{escape(details)}{parts[1]}')
    out.append("\n  </ul>\n</section>\n")
    return Markup("".join(out))
