"""Pages of long lists (signals, employers): two statements per page, a count and one page of
rows, whatever the length of the list.

`?page=` is read forgivingly: a missing, empty or non-number value is the first page, a number
past the end is the last page (a list shrinks while someone pages through it: an acknowledged
signal, a narrower search), so a page link never ends in an error. The page's links keep the
other query-string arguments (the filters)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from flask import Flask, request, url_for
from sqlalchemy import Integer, bindparam, func, select

PER_PAGE = 50


@dataclass
class Page:
    items: list
    number: int
    pages: int
    total: int
    per_page: int
    # The list's own address (endpoint, its query arguments) when the page is shown in answer
    # to another request: a form posted from the list and refused shows the list again, and
    # its page links go to the list, not to the form's address.
    listed_at: tuple | None = None

    @property
    def first_row(self) -> int:
        """1-based position of the page's first row (0 on an empty list)."""
        return (self.number - 1) * self.per_page + 1 if self.total else 0

    @property
    def last_row(self) -> int:
        return (self.number - 1) * self.per_page + len(self.items)


def requested_page(args=None, name: str = "page") -> int:
    """The page number asked for: 1 unless the argument is a positive number (ASCII digits)."""
    text = ((request.args if args is None else args).get(name) or "").strip()
    if not (text.isascii() and text.isdigit()):
        return 1
    # A very long number is past any end (and int() refuses more than 4,300 digits).
    return max(int(text), 1) if len(text) <= 9 else 10 ** 9


def paginate(session, query, per_page: int = PER_PAGE, args=None, *, params=None,
             rows: bool = False, paged=None) -> Page:
    """One page of a select (which must be ordered, with a unique tie-breaker last), its number
    clamped to the pages there are, and the total count. `params`: the values of its bind
    parameters (a statement built once: its count and its page are then built once too, the
    page's size and start bound); `rows`: the items as rows of the selected columns instead of
    the first column's values (ORM objects for a select of an entity); `paged`: with `params`,
    the page's statement built once instead (the query's rows in its order, LIMIT :page_limit
    OFFSET :page_offset, with more columns: what a row shows of its subject).
    With `params` the count, and the rows with `rows`, are read on the session's connection as
    Core rows: the ORM's execution of a select of columns (its context, its loading of each
    row) cost about what SQLite's own work on the review's statements did. That reads what is
    stored: nothing pending is flushed first (the review has nothing pending when it lists)."""
    if params is None:
        total = session.scalar(
            select(func.count()).select_from(query.order_by(None).subquery())) or 0
    else:
        total = session.connection().scalar(_count(query), params) or 0
    pages = max(1, -(-total // per_page))
    number = min(requested_page(args), pages)
    if params is None:
        statement = query.limit(per_page).offset((number - 1) * per_page)
    else:
        statement = paged if paged is not None else _page(query)
        params = {**params, "page_limit": per_page, "page_offset": (number - 1) * per_page}
    if rows and params is not None:
        items = session.connection().execute(statement, params).all()
    elif rows:
        items = session.execute(statement, params).all()
    else:
        items = list(session.scalars(statement, params))
    return Page(items=items, number=number, pages=pages, total=total, per_page=per_page)


@lru_cache(maxsize=16)
def _count(query):
    """The count of a statement built once, built once (building a statement and its cache key
    on every view cost more than SQLite took to count)."""
    return select(func.count()).select_from(query.order_by(None).subquery())


@lru_cache(maxsize=16)
def _page(query):
    """A page of a statement built once, built once: its size and start bound."""
    return limited(query)


def limited(query):
    """The query with LIMIT :page_limit OFFSET :page_offset (paginate binds them)."""
    return query.limit(bindparam("page_limit", type_=Integer)).offset(
        bindparam("page_offset", type_=Integer))


def page_url(number: int, anchor: str | None = None, page: Page | None = None) -> str:
    """This page's address with ?page=number, every other argument (the filters) kept. Names
    that url_for reads itself (endpoint, _external, _scheme, ...) or that the route already has
    are not query arguments of ours: they are dropped, so a crafted address cannot change the
    links.
    A `page` listed at another address than this request's links there (Page.listed_at)."""
    if page is not None and page.listed_at is not None:
        endpoint, query = page.listed_at
        view_args = {}
    else:
        endpoint, query, view_args = request.endpoint, request.args, request.view_args or {}
    args = filter_args(query, view_args)
    return url_for(endpoint, **view_args, **args, page=number, _anchor=anchor)


def filter_args(query=None, view_args=()) -> dict[str, list[str]]:
    """The query's arguments (this request's by default) that are filters of ours, to write
    into another address with url_for: not the page number, not the names url_for reads
    itself ("endpoint", its first argument; _external, _scheme, _anchor: a crafted address
    would make a link to javascript:...), not those the route already has."""
    query = request.args if query is None else query
    return {key: query.getlist(key) for key in query
            if key not in ("page", "endpoint") and not key.startswith("_")
            and key not in view_args}


def init_app(app: Flask) -> None:
    app.add_template_global(page_url, "page_url")
    app.add_template_global(filter_args, "filter_args")
