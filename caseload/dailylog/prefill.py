"""Filling in the daily log from query arguments, so another page can open it with one contact
ready to save ("log it" on the week page, "done" on an appointment):

    /log?client=<id>&kind=client&mode=face_to_face&place=community&minutes=30&employer=<name>
        &date=YYYY-MM-DD&next=/week

Only the first line is filled in; an argument that is unknown, or a client the caller may not
see, is ignored (the line stays as it would be without it). `date` is read by the view, and
`next` (a page of this site to return to after saving, e.g. the week page, so the item just done
is seen to go) by the view through request_input.safe_next; the form posts to its own URL, so
both survive the POST."""

from __future__ import annotations

from caseload.models.vocab import CONTACT_KINDS, CONTACT_MODES, PLACES


def prefill_first_row(form, args, visible_client_ids) -> None:
    row = form.rows[0].form
    client = args.get("client", "")
    if client.isdigit() and int(client) in visible_client_ids:
        row.client_id.data = int(client)
    for name, vocabulary in (("kind", CONTACT_KINDS), ("mode", CONTACT_MODES),
                             ("place", PLACES)):
        if args.get(name) in vocabulary:
            getattr(row, name).data = args[name]
    employer = args.get("employer", "").strip()
    if employer and len(employer) <= 160:
        row.employer.data = employer
    minutes = args.get("minutes", "")
    if minutes.isdigit() and 0 < int(minutes) <= 720:
        row.minutes.data = int(minutes)

