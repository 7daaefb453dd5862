"""Computed parts of the organisation items: 4 (integration with treatment teams, from where
clients are referred) and 6 (client-related contact with external experts such as the UWV),
and item 18 (employer relationships built by repeated face-to-face visits). Each reads only what
the data can show, and says what it cannot. Anchors: Appendix 5 of seed 002."""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date, timedelta

from caseload.fidelity.data import FidelityData
from caseload.fidelity.result import Fact, ItemResult, at_least, pct, round_half_up, rounded
from caseload.translating import lazy_gettext as _l


def item_4_treatment_team_integration(d: FidelityData) -> ItemResult:
    """The share of each worker's caseload referred by their two largest referral sources (the
    client's "referred by"): "IPS-trajectbegeleiders maken deel uit van maximaal 2 ggz-teams.
    Minimaal 90% van de caseload ... is afkomstig vanuit deze ggz-teams." 90–100% → 5,
    75–89% → 4, 50–74% → 3, less → 2. Score 1 (a programme apart from treatment) is an
    organisational fact, not in the data. Team: the share over all workers' caseloads. A client
    without a referrer counts as not from those teams."""
    by_worker: dict[int, Counter] = defaultdict(Counter)
    for t in d.trajectories:
        by_worker[t.worker_id][d.referral_sources.get(t.id, "")] += 1
    table, from_top_two, total = [], 0, 0
    for worker in d.workers:
        sources = by_worker.get(worker.id)
        if not sources:
            continue
        known = Counter({s: n for s, n in sources.items() if s})
        top = known.most_common(2)
        count = sum(n for _s, n in top)
        caseload = sum(sources.values())
        from_top_two += count
        total += caseload
        table.append([worker.name, caseload, ", ".join(s for s, _n in top) or "—",
                      pct(count, caseload), sources.get("", 0)])
    header = [_l("Worker"), _l("Clients"), _l("Two largest referrers"),
              _l("From those two (%)"), _l("Without a referrer")]
    share = pct(from_top_two, total)
    facts = [Fact("clients", _l("Clients on the workers' caseloads"), total),
             Fact("share_top_two", _l("Referred by each worker's two largest referrers (%)"),
                  share)]
    if not total:
        return ItemResult(4, None, facts, _l("No clients on the caseload in the period."),
                          header, table)
    score = at_least(share, [(90, 5), (75, 4), (50, 3)], 2)
    return ItemResult(4, score, facts, _l(
        "90 percent or more of the caseload from each worker's two largest referrers scores 5, "
        "75–89 percent 4, 50–74 percent 3, less 2. Whether the worker is part of those treatment "
        "teams, and score 1, are not in the data: check by hand."), header, table)


def _periods_covered(days: list[date], start: date, end: date, key) -> tuple[int, int]:
    """How many of the (whole or part) periods of start..end, as `key` groups days, hold one
    of `days`; and how many periods there are."""
    periods, day = set(), start
    while day <= end:
        periods.add(key(day))
        day += timedelta(days=1)
    return len({key(x) for x in days} & periods), len(periods)


def item_6_external_experts(d: FidelityData) -> ItemResult:
    """Client-related contacts with the benefits agency, UWV or municipality (the external
    experts the data can show), by how regular they are: weekly contact and a face-to-face one
    every month → 5; weekly contact (or a face-to-face one every quarter) → 4; every month → 3;
    every quarter → 2; less → 1. Scheduled meetings apart from client contacts are not logged."""
    days = [day for day, _f2f in d.agency_contacts]
    in_person = [day for day, f2f in d.agency_contacts if f2f]

    def week(day):
        return day - timedelta(days=day.weekday())

    def month(day):
        return (day.year, day.month)

    def quarter(day):
        return (day.year, (day.month - 1) // 3)

    weeks, n_weeks = _periods_covered(days, d.start, d.end, week)
    months, n_months = _periods_covered(days, d.start, d.end, month)
    quarters, n_quarters = _periods_covered(days, d.start, d.end, quarter)
    f2f_months, _ = _periods_covered(in_person, d.start, d.end, month)
    f2f_quarters, _ = _periods_covered(in_person, d.start, d.end, quarter)
    facts = [Fact("contacts", _l("Client-related contacts with the benefits agency"), len(days)),
             Fact("weeks", _l("Weeks with such a contact"), f"{weeks} / {n_weeks}"),
             Fact("months", _l("Months with such a contact"), f"{months} / {n_months}"),
             Fact("f2f_months", _l("Months with a face-to-face one"), f"{f2f_months} / {n_months}"),
             Fact("quarters", _l("Quarters with such a contact"), f"{quarters} / {n_quarters}")]
    if not d.trajectories:
        return ItemResult(6, None, facts, _l("No clients on the caseload in the period."))
    weekly = weeks == n_weeks
    if weekly and f2f_months == n_months:
        score = 5
    elif weekly or f2f_quarters == n_quarters:
        score = 4
    elif months == n_months:
        score = 3
    elif quarters == n_quarters:
        score = 2
    else:
        score = 1
    return ItemResult(6, score, facts, _l(
        "Weekly client-related contact and a face-to-face one every month scores 5; weekly "
        "contact, or a face-to-face one every quarter, 4; every month 3; every quarter 2; less 1. "
        "Counted: contacts of kind benefits agency / UWV / municipality about a client."))


def item_18_employer_relationships(d: FidelityData) -> ItemResult:
    """Relationships built through repeated face-to-face visits. Per worker: no employer
    contact in the period → 1 (rarely in contact); contacts, but fewer than half of them face
    to face → 2; face-to-face contacts, but fewer than half of the employers visited in person
    were visited more than once → 4; at least half visited more than once → 5. Anchor 3 (an
    introduction upon a vacancy) cannot be told apart in the data. Team: the mean of the
    workers, to the nearest anchor, as the scale asks."""
    table, scores = [], []
    for worker in d.workers:
        visits = d.employer_visits.get(worker.id, [])
        in_person = Counter(employer for employer, f2f in visits if f2f)
        repeated = sum(1 for n in in_person.values() if n > 1)
        f2f_share = pct(sum(in_person.values()), len(visits))
        repeat_share = pct(repeated, len(in_person))
        if not visits:
            score = 1
        elif f2f_share < 50:
            score = 2
        elif repeat_share < 50:
            score = 4
        else:
            score = 5
        scores.append(score)
        table.append([worker.name, len(visits), f2f_share, len(in_person), repeated, score])
    header = [_l("Worker"), _l("Employer contacts"), _l("Face to face (%)"),
              _l("Employers visited"), _l("Visited more than once"), _l("Score")]
    mean = rounded(sum(scores) / len(scores)) if scores else None
    facts = [Fact("mean_worker_score", _l("Mean worker score"), mean)]
    if mean is None or not d.trajectories:
        return ItemResult(18, None, facts, _l("No clients on the caseload in the period."),
                          header, table)
    return ItemResult(18, round_half_up(mean), facts, _l(
        "Per worker: at least half of the employers visited in person visited more than once "
        "scores 5; face-to-face visits without repeats 4; contacts mostly not in person 2; no "
        "employer contact 1. The team scores the mean, to the nearest anchor. What was "
        "discussed is not recorded."), header, table)
