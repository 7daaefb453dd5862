"""The due list, computed from the facts in Python with the norms' own settings: an item is
due from the moment its window opens until its last day; the day after, a norm turns it into a
signal (where one exists) and it is no longer "due". Nothing here queries the database.

Contact items follow the norms (README, "What it checks"); tasks follow items 12, 13, 14, 23.
"""

from __future__ import annotations

from datetime import date, timedelta

from caseload.due.facts import DueFacts, OpenTrajectory
from caseload.due.items import (
    DISCLOSURE_AGAIN_DAYS,
    HORIZON_DAYS,
    TASK_DAYS,
    TASK_LOOKBACK_DAYS,
    WEEK_BEFORE_START_DAYS,
    DueItem,
)
from caseload.norms.settings import NormSettings

BEFORE_WORK = ("intake", "engagement", "assessment", "job_finding")


def _days(n: int) -> timedelta:
    return timedelta(days=n)


def compute(facts: DueFacts, settings: NormSettings, horizon: int = HORIZON_DAYS,
            ) -> list[DueItem]:
    as_of = facts.as_of
    last_day = as_of + _days(horizon)
    items: list[DueItem] = []
    for t in facts.trajectories:
        def add(kind: str, due_on: date, t: OpenTrajectory = t) -> None:
            items.append(DueItem(kind, t.client_id, t.client_code, due_on, worker_id=t.worker_id))

        def contact(kind: str, since: date, face_to_face: bool, t: OpenTrajectory = t) -> bool:
            return facts.contact_since(t.client_id, kind, since, face_to_face=face_to_face)

        # Item 15: the countdown to day 30 without a face-to-face employer contact.
        deadline = t.entry + _days(settings.rapid_job_search_days)
        if as_of <= deadline <= last_day and not contact("employer", t.entry, True):
            add("rapid_job_search", deadline)

        # Quality criterion 4: the treatment team every 14 days (from entry, or the last one).
        last_tt, _f2f = facts.last_contact.get((t.client_id, "treatment_team"), (None, None))
        since = max(last_tt, t.entry) if last_tt else t.entry
        tt_due = since + _days(settings.treatment_team_days)
        if as_of <= tt_due <= last_day:
            add("treatment_team", tt_due)

        # Item 13: disclosure before the first employer contact, once job finding is near.
        placements = facts.placements.get(t.id, [])
        employer_contacted = t.employer_contacted or bool(placements)
        discussed = facts.last_disclosure.get(t.client_id)
        if not employer_contacted and not (discussed and discussed >= t.entry) \
                and t.phase in BEFORE_WORK and (t.phase == "job_finding" or deadline <= last_day):
            add("disclosure_first", max(deadline, as_of))

        started = [p for p in placements if p.start <= as_of]
        if t.phase == "job_finding" and not [p for p in started if p.end is None]:
            # Item 13: discussed again after two months of job finding without work.
            moment = t.phase_since + _days(DISCLOSURE_AGAIN_DAYS)
            if moment <= as_of <= moment + _days(TASK_LOOKBACK_DAYS) and not (
                    discussed and discussed >= moment):
                add("disclosure_again", moment + _days(TASK_DAYS))

        for p in placements:
            _placement_items(facts, settings, t, p, add, contact, as_of, last_day)
    items.sort(key=lambda item: (item.due_on, item.client_code, item.kind))
    return items


def _placement_items(facts, settings, t, p, add, contact, as_of, last_day) -> None:
    s = p.start
    if s > as_of:  # a start recorded ahead
        before = s - _days(WEEK_BEFORE_START_DAYS)
        if before <= as_of and not contact("client", before, True):
            add("before_start", s - _days(1))
        plan = facts.last_plan.get(t.client_id)
        if p.paid and not (plan and plan >= t.entry):
            add("benefits_plan", s)
        return
    if p.paid and s == as_of and not ((plan := facts.last_plan.get(t.client_id)) and plan >= t.entry):
        add("benefits_plan", s)  # a plan dated on the start day still counts (item 12)

    current = p.end is None or p.end >= as_of
    n = settings.follow_along_start_days
    if current and as_of <= s + _days(n) and not contact("client", s, True):
        add("follow_along_start", s + _days(n))
    if current:
        weeks = settings.follow_along_first_month_weeks
        k = (as_of - s).days // 7
        if k < weeks:
            start = s + _days(7 * k)
            # Week 0 begins with the 3-day contact, which is its own item until day n.
            if not (k == 0 and as_of <= s + _days(n)) and not contact("client", start, True):
                add("follow_along_week", start + _days(6))
        else:
            length = settings.follow_along_month_days
            first = s + _days(7 * weeks)
            start = first + _days(((as_of - first).days // length) * length)
            end = start + _days(length - 1)
            if end <= last_day and not contact("client", start, True):
                add("follow_along_month", end)

    if p.end is not None and p.end <= as_of <= p.end + _days(settings.job_loss_days) \
            and not contact("client", p.end, False):
        add("job_loss", p.end + _days(settings.job_loss_days))

    # Item 14: the profile is updated after each start and each ending.
    for moment in (s, p.end):
        if moment is None or not moment <= as_of <= moment + _days(TASK_LOOKBACK_DAYS):
            continue
        updated = facts.profile_updated.get(t.client_id)
        if not (updated and updated >= moment):
            add("profile_update", moment + _days(TASK_DAYS))
            break
