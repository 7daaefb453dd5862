from __future__ import annotations

from wtforms import SelectField, TextAreaField
from wtforms.validators import InputRequired, Optional

from caseload.forms_common import Form, date_field, note_fits, options
from caseload.models.base import HANDOVER_NOTE_LENGTH
from caseload.translating import lazy_gettext as _l

TO_BE_ASSIGNED = 0


def worker_choices(workers, *, none_label=None) -> list:
    return options([(TO_BE_ASSIGNED, none_label or _l("To be assigned (team list)"))]
                   + [(w.id, w.name) for w in workers])


class HandoverForm(Form):
    """Prefixed ("handover-..."), so its fields never share an id with the page's other forms."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "handover")
        super().__init__(*args, **kwargs)

    worker_id = SelectField(_l("Hand over to"), coerce=int,
                            validators=[InputRequired(message=_l("Choose who takes over."))])
    on = date_field(_l("From"))
    note = TextAreaField(_l("Handover note"), validators=[Optional(), note_fits(HANDOVER_NOTE_LENGTH)])

    def set_workers(self, workers) -> None:
        self.worker_id.choices = worker_choices(workers)


class TeamMoveForm(Form):
    """The new team and who takes the client on there, as one choice: "team:worker"."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "move")
        super().__init__(*args, **kwargs)

    target = SelectField(_l("Move to"), validators=[InputRequired()])
    on = date_field(_l("From"))
    note = TextAreaField(_l("Handover note"), validators=[Optional(), note_fits(HANDOVER_NOTE_LENGTH)])

    def set_targets(self, teams, workers_of) -> None:
        choices = []
        for team in teams:
            choices.append((f"{team.id}:0", _l("%(team)s: to be assigned", team=team.name)))
            choices += [(f"{team.id}:{w.id}", f"{team.name}: {w.name}") for w in workers_of(team)]
        self.target.choices = options(choices)

    def chosen(self) -> tuple[int, int]:
        team_id, _sep, worker_id = (self.target.data or "0:0").partition(":")
        return int(team_id), int(worker_id or 0)
