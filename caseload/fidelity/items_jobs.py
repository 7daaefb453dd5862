"""Computed items about the jobs clients hold and the support while working: 19 (diversity of
job types), 20 (diversity of employers), 21 (competitive jobs) and 23 (time-unlimited
follow-along). Anchors: Appendix 5 of seed 002 (caseload/fidelity/scale.py)."""

from __future__ import annotations

from datetime import date, timedelta

from caseload.fidelity.data import FOLLOW_ALONG_LOOKBACK_DAYS, FidelityData, Plc
from caseload.fidelity.result import HALF, Fact, ItemResult, at_least, holds, pct
from caseload.outcomes.queries import PAID_TYPES, wage_status
from caseload.translating import lazy_gettext as _l

DIVERSITY_BANDS = [(85, 5), (70, 4), (60, 3), (50, 2)]
# Anchor 1 is "minder dan 64%", anchor 2 "ongeveer 65–74%": 64.x% is not below 64, so it scores 2.
COMPETITIVE_BANDS = [(95, 5), (85, 4), (75, 3), (64, 2)]
# Item 21, score 1: "het huidige banenbestand is minder dan 10".
SMALLEST_JOB_BASE = 10


def jobs_held(d: FidelityData) -> list[Plc]:
    """Jobs held at any day of the period: every placement but education (work-experience
    places, internships and volunteer work count as jobs that are not competitive)."""
    return [p for p in d.placements if p.placement_type != "education"
            and p.start <= d.end and (p.end is None or p.end >= d.start)]


def job_type_of(placement: Plc) -> str:
    return " ".join((placement.job_type or placement.job_title or "").lower().split())


def is_competitive(placement: Plc) -> bool:
    """A regular paid job: paid, open to anyone (the record's flag) and not below the minimum
    wage (an unknown wage is taken at the flag's word)."""
    return (placement.placement_type in PAID_TYPES and placement.competitive
            and wage_status(placement.hourly_wage) != "no")


def _diversity(number: int, d: FidelityData, distinct: int, fact_key: str, label) -> ItemResult:
    jobs = jobs_held(d)
    share = pct(distinct, len(jobs))
    facts = [Fact("jobs", _l("Jobs held in the period"), len(jobs)),
             Fact(fact_key, label, distinct), Fact("share", _l("Different (%)"), share)]
    if not jobs:
        return ItemResult(number, None, facts, _l("No jobs held in the period."))
    return ItemResult(number, at_least(share, DIVERSITY_BANDS, 1), facts, _l(
        "Distinct ÷ jobs: 85–100% scores 5, 70–84% 4, 60–69% 3, 50–59% 2, less than 50% 1."))


def item_19_job_types(d: FidelityData) -> ItemResult:
    """Distinct job types (the job type, or else the job title) as a share of the jobs held."""
    distinct = len({job_type_of(p) for p in jobs_held(d)})
    return _diversity(19, d, distinct, "job_types", _l("Different job types"))


def item_20_employers(d: FidelityData) -> ItemResult:
    """Distinct employers as a share of the jobs held."""
    distinct = len({p.employer_id for p in jobs_held(d)})
    return _diversity(20, d, distinct, "employers", _l("Different employers"))


def item_21_competitive_jobs(d: FidelityData) -> ItemResult:
    """Share of the jobs held that are competitive: ≥95% → 5, 85–94% → 4, 75–84% → 3,
    64–74% → 2, less than 64% → 1; and 1 whenever fewer than 10 jobs are held."""
    jobs = jobs_held(d)
    competitive = sum(1 for p in jobs if is_competitive(p))
    share = pct(competitive, len(jobs))
    facts = [Fact("jobs", _l("Jobs held in the period"), len(jobs)),
             Fact("competitive", _l("Competitive jobs"), competitive),
             Fact("share", _l("Competitive (%)"), share)]
    if not jobs:
        return ItemResult(21, None, facts, _l("No jobs held in the period."))
    score = 1 if len(jobs) < SMALLEST_JOB_BASE else at_least(share, COMPETITIVE_BANDS, 1)
    return ItemResult(21, score, facts, _l(
        "Competitive: a paid job open to anyone at no less than the minimum wage. At least 95% "
        "scores 5, 85–94% 4, 75–84% 3, 64–74% 2, less than 64% 1; fewer than 10 jobs scores 1."))


def _has_contact(days: list[date], first: date, last: date) -> bool:
    return any(first <= day <= last for day in days)


def _windows_met(days, start, end, offset, length, count, until) -> bool | None:
    """Every passed window [start+offset+k·length, +length−1] (k < count) that began while the
    placement lasted holds a contact; None when no window has passed yet."""
    passed = []
    for k in range(count):
        first = start + timedelta(days=offset + k * length)
        last = first + timedelta(days=length - 1)
        if last <= until and (end is None or first <= end):
            passed.append(_has_contact(days, first, last))
    return all(passed) if passed else None


def follow_along_checks(placement: Plc, f2f: list[date], any_mode: list[date],
                        until: date) -> dict[str, bool | None]:
    """Item 23's anchors for one placement, each True/False, or None when it cannot be judged
    yet (its window has not passed)."""
    s, e = placement.start, placement.end
    year_end = min(until, e or until, s + timedelta(days=364))
    first_month = s + timedelta(days=27)
    span_days = (year_end - (s + timedelta(days=28))).days + 1
    months = span_days // 30
    checks = {
        "week_before": _has_contact(f2f, s - timedelta(days=7), s - timedelta(days=1)),
        "three_days": (_has_contact(f2f, s, s + timedelta(days=3))
                       if s + timedelta(days=3) <= until else None),
        "weekly_first_month": _windows_met(f2f, s, e, 0, 7, 4, until),
        "monthly_first_year": (sum(1 for day in f2f if s + timedelta(days=28) <= day <= year_end)
                               >= months if months >= 1 else None),
        "four_months": _windows_met(f2f, s, e, 0, 30, 4, until),
        "first_month_any": (_has_contact(f2f, s, min(first_month, e or first_month))
                            if min(first_month, e or first_month) <= until else None),
        "job_loss": (_has_contact(any_mode, e, e + timedelta(days=3))
                     if e is not None and e + timedelta(days=3) <= until else None),
    }
    return checks


CHECK_LABELS = {
    "week_before": _l("Face-to-face in the week before the start (%)"),
    "three_days": _l("Face-to-face within 3 days after the start (%)"),
    "weekly_first_month": _l("Weekly face-to-face in the first month (%)"),
    "monthly_first_year": _l("On average monthly face-to-face in the first year (%)"),
    "four_months": _l("Face-to-face every month of the first four months (%)"),
    "first_month_any": _l("Any face-to-face contact in the first month (%)"),
    "job_loss": _l("Contact within 3 days after a job ended (%)"),
}


def item_23_follow_along(d: FidelityData) -> ItemResult:
    """Placements (jobs and education) held in the period that started in the year before its
    end. 5: (nearly) all had face-to-face contact in the week before and within 3 days after the
    start, weekly in the first month, on average monthly in the first year, and contact within
    3 days after a job ended; 4: weekly in the first month and monthly after; 3: at least half had
    face-to-face contact through the first four months; 1: fewer than half had any in the first
    month; otherwise 2."""
    since = min(d.start, d.end - timedelta(days=FOLLOW_ALONG_LOOKBACK_DAYS))
    placements = [p for p in d.placements if since <= p.start <= d.end
                  and (p.end is None or p.end >= d.start)]
    tallies = {key: [0, 0] for key in CHECK_LABELS}
    for placement in placements:
        contacts = d.client_contacts.get(placement.client_id, [])
        f2f = [day for day, face_to_face in contacts if face_to_face]
        any_mode = [day for day, _f in contacts]
        for key, met in follow_along_checks(placement, f2f, any_mode, d.end).items():
            if met is not None:
                tallies[key][0] += bool(met)
                tallies[key][1] += 1
    shares = {key: pct(met, judged) for key, (met, judged) in tallies.items()}
    facts = [Fact("placements", _l("Placements started in the last year and held in the period"),
                  len(placements))]
    facts += [Fact(key, label, shares[key]) for key, label in CHECK_LABELS.items()]
    if not tallies["weekly_first_month"][1]:
        return ItemResult(23, None, facts, _l("No placement has passed its first week yet."))
    if all(holds(shares[key]) for key in ("week_before", "three_days", "weekly_first_month",
                                          "monthly_first_year", "job_loss")):
        score = 5
    elif holds(shares["weekly_first_month"]) and holds(shares["monthly_first_year"]):
        score = 4
    elif shares["four_months"] is None or shares["four_months"] >= HALF:
        score = 3
    elif shares["first_month_any"] is not None and shares["first_month_any"] < HALF:
        score = 1
    else:
        score = 2
    return ItemResult(23, score, facts, _l(
        "A practice counts when it holds for at least 90% of the placements that can be judged "
        "(whose window has passed)."))
