"""Computed items about the workers' caseload and way of working: 1 (caseload size),
3 (vocational generalists), 15 (rapid job search), 17 (employer contacts per week) and
24 (community-based services). Anchors: Appendix 5 of seed 002 (caseload/fidelity/scale.py)."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from caseload.fidelity.data import FidelityData
from caseload.fidelity.result import Fact, ItemResult, at_least, at_most, pct, rounded
from caseload.models.vocab import PHASES
from caseload.translating import lazy_gettext as _l

# Item 17's anchors: 6 contacts a week per (full-time) worker; 2 × job seekers when fewer than
# 3 clients seek work. Fixed by the scale, not by the admin's norm settings.
CONTACTS_PER_WEEK = 6
SEEKER_THRESHOLD, CONTACTS_PER_SEEKER = 3, 2
WORKING_DAYS = 5


def _caseload_by_day(d: FidelityData, worker_id: int | None = None) -> list[int]:
    """Open trajectories on each day of the period (of one worker, or the team)."""
    counts = [0] * d.days
    for t in d.trajectories:
        if worker_id is not None and t.worker_id != worker_id:
            continue
        first, last = max(t.entry, d.start), t.last_day(d.end)
        for offset in range((first - d.start).days, (last - d.start).days + 1):
            if 0 <= offset < d.days:
                counts[offset] += 1
    return counts


def item_1_caseload_size(d: FidelityData) -> ItemResult:
    """Clients per FTE. The scale says a full-time worker supports at most 25 clients, so the
    score is taken from the highest caseload of the period (the team's open trajectories on its
    busiest day, divided by the team's worker FTE), not from the mean day; the mean and the
    end-of-period figures are shown beside it. 81+ → 1, 61–80 → 2, 41–60 → 3, 26–40 → 4,
    25 or fewer → 5."""
    team_days = _caseload_by_day(d)
    fte = sum((w.fte for w in d.workers), Decimal(0))
    mean_caseload = rounded(sum(team_days) / d.days)
    highest = max(team_days, default=0)
    at_end = team_days[-1] if team_days else 0
    facts = [Fact("days", _l("Days in the period"), d.days),
             Fact("mean_caseload", _l("Mean clients on the caseload per day"), mean_caseload),
             Fact("highest_caseload", _l("Highest number of clients on one day"), highest),
             Fact("end_caseload", _l("Clients on the last day of the period"), at_end),
             Fact("fte", _l("Worker FTE in the team"), float(fte))]
    table = []
    for w in d.workers:
        days = _caseload_by_day(d, w.id)
        mean, most = sum(days) / d.days, max(days, default=0)
        table.append([w.name, float(w.fte), rounded(mean), most,
                      rounded(most / float(w.fte)) if w.fte else None])
    header = [_l("Worker"), _l("FTE"), _l("Mean caseload"), _l("Highest caseload"),
              _l("Highest clients per FTE")]
    if not fte:
        return ItemResult(1, None, facts, _l("No worker FTE in the team."), header, table)
    per_fte = rounded(highest / float(fte))
    facts.append(Fact("mean_clients_per_fte", _l("Mean clients per FTE"),
                      rounded(sum(team_days) / d.days / float(fte))))
    facts.append(Fact("clients_per_fte", _l("Highest clients per FTE"), per_fte))
    score = at_most(per_fte, [(25, 5), (40, 4), (60, 3), (80, 2)], 1)
    return ItemResult(1, score, facts, _l(
        "Scored on the busiest day of the period: 25 or fewer clients per FTE scores 5; 26–40 "
        "scores 4; 41–60 scores 3; 61–80 scores 2; 81 or more scores 1."), header, table)


def phases_in_period(d: FidelityData, trajectory_id: int) -> set[str]:
    """The phases a trajectory was in at some day of the period."""
    changes = d.phases.get(trajectory_id, [])
    before = [phase for day, phase in changes if day <= d.start]
    phases = {phase for day, phase in changes if d.start <= day <= d.end}
    if before:
        phases.add(before[-1])
    return phases


def item_3_vocational_generalists(d: FidelityData) -> ItemResult:
    """Each worker carries their own clients through every phase. Per worker: the phases their
    trajectories were in during the period; six → 5, five → 4, one to four → 3. The data cannot
    show referral to other programmes (scores 1 and 2). Team: the lowest worker score."""
    phases_of: dict[int, set[str]] = defaultdict(set)
    for t in d.trajectories:
        phases_of[t.worker_id] |= phases_in_period(d, t.id)
    table, scores = [], []
    for worker in d.workers:
        phases = phases_of.get(worker.id)
        if not phases:
            continue
        score = 5 if len(phases) == 6 else 4 if len(phases) == 5 else 3
        scores.append(score)
        table.append([worker.name, len(phases),
                      ", ".join(str(PHASES[p]) for p in PHASES if p not in phases) or "—", score])
    header = [_l("Worker"), _l("Phases carried out"), _l("Phases not seen"), _l("Score")]
    facts = [Fact("workers", _l("Workers with clients in the period"), len(scores)),
             Fact("lowest_worker_score", _l("Lowest worker score"), min(scores, default=None))]
    if not scores:
        return ItemResult(3, None, facts, _l("No worker had clients in the period."), header, table)
    # "Iedere IPS-trajectbegeleider voert alle fasen ... uit": the team scores what every one
    # of its workers reaches, so its lowest worker score.
    return ItemResult(3, min(scores), facts, _l(
        "Per worker: all six phases scores 5, five phases 4, one to four phases 3. The scale asks "
        "it of every worker, so the team scores its lowest worker score. Referral to other "
        "programmes (scores 1–2) is not in the data."), header, table)


def item_15_rapid_job_search(d: FidelityData) -> ItemResult:
    """Mean days from program entry to the first face-to-face employer contact, for trajectories
    whose first contact fell in the period, plus those still without one after more than 30 days
    (counted with their days so far, a lower bound). ≤30 → 5, 31–60 → 4, 61–150 → 3,
    151–270 → 2, 271+ → 1."""
    reached, waiting = [], []
    for t in d.trajectories:
        first = d.first_f2f_employer.get(t.id)
        if first is not None and d.start <= first <= d.end:
            reached.append((first - t.entry).days)
        elif first is None and (t.last_day(d.end) - t.entry).days > 30:
            waiting.append((t.last_day(d.end) - t.entry).days)
    days = reached + waiting
    mean = rounded(sum(days) / len(days)) if days else None
    facts = [Fact("first_contacts", _l("First face-to-face employer contacts in the period"),
                  len(reached)),
             Fact("still_waiting", _l("Trajectories past day 30 without one (days so far)"),
                  len(waiting)),
             Fact("mean_days", _l("Mean days from program entry"), mean)]
    if mean is None:
        return ItemResult(15, None, facts, _l("No first employer contacts in the period."))
    score = at_most(mean, [(30, 5), (60, 4), (150, 3), (270, 2)], 1)
    return ItemResult(15, score, facts, _l(
        "Mean within 30 days scores 5; 31–60 days 4; 61–150 days 3; 151–270 days 2; 271 days "
        "or more 1."))


def item_17_employer_contacts(d: FidelityData) -> ItemResult:
    """Face-to-face employer contacts per week per FTE, per worker and then the team's mean,
    scored by the nearest anchor (6 → 5, 5 → 4, 4 → 3, 2 → 2, fewer than 2 → 1), and capped by
    how often the coordinator reviewed the weekly checklist (weekly: no cap; monthly: 3; never: 2).
    Weeks of absence count pro rata; in a week where fewer than 3 of the worker's clients seek
    work, 2 × job seekers counts as the full 6."""
    table, values = [], []
    for worker in d.workers:
        contacts, expected, weeks = 0, Decimal(0), 0
        for monday in d.weeks:
            present = WORKING_DAYS - min(d.absent_days.get((worker.id, monday), 0), WORKING_DAYS)
            seekers = d.job_seekers.get((worker.id, monday), 0)
            base = (Decimal(CONTACTS_PER_SEEKER * seekers) if seekers < SEEKER_THRESHOLD
                    else CONTACTS_PER_WEEK * worker.fte)
            if present == 0 or base == 0:
                continue
            weeks += 1
            expected += base * present / WORKING_DAYS
            contacts += d.employer_contacts.get((worker.id, monday), 0)
        if not weeks:
            continue
        value = rounded(CONTACTS_PER_WEEK * contacts / expected)
        values.append(value)
        table.append([worker.name, float(worker.fte), weeks, contacts, rounded(expected), value])
    header = [_l("Worker"), _l("FTE"), _l("Weeks counted"), _l("Contacts"), _l("Norm (sum)"),
              _l("Contacts per week per FTE")]
    reviewed = sum(1 for monday in d.weeks if monday in d.reviewed_weeks)
    months: dict[tuple[int, int], bool] = {}
    for monday in d.weeks:
        key = (monday.year, monday.month)
        months[key] = months.get(key, False) or monday in d.reviewed_weeks
    weekly = bool(d.weeks) and reviewed == len(d.weeks)
    monthly = bool(months) and all(months.values())
    mean = rounded(sum(values) / len(values)) if values else None
    facts = [Fact("weeks", _l("Complete weeks in the period"), len(d.weeks)),
             Fact("contacts_per_week_per_fte", _l("Mean contacts per week per FTE"), mean),
             Fact("reviewed_weeks", _l("Weeks with the checklist reviewed"), reviewed)]
    if mean is None:
        return ItemResult(17, None, facts, _l("No complete week with a contact norm in the "
                                              "period."), header, table)
    by_count = at_least(mean, [(5.5, 5), (4.5, 4), (3, 3), (2, 2)], 1)
    cap = 5 if weekly else 3 if monthly else 2
    facts.append(Fact("score_by_contacts", _l("Score by contacts alone"), by_count))
    facts.append(Fact("checklist_cap", _l("Highest score the checklist reviews allow"), cap))
    return ItemResult(17, min(by_count, cap), facts, _l(
        "Nearest anchor: 5.5 or more scores 5, 4.5–5.4 scores 4, 3–4.4 scores 3, 2–2.9 scores 2, "
        "fewer than 2 scores 1. Scores 4–5 need the checklist reviewed every week, score 3 every "
        "month."), header, table)


def item_24_community(d: FidelityData) -> ItemResult:
    """Share of each worker's logged contact minutes spent in the community (not at the office),
    averaged over the workers: ≥65% → 5, 50–64% → 4, 40–49% → 3, 30–39% → 2, 30% or less → 1."""
    table, shares = [], []
    for worker in d.workers:
        minutes = d.minutes.get(worker.id, {})
        total = sum(minutes.values())
        if not total:
            continue
        share = pct(minutes.get("community", 0), total)
        shares.append(share)
        table.append([worker.name, minutes.get("community", 0), total, share])
    header = [_l("Worker"), _l("Minutes in the community"), _l("Minutes logged"),
              _l("Community %")]
    mean = rounded(sum(shares) / len(shares)) if shares else None
    facts = [Fact("community_share", _l("Mean share of minutes in the community (%)"), mean)]
    if mean is None:
        return ItemResult(24, None, facts, _l("No contact minutes logged in the period."),
                          header, table)
    score = 5 if mean >= 65 else 4 if mean >= 50 else 3 if mean >= 40 else 2 if mean > 30 else 1
    return ItemResult(24, score, facts, _l(
        "65% or more scores 5; 50–64% 4; 40–49% 3; 30–39% 2; 30% or less 1. Minutes are the "
        "logged contact minutes: travel and office time outside contacts are not logged."),
        header, table)

