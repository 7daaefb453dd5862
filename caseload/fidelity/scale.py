"""The 25-item IPS fidelity scale (modeltrouwschaal IPS), as published in Appendix 5 of seed 002:
each item with its Dutch title, its English title (for the English UI), its anchors for the
scores 1 to 5 and, where the anchors count them, its core elements. Total 25–125, with bands."""

from __future__ import annotations

from dataclasses import dataclass

from caseload.fidelity.anchors_organisation import STAFFING_AND_ORGANISATION
from caseload.fidelity.anchors_services import SERVICES
from caseload.translating import lazy_gettext as _l

# The usual English names of the items (IPS-25 / Supported Employment Fidelity Scale).
ENGLISH_TITLES = {
    1: "Caseload size",
    2: "Employment services staff",
    3: "Vocational generalists",
    4: "Integration with the mental health treatment team",
    5: "Integration with mental health treatment through frequent team member contact",
    6: "Collaboration between employment specialists and external vocational and education "
       "experts",
    7: "Vocational unit",
    8: "Role of the employment supervisor",
    9: "Zero exclusion criteria",
    10: "Agency focus on competitive employment and education",
    11: "Executive team support for IPS",
    12: "Work incentives (benefits) planning",
    13: "Disclosure",
    14: "Ongoing, work-based vocational assessment",
    15: "Rapid search for competitive jobs",
    16: "Individualised job search",
    17: "Job development: frequent employer contact",
    18: "Job development: quality of employer contact",
    19: "Diversity of job types",
    20: "Diversity of employers",
    21: "Competitive jobs",
    22: "Individualised follow-along supports",
    23: "Time-unlimited follow-along supports",
    24: "Community-based services",
    25: "Assertive engagement and outreach by an integrated team",
}

SECTIONS = {
    "staffing": (_l("Staffing"), "Bezetting", range(1, 4)),
    "organisation": (_l("Organisation"), "Organisatie", range(4, 12)),
    "services": (_l("Services"), "Begeleiding", range(12, 26)),
}

# The items the logged data can support (caseload/fidelity/items.py computes them); the rest
# are judged by the coordinator. Why each of the others cannot be computed: ITEMS_BY_HAND.
COMPUTABLE = frozenset({1, 3, 4, 6, 12, 13, 14, 15, 17, 18, 19, 20, 21, 23, 24, 25})

ITEMS_BY_HAND = {
    2: _l("Contacts record minutes and place, but not whether the time went to employment "
          "support or to other work such as case management."),
    5: _l("Attendance at treatment-team meetings, shared records and workplaces are not logged."),
    7: _l("Supervision meetings and taking over each other's clients are not logged."),
    8: _l("The coordinator's roles are organisational facts, not logged data."),
    9: _l("Exclusion is about policy and practice; the system itself offers no exclusion "
          "reasons."),
    10: _l("The organisation's promotion strategies are not logged."),
    11: _l("Executive support is not logged."),
    16: _l("Whether an employer contact followed the client's preferences is not recorded."),
    22: _l("The kinds of support after a job start, and who gives them, are not recorded."),
}


@dataclass(frozen=True)
class Item:
    number: int
    section: str
    title_nl: str
    title_en: str
    anchors: tuple[str, str, str, str, str]
    elements: tuple[str, ...] = ()

    @property
    def computable(self) -> bool:
        return self.number in COMPUTABLE

    def title(self, locale: str | None = None) -> str:
        return self.title_en if str(locale or "nl").startswith("en") else self.title_nl

    def anchor(self, score: int) -> str:
        return self.anchors[score - 1]


def _section_of(number: int) -> str:
    return next(key for key, (_label, _nl, numbers) in SECTIONS.items() if number in numbers)


ITEMS: dict[int, Item] = {
    number: Item(number, _section_of(number), title, ENGLISH_TITLES[number], anchors, elements)
    for number, (title, anchors, elements) in sorted(
        {**STAFFING_AND_ORGANISATION, **SERVICES}.items())
}

MAX_TOTAL = 5 * len(ITEMS)

# Score bands of the total (domain.md; seed 003 reports the same bands).
BANDS = (
    (115, "exemplary", _l("Exemplary"), "voorbeeldig"),
    (100, "good", _l("Good"), "goed"),
    (74, "fair", _l("Fair"), "redelijk"),
    (0, "not_ips", _l("Not IPS"), "geen IPS"),
)


def band(total: int) -> str:
    """exemplary 115–125, good 100–114, fair 74–99, not_ips 73 or less."""
    return next(key for minimum, key, _label, _nl in BANDS if total >= minimum)


def band_label(key: str):
    return next(label for _minimum, band_key, label, _nl in BANDS if band_key == key)
