"""CSV downloads of the logs: tokens, not labels; no cell that a spreadsheet would run as a
formula (caseload.exports); never cached; streamed in pages, so five years of log need neither
the memory nor a long-held read lock."""

from __future__ import annotations

import csv
import io

from flask import Response, stream_with_context

from caseload.exports import safe_row
from caseload.extensions import db

PAGE = 5000
FLUSH_BYTES = 64 * 1024


def newest_first(query, model):
    """The query's rows (ordered by id, newest first) in pages of PAGE: a short statement per
    page, keyed on the id, instead of one cursor held open for the whole download."""
    last_id = None
    while True:
        page = query if last_id is None else query.where(model.id < last_id)
        rows = list(db.session.scalars(page.limit(PAGE)))
        if not rows:
            return
        yield from rows
        last_id = rows[-1].id
        db.session.rollback()  # end the read transaction between pages


def csv_response(filename: str, header: list[str], rows) -> Response:
    def generate():
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(header)
        for row in rows:
            writer.writerow(safe_row(row))
            if out.tell() > FLUSH_BYTES:
                yield out.getvalue()
                out.seek(0)
                out.truncate()
        yield out.getvalue()

    return Response(stream_with_context(generate()), mimetype="text/csv", headers={
        "Content-Disposition": f"attachment; filename={filename}", "Cache-Control": "no-store"})
