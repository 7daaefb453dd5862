"""Computed items about what the worker does with each client before work: 12 (benefits
planning), 13 (disclosure) and 14 (vocational profile). Their anchors are descriptions of a
practice, not numbers; the data show whether the practice held for (nearly) every client
(PRACTICE_SHARE, caseload/fidelity/result.py). Anchors: Appendix 5 of seed 002."""

from __future__ import annotations

from datetime import timedelta

from caseload.fidelity.data import FidelityData
from caseload.fidelity.result import PRACTICE_SHARE, Fact, ItemResult, holds, pct
from caseload.outcomes.queries import PAID_TYPES
from caseload.translating import lazy_gettext as _l

# Item 13's fourth element: disclosure is discussed again, e.g. when a client has not found
# work after two months.
TWO_MONTHS_DAYS = 60
PHASES_AFTER_ASSESSMENT = ("job_finding", "coaching", "follow_along")


def item_12_benefits_planning(d: FidelityData) -> ItemResult:
    """Appendix 5, item 12, anchor by anchor:
    1 — support with an income plan is not readily available to most clients (no plan logged);
    2 — clients are given contact information for benefits advice (some plans logged, fewer than
        the clients on the caseload: what the data can show of it);
    3 — the worker discusses changes in benefits with every client (a plan logged for at least
        90% of the clients on the caseload, whenever in the trajectory: no timing);
    4 — before a new job starts, the client is offered a plan (at least 90% of the paid job
        starts of the period have one on or before the start);
    5 — as 4, made by a trained benefits specialist (at least 90% of the job starts). The later
        help with changes in hours and wage and with reporting income is not logged."""
    starts = [p for p in d.placements
              if p.placement_type in PAID_TYPES and d.start <= p.start <= d.end]
    with_plan = with_specialist = 0
    for placement in starts:
        entry = d.trajectory(placement.trajectory_id).entry
        plans = [specialist for day, specialist in d.plans.get(placement.client_id, [])
                 if entry <= day <= placement.start]
        with_plan += bool(plans)
        with_specialist += any(plans)
    discussed = sum(1 for t in d.trajectories
                    if any(t.entry <= day <= t.last_day(d.end)
                           for day, _s in d.plans.get(t.client_id, [])))
    share_clients = pct(discussed, len(d.trajectories))
    share_plan, share_specialist = pct(with_plan, len(starts)), pct(with_specialist, len(starts))
    facts = [Fact("clients", _l("Trajectories on the caseload in the period"), len(d.trajectories)),
             Fact("clients_share", _l("With a benefits plan in the trajectory (%)"),
                  share_clients),
             Fact("job_starts", _l("Job starts in the period"), len(starts)),
             Fact("plan_share", _l("With a benefits plan before the start (%)"), share_plan),
             Fact("specialist_share",
                  _l("With a plan by a trained benefits specialist before the start (%)"),
                  share_specialist)]
    if not d.trajectories:
        return ItemResult(12, None, facts, _l("No clients on the caseload in the period."))
    score = 1
    if discussed:
        score = 2
    if share_clients is not None and share_clients >= PRACTICE_SHARE:
        score = 3
    if starts and share_plan >= PRACTICE_SHARE:
        score = max(score, 4)
    if starts and share_specialist >= PRACTICE_SHARE:
        score = 5
    return ItemResult(12, score, facts, _l(
        "No plan logged scores 1; plans for some clients 2; a plan discussed with at least 90 percent "
        "of the clients 3; a plan before at least 90 percent of the job starts 4; made by a trained "
        "benefits specialist 5. The later help with changes in hours, wage and income reporting "
        "is not logged."))


def item_13_disclosure(d: FidelityData) -> ItemResult:
    """Score = 1 + the core elements present. For trajectories whose first employer contact fell
    in the period: a logged disclosure discussion (its content covers elements 1, not obliged to
    disclose, and 3, what to tell and how) and one held on or before that first contact
    (element 2). Element 4, discussed more than once: two or more discussions for trajectories
    that went two months without a job."""
    first_contacted = [t for t in d.trajectories
                       if t.id in d.first_employer and d.start <= d.first_employer[t.id] <= d.end]

    def discussions(t):
        return [day for day in d.disclosures.get(t.client_id, [])
                if t.entry <= day <= t.last_day(d.end)]

    logged = sum(1 for t in first_contacted if discussions(t))
    before = sum(1 for t in first_contacted
                 if any(day <= d.first_employer[t.id] for day in discussions(t)))
    jobless = []
    for t in d.trajectories:
        mark = t.entry + timedelta(days=TWO_MONTHS_DAYS)
        if mark <= t.last_day(d.end) and not any(
                p.trajectory_id == t.id and p.placement_type in PAID_TYPES and p.start <= mark
                for p in d.placements):
            jobless.append(t)
    repeated = sum(1 for t in jobless if len(discussions(t)) >= 2)
    share_logged = pct(logged, len(first_contacted))
    share_before = pct(before, len(first_contacted))
    share_repeated = pct(repeated, len(jobless))
    facts = [Fact("first_employer_contacts", _l("Trajectories with a first employer contact in "
                                                "the period"), len(first_contacted)),
             Fact("discussed_share", _l("With a disclosure discussion logged (%)"), share_logged),
             Fact("before_share", _l("Discussed on or before the first employer contact (%)"),
                  share_before),
             Fact("two_months_without_job", _l("Trajectories two months without a job"),
                  len(jobless)),
             Fact("repeated_share", _l("Of those, discussed more than once (%)"), share_repeated)]
    if not first_contacted:
        return ItemResult(13, None, facts, _l("No first employer contacts in the period."))
    elements = 0
    if share_logged >= PRACTICE_SHARE:
        elements += 2
    if share_before >= PRACTICE_SHARE:
        elements += 1
    if holds(share_repeated):
        elements += 1
    facts.append(Fact("elements", _l("Core elements present"), elements))
    return ItemResult(13, 1 + elements, facts, _l(
        "An element counts when it holds for at least 90% of the trajectories. Elements 1 and 3 "
        "are the content of a logged discussion; element 2 its timing; element 4 a repeat "
        "after two months without a job (counted as present when no client went that long)."))


def item_14_vocational_profile(d: FidelityData) -> ItemResult:
    """For trajectories that reached job finding (after the assessment): a complete vocational
    profile (preferences, experience, skills and strengths filled in) and, for clients who had a
    placement, a profile updated on or after the latest start. Complete and updated → 5; complete
    but not updated after work → 4; no systematic profile → 3. The data cannot show in-house
    testing or a stepwise approach (scores 1–2). The profile is judged as it is now."""
    assessed = [t for t in d.trajectories
                if any(phase in PHASES_AFTER_ASSESSMENT for _day, phase in d.phases.get(t.id, []))]
    complete = sum(1 for t in assessed
                   if t.client_id in d.profiles and d.profiles[t.client_id].complete)
    worked, updated = 0, 0
    for t in assessed:
        starts = [p.start for p in d.placements if p.trajectory_id == t.id]
        if not starts:
            continue
        worked += 1
        profile = d.profiles.get(t.client_id)
        if profile and profile.updated_on and profile.updated_on >= max(starts):
            updated += 1
    share_complete, share_updated = pct(complete, len(assessed)), pct(updated, worked)
    facts = [Fact("assessed", _l("Trajectories past the assessment phase"), len(assessed)),
             Fact("complete_share", _l("With a complete vocational profile (%)"), share_complete),
             Fact("with_placement", _l("Of those, with a placement"), worked),
             Fact("updated_share", _l("Profile updated after the latest placement start (%)"),
                  share_updated)]
    if not assessed:
        return ItemResult(14, None, facts, _l("No trajectory reached job finding."))
    if share_complete >= PRACTICE_SHARE:
        score = 5 if holds(share_updated) else 4
    else:
        score = 3
    return ItemResult(14, score, facts, _l(
        "At least 90% with a complete profile, updated after each placement, scores 5; complete "
        "but not updated 4; otherwise 3 (no systematic assessment)."))
