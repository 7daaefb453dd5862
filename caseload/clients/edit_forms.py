"""Forms that edit a stored record; each carries the version it was loaded with, so a second
save over someone else's change is a conflict, never a silent overwrite."""

from __future__ import annotations

from wtforms import BooleanField, HiddenField, SelectField, StringField
from wtforms.validators import DataRequired, Optional

from caseload.clients.forms import (
    ClientFieldsMixin,
    hourly_wage_field,
    hours_per_week_field,
    in_work_field,
)
from caseload.corrections.forms import reason_field
from caseload.forms_common import Form, date_field, fits, options
from caseload.models.placements import Placement
from caseload.models.vocab import CONTRACTS, PLACEMENT_END_REASONS, PLACEMENT_TYPES, choices
from caseload.translating import lazy_gettext as _l


class ClientDetailsForm(ClientFieldsMixin, Form):
    version = HiddenField()
    # Of the open trajectory, or of the latest one when none is open.
    in_work_at_referral = in_work_field()


class PlacementDetailsForm(Form):
    version = HiddenField()
    job_title = StringField(_l("Job title"), validators=[DataRequired(), fits(Placement.job_title)])
    job_type = StringField(_l("Job type / sector"), validators=[Optional(), fits(Placement.job_type)])
    placement_type = SelectField(_l("Type"), choices=choices(PLACEMENT_TYPES))
    hours_per_week = hours_per_week_field()
    hourly_wage = hourly_wage_field()
    contract = SelectField(_l("Contract"), choices=choices(CONTRACTS))
    competitive = BooleanField(_l("Competitive job (regular, open to anyone)"))
    start_date = date_field(_l("Start date"), future_days=14)
    end_date = date_field(_l("End date"), required=False)
    end_reason = SelectField(_l("End reason"), choices=options(
        [("", "—")] + [(token, label) for token, label in PLACEMENT_END_REASONS.items()]))
    reason = reason_field()
