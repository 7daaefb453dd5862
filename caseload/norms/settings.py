"""Norm thresholds: defaults from the IPS fidelity scale (domain.md), each editable by an admin."""

from __future__ import annotations

from dataclasses import dataclass, fields

from sqlalchemy import select


@dataclass(frozen=True)
class NormSettings:
    rapid_job_search_days: int = 30          # item 15
    employer_contacts_per_week: int = 6      # item 17, per FTE
    contacts_per_job_seeker: int = 2         # item 17, when few clients seek work
    job_seeker_threshold: int = 3            # item 17: "fewer than 3"
    follow_along_start_days: int = 3         # item 23
    follow_along_first_month_weeks: int = 4  # item 23: weekly in the first month
    follow_along_month_days: int = 30        # item 23: at least monthly afterwards
    job_loss_days: int = 3                   # item 23
    clients_per_fte: int = 25                # item 1
    treatment_team_days: int = 14            # quality criterion 4

    @classmethod
    def load(cls, session) -> NormSettings:
        from caseload.models import NormSetting
        known = {f.name for f in fields(cls)}
        stored = {key: value for key, value in session.execute(
            select(NormSetting.key, NormSetting.value)) if key in known}
        return cls(**stored)


def setting_names() -> list[str]:
    return [f.name for f in fields(NormSettings)]
