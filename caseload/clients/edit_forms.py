"""Forms that edit a stored record; each carries the version it was loaded with, so a second
save over someone else's change is a conflict, never a silent overwrite."""

from __future__ import annotations

from wtforms import BooleanField, DecimalField, HiddenField, SelectField, StringField
from wtforms.validators import DataRequired, InputRequired, NumberRange, Optional

from caseload.clients.forms import ClientFieldsMixin, in_work_field
from caseload.corrections.forms import reason_field
from caseload.forms_common import Form, date_field, fits, options
from caseload.models.base import places_of
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
    hours_per_week = DecimalField(_l("Hours per week"), places=places_of(Placement.hours_per_week),
                                  validators=[InputRequired(), NumberRange(
                                      min=0.5, max=Placement.MOST_HOURS_PER_WEEK)])
    hourly_wage = DecimalField(_l("Hourly wage (EUR)"), places=places_of(Placement.hourly_wage),
                               validators=[Optional(), NumberRange(
                                   min=0, max=Placement.MOST_HOURLY_WAGE)])
    contract = SelectField(_l("Contract"), choices=choices(CONTRACTS))
    competitive = BooleanField(_l("Competitive job (regular, open to anyone)"))
    start_date = date_field(_l("Start date"), future_days=14)
    end_date = date_field(_l("End date"), required=False)
    end_reason = SelectField(_l("End reason"), choices=options(
        [("", "—")] + [(token, label) for token, label in PLACEMENT_END_REASONS.items()]))
    reason = reason_field()
