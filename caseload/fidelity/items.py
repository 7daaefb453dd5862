"""The fidelity items the logged data can support, each computed for one team and period from
the anchors of Appendix 5 (caseload/fidelity/scale.py), with the numbers behind the score.

    compute_items(session, team_id, start, end) -> {item number: ItemResult}

Staff items live in items_staff.py (1, 3, 15, 17, 24), pre-job support in items_support.py
(12, 13, 14), jobs and follow-along in items_jobs.py (19, 20, 21, 23), the organisation
items 4 and 6 and employer relationships (18) in items_organisation.py, outreach (25) in
items_outreach.py. The data are loaded once (caseload/fidelity/data.py), in a fixed number of
queries.
"""

from __future__ import annotations

from datetime import date

from caseload.fidelity.data import FidelityData, load
from caseload.fidelity.items_jobs import (
    item_19_job_types,
    item_20_employers,
    item_21_competitive_jobs,
    item_23_follow_along,
)
from caseload.fidelity.items_organisation import (
    item_4_treatment_team_integration,
    item_6_external_experts,
    item_18_employer_relationships,
)
from caseload.fidelity.items_outreach import item_25_outreach
from caseload.fidelity.items_staff import (
    item_1_caseload_size,
    item_3_vocational_generalists,
    item_15_rapid_job_search,
    item_17_employer_contacts,
    item_24_community,
)
from caseload.fidelity.items_support import (
    item_12_benefits_planning,
    item_13_disclosure,
    item_14_vocational_profile,
)
from caseload.fidelity.result import ItemResult
from caseload.fidelity.scale import COMPUTABLE

COMPUTATIONS = {
    1: item_1_caseload_size,
    3: item_3_vocational_generalists,
    4: item_4_treatment_team_integration,
    6: item_6_external_experts,
    12: item_12_benefits_planning,
    13: item_13_disclosure,
    14: item_14_vocational_profile,
    15: item_15_rapid_job_search,
    17: item_17_employer_contacts,
    18: item_18_employer_relationships,
    19: item_19_job_types,
    20: item_20_employers,
    21: item_21_competitive_jobs,
    23: item_23_follow_along,
    24: item_24_community,
    25: item_25_outreach,
}
assert set(COMPUTATIONS) == COMPUTABLE


def compute_from(data: FidelityData) -> dict[int, ItemResult]:
    return {number: compute(data) for number, compute in COMPUTATIONS.items()}


def compute_items(session, team_id: int, start: date, end: date) -> dict[int, ItemResult]:
    """Every computable item for the team over start..end (end: the last day with data)."""
    return compute_from(load(session, team_id, start, end))


def computed_total(results: dict[int, ItemResult]) -> int:
    return sum(result.score for result in results.values() if result.score is not None)
