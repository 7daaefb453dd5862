"""Filling in the daily log from query arguments, so another page can open it with one contact
ready to save ("log it" on the week page, "done" on an appointment):

    /log?client=<id>&kind=client&mode=face_to_face&place=community&minutes=30&employer=<id|name>
        &date=YYYY-MM-DD&next=/week

Only the first line is filled in; an argument that is unknown, or a client the caller may not
see, is ignored (the line stays as it would be without it). `date` is read by the view, and
`next` (a page of this site to return to after saving, e.g. the week page, so the item just done
is seen to go) by the view through request_input.safe_next; the form posts to its own URL, so
both survive the POST."""

from __future__ import annotations

from caseload import clock
from caseload.extensions import db
from caseload.models import Employer, vocab
from caseload.request_input import parse_id


def prefill_from_query(form, args, clients) -> None:
    """Fill in the date and the first row from the query (the links of "log a contact" on the
    client and employer pages, "log it" on the week page, "done" on an appointment). `employer`
    is an employer's id or a name; the kind sets the defaults of mode and place
    (vocab.KIND_DEFAULTS) unless mode or place are given. Anything unknown, or a client the
    caller may not see (`clients`: the visible ones, a dailylog.choices.ClientChoices), is
    ignored, never an error."""
    try:
        day = clock.parse_date(args.get("date"))
        if day <= clock.today():
            form.contact_date.data = day
    except ValueError:
        pass
    row = form.rows[0].form
    kind = args.get("kind", "")
    client_id = parse_id(args.get("client"))
    choice = clients.by_id(client_id) if client_id is not None else None
    if choice is not None:
        row.client.data = choice.code
    employer = (args.get("employer") or "").strip()
    if employer.isascii() and employer.isdigit():  # "²".isdigit() too, which int() refuses
        employer_id = parse_id(employer)
        found = db.session.get(Employer, employer_id) if employer_id is not None else None
        if found is not None:
            row.employer.data = found.name
            kind = kind or "employer"
    elif employer and len(employer) <= 160:
        row.employer.data = employer
        kind = kind or "employer"
    if kind in vocab.CONTACT_KINDS:
        row.kind.data = kind
        row.mode.data, row.place.data = vocab.KIND_DEFAULTS[kind]
    if args.get("mode") in vocab.CONTACT_MODES:
        row.mode.data = args["mode"]
    if args.get("place") in vocab.PLACES:
        row.place.data = args["place"]
    minutes = args.get("minutes", "")
    if minutes.isascii() and minutes.isdigit() and 0 < int(minutes) <= 720:
        row.minutes.data = int(minutes)
