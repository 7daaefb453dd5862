"""Forms of the client page: new client, phase change, placements, disclosure, benefits, profile."""

from __future__ import annotations

from wtforms import BooleanField, DecimalField, HiddenField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional, Regexp

from caseload.forms_common import Form, NumberRange, date_field, fits, options, typed_client_code
from caseload.models.base import NOTE_LENGTH, PROFILE_TEXT_LENGTH, places_of
from caseload.models.clients import CLIENT_CODE_PATTERN, Client
from caseload.models.employers import Employer
from caseload.models.placements import Placement
from caseload.models.vocab import (
    CONTRACTS,
    DISCLOSURE_DECISIONS,
    END_REASONS,
    FUNDERS,
    PHASES,
    PLACEMENT_END_REASONS,
    PLACEMENT_TYPES,
    TRAJECTORY_TYPES,
    choices,
)
from caseload.translating import lazy_gettext as _l

# Whether the client was in paid work at referral (the comparable employment rate counts the
# clients out of work only). Empty: not recorded.
IN_WORK_CHOICES = [("", _l("Not recorded")), ("no", _l("No, out of paid work")),
                   ("yes", _l("Yes, in paid work"))]


def in_work_field():
    return SelectField(_l("In paid work at referral"), choices=options(IN_WORK_CHOICES),
                       default="")


def in_work_value(token: str | None) -> bool | None:
    return {"yes": True, "no": False}.get(token or "")


def in_work_token(value: bool | None) -> str:
    return "" if value is None else ("yes" if value else "no")


class TrajectoryFieldsMixin:
    worker_id = SelectField(_l("IPS worker"), coerce=int)
    program_entry_date = date_field(_l("Program entry date"))
    trajectory_type = SelectField(_l("Trajectory type"), choices=choices(TRAJECTORY_TYPES))
    funder = SelectField(_l("Funder"), choices=choices(FUNDERS))
    planned_end = date_field(_l("Planned end"), required=False, future_days=365 * 5)
    in_work_at_referral = in_work_field()


class ClientFieldsMixin:
    """The client's own (minimal) data, shared by the new-client and the edit form."""

    client_code = StringField(_l("Client code"), filters=[typed_client_code], validators=[
        DataRequired(), fits(Client.client_code),
        Regexp(CLIENT_CODE_PATTERN, message=_l("Use letters, digits, '.', '_' or '-' only."))])
    name = StringField(_l("Name"), validators=[Optional(), fits(Client.name)])
    referral_source = StringField(_l("Referred by (treatment team)"),
                                  validators=[Optional(), fits(Client.referral_source)])


class NewClientForm(ClientFieldsMixin, TrajectoryFieldsMixin, Form):
    team_id = SelectField(_l("Team"), coerce=int)


class NewTrajectoryForm(TrajectoryFieldsMixin, Form):
    pass


class PhaseChangeForm(Form):
    phase = SelectField(_l("New phase"), choices=choices(PHASES))
    changed_on = date_field(_l("Date"))


class EndTrajectoryForm(Form):
    ended_on = date_field(_l("End date"))
    end_reason = SelectField(_l("Reason"), choices=choices(END_REASONS))


def hours_per_week_field() -> DecimalField:
    """A placement's hours, as recorded and as corrected (edit_forms): the column's places and
    the model's most."""
    return DecimalField(_l("Hours per week"), places=places_of(Placement.hours_per_week),
                        validators=[InputRequired(), NumberRange(
                            min=0.5, max=Placement.MOST_HOURS_PER_WEEK)])


def hourly_wage_field() -> DecimalField:
    return DecimalField(_l("Hourly wage (EUR)"), places=places_of(Placement.hourly_wage),
                        validators=[Optional(), NumberRange(
                            min=0, max=Placement.MOST_HOURLY_WAGE)])


class StartPlacementForm(Form):
    employer_name = StringField(_l("Employer"), validators=[DataRequired(), fits(Employer.name)])
    job_title = StringField(_l("Job title"), validators=[DataRequired(), fits(Placement.job_title)])
    job_type = StringField(_l("Job type / sector"), validators=[Optional(), fits(Placement.job_type)])
    placement_type = SelectField(_l("Type"), choices=choices(PLACEMENT_TYPES))
    start_date = date_field(_l("Start date"), future_days=14)
    hours_per_week = hours_per_week_field()
    hourly_wage = hourly_wage_field()
    contract = SelectField(_l("Contract"), choices=choices(CONTRACTS))
    competitive = BooleanField(_l("Competitive job (regular, open to anyone)"), default=True)
    move_to_coaching = BooleanField(_l("Move the client to the coaching phase"), default=True)


# A hidden field's label written out (never shown): without one WTForms makes it from the name
# through its own catalogue, which Flask-WTF reads from disk on the first use in each request.
class EndPlacementForm(Form):
    placement_id = HiddenField("Placement Id")
    end_date = date_field(_l("End date"))
    end_reason = SelectField(_l("Reason"), choices=choices(PLACEMENT_END_REASONS))
    back_to_job_finding = BooleanField(_l("Back to the job finding phase"), default=True)


def end_placement_form(placement_id: int, **kwargs) -> EndPlacementForm:
    """One form per open placement, each with its own field ids."""
    return EndPlacementForm(prefix=f"end-placement-{placement_id}", **kwargs)


def benefits_plan_form(**kwargs) -> BenefitsPlanForm:
    """Prefixed: its note and date must not share ids with the disclosure form's."""
    return BenefitsPlanForm(prefix="benefits", **kwargs)


class DisclosureForm(Form):
    discussed_on = date_field(_l("Date"))
    decision = SelectField(_l("What the client decided"), choices=choices(DISCLOSURE_DECISIONS))
    note = TextAreaField(_l("Note"), validators=[Optional(), Length(max=NOTE_LENGTH)])


class BenefitsPlanForm(Form):
    offered_on = date_field(_l("Date offered"))
    by_benefits_specialist = BooleanField(_l("By a benefits specialist"))
    note = TextAreaField(_l("Note"), validators=[Optional(), Length(max=NOTE_LENGTH)])


class ProfileForm(Form):
    version = HiddenField("Version")  # its label written out, as EndPlacementForm's
    preferences = TextAreaField(_l("Work preferences"), validators=[Length(max=PROFILE_TEXT_LENGTH)])
    experience = TextAreaField(_l("Work and education experience"), validators=[Length(max=PROFILE_TEXT_LENGTH)])
    skills = TextAreaField(_l("Skills"), validators=[Length(max=PROFILE_TEXT_LENGTH)])
    strengths = TextAreaField(_l("Strengths"), validators=[Length(max=PROFILE_TEXT_LENGTH)])
    adjustments = TextAreaField(_l("Adjustments needed"), validators=[Length(max=PROFILE_TEXT_LENGTH)])
    network = TextAreaField(_l("Network contacts"), validators=[Length(max=PROFILE_TEXT_LENGTH)])
