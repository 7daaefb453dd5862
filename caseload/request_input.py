"""What a request may carry: ids within the database's integer range, and `next` addresses on
this site only. Out-of-range or malformed input answers 400 or 404, never a 500 from the
database (SQLite and PostgreSQL refuse integers beyond 64 and 32 bits)."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from flask import abort, request, url_for
from werkzeug.routing import IntegerConverter

# The primary keys are INTEGER columns: 32 bits on PostgreSQL, the smaller of the two.
MAX_ID = 2**31 - 1
_DIGITS = re.compile(r"[0-9]{1,10}")


class BoundedIntConverter(IntegerConverter):
    """Flask's `int` converter with an upper bound: /clients/99999999999999999999 is no such
    page (404), not an overflow in the database."""

    def __init__(self, map, fixed_digits=0, min=0, max=MAX_ID, signed=False):
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)


def init_app(app) -> None:
    app.url_map.converters["int"] = BoundedIntConverter


def parse_id(value) -> int | None:
    """An id typed or sent by a client: a positive integer within MAX_ID, else None."""
    text = str(value).strip() if value is not None else ""
    if not _DIGITS.fullmatch(text):
        return None
    number = int(text)
    return number if 1 <= number <= MAX_ID else None


def id_arg(name: str, source=None) -> int | None:
    """An optional id from the query string (or `source`, e.g. request.form): None when absent
    or empty, 400 when it is no number, 404 when it cannot be an id."""
    values = request.args if source is None else source
    text = (values.get(name) or "").strip()
    if not text:
        return None
    if not text.isdigit() or not text.isascii():
        abort(400)
    number = parse_id(text)
    if number is None:
        abort(404)
    return number


def required_id(value) -> int:
    """An id that a form must carry (a hidden field): 400 when missing or malformed."""
    number = parse_id(value)
    if number is None:
        abort(400)
    return number


def safe_next(target: str | None, fallback: str | None = None) -> str:
    """The `next` address when it stays on this site (a path, or a full URL of this very
    origin), else the fallback (default: the caseload). One check for every redirect that
    follows a `next` given by the browser."""
    default = fallback or url_for("clients.caseload")
    if not target or not isinstance(target, str) or len(target) > 2000:
        return default
    if any(ord(char) < 32 or char in "\\\x7f" for char in target):
        return default  # browsers read "\" as "/" and drop tabs and newlines: "/\evil.org"
    try:
        parts = urlsplit(target)
    except ValueError:
        return default
    if parts.scheme or parts.netloc:
        if (parts.scheme, parts.netloc) != (request.scheme, request.host):
            return default
    elif not target.startswith("/") or target.startswith("//"):
        return default
    path = parts.path or "/"
    if path.startswith("//"):
        return default
    return path + (f"?{parts.query}" if parts.query else "")


def _answers_get(address: str) -> bool:
    """True when this site answers a GET at `address` (a path, with or without a query)."""
    from flask import current_app
    adapter = current_app.url_map.bind_to_environ(request.environ)
    return adapter.test(urlsplit(address).path, method="GET")


def page_to_return_to(page_address: str | None = None) -> str:
    """The address of the page shown, for a form that comes back to it (the layout's language
    switch). A GET's own. After a refused POST, whose page is shown again at an address that
    may answer POST only (a 405 to come back to): the page's address the view gave, else the
    request's own where it answers a GET too (a form sent to its own page), else the page the
    form was sent from (the referrer, on this site, answering a GET), else the home page."""
    if request.method in ("GET", "HEAD"):
        return request.full_path
    if page_address:
        return page_address
    if _answers_get(request.path):
        return request.full_path
    home = url_for("clients.index")
    referrer = safe_next(request.referrer, fallback=home)
    return referrer if _answers_get(referrer) else home
