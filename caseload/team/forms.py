from __future__ import annotations

from wtforms import RadioField, SelectField, TextAreaField
from wtforms.validators import InputRequired, Optional

from caseload.forms_common import Form, date_field, note_fits, options
from caseload.models.base import HANDOVER_NOTE_LENGTH
from caseload.transfers.forms import worker_choices
from caseload.translating import lazy_gettext as _l

KEEP = -1  # the client stays with the worker


def leaver_form(worker, trajectories, colleagues, member_teams, formdata=None, *,
                may_deactivate: bool = True, **kwargs):
    """One "hand over to" choice per open trajectory (default: stays with the worker), then
    what happens to the worker: stays, leaves one of `member_teams`, or (`may_deactivate`:
    the caller coordinates every team the worker is in) leaves the organisation."""

    class LeaverForm(Form):
        on = date_field(_l("Handed over from"))
        note = TextAreaField(_l("Handover note"), validators=[Optional(), note_fits(HANDOVER_NOTE_LENGTH)])
        then = RadioField(_l("Afterwards"), validators=[InputRequired()], default="stay")

        def target_fields(self):
            return [(t, getattr(self, f"to_{t.id}")) for t in trajectories]

    keep = options([(KEEP, _l("stays with %(name)s", name=worker.name))])
    for trajectory in trajectories:
        setattr(LeaverForm, f"to_{trajectory.id}", SelectField(
            trajectory.client.client_code, coerce=int, default=KEEP,
            choices=keep + worker_choices(colleagues)))
    form = LeaverForm(formdata=formdata, **kwargs) if formdata is not None else LeaverForm(**kwargs)
    form.then.choices = options(
        [("stay", _l("stays in the team"))]
        + [(f"leave:{t.id}", _l("leaves team %(team)s", team=t.name)) for t in member_teams]
        + ([("deactivate", _l("leaves the organisation (account deactivated)"))]
           if may_deactivate else []))
    return form


class AbsenceCoverForm(Form):
    user_id = SelectField(_l("Worker"), coerce=int, validators=[InputRequired()])
    from_date = date_field(_l("From"), future_days=366)
    to_date = date_field(_l("To (inclusive)"), future_days=366 * 2)
    cover_id = SelectField(_l("Covered by"), coerce=int, default=0)
