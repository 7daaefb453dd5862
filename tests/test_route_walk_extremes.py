"""Every URL rule of the app, with out-of-range, non-numeric and extreme values in its path
arguments, the common query arguments and the common form fields, as a logged-in worker,
coordinator and administrator: the answer is a refusal (400/403/404/405) or a normal page,
never a 500 (the suite propagates exceptions, so a crash fails the walk with its traceback)."""

from __future__ import annotations

import re
from datetime import timedelta

from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from caseload.extensions import db
from caseload.jobs.norm_jobs import daily_evaluation
from caseload.models import FidelityAssessment, OutboxMessage, Signal
from tests.conftest import TODAY, csrf_token, login

OVERFLOW = ["2147483648", "9223372036854775808", "99999999999999999999999"]
ID_VALUES = OVERFLOW + ["0", "1", "2147483647", "9223372036854775807", "-1", "abc", "1.5",
                        "1e9", "０１", "%00"]
WEEK_VALUES = ["2026-W11", "9999-W52", "0000-W01", "0001-W01", "10000-W01", "2026-W00",
               "2026-W54", "2026-W", "-W1", "x" * 300]
DATE_VALUES = ["2026-03-18", "0000-01-01", "0001-01-01", "1999-12-31", "9999-12-31",
               "10000-01-01", "2026-02-30", "2026-13-01", "18-03-2026", "２０２６-０３-１８"]
QUARTER_VALUES = ["2026-Q1", "0000-Q1", "0001-Q4", "9999-Q4", "10000-Q1", "2026-Q0", "2026-Q5"]
NUMBER_VALUES = ["sNaN", "NaN", "-NaN", "Infinity", "-inf", "1e999999", "-1", "0", "12,5",
                 "9" * 40]
NEXT_VALUES = ["https://evil.example/", "//evil.example/", "/\\evil.example", "/caseload"]
ANY_VALUE = st.sampled_from(ID_VALUES + WEEK_VALUES + DATE_VALUES + QUARTER_VALUES
                            + NUMBER_VALUES + NEXT_VALUES + ["", " ", "\x00", "<script>"])

QUERY_ARGS = {
    "team": ID_VALUES, "worker": ID_VALUES, "week": WEEK_VALUES, "quarter": QUARTER_VALUES,
    "start": DATE_VALUES, "end": DATE_VALUES, "date": DATE_VALUES, "from": DATE_VALUES,
    "to": DATE_VALUES, "next": NEXT_VALUES, "status": ["failed", "x"], "table": ["summary", "x"],
    "sort": ["client", "x"], "desc": ["1", "x"], "scope": ["team", "mine", "x"],
    "client": ID_VALUES, "user": ["a@example.org", "x"], "norm": ["caseload_size", "x"],
}
FORM_FIELDS = [
    "worker_id", "team_id", "client_id", "placement_id", "version", "hours_per_week",
    "hourly_wage", "fte", "note", "phase", "changed_on", "start_date", "end_date", "from_date",
    "to_date", "program_entry_date", "contact_date", "name", "email", "client_code", "next",
    "confirm", "team", "quarter", "start", "end", "rows-0-client", "rows-0-minutes",
    "score_1", "role", "from_worker", "trajectory_id", "back_worker", "q", "on",
    "handover-worker_id", "handover-on", "move-target", "reason",
]
ALWAYS = {"all": "1"}  # a switch that sends the handover down its "whole caseload" path
NORMAL = {200, 204, 302, 303, 409, 422}  # 204: the idle warning's keep-alive
REFUSED = {400, 403, 404, 405}
SKIPPED = {"auth.logout"}  # would end the walking session; tests/test_accounts.py covers it


def path_value(name: str, ids: dict):
    if name == "week":
        return st.sampled_from(WEEK_VALUES + [ids["week"]])
    if name == "filename":
        return st.sampled_from(["style.css", "../secret_key", "x" * 300])
    if name == "code":
        return st.sampled_from(["nl", "en", "xx", "%00"])
    real = [str(ids[name])] if name in ids else []
    return st.sampled_from(ID_VALUES + real)


def form_value(name: str, ids: dict):
    """Values of the field's kind most of the time (an id field gets ids), anything else too."""
    if name.endswith("id") or name.endswith("worker"):
        real = [str(value) for value in ids.values() if isinstance(value, int)]
        # mostly too large: a crash shows only when the rest of the request gets that far
        typed = st.one_of(st.sampled_from(OVERFLOW), st.sampled_from(OVERFLOW),
                          st.sampled_from(ID_VALUES + real))
    elif name in ("hours_per_week", "hourly_wage", "fte", "score_1"):
        typed = st.sampled_from(NUMBER_VALUES)
    elif name.endswith(("date", "_on")) or name in ("on", "start", "end", "handover-on"):
        typed = st.sampled_from(DATE_VALUES)
    else:
        typed = ANY_VALUE
    return st.one_of(typed, typed, typed, ANY_VALUE)


def fill(rule, values: dict) -> str:
    path = rule.rule
    for name, value in values.items():
        path = re.sub(r"<(?:[a-z]+:)?%s>" % re.escape(name), value.replace("\\", "\\\\"), path)
    return path


def world(app, build):
    team = build.team("Team Walk")
    worker = build.user(team, email="walk-worker@example.org")
    coordinator = build.user(team, role="coordinator", email="walk-coord@example.org")
    admin = build.user(team, role="admin", email="walk-admin@example.org")
    client = build.client(worker, entry=TODAY - timedelta(days=45), code="WALK-1")
    employer = build.employer("Werkgever Walk")
    build.contact(worker, on=TODAY - timedelta(days=2), kind="employer", employer=employer,
                  client=client)
    placement = build.placement(client, start=TODAY - timedelta(days=10), employer=employer)
    absence = build.absence(worker, start=TODAY - timedelta(days=3), end=TODAY - timedelta(days=2))
    assessment = FidelityAssessment(team=team, period_start=TODAY - timedelta(days=90),
                                    period_end=TODAY, created_by=coordinator)
    message = OutboxMessage(recipient=worker, recipient_email=worker.email, kind="worker_digest",
                            period_key="2026-03-18", language="nl", subject="s", body_text="b",
                            body_html="<p>b</p>")
    db.session.add_all([assessment, message])
    build.commit()
    daily_evaluation(TODAY)
    signal_id = db.session.scalar(select(Signal.id).limit(1))
    ids = {"client_id": client.id, "placement_id": placement.id, "signal_id": signal_id,
           "worker_id": worker.id, "user_id": worker.id, "employer_id": employer.id,
           "absence_id": absence.id, "assessment_id": assessment.id, "message_id": message.id,
           "week": "2026-W11"}
    browsers = {}
    for role, user in (("worker", worker), ("coordinator", coordinator), ("admin", admin)):
        browser = app.test_client()
        login(browser, user)
        browsers[role] = (browser, csrf_token(browser, "/settings"))
    return ids, browsers


def test_every_rule_with_extreme_values_answers_without_a_500(app, build):
    ids, browsers = world(app, build)
    rules = [rule for rule in app.url_map.iter_rules() if rule.endpoint not in SKIPPED]
    # Problems are gathered, not raised inside the walk: the requests change the data, so a
    # replay by hypothesis would not meet the same state; the list names every request.
    seen_endpoints, sent, walks, problems = set(), [], [], []
    roles = sorted(browsers)

    @settings(max_examples=6, deadline=None, database=None, derandomize=True,
              phases=[Phase.explicit, Phase.generate],
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                     HealthCheck.large_base_example])
    @given(data=st.data())
    def walk(data):
        walks.append(1)
        for i, rule in enumerate(rules):
            role = roles[(len(walks) + i) % len(roles)]  # in three walks, every rule meets all
            browser, token = browsers[role]
            values = {name: data.draw(path_value(name, ids), label=name)
                      for name in sorted(rule.arguments)}
            query = data.draw(st.dictionaries(
                st.sampled_from(sorted(QUERY_ARGS)), st.just(None), max_size=4), label="query")
            query = {name: data.draw(st.sampled_from(QUERY_ARGS[name]), label=name)
                     for name in query}
            method = data.draw(st.sampled_from(sorted(rule.methods - {"HEAD", "OPTIONS"})),
                               label="method")
            form = None
            if method == "POST":
                every = data.draw(st.sampled_from([True, True, False]), label="every field")
                names = FORM_FIELDS if every else \
                    data.draw(st.lists(st.sampled_from(FORM_FIELDS), max_size=8, unique=True),
                              label="fields")
                form = {name: data.draw(form_value(name, ids), label=name) for name in names}
                if data.draw(st.booleans(), label="all"):
                    form.update(ALWAYS)
                form["csrf_token"] = token
            path = fill(rule, values)
            try:
                response = browser.open(path, method=method, query_string=query, data=form)
            except Exception as crash:  # a 500: the suite propagates exceptions
                problems.append((role, method, path, query, form, repr(crash)))
                continue
            seen_endpoints.add(rule.endpoint)
            sent.append(path)
            if response.status_code not in NORMAL | REFUSED:
                problems.append((role, method, path, query, form, response.status_code))

    walk()
    assert problems == []
    assert seen_endpoints == {rule.endpoint for rule in rules}
    assert len(sent) >= 250  # every rule in each of the six walks
